"""The optional online geocoder (mapper.online): rate limit, disk cache, retries, registry.

A fake geopy service and a fake clock stand in for the network and for time (conftest's
``fake_online``); nothing here touches the internet.
"""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut

from mapper import online
from mapper.errors import GeocoderError
from mapper.online import DiskCache, GeopyBackend, OnlineResult, backend_for, safe_call


# -- rate limit ----------------------------------------------------------------------------------
def test_rate_limit_holds_with_a_fake_clock(fake_online):
    fake = fake_online({f"q{i}": (11.0, 105.0, "x") for i in range(4)})
    for i in range(4):
        fake.backend(f"q{i}")
    # The first call goes at once; each later one waits the full second (the clock stands).
    assert fake.clock.sleeps == [1.0, 1.0, 1.0]


def test_rate_limit_below_one_second_is_refused(tmp_path, fake_online):
    with pytest.raises(ValueError, match="min_delay_seconds"):
        GeopyBackend(fake_online().service, min_delay_seconds=0.2, cache=DiskCache(tmp_path))


def test_cache_hits_do_not_wait_for_the_rate_limit(fake_online):
    fake = fake_online({"Chrey Thom": (11.0, 105.0, "Chrey Thom")})
    for _ in range(5):
        fake.backend("Chrey Thom")
    assert fake.clock.sleeps == []
    assert len(fake.service.queries) == 1


# -- the disk cache ------------------------------------------------------------------------------
def test_second_identical_query_is_a_cache_hit(fake_online):
    fake = fake_online({"Chrey Thom": (11.0, 105.0, "Chrey Thom")})
    first = fake.backend("Chrey Thom")
    assert first == OnlineResult(11.0, 105.0, "Chrey Thom", "fakeservice")
    again = fake_online(service=fake.service)  # a new process would read the same disk cache
    assert again.backend("Chrey Thom") == first
    assert len(fake.service.queries) == 1


def test_a_place_the_service_does_not_know_is_cached_as_a_miss(fake_online):
    fake = fake_online({})
    assert fake.backend("Nowhere") is None
    assert fake.backend("Nowhere") is None
    assert len(fake.service.queries) == 1


def test_the_cache_key_is_the_full_request(tmp_path):
    cache = DiskCache(tmp_path)
    cache.put({"service": "s", "query": "Bavet", "country_codes": "kh"}, {"lat": 1})
    assert cache.get({"service": "s", "query": "Bavet", "country_codes": "kh"}) == {"lat": 1}
    assert cache.get({"service": "s", "query": "Bavet", "country_codes": "vn"}) is None
    assert cache.get({"service": "other", "query": "Bavet", "country_codes": "kh"}) is None


def test_the_cache_lives_in_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path))
    assert DiskCache().folder == tmp_path / "geocoder"


# -- failures ------------------------------------------------------------------------------------
@pytest.mark.parametrize("error", [GeocoderTimedOut("timed out"), GeocoderRateLimited("429")])
def test_failures_are_retried_a_bounded_number_of_times_and_never_cached(
    fake_online, tmp_path, error
):
    fake = fake_online(error=error)
    result, message = safe_call(fake.backend, "Phum Kandaol")
    assert result is None
    assert message.startswith("online geocoder fakeservice failed: ")
    assert type(error).__name__ in message
    assert len(fake.service.queries) == 1 + online.MAX_RETRIES == 3, "one call, two retries"
    assert list((tmp_path / "cache").glob("*.json")) == [], "failures are not cached"
    fake.service.error = None
    fake.service.answers = {"Phum Kandaol": (11.0, 105.0, "Phum Kandaol")}
    assert safe_call(fake.backend, "Phum Kandaol")[0] is not None, "the next run asks again"


def test_safe_call_passes_a_result_through_with_no_message(fake_online):
    fake = fake_online({"Bavet": (11.06, 106.14, "Bavet")})
    result, message = safe_call(fake.backend, "Bavet")
    assert (result.lat, result.lon, message) == (11.06, 106.14, "")


# -- the registry --------------------------------------------------------------------------------
def test_unknown_service_is_a_clear_error():
    with pytest.raises(GeocoderError, match="unknown geocoding service 'bing'; known: nominatim"):
        backend_for("bing")


def test_nominatim_backend_is_restricted_to_cambodia_with_our_user_agent(tmp_path):
    backend = backend_for("Nominatim", cache=DiskCache(tmp_path))
    assert backend.service == "nominatim"
    assert backend.query_options["country_codes"] == "kh"
    assert "incident-mapper" in backend.limiter.func.__self__.headers["User-Agent"]
    assert backend.limiter.min_delay_seconds >= 1.0
