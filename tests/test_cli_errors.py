"""Every way --out or an option can be wrong ends in one line and exit 2, before any work.

Issue 12: a folder, a read-only place or a file in the way of --out, a column clash in a
.gpkg, and bad --layers/--from used to end in a traceback, or only after geocoding.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapper import cli, pipeline
from mapper.cli import app
from mapper.errors import OutputError, OutputWriteError
from mapper.files import check_output_place, write_text_atomic

ARTICLE = "Le 12 janvier 2026, la police a libéré 40 personnes d'un complexe à Bavet.\n"
#: Each verb writing files: its arguments before --out, and whether --out is a folder.
VERBS = {
    "geocode": (["geocode", "{log}"], ".csv", False),
    "geocode-gpkg": (["geocode", "{log}"], ".gpkg", False),
    "map": (["map", "{log}", "--offline"], ".html", False),
    "summarize": (["summarize", "{log}"], "", True),
    "extract": (["extract", "{article}"], ".csv", False),
    "demo": (["demo"], "", True),
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def no_work(monkeypatch):
    """Any attempt to load the reference or to geocode fails the test: these errors must be
    found before any work."""
    def refuse(*args, **kwargs):
        raise AssertionError("work started before the options were checked")

    monkeypatch.setattr(cli, "load_reference", refuse)
    monkeypatch.setattr(pipeline, "locate", refuse)


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    log = tmp_path / "log.csv"
    log.write_bytes(pipeline.SAMPLE.read_bytes())
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return {"log": log, "article": article}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(result, *inputs: tuple[Path, str]) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    for path, before in inputs:
        assert digest(path) == before


#: The wrong kinds of --out for a verb writing a file, and for one writing a folder.
FILE_KINDS = ("a folder", "a path below a file", "an unwritable place", "a wrong extension")
FOLDER_KINDS = ("a file", "a path below a file", "an unwritable place")
CASES = [(verb, kind) for verb, (_, _, folder) in VERBS.items()
         for kind in (FOLDER_KINDS if folder else FILE_KINDS)]


def bad_out(kind: str, tmp_path: Path, inputs: dict[str, Path], suffix: str) -> Path:
    """An --out of the given wrong kind for a verb whose output ends in ``suffix``."""
    name = f"out{suffix}" if suffix else "out"
    if kind == "a folder":
        (tmp_path / "existing-folder").mkdir()
        return tmp_path / "existing-folder"
    if kind == "a file":
        (tmp_path / "existing-file.txt").write_text("not a folder\n", encoding="utf-8")
        return tmp_path / "existing-file.txt"
    if kind == "a path below a file":
        return inputs["log"] / "deeper" / name
    if kind == "an unwritable place":
        # Even root cannot make a folder in /proc (a read-only folder stops only non-root).
        return Path("/proc/incident-mapper-test") / name
    return tmp_path / "out.xyz"


@pytest.mark.parametrize(("verb", "kind"), CASES)
def test_a_bad_out_is_one_line_before_any_work(runner, tmp_path, inputs, no_work, verb, kind):
    args, suffix, _ = VERBS[verb]
    out = bad_out(kind, tmp_path, inputs, suffix)
    if kind == "an unwritable place" and not Path("/proc").is_dir():
        pytest.skip("no /proc here")
    before = [(p, digest(p)) for p in inputs.values()]
    argv = [a.format(**{k: str(v) for k, v in inputs.items()}) for a in args]
    result = runner.invoke(app, [*argv, "--out", str(out)])
    assert_one_line_error(result, *before)
    assert str(out) in result.output


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_read_only_folder_is_one_line(runner, tmp_path, inputs, no_work, verb, monkeypatch):
    """The folder refuses new files as a read-only one does for a non-root user (CI runs as
    root, for whom chmod stops nothing, so the refusal is staged at the system call)."""
    import tempfile

    from mapper import files

    locked = tmp_path / "locked"
    locked.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).resolve().is_relative_to(locked.resolve()):
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    args, suffix, _ = VERBS[verb]
    argv = [a.format(**{k: str(v) for k, v in inputs.items()}) for a in args]
    result = runner.invoke(app, [*argv, "--out", str(locked / f"out{suffix}")])
    assert_one_line_error(result)
    assert "permission denied" in result.output


@pytest.mark.parametrize(("args", "named"), [
    (["map", "{log}", "--layers", "types,volcanoes"], "volcanoes"),
    (["map", "{log}", "--basemap", "stamen"], "--basemap"),
    (["map", "{log}", "--cdn", "--offline"], "--cdn"),
    (["geocode", "{log}", "--privacy", "secret"], "secret"),
    (["summarize", "{log}", "--from", "2026-13-01"], "--from"),
    (["summarize", "{log}", "--from", "2026-02-01", "--to", "2026-01-01"], "--to"),
    (["summarize", "{log}", "--to", "soon"], "--to"),
    (["extract", "{article}", "--published", "someday"], "--published"),
    (["extract", "{article}", "--lang", "de"], "--lang"),
])
def test_a_bad_option_is_one_line_before_any_work(runner, tmp_path, inputs, no_work, args,
                                                  named):
    out = tmp_path / ("out.csv" if args[0] in ("geocode", "extract") else
                      "out.html" if args[0] == "map" else "out")
    before = [(p, digest(p)) for p in inputs.values()]
    argv = [a.format(**{k: str(v) for k, v in inputs.items()}) for a in args]
    result = runner.invoke(app, [*argv, "--out", str(out)])
    assert_one_line_error(result, *before)
    assert named in result.output
    assert not out.exists()


@pytest.mark.parametrize("extra", ["fid", "NOTES", "Geom"])
def test_a_gpkg_column_clash_is_one_line(runner, tmp_path, session_reference, extra):
    log = tmp_path / "log.csv"
    lines = pipeline.SAMPLE.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join([f"{lines[0]},{extra}", *(f"{row},x" for row in lines[1:3])])
                   + "\n", encoding="utf-8")
    before = digest(log)
    out = tmp_path / "placed.gpkg"
    result = runner.invoke(app, ["geocode", str(log), "--out", str(out)])
    assert_one_line_error(result, (log, before))
    assert extra in result.output and ".geojson" in result.output
    assert not out.exists() and not list(tmp_path.glob(".placed.*"))


def test_a_previous_output_is_overwritten(runner, tmp_path, session_reference):
    out = tmp_path / "placed.csv"
    out.write_text("an earlier run\n", encoding="utf-8")
    result = runner.invoke(app, ["geocode", str(pipeline.SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "an earlier run" not in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_missing_folders_of_an_output_are_made(runner, tmp_path, session_reference):
    out = tmp_path / "new" / "deeper" / "placed.geojson"
    result = runner.invoke(app, ["geocode", str(pipeline.SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_the_check_leaves_no_folder_behind(tmp_path):
    check_output_place(tmp_path / "a" / "b" / "out.csv", suffixes=(".csv",))
    check_output_place(tmp_path / "c" / "d", folder=True)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_is_an_output_error_and_still_an_os_error(tmp_path):
    """Callers that shrug off a failed cache write (``except OSError``) still can."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputWriteError) as caught:
        write_text_atomic(blocker / "inside.txt", "text")
    assert isinstance(caught.value, OSError) and isinstance(caught.value, OutputError)
    assert str(blocker / "inside.txt") in str(caught.value)
    with pytest.raises(OutputWriteError):
        write_text_atomic(tmp_path, "a folder is in the way")
