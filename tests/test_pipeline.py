"""The stages chained (mapper.pipeline): locate, the tables it writes, run.json and the demo.

The demo runs once per test session (conftest's ``demo_dir``); test_cli.py runs it a second
time through the command line and checks that every file comes out byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json

import geopandas as gpd
import pandas as pd
import pytest

from mapper import pipeline
from mapper.schema import STATUSES

#: What README.md promises `make demo` writes.
DEMO_FILES = {
    "incidents.csv", "validation.txt", "geocoded.csv", "geocoded.geojson", "map.html",
    "run.json", "summary/provinces.csv", "summary/summary.xlsx", "summary/summary.json",
    "summary/summary.md", "summary/charts/choropleth.png", "summary/charts/choropleth.svg",
    "summary/report.html",
}


# -- the demo ------------------------------------------------------------------------------------
def test_demo_writes_every_file_the_readme_lists(demo_dir):
    written = {p.relative_to(demo_dir).as_posix() for p in demo_dir.rglob("*") if p.is_file()}
    assert written >= DEMO_FILES
    assert not [name for name in written if ".tmp" in name], "no temporary file left"
    validation = (demo_dir / "validation.txt").read_text(encoding="utf-8")
    assert validation.startswith("10 rows: 10 ok, 0 invalid")


def test_run_json_records_inputs_options_versions_and_counts(demo_dir):
    record = json.loads((demo_dir / "run.json").read_text(encoding="utf-8"))
    sample = pipeline.SAMPLE.read_bytes()
    assert record["inputs"][0]["sha256"] == hashlib.sha256(sample).hexdigest()
    assert record["options"]["command"] == "demo"
    assert {"python", "incident-mapper", "folium", "geopandas"} <= set(record["versions"])
    assert record["rows"]["total"] == sum(record["rows"]["by_status"].values()) == 10


def test_run_json_lists_each_output_with_its_hash_relative_to_the_working_folder(demo_dir):
    record = json.loads((demo_dir / "run.json").read_text(encoding="utf-8"))
    outputs = {o["path"]: o for o in record["outputs"]}
    on_disk = {f"demo/{p.relative_to(demo_dir).as_posix()}" for p in demo_dir.rglob("*")
               if p.is_file() and p.name != "run.json"}
    assert set(outputs) == on_disk
    for path, entry in outputs.items():
        data = (demo_dir.parent / path).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())


def test_run_json_has_no_timestamp_so_a_rerun_gives_the_same_bytes(sample_joined, tmp_path):
    first = pipeline.write_run_json(tmp_path / "a.json", inputs=[pipeline.SAMPLE],
                                    options={"command": "x"}, frame=sample_joined)
    second = pipeline.write_run_json(tmp_path / "b.json", inputs=[pipeline.SAMPLE],
                                     options={"command": "x"}, frame=sample_joined)
    assert first.read_bytes() == second.read_bytes()


# -- locate --------------------------------------------------------------------------------------
def test_locate_keeps_every_row_in_order_and_places_the_sample(sample_joined):
    assert isinstance(sample_joined, gpd.GeoDataFrame)
    source = pd.read_csv(pipeline.SAMPLE)
    assert sample_joined["id"].tolist() == source["id"].tolist()
    assert set(sample_joined["status"]) == {"ok"}
    row = sample_joined.set_index("id").loc["seed-01"]
    assert (row["adm1_code"], row["adm1_name"]) == ("KH-14", "Prey Veng")


def test_status_counts_list_every_status_in_order_and_add_up():
    frame = pd.DataFrame({"status": ["ok", "invalid", "ok", "outside"]})
    counts = pipeline.status_counts(frame)
    assert tuple(counts) == STATUSES
    assert counts["ok"] == 2 and counts["ambiguous"] == 0
    assert sum(counts.values()) == len(frame)
    result = pipeline.RunResult(4, counts)
    assert result.summary() == "4 rows: 2 ok, 1 invalid, 1 outside"


# -- tables --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["placed.csv", "placed.geojson", "placed.json", "placed.gpkg",
                                  "placed.parquet"])
def test_write_table_writes_each_format_and_reads_back(sample_joined, tmp_path, name):
    path = pipeline.write_table(sample_joined, tmp_path / name)
    if name.endswith(".csv"):
        back = pd.read_csv(path)
        assert "geometry" not in back
        assert back.loc[0, "date"] == "2026-01-20", "dates as YYYY-MM-DD"
    elif name.endswith(".parquet"):
        back = gpd.read_parquet(path)  # GeoParquet: points in WGS 84, types kept
        assert back.crs.to_epsg() == 4326
        assert back["date"].dtype == sample_joined["date"].dtype
        assert back.geometry.equals(sample_joined.geometry)
    else:
        back = gpd.read_file(path)
        assert back.crs.to_epsg() == 4326
    assert back["id"].tolist() == sample_joined["id"].tolist()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_write_table_refuses_an_unknown_format(sample_joined, tmp_path):
    with pytest.raises(ValueError, match=r"cannot write placed\.shp"):
        pipeline.write_table(sample_joined, tmp_path / "placed.shp")
    assert list(tmp_path.iterdir()) == []



def test_run_reads_each_log_once_and_privacy_reaches_every_table(tmp_path, reference,
                                                                 monkeypatch):
    """`run`: the whole chain in one process; a partner run empties notes everywhere."""
    from mapper import ingest
    from mapper.privacy import Privacy

    reads = []
    real = ingest.read_incidents
    monkeypatch.setattr(ingest, "read_incidents",
                        lambda *a, **k: reads.append(a) or real(*a, **k))
    log = tmp_path / "log.csv"
    log.write_text("id,date,type,place,people,notes\n"
                   "r1,2026-01-20,raid,Bavet,12,met the witness at the market\n"
                   "r2,2026-01-21,deportation,Meun Chey,42,\n", encoding="utf-8")
    options = pipeline.RunOptions(privacy=Privacy("partner"), period="month")
    result = pipeline.run_all([log], tmp_path / "out", options, reference=reference)
    assert len(reads) == 1 and result.rows == 2
    written = {p.relative_to(tmp_path / "out").as_posix() for p in result.written}
    assert {"incidents.csv", "geocoded.csv", "map.html", "summary/report.html",
            "summary/by_month.csv", "run.json"} <= written
    for path in result.written:
        if path.suffix in (".csv", ".json", ".html", ".geojson", ".md"):
            assert "witness" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("name", ["geocoded.csv", "geocoded.geojson", "geocoded.parquet"])
def test_a_placed_table_is_read_back_as_it_is_and_never_geocoded_again(
        demo_dir, name, reference, monkeypatch):
    """`map` and `summarize` take the output of `geocode` or `run` (issue 16)."""
    from mapper import summarise as sm

    def no_geocoding(*args, **kwargs):
        raise AssertionError("a placed table was geocoded again")

    monkeypatch.setattr(pipeline, "geocode", no_geocoding)
    back = pipeline.locate([demo_dir / name], reference=reference)
    first = pd.read_csv(demo_dir / "summary" / "provinces.csv")
    again = sm.summarise(back, reference=reference).provinces
    assert again["incidents"].tolist() == first["incidents"].tolist()
    assert back["status"].tolist() == ["ok"] * 10
    assert back.geometry.notna().sum() == back["lat"].notna().sum()


def test_a_hand_edited_placed_table_is_checked(demo_dir, tmp_path, reference):
    table = pd.read_csv(demo_dir / "geocoded.csv", dtype=str, keep_default_na=False)
    table.loc[0, "adm1_code"] = "KH-99"
    table.loc[1, "status"] = "fine"
    table.to_csv(tmp_path / "edited.csv", index=False)
    back = pipeline.locate([tmp_path / "edited.csv"], reference=reference)
    assert back["status"].tolist()[:3] == ["invalid", "invalid", "ok"]
    assert 'field "adm1_code"' in back["message"].iloc[0]
    assert 'field "status"' in back["message"].iloc[1]


def test_geojson_writes_a_missing_value_as_null_never_as_text(demo_dir):
    text = (demo_dir / "geocoded.geojson").read_text(encoding="utf-8")
    assert '"<NA>"' not in text and '"adm1_code": null' in text
