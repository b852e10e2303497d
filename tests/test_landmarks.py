"""The landmark table (mapper/data/landmarks.csv): sound rows, points in their provinces, and
landmarks found by name in any script but never by a near spelling of another place."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from mapper.constants import METRIC_CRS, PROVINCE_CODES
from mapper.schema import Status

KINDS = {"temple", "pagoda", "island", "beach", "market", "museum", "memorial", "park",
         "sanctuary", "waterfall", "cave", "hill", "bridge", "dam", "port", "airport",
         "university", "hotel", "street", "palace", "monument", "other"}


@pytest.fixture(scope="module")
def landmarks(reference) -> pd.DataFrame:
    return reference.landmarks


@pytest.fixture(scope="module")
def gaz(reference):
    return reference.gazetteer


def test_every_landmark_row_is_complete_and_cited(landmarks):
    assert len(landmarks) >= 59
    assert landmarks["id"].is_unique
    assert set(landmarks["kind"]) <= KINDS
    assert set(landmarks["province_code"]) <= set(PROVINCE_CODES)
    for column in ("name", "names", "source_url"):
        assert landmarks[column].str.strip().ne("").all(), column
    assert landmarks["source_url"].str.startswith("http").all()


def test_every_landmark_lies_in_its_province(landmarks, reference):
    """Within its stated uncertainty of the province it is listed under."""
    points = gpd.GeoSeries.from_xy(pd.to_numeric(landmarks["lon"]),
                                   pd.to_numeric(landmarks["lat"]), crs=4326)
    provinces = reference.layer("ADM1").set_index("adm1_code").geometry
    declared = gpd.GeoSeries(provinces.reindex(landmarks["province_code"]).to_numpy(), crs=4326)
    metres = points.to_crs(METRIC_CRS).distance(declared.to_crs(METRIC_CRS))
    allowed = pd.to_numeric(landmarks["precision_m"])
    outside = landmarks.loc[metres.gt(allowed).to_numpy(), "id"].tolist()
    assert not outside


@pytest.mark.parametrize(("text", "province"), [
    ("Beng Mealea", "KH-17"),          # its English name
    ("ប្រាសាទបន្ទាយស្រី", "KH-17"),     # Khmer script
    ("pulau Koh Rong Sanloem", "KH-18"),  # a type word in Indonesian
    ("chùa Wat Phnom", "KH-12"),       # the famous pagoda, not the village Vott Phnum
])
def test_landmarks_are_found_by_their_names(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


@pytest.mark.parametrize("text", ["Wat Phnom Yat", "Wat Ek Phnom", "Ta Proem"])
def test_a_longer_or_near_name_is_not_taken_for_a_landmark(gaz, text):
    """Landmark names ("Wat Phnom", "Ta Prohm") are common words: a phrase that holds one
    with another word, or a village spelt like one, is not that landmark."""
    match = gaz.lookup(text)
    assert match.entry is None or match.entry.kind != "landmark", match.message
