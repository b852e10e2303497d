"""The geocode chain and the optional online geocoder (through a fake geopy backend)."""

from __future__ import annotations

import pandas as pd
import pytest
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut
from geopy.location import Location

from mapper import schema
from mapper.errors import GeocoderError
from mapper.geocode import geocode
from mapper.online import DiskCache, GeopyBackend, backend_for


def table(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(n)], "status": ["ok"] * n, **columns})
    return schema.conform(frame)


def test_place_only_table_is_geocoded(geodata_dir):
    out = geocode(table(place=["Meun Chey", "Sihanoukville", "Cambodge", "Moc Bai"]))
    assert out["adm1_code"].tolist()[:2] == ["KH-14", "KH-18"]
    assert out["geo_precision"].tolist() == [1, 3, 4, 1]
    assert out["status"].tolist() == ["ok", "ok", "ok", "outside"]
    assert out.loc[2, ["lat", "lon"]].isna().all(), "country-only rows are not put on a point"


def test_given_coordinates_come_first(geodata_dir):
    out = geocode(table(place=["Bokor"], latitude=[11.55], longitude=[104.92]))
    assert out.loc[0, "geo_method"] == "given_coordinates"
    assert (out.loc[0, "lat"], out.loc[0, "lon"]) == (11.55, 104.92)


def test_province_column_is_the_fallback_with_a_message(geodata_dir):
    out = geocode(table(place=["Phum Thmei Zzz"], province=["Kampot"]))
    row = out.loc[0]
    assert (row["status"], row["adm1_code"], row["geo_precision"]) == ("ok", "KH-7", 3)
    assert row["geo_method"] == "admin_name"
    assert "no place named 'Phum Thmei Zzz'" in row["message"]
    assert "placed by the province column" in row["message"]


def test_district_column_places_at_district_precision(geodata_dir):
    out = geocode(table(district=["Bavet"], province=["Svay Rieng"]))
    assert out.loc[0, "adm1_code"] == "KH-20"
    assert out.loc[0, "geo_precision"] == 2
    assert out.loc[0, "place_kind"] == "district"


def test_unresolved_rows_keep_three_suggestions(geodata_dir):
    out = geocode(table(place=["Qwertyville"]))
    assert out.loc[0, "status"] == "unresolved"
    assert "closest" in out.loc[0, "message"]


def test_ambiguous_rows_list_candidates(geodata_dir):
    out = geocode(table(place=["Meanchey"]))
    assert out.loc[0, "status"] == "ambiguous"
    assert "Banteay Meanchey" in out.loc[0, "message"]
    assert "Oddar Meanchey" in out.loc[0, "message"]


def test_invalid_rows_pass_through_untouched(geodata_dir):
    frame = table(place=["Bavet", "Bavet"])
    frame.loc[1, "status"] = "invalid"
    frame.loc[1, "message"] = 'x.csv, row 3, field "date": bad'
    out = geocode(frame)
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


# -- the online geocoder, with a fake geopy service and a fake clock ------------------------------
class FakeService:
    """Stands in for a geopy geocoder: answers from a dict, or raises what it is told to."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.queries = []

    def geocode(self, query, **kwargs):
        self.queries.append((query, kwargs))
        if self.error:
            raise self.error
        hit = self.answers.get(query)
        return Location(hit[2], (hit[0], hit[1]), {}) if hit else None


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def online(service, tmp_path, clock=None):
    backend = GeopyBackend(service, query_options={"country_codes": "kh"},
                           cache=DiskCache(tmp_path / "cache"))
    clock = clock or FakeClock()
    backend.limiter._clock = clock.clock
    backend.limiter._sleep = clock.sleep
    return backend, clock


def test_online_geocoder_fills_unresolved_rows_only(geodata_dir, tmp_path):
    service = FakeService({"Phum Kandaol": (11.0, 105.0, "Phum Kandaol, Svay Rieng")})
    backend, _ = online(service, tmp_path)
    out = geocode(table(place=["Phum Kandaol", "Bavet"]), online=backend)
    assert out.loc[0, "geo_method"] == "online:fakeservice"
    assert out.loc[1, "geo_method"] == "gazetteer_exact"
    assert [q for q, _ in service.queries] == ["Phum Kandaol"]
    assert service.queries[0][1] == {"country_codes": "kh"}


def test_rate_limit_holds_with_a_fake_clock(tmp_path):
    service = FakeService({f"q{i}": (11.0, 105.0, "x") for i in range(4)})
    backend, clock = online(service, tmp_path)
    for i in range(4):
        backend(f"q{i}")
    # The first call goes at once; each later one waits the full second (the clock stands).
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_second_identical_query_is_a_cache_hit(tmp_path):
    service = FakeService({"Chrey Thom": (11.0, 105.0, "Chrey Thom")})
    backend, _ = online(service, tmp_path)
    first = backend("Chrey Thom")
    again, _ = online(service, tmp_path)  # a new process would read the same disk cache
    assert again("Chrey Thom") == first
    assert len(service.queries) == 1


@pytest.mark.parametrize("error", [GeocoderTimedOut("timed out"), GeocoderRateLimited("429")])
def test_timeout_or_429_leaves_the_row_unresolved_and_the_run_completes(
    geodata_dir, tmp_path, error
):
    service = FakeService(error=error)
    backend, _clock = online(service, tmp_path)
    out = geocode(table(place=["Phum Kandaol", "Bavet"]), online=backend)
    assert out["status"].tolist() == ["unresolved", "ok"]
    assert "online geocoder" in out.loc[0, "message"]
    assert len(service.queries) == 3, "bounded retries: one call and two retries"
    assert list((tmp_path / "cache").glob("*.json")) == [], "failures are not cached"


def test_rate_limit_below_one_second_is_refused(tmp_path):
    with pytest.raises(ValueError, match="min_delay_seconds"):
        GeopyBackend(FakeService(), min_delay_seconds=0.2, cache=DiskCache(tmp_path))


def test_unknown_service_is_a_clear_error():
    with pytest.raises(GeocoderError, match="unknown geocoding service 'bing'"):
        backend_for("bing")


def test_nominatim_backend_is_restricted_to_cambodia_with_our_user_agent(tmp_path):
    backend = backend_for("nominatim", cache=DiskCache(tmp_path))
    assert backend.query_options["country_codes"] == "kh"
    assert "incident-mapper" in backend.limiter.func.__self__.headers["User-Agent"]
    assert backend.limiter.min_delay_seconds >= 1.0
