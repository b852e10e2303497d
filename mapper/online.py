"""Optional online geocoding through geopy, rate limited and cached on disk.

Backends are geopy geocoder classes behind one small interface: a callable that takes a
query and returns an :class:`OnlineResult` or None. ``backend_for`` is the one registry.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from geopy.exc import GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter

from mapper import settings
from mapper.errors import GeocoderError
from mapper.files import write_text_atomic

log = logging.getLogger(__name__)

#: Nominatim's usage policy allows at most one request per second.
MIN_DELAY_SECONDS = 1.0
MAX_RETRIES = 2
ERROR_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class OnlineResult:
    lat: float
    lon: float
    address: str
    service: str


class OnlineGeocoder(Protocol):
    """What the geocode chain needs from an online service."""

    service: str

    def __call__(self, query: str) -> OnlineResult | None: ...


class DiskCache:
    """Answers keyed by a hash of the full request. Only successes are stored."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder else settings.cache_dir() / "geocoder"

    def _path(self, key: dict) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
        return self.folder / f"{digest}.json"

    def get(self, key: dict) -> dict | None:
        path = self._path(key)
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def put(self, key: dict, value: dict) -> None:
        write_text_atomic(self._path(key), json.dumps(value, sort_keys=True))


class GeopyBackend:
    """A geopy geocoder restricted to Cambodia, behind a RateLimiter and a disk cache.

    Timeouts, HTTP 429 and other service errors are retried ``max_retries`` times, then
    reported as an exception to the caller (the row stays unresolved with a message).
    """

    def __init__(
        self,
        geocoder,
        *,
        query_options: dict | None = None,
        cache: DiskCache | None = None,
        min_delay_seconds: float = MIN_DELAY_SECONDS,
        max_retries: int = MAX_RETRIES,
        error_wait_seconds: float = ERROR_WAIT_SECONDS,
    ) -> None:
        if min_delay_seconds < MIN_DELAY_SECONDS:
            raise ValueError(
                f"min_delay_seconds must be >= {MIN_DELAY_SECONDS}, got {min_delay_seconds}"
            )
        self.service = type(geocoder).__name__.lower()
        self.query_options = dict(query_options or {})
        self.cache = cache or DiskCache()
        self.limiter = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )

    def __call__(self, query: str) -> OnlineResult | None:
        key = {"service": self.service, "query": query, **self.query_options}
        cached = self.cache.get(key)
        if cached is not None:
            return OnlineResult(**cached) if cached else None
        location = self.limiter(query, **self.query_options)
        if location is None:
            self.cache.put(key, {})
            return None
        result = OnlineResult(location.latitude, location.longitude, location.address,
                              self.service)
        self.cache.put(key, asdict(result))
        return result


def nominatim(user_agent: str | None = None, **kwargs) -> GeopyBackend:
    """Nominatim (OpenStreetMap) limited to Cambodia, with the project's user agent."""
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent=user_agent or settings.USER_AGENT, timeout=10)
    options = {"country_codes": "kh", "exactly_one": True}
    return GeopyBackend(geocoder, query_options=options, **kwargs)


_BACKENDS: dict[str, Callable[..., GeopyBackend]] = {"nominatim": nominatim}


def backend_for(service: str, **kwargs) -> OnlineGeocoder:
    """The online geocoder registered under ``service``."""
    try:
        factory = _BACKENDS[service.lower()]
    except KeyError:
        known = ", ".join(sorted(_BACKENDS))
        raise GeocoderError(f"unknown geocoding service {service!r}; known: {known}") from None
    return factory(**kwargs)


def safe_call(backend: OnlineGeocoder, query: str) -> tuple[OnlineResult | None, str]:
    """Call ``backend``; a service failure becomes a message instead of an exception."""
    try:
        return backend(query), ""
    except GeocoderServiceError as err:
        log.warning("online geocoder %s failed for %r: %s", backend.service, query, err)
        return None, f"online geocoder {backend.service} failed: {type(err).__name__}: {err}"
