"""The ``incident-mapper`` command: thin verbs over the Python API."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="incident-mapper",
    help="Geocode, map and summarise incident logs on scam compounds and trafficking in Cambodia.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    """Entry point of the console script and of ``python -m mapper``."""
    app()
