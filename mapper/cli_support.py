"""What the CLI's verbs share: one-line errors, the reference data under a spinner, progress
bars, and the options every verb checks the same way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import typer


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """The project's own errors become one line on stderr and exit status 2."""
    import logging

    from mapper.errors import IncidentMapperError

    try:
        yield
    except IncidentMapperError as err:
        # The cause (a network library's exception, say) is shown only with --verbose.
        logging.getLogger("mapper").debug("cause of the error", exc_info=err.__cause__ or err)
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


def option_error(err: ValueError) -> Exception:
    """A stage's ValueError about the options as the project's one-line OptionError."""
    from mapper.errors import IncidentMapperError, OptionError

    return err if isinstance(err, IncidentMapperError) else OptionError(str(err))


def load_reference(geodata: Path | None):
    """The run's reference data with its gazetteer loaded, under a spinner on a terminal
    (the first run builds the gazetteer, which takes seconds; later runs load it)."""
    from rich.console import Console

    from mapper.reference import Reference

    ref = Reference.load(geodata)
    console = Console(stderr=True)
    if console.is_terminal:
        with console.status("Loading the gazetteer (built once, then cached)"):
            ref.gazetteer  # noqa: B018 (loads it)
    return ref


@contextlib.contextmanager
def status(description: str) -> Iterator[None]:
    """A transient spinner on stderr for a step that may take seconds (none off a terminal)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(description):
        yield


def progress(description: str):
    """A progress bar on stderr for long loops (hidden when stderr is not a terminal)."""
    from rich.console import Console
    from rich.progress import track

    console = Console(stderr=True)

    def wrap(items):
        return track(items, description=description, console=console, transient=True,
                     disable=not console.is_terminal)

    return wrap


def online_backend(online: bool, service: str):
    if not online:
        return None
    from mapper.online import backend_for

    return backend_for(service)


def privacy_policy(level: str, drop: str | None):
    """The privacy policy of the run, checked before any work (a wrong field fails at once)."""
    from mapper.privacy import Privacy

    return Privacy(level, drop)


def counts_line(frame) -> str:
    from mapper.pipeline import RunResult, status_counts

    return RunResult(len(frame), status_counts(frame)).summary()
