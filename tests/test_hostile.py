"""Issue 12's acceptance check: the hostile-input corpus through every verb.

``tests/data/hostile/`` (written by ``scripts/make_hostile.py``, listed in its MANIFEST.csv)
holds truncated files, wrong encodings, a zip bomb, huge cells, NUL bytes, formula and HTML
payloads, mixed scripts and more. Each log goes through ``validate`` and ``geocode``; all the
readable logs together go once through ``map`` and ``summarize``, each with ``--privacy
partner`` and ``public``; each article goes through ``extract``. Whatever the file:

- no traceback; a file that cannot be read at all gives exit 2 and one line;
- no row lost: rows in = ok + invalid + unresolved + ambiguous + outside = the manifest's count;
- the input is byte for byte as it was;
- no formula alive in any CSV or XLSX output, no user markup alive in any HTML output;
- no value of a sensitive row in any byte of a partner or public output (XLSX unzipped).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from reference_support import serve_reference
from typer.testing import CliRunner

from mapper.cli import app
from mapper.files import FORMULA_STARTS

HOSTILE = Path(__file__).parent / "data" / "hostile"
with (HOSTILE / "MANIFEST.csv").open(encoding="utf-8", newline="") as _handle:
    MANIFEST = list(csv.DictReader(_handle))

#: As in scripts/make_hostile.py: the limits are lowered so the corpus stays small.
ENV = {"INCIDENT_MAPPER_MAX_XLSX_MB": "50", "INCIDENT_MAPPER_MAX_CELL_CHARS": "20000"}
#: Values of the sensitive rows (scripts/make_hostile.py's SECRETS).
SECRETS = ("ZZHOSTILE-ID", "ZZHOSTILE-PLACE", "ZZHOSTILE-NOTE", "ZZHOSTILE-ACTOR",
           "Zzhostilian", "zzhostile.example", "ZZHOSTILE-SOURCE", "ZZHOSTILE-DISTRICT",
           "ZZHOSTILE-COMMUNE")
#: Markup from the corpus that must never be alive in an HTML page.
LIVE_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "</script><script>",
               '<a href="javascript:', "<script>alert('ZZHOSTILE")
STATUSES = {"ok", "invalid", "unresolved", "ambiguous", "outside"}

LOGS = [m for m in MANIFEST if m["kind"] == "log"]
ARTICLES = [m for m in MANIFEST if m["kind"] == "article"]
READ = [m for m in LOGS if m["outcome"] == "read"]
SENSITIVE = [m for m in LOGS if m["sensitive"] == "yes" and m["outcome"] == "read"]


def _param(entry: dict) -> object:
    return pytest.param(entry, id=entry["file"])


def _digest(path: Path) -> str:
    if path.is_dir():
        return "dir:" + ",".join(f"{p.name}={_digest(p)}" for p in sorted(path.iterdir()))
    return hashlib.sha256(path.read_bytes()).hexdigest()


BEFORE = {m["file"]: _digest(HOSTILE / m["file"]) for m in MANIFEST}


# -- fixtures ------------------------------------------------------------------------------------
def _patch_reference(patch: pytest.MonkeyPatch, reference) -> None:
    """Commands get the session's reference data, under the corpus's lowered limits."""
    serve_reference(patch, reference)
    for name, value in ENV.items():
        patch.setenv(name, value)


@pytest.fixture
def hostile_env(monkeypatch, reference):
    _patch_reference(monkeypatch, reference)
    return reference


def _invoke(args: list[str]):
    return CliRunner().invoke(app, [str(a) for a in args])


def _run(args: list[str]):
    return _checked(_invoke(args))


def _checked(result):
    assert "Traceback" not in result.output, result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _one_line_refusal(result) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output


# -- output checks -------------------------------------------------------------------------------
def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)  # only a real number may start with + or -
                except ValueError:
                    pytest.fail(f"{path.name}: a live formula {cell[:60]!r}")
    return rows


def _xlsx_safe(path: Path) -> None:
    import openpyxl

    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xml"):
                xml = book.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"formula element in {name}"
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value[:60]


def _html_safe(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    for markup in LIVE_MARKUP:
        assert markup not in page, f"{markup!r} alive in {path.name}"


def _texts(folder: Path) -> dict[str, str]:
    """Every output byte as text: each file, and each part of each workbook."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix == ".png":
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
                for name in book.namelist():
                    out[f"{path.name}:{name}"] = book.read(name).decode("utf-8", "replace")
        else:
            out[str(path.relative_to(folder))] = path.read_bytes().decode("utf-8", "replace")
    return out


def _no_secret(folder: Path) -> None:
    for name, text in _texts(folder).items():
        for secret in SECRETS:
            assert secret.casefold() not in text.casefold(), f"{secret} in {name}"


