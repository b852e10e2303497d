"""Settings in one place. Functions take ``None`` for an option and fall back to these.

Environment variables are read when a value is needed, never at import time, so tests can
set them with ``monkeypatch``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pooch

#: Folder holding the four geoBoundaries files (see ``mapper.boundaries``).
GEODATA_ENV = "INCIDENT_MAPPER_GEODATA"
#: Overrides the user cache folder (downloaded boundaries, map assets, geocoder answers).
CACHE_ENV = "INCIDENT_MAPPER_CACHE"
#: "1" makes every map offline unless ``offline=False`` is passed.
OFFLINE_ENV = "INCIDENT_MAPPER_OFFLINE"

#: Sent with every online geocoder request, as Nominatim's usage policy asks.
USER_AGENT = "incident-mapper/0.1 (+https://github.com/incident-mapper/incident-mapper)"

#: The project's own data (package data): curated places, aliases, population, sample incidents.
PACKAGE_GEODATA = Path(__file__).resolve().parent / "data"


def cache_dir() -> Path:
    """The user cache folder: ``$INCIDENT_MAPPER_CACHE`` or the OS cache for the project."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(pooch.os_cache("incident-mapper"))


def geodata_env_dir() -> Path | None:
    """The folder named by ``$INCIDENT_MAPPER_GEODATA``, if set."""
    value = os.environ.get(GEODATA_ENV)
    return Path(value) if value else None


def offline_default() -> bool:
    """Whether maps are offline unless told otherwise."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes"}
