"""Settings in one place. Functions take ``None`` for an option and fall back to these.

Environment variables are read when a value is needed, never at import time, so tests can
set them with ``monkeypatch``.

| variable | meaning |
| --- | --- |
| ``INCIDENT_MAPPER_GEODATA`` | folder holding the four geoBoundaries files |
| ``INCIDENT_MAPPER_CACHE`` | the user cache (boundaries, assets, gazetteer, online answers) |
| ``INCIDENT_MAPPER_OFFLINE`` | "1": every map is offline unless told otherwise |
| ``INCIDENT_MAPPER_FUZZY_THRESHOLD`` | lowest fuzzy score (0-100) a name match may have |
| ``INCIDENT_MAPPER_TOLERANCE_M`` | how far outside every polygon a joined point may lie |
| ``INCIDENT_MAPPER_SUPPRESS_BELOW`` | small-cell threshold of public outputs (raised only) |
| ``INCIDENT_MAPPER_CLUSTER_THRESHOLD`` | markers above which a map clusters them |
| ``INCIDENT_MAPPER_MERGE_WINDOW`` | sentences apart two mentions of one event may merge |
| ``INCIDENT_MAPPER_MAX_XLSX_MB`` | largest unpacked size of a workbook read (MB of 10^6 bytes) |
| ``INCIDENT_MAPPER_MAX_ROWS`` | most data rows read from one input file |
| ``INCIDENT_MAPPER_MAX_CELL_CHARS`` | longest cell read (characters); longer: its row is invalid |
| ``INCIDENT_MAPPER_MAX_ARTICLE_CHARS`` | longest article ``extract`` reads (characters) |
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


def _number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"${name}: expected a number, got {value!r}") from None


#: Defaults of the tunables below (each can be overridden by its environment variable).
FUZZY_THRESHOLD = 88.0
TOLERANCE_M = 2000.0
SUPPRESS_BELOW = 3
CLUSTER_THRESHOLD = 1500
MERGE_WINDOW = 8
#: Input limits: a workbook's unpacked size (MB), data rows per file, characters per cell.
MAX_XLSX_MB = 500.0
MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 100_000
#: Longest article ``extract`` reads (characters). A long news article, even a long read of
#: 10,000 words, is under 100,000 characters; two million (some 300,000 words, a book) still
#: extracts in seconds (bench/extract.py: about 0.02 s per 1,000 words), while larger files
#: are most likely not one article (a dump, a log, a whole site) and would take minutes.
MAX_ARTICLE_CHARS = 2_000_000


def fuzzy_threshold() -> float:
    """Fuzzy name matches below this rapidfuzz ``ratio`` are not taken (docs/GEOCODING.md)."""
    return _number("INCIDENT_MAPPER_FUZZY_THRESHOLD", FUZZY_THRESHOLD)


def tolerance_m() -> float:
    """How far outside every polygon a point may be and still be joined (metres): checkpoints
    on the border line, piers and beaches just off the coastline of the boundary layers."""
    return _number("INCIDENT_MAPPER_TOLERANCE_M", TOLERANCE_M)


def suppress_below() -> int:
    """Public outputs show counts below this as "fewer than N" (never lowered below 3)."""
    return max(SUPPRESS_BELOW, int(_number("INCIDENT_MAPPER_SUPPRESS_BELOW", SUPPRESS_BELOW)))


def cluster_threshold() -> int:
    """Above this many markers a map clusters them."""
    return int(_number("INCIDENT_MAPPER_CLUSTER_THRESHOLD", CLUSTER_THRESHOLD))


def merge_window() -> int:
    """How many sentences apart two mentions of one event type may be and still merge into
    one draft row when the later one names no place of its own (``extract``)."""
    return int(_number("INCIDENT_MAPPER_MERGE_WINDOW", MERGE_WINDOW))


def max_xlsx_mb() -> float:
    """A workbook whose parts unpack to more than this many megabytes (10^6 bytes) is refused
    before it is read: a small file can hide a huge sheet (a "zip bomb")."""
    return _number("INCIDENT_MAPPER_MAX_XLSX_MB", MAX_XLSX_MB)


def max_rows() -> int:
    """An input file with more data rows than this is refused."""
    return int(_number("INCIDENT_MAPPER_MAX_ROWS", MAX_ROWS))


def max_cell_chars() -> int:
    """A cell longer than this (characters) is not read; its row is invalid and names it."""
    return int(_number("INCIDENT_MAPPER_MAX_CELL_CHARS", MAX_CELL_CHARS))


def max_article_chars() -> int:
    """An article longer than this (characters) is refused by ``extract``."""
    return int(_number("INCIDENT_MAPPER_MAX_ARTICLE_CHARS", MAX_ARTICLE_CHARS))
