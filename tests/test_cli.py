"""The command line as a user runs it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from mapper import pipeline
from mapper import reference as shared
from mapper.cli import app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_python_dash_m_mapper_works():
    done = subprocess.run([sys.executable, "-m", "mapper", "--help"], capture_output=True,
                          text=True, check=True)
    for verb in ("validate", "geocode", "map", "summarize", "extract", "places", "demo"):
        assert verb in done.stdout


def test_validate_on_the_sample_exits_0(runner):
    result = runner.invoke(app, ["validate", str(pipeline.SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "10 ok" in result.output


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_writes_lists_and_reproduces_its_outputs(runner, tmp_path, monkeypatch,
                                                      demo_dir, session_reference):
    # The second demo run of the test session (conftest's demo_dir is the first), through
    # the command line: the same bytes in every file.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--out", "demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("10 rows: ")
    for name in ("map.html", "geocoded.csv", "run.json", "report.html", "summary.xlsx"):
        assert name in result.output
    assert (tmp_path / "demo" / "map.html").stat().st_size > 100_000
    assert digests(tmp_path / "demo") == digests(demo_dir)


def test_geocode_a_place_only_table_to_gpkg(runner, tmp_path, session_reference):
    log = tmp_path / "places.csv"
    log.write_text("Place\nMeun Chey\nSihanoukville\nMeanchey\nMoc Bai\n", encoding="utf-8")
    out = tmp_path / "placed.gpkg"
    result = runner.invoke(app, ["geocode", str(log), "--out", str(out)])
    assert result.exit_code == 0, result.output
    placed = gpd.read_file(out)
    assert placed["adm1_code"].tolist()[:2] == ["KH-14", "KH-18"]
    assert placed["status"].tolist() == ["ok", "ok", "ambiguous", "outside"]
    run = json.loads((tmp_path / "placed.gpkg.run.json").read_text(encoding="utf-8"))
    assert run["rows"]["by_status"]["ambiguous"] == 1


def test_geocode_refuses_an_unknown_output_format(runner, tmp_path, session_reference):
    result = runner.invoke(app, ["geocode", str(pipeline.SAMPLE), "--out",
                                 str(tmp_path / "x.shp")])
    assert result.exit_code == 2
    assert ".shp" in result.output


@pytest.mark.parametrize("verb", ["geocode", "map", "summarize", "extract"])
def test_every_verb_refuses_to_write_over_its_input(runner, tmp_path, session_reference, verb):
    """The commonest slip, --out pointing at the log itself, costs nothing: one line, exit 2,
    the input byte for byte as it was."""
    name = "article.txt" if verb == "extract" else "log.csv"
    log = tmp_path / name
    log.write_text("Place\nMeun Chey\n" if verb != "extract" else "Raid in Bavet.\n",
                   encoding="utf-8")
    before = log.read_bytes()
    out = tmp_path if verb == "summarize" else log
    if verb == "summarize":
        log = log.rename(tmp_path / "provinces.csv")  # a name the summary writes
    result = runner.invoke(app, [verb, str(log), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "would overwrite the input" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert log.read_bytes() == before


def test_places_check_and_search(runner, session_reference):
    check = runner.invoke(app, ["places", "check"])
    assert check.exit_code == 0, check.output
    search = runner.invoke(app, ["places", "search", "Meun Chey"])
    assert search.exit_code == 0
    assert "border_post  KH-14" in search.output


def test_map_with_unknown_layer_is_a_usage_error(runner, tmp_path, session_reference):
    result = runner.invoke(app, ["map", str(pipeline.SAMPLE), "--out",
                                 str(tmp_path / "m.html"), "--layers", "types,volcanoes"])
    assert result.exit_code == 2
    assert "volcanoes" in result.output


def test_missing_boundaries_give_one_line_saying_what_to_do(runner, tmp_path, monkeypatch):
    from mapper import downloads

    def offline(url, output_file, pooch):
        raise ConnectionError("no network")

    monkeypatch.delenv("INCIDENT_MAPPER_GEODATA", raising=False)
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(downloads, "DOWNLOADER", offline)
    monkeypatch.setattr(shared, "_DEFAULT", None)  # restored afterwards, for other tests
    result = runner.invoke(app, ["places", "check"])
    assert result.exit_code == 2
    assert "INCIDENT_MAPPER_GEODATA" in result.output
    assert "Traceback" not in result.output


def test_summarize_writes_tables_report_and_run_json(runner, tmp_path, session_reference):
    out = tmp_path / "summary"
    result = runner.invoke(app, ["summarize", str(pipeline.SAMPLE), "--period", "month",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    provinces = pd.read_csv(out / "provinces.csv")
    assert len(provinces) == 25
    assert (out / "report.html").exists() and (out / "run.json").exists()


def test_summarize_writes_a_french_pdf_report_with_the_planners_options(
        runner, tmp_path, session_reference):
    from pypdf import PdfReader

    out = tmp_path / "rapport"
    result = runner.invoke(app, ["summarize", str(pipeline.SAMPLE), "--out", str(out),
                                 "--lang", "fr", "--pdf", "--title", "Note aux bailleurs",
                                 "--organisation", "ONG Exemple", "--as-of", "2026-02"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<h1>Note aux bailleurs</h1>" in page and "situation au 2026-02" in page
    text = PdfReader(out / "report.pdf").pages[0].extract_text()
    assert "Établi par ONG Exemple" in text and "Page 1 sur 3" in text
    options = json.loads((out / "run.json").read_text(encoding="utf-8"))["options"]
    assert (options["lang"], options["pdf"], options["as_of"]) == ("fr", True, "2026-02")


@pytest.mark.parametrize(("option", "message"), [
    (["--lang", "de"], "--lang: expected one of en, fr"),
    (["--as-of", "01/02/2026"], "--as-of: cannot read")])
def test_a_bad_report_option_fails_in_one_line_before_any_work(runner, tmp_path, option,
                                                                message):
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(pipeline.SAMPLE), "--out", str(out),
                                 *option])
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("verb", ["geocode", "map", "summarize"])
def test_an_unknown_drop_field_fails_in_one_line_before_any_work(runner, tmp_path, verb):
    # No reference is loaded, so a slow failure would show as a missing-boundaries error.
    out = tmp_path / ("out.csv" if verb == "geocode" else "out")
    result = runner.invoke(app, [verb, str(pipeline.SAMPLE), "--out", str(out),
                                 "--privacy", "partner", "--drop", "notes,nickname"])
    assert result.exit_code == 2
    assert "unknown field 'nickname'" in result.output
    assert not out.exists()


def test_geocode_for_partners_keeps_sensitive_rows_to_their_province(runner, tmp_path,
                                                                      session_reference):
    log = tmp_path / "log.csv"
    log.write_text("id,date,type,place,notes,sensitive\n"
                   "r1,2026-01-17,raid,Bavet,met the witness at the market,yes\n"
                   "r2,2026-01-18,raid,Meun Chey,,no\n", encoding="utf-8")
    out = tmp_path / "shared.csv"
    result = runner.invoke(app, ["geocode", str(log), "--out", str(out),
                                 "--privacy", "partner"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "witness" not in text and "Bavet" not in text and "2026-01-17" not in text
    shared = pd.read_csv(out)
    assert shared["adm1_code"].tolist() == ["KH-20", "KH-14"]


def test_a_usage_error_is_one_line_too():
    """Through the console entry point (typer's framed box is replaced there)."""
    done = subprocess.run([sys.executable, "-m", "mapper", "summarize", "log.csv", "--by",
                           "bogus"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert "'--by'" in done.stderr and "province" in done.stderr
