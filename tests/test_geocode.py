"""The geocode chain, and how it uses the optional online geocoder (see test_online.py for
the online geocoder itself)."""

from __future__ import annotations

import pandas as pd
import pytest
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut

from mapper import schema
from mapper.geocode import geocode


def table(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(n)], "status": ["ok"] * n, **columns})
    return schema.conform(frame)


def test_place_only_table_is_geocoded(reference):
    out = geocode(table(place=["Meun Chey", "Sihanoukville", "Cambodge", "Moc Bai"]),
                  reference=reference)
    assert out["adm1_code"].tolist()[:2] == ["KH-14", "KH-18"]
    assert out["geo_precision"].tolist() == [1, 3, 4, 1]
    assert out["status"].tolist() == ["ok", "ok", "ok", "outside"]
    assert out.loc[2, ["lat", "lon"]].isna().all(), "country-only rows are not put on a point"


def test_given_coordinates_come_first(reference):
    out = geocode(table(place=["Bokor"], latitude=[11.55], longitude=[104.92]),
                  reference=reference)
    assert out.loc[0, "geo_method"] == "given_coordinates"
    assert (out.loc[0, "lat"], out.loc[0, "lon"]) == (11.55, 104.92)


def test_province_column_is_the_fallback_with_a_message(reference):
    out = geocode(table(place=["Zzyzx Springs"], province=["Kampot"]), reference=reference)
    row = out.loc[0]
    assert (row["status"], row["adm1_code"], row["geo_precision"]) == ("ok", "KH-7", 3)
    assert row["geo_method"] == "admin_name"
    assert "no place named 'Zzyzx Springs'" in row["message"]
    assert "placed by the province column" in row["message"]


def test_district_column_places_at_district_precision(reference):
    out = geocode(table(district=["Bavet"], province=["Svay Rieng"]), reference=reference)
    assert out.loc[0, "adm1_code"] == "KH-20"
    assert out.loc[0, "geo_precision"] == 2
    assert out.loc[0, "place_kind"] == "district"


def test_unresolved_rows_keep_three_suggestions(reference):
    out = geocode(table(place=["Qwertyville"]), reference=reference)
    assert out.loc[0, "status"] == "unresolved"
    assert "closest" in out.loc[0, "message"]


def test_ambiguous_rows_list_candidates(reference):
    out = geocode(table(place=["Meanchey"]), reference=reference)
    assert out.loc[0, "status"] == "ambiguous"
    assert "Banteay Meanchey" in out.loc[0, "message"]
    assert "Oddar Meanchey" in out.loc[0, "message"]


def test_invalid_rows_pass_through_untouched(reference):
    frame = table(place=["Bavet", "Bavet"])
    frame.loc[1, "status"] = "invalid"
    frame.loc[1, "message"] = 'x.csv, row 3, field "date": bad'
    out = geocode(frame, reference=reference)
    assert out["status"].tolist() == ["ok", "invalid"]
    assert pd.isna(out.loc[1, "lat"])
    assert out.loc[1, "message"] == 'x.csv, row 3, field "date": bad'


def test_distinct_names_are_looked_up_once(reference, monkeypatch):
    gaz = reference.gazetteer
    calls = []
    original = type(gaz).lookup

    def counting(self, text, province=None):
        calls.append(text)
        return original(self, text, province)

    monkeypatch.setattr(type(gaz), "lookup", counting)
    geocode(table(place=["Bavet"] * 500 + ["Kampot"] * 500), gazetteer=gaz)
    assert sorted(set(calls)) == ["Bavet", "Kampot"]
    assert len(calls) == 2


# -- with the online geocoder (a fake service, see conftest's fake_online) ---------------------
def test_online_geocoder_fills_unresolved_rows_only(reference, fake_online):
    fake = fake_online({"Phum Zzyzx": (11.0, 105.0, "Phum Zzyzx, Svay Rieng")})
    out = geocode(table(place=["Phum Zzyzx", "Bavet"]), online=fake.backend,
                  reference=reference)
    assert out.loc[0, "geo_method"] == "online:fakeservice"
    assert out.loc[1, "geo_method"] == "gazetteer_exact"
    assert [q for q, _ in fake.service.queries] == ["Phum Zzyzx"]
    assert fake.service.queries[0][1] == {"country_codes": "kh"}


@pytest.mark.parametrize("error", [GeocoderTimedOut("timed out"), GeocoderRateLimited("429")])
def test_timeout_or_429_leaves_the_row_unresolved_and_the_run_completes(
    reference, fake_online, error
):
    fake = fake_online(error=error)
    out = geocode(table(place=["Phum Zzyzx", "Bavet"]), online=fake.backend,
                  reference=reference)
    assert out["status"].tolist() == ["unresolved", "ok"]
    assert "online geocoder" in out.loc[0, "message"]
