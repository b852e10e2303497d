"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from mapper import pipeline, reference
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


def test_demo_writes_and_lists_its_outputs(runner, tmp_path, geodata_dir, embedded_assets):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    for name in ("map.html", "geocoded.csv", "run.json", "report.html", "summary.xlsx"):
        assert name in result.output
    assert (tmp_path / "demo" / "map.html").stat().st_size > 100_000


def test_geocode_a_place_only_table_to_gpkg(runner, tmp_path, geodata_dir):
    log = tmp_path / "places.csv"
    log.write_text("Place\nMeun Chey\nSihanoukville\nMeanchey\nMoc Bai\n", encoding="utf-8")
    out = tmp_path / "placed.gpkg"
    result = runner.invoke(app, ["geocode", str(log), "--out", str(out)])
    assert result.exit_code == 0, result.output
    placed = gpd.read_file(out)
    assert placed["adm1_code"].tolist()[:2] == ["KH-14", "KH-18"]
    assert placed["status"].tolist() == ["ok", "ok", "ambiguous", "outside"]
    run = json.loads((tmp_path / "placed.run.json").read_text(encoding="utf-8"))
    assert run["rows"]["by_status"]["ambiguous"] == 1


def test_geocode_refuses_an_unknown_output_format(runner, tmp_path, geodata_dir):
    result = runner.invoke(app, ["geocode", str(pipeline.SAMPLE), "--out",
                                 str(tmp_path / "x.shp")])
    assert result.exit_code == 2
    assert ".shp" in result.output


def test_places_check_and_search(runner, geodata_dir):
    check = runner.invoke(app, ["places", "check"])
    assert check.exit_code == 0, check.output
    search = runner.invoke(app, ["places", "search", "Meun Chey"])
    assert search.exit_code == 0
    assert "border_post  KH-14" in search.output


def test_map_with_unknown_layer_is_a_usage_error(runner, tmp_path, geodata_dir):
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
    reference.clear_default()
    result = runner.invoke(app, ["places", "check"])
    assert result.exit_code == 2
    assert "INCIDENT_MAPPER_GEODATA" in result.output
    assert "Traceback" not in result.output
    reference.clear_default()


def test_summarize_writes_tables_report_and_run_json(runner, tmp_path, geodata_dir):
    out = tmp_path / "summary"
    result = runner.invoke(app, ["summarize", str(pipeline.SAMPLE), "--period", "month",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    provinces = pd.read_csv(out / "provinces.csv")
    assert len(provinces) == 25
    assert (out / "report.html").exists() and (out / "run.json").exists()
