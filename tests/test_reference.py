"""Reference data in one object (mapper.reference): loaded lazily, each file read once per run."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import geopandas
import pandas as pd
import pytest

from mapper import boundaries, pipeline
from mapper import reference as shared
from mapper.assets import store as assets_store
from mapper.reference import Reference
from mapper.render import MapOptions, write_map

TABLES = ("places.csv", "aliases.csv", "countries.csv", "population.csv")


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """Counts, by file name, every boundary file read (``boundaries._read_file``, and
    ``geopandas.read_file`` in case a stage went round it) and every ``pandas.read_csv``."""
    counts: Counter = Counter()
    read_file, gpd_read_file, read_csv = (boundaries._read_file, geopandas.read_file,
                                          pd.read_csv)

    def name_of(source) -> str | None:
        return Path(source).name if isinstance(source, str | Path) else None

    def counting_read_file(path, *args, **kwargs):
        counts["_read_file", name_of(path)] += 1
        return read_file(path, *args, **kwargs)

    def counting_gpd_read_file(path, *args, **kwargs):
        counts["geopandas.read_file", name_of(path)] += 1
        return gpd_read_file(path, *args, **kwargs)

    def counting_read_csv(source, *args, **kwargs):
        counts["read_csv", name_of(source)] += 1
        return read_csv(source, *args, **kwargs)

    monkeypatch.setattr(boundaries, "_read_file", counting_read_file)
    monkeypatch.setattr(geopandas, "read_file", counting_gpd_read_file)
    monkeypatch.setattr(pd, "read_csv", counting_read_csv)
    return counts


def test_a_whole_run_reads_each_reference_file_once(geodata_dir, reads, tmp_path,
                                                    embedded_assets, monkeypatch):
    # An empty cache, so that the compiled gazetteer is built here from the tables too.
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(assets_store, "assets_dir", lambda cache_dir=None: embedded_assets)
    ref = Reference.load(geodata_dir)
    assert not reads, "loading reads nothing"
    joined = pipeline.locate([pipeline.SAMPLE], reference=ref)  # geocode and join
    write_map(joined, tmp_path / "map.html", MapOptions(offline=True), ref)
    pipeline.write_summary(joined, tmp_path / "summary", reference=ref)

    for name in boundaries.FILENAMES.values():
        assert reads["_read_file", name] == 1, name
        assert reads["geopandas.read_file", name] == 1, name
    for name in TABLES:
        assert reads["read_csv", name] == 1, name
    boundary_reads = {name for (how, name) in reads if how != "read_csv"}
    assert boundary_reads == set(boundaries.FILENAMES.values()), "no other geodata read"

    # The gazetteer compiled above comes from the cache the second time: no table is read.
    # (One test for both: compiling it from the tables is the slowest step of the suite.)
    second = Reference.load(geodata_dir).gazetteer
    assert reads["read_csv", "aliases.csv"] == 1, "the second load read no table"
    assert second.lookup("Meun Chey").entry == ref.gazetteer.lookup("Meun Chey").entry
    assert len(list((tmp_path / "cache" / "gazetteer").glob("*.pickle"))) == 1


def test_nothing_is_read_until_asked_and_then_kept(geodata_dir, reads):
    ref = Reference.load(geodata_dir)
    assert "loaded=[]" in repr(ref)
    assert ref.layer("ADM1") is ref.layer("ADM1")
    assert reads["_read_file", boundaries.FILENAMES["ADM1"]] == 1
    assert reads["_read_file", boundaries.FILENAMES["ADM2"]] == 0, "ADM1 needs only ADM0"
    assert ref.places is ref.places
    assert reads["read_csv", "places.csv"] == 1
    assert "ADM1" in repr(ref) and "places" in repr(ref)


def test_the_parts_a_user_sees(reference):
    assert len(reference.layer("ADM1")) == 25
    assert len(reference.provinces) == 25
    assert reference.province_names["KH-18"] == "Preah Sihanouk"
    assert reference.population["population_2019"].dtype == "int64"
    assert set(reference.population["adm1_code"]) == set(reference.provinces["adm1_code"])
    provinces = reference.layer("ADM1").set_index("adm1_code").geometry
    points = reference.province_points
    assert set(points.index) == set(provinces.index)
    for code, point in points.iterrows():
        assert provinces[code].contains(geopandas.points_from_xy([point["lon"]],
                                                                 [point["lat"]])[0]), code


def test_display_layers_are_simplified_copies(reference):
    full = reference.layer("ADM2")
    shown = reference.display_layer("ADM2")
    assert shown is reference.display_layer("ADM2")
    assert len(shown) == len(full) and shown.crs.to_epsg() == 4326
    assert shown.geometry.count_coordinates().sum() < full.geometry.count_coordinates().sum()
    assert full.geometry.iloc[0] is not shown.geometry.iloc[0], "the full layer is untouched"


def test_own_tables_can_come_from_another_folder(tmp_path, geodata_dir):
    for name in TABLES:
        shutil.copy(Reference().data_dir / name, tmp_path / name)
    places = pd.read_csv(tmp_path / "places.csv", dtype=str, keep_default_na=False)
    places.iloc[:1].to_csv(tmp_path / "places.csv", index=False)
    assert len(Reference.load(geodata_dir, data_dir=tmp_path).places) == 1


def test_default_is_shared_and_renewed_when_the_geodata_variable_changes(
    monkeypatch, geodata_dir, tmp_path
):
    monkeypatch.setattr(shared, "_DEFAULT", None)  # restored afterwards, for other tests
    first = shared.default()
    assert shared.default() is first
    assert shared.resolve(None) is first
    monkeypatch.setenv("INCIDENT_MAPPER_GEODATA", str(tmp_path))
    other = shared.default()
    assert other is not first
    monkeypatch.setenv("INCIDENT_MAPPER_GEODATA", str(geodata_dir))
    again = shared.default()
    assert again is not other, "one slot: going back loads afresh"
    assert shared.default() is again
    shared.clear_default()
    assert shared.default() is not again


def test_resolve_keeps_a_given_reference(reference):
    assert shared.resolve(reference) is reference
    assert shared.resolve(None) is shared.default()