def _check_outputs(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            _csv_rows(path)
        elif path.suffix == ".xlsx":
            _xlsx_safe(path)
        elif path.suffix == ".html":
            _html_safe(path)


# -- validate and geocode, file by file ----------------------------------------------------------
def test_the_corpus_is_large_and_small():
    assert len(MANIFEST) >= 50
    assert len({m["file"] for m in MANIFEST}) == len(MANIFEST)
    assert sum(p.stat().st_size for p in HOSTILE.rglob("*") if p.is_file()) < 2_000_000
    assert len(SENSITIVE) >= 5 and {m["outcome"] for m in LOGS} == {"read", "refused"}


@pytest.mark.parametrize("entry", [_param(m) for m in LOGS])
def test_validate(entry, hostile_env):
    path = HOSTILE / entry["file"]
    result = _run(["validate", path, "--format", "json"])
    if entry["outcome"] == "refused":
        _one_line_refusal(result)
    else:
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.output)
        assert report["rows"] == report["ok"] + report["invalid"] == int(entry["rows"])
    assert _digest(path) == BEFORE[entry["file"]], "the input was changed"


@pytest.mark.parametrize("entry", [_param(m) for m in LOGS])
def test_geocode(entry, hostile_env, tmp_path):
    path = HOSTILE / entry["file"]
    out = tmp_path / "placed.csv"
    result = _run(["geocode", path, "--out", out])
    if entry["outcome"] == "refused":
        _one_line_refusal(result)
        assert not out.exists()
    else:
        assert result.exit_code in (0, 1), result.output
        rows = _csv_rows(out)
        status = rows[0].index("status") if rows else None
        counts = Counter(r[status] for r in rows[1:])
        assert set(counts) <= STATUSES, counts
        assert sum(counts.values()) == int(entry["rows"]), counts
        run = json.loads((tmp_path / "placed.csv.run.json").read_text(encoding="utf-8"))
        assert sum(run["rows"]["by_status"].values()) == int(entry["rows"])
    assert _digest(path) == BEFORE[entry["file"]], "the input was changed"


@pytest.mark.parametrize("level", ["partner", "public"])
@pytest.mark.parametrize("entry", [_param(m) for m in SENSITIVE])
def test_geocode_shares_no_sensitive_value(entry, level, hostile_env, tmp_path):
    out = tmp_path / "placed.csv"
    result = _run(["geocode", HOSTILE / entry["file"], "--out", out, "--privacy", level])
    assert result.exit_code in (0, 1), result.output
    _csv_rows(out)
    _no_secret(tmp_path)


# -- map and summarize, once over every readable log --------------------------------------------
@pytest.fixture(scope="module")
def built(reference, embedded_assets, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    inputs = [HOSTILE / m["file"] for m in READ]
    runs = {}
    for level in ("partner", "public"):
        runs[f"map-{level}"] = ["map", *inputs, "--out", folder / level / "map.html",
                                "--privacy", level, "--offline"]
        runs[f"summary-{level}"] = ["summarize", *inputs, "--out",
                                    folder / level / "summary", "--privacy", level,
                                    "--period", "month", "--by", "district"]
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        _patch_reference(patch, reference)
        for name, args in runs.items():
            results[name] = _invoke(args)
    return {"folder": folder, **results}


@pytest.mark.parametrize("name", ["map-partner", "map-public", "summary-partner",
                                  "summary-public"])
def test_map_and_summaries_run_over_every_readable_log(built, name):
    assert _checked(built[name]).exit_code in (0, 1), built[name].output


def test_map_counts_every_row(built):
    run = json.loads((built["folder"] / "public" / "map.html.run.json").read_text("utf-8"))
    assert sum(run["rows"]["by_status"].values()) == sum(int(m["rows"]) for m in READ)


@pytest.mark.parametrize("level", ["partner", "public"])
def test_outputs_carry_no_formula_no_markup_no_secret(built, level):
    folder = built["folder"] / level
    assert (folder / "summary" / "summary.xlsx").is_file() and (folder / "map.html").is_file()
    _check_outputs(folder)
    _no_secret(folder)


def test_no_input_was_changed(built):
    assert {m["file"]: _digest(HOSTILE / m["file"]) for m in MANIFEST} == BEFORE


# -- extract ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", [_param(m) for m in ARTICLES])
def test_extract(entry, hostile_env, tmp_path):
    path = HOSTILE / entry["file"]
    out = tmp_path / "draft.csv"
    result = _run(["extract", path, "--published", "2026-01-20", "--out", out])
    if entry["outcome"] == "refused":
        _one_line_refusal(result)
    else:
        assert result.exit_code in (0, 1), result.output
        if out.exists():
            _csv_rows(out)
    assert _digest(path) == BEFORE[entry["file"]], "the input was changed"


def test_extract_a_folder_of_hostile_articles(hostile_env, tmp_path):
    """One unreadable article refuses the whole folder (exit 2): the readable ones only."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for entry in ARTICLES:
        if entry["outcome"] == "read":
            (folder / Path(entry["file"]).name).write_bytes((HOSTILE / entry["file"]).read_bytes())
    out = tmp_path / "draft.csv"
    result = _run(["extract", folder, "--published", "2026-01-20", "--out", out])
    assert result.exit_code in (0, 1), result.output
    rows = _csv_rows(out)
    assert len(rows) > 1, "the stories in the corpus give draft rows"
