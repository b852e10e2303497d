"""Every file the project may download, pinned by URL and hash in one registry (pooch).

A download lands in a temporary file, is hash-checked by :func:`pooch.retrieve` and only then
moved into place. Nothing here decides *whether* to download: :mod:`mapper.boundaries` (the
four geoBoundaries layers) and :mod:`mapper.assets` (the npm tarballs embedded in maps) ask
for a key of :data:`REGISTRY` when the file is not found locally.

To update an entry: change its URL, then paste the new hash: ``pooch.file_hash(path)`` of a
checked copy for a file, or ``npm view NAME@VERSION dist.integrity`` (through
:func:`sri_to_pooch_hash`) for an npm tarball.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: geoBoundaries commit the pinned boundary files come from (see the shared SOURCES.md).
GEOBOUNDARIES = ("https://github.com/wmgeolab/geoBoundaries/raw/"
                 "ea5b27e7aa608eb6827f2cc76620a5b21acc5962/releaseData/gbOpen/KHM/")
NPM_REGISTRY = "https://registry.npmjs.org/"

#: Download hook with pooch's downloader signature ``(url, output_file, pooch)``; ``None``
#: lets pooch choose (HTTP). Tests set a fake that writes a file or refuses.
DOWNLOADER: Callable[[str, str, Any], None] | None = None


def sri_to_pooch_hash(integrity: str) -> str:
    """npm's ``sha512-<base64>`` integrity as pooch's ``sha512:<hex>``.

    >>> sri_to_pooch_hash("sha256-" + "A" * 43 + "=")[:12]
    'sha256:00000'
    """
    algorithm, sep, digest = integrity.partition("-")
    if not sep or algorithm not in {"sha256", "sha384", "sha512"}:
        raise ValueError(f"integrity must look like 'sha512-<base64>', got {integrity!r}")
    return f"{algorithm}:{base64.b64decode(digest, validate=True).hex()}"


@dataclass(frozen=True)
class Pinned:
    """One published file: where it is, the hash it must have (pooch's ``alg:hex``), the
    name it is stored under and its size in bytes (when known)."""

    url: str
    known_hash: str
    fname: str
    size: int | None = None


def _boundary(level: str, fname: str, sha256: str, size: int) -> Pinned:
    return Pinned(f"{GEOBOUNDARIES}{level}/{fname}", f"sha256:{sha256}", fname, size)


def _npm(name: str, version: str, integrity: str) -> Pinned:
    basename = name.rsplit("/", 1)[-1]
    return Pinned(f"{NPM_REGISTRY}{name}/-/{basename}-{version}.tgz",
                  sri_to_pooch_hash(integrity), f"{name.replace('/', '__')}@{version}.tgz")


#: The registry: every pinned download, by key. Tests replace entries to pin other bytes.
REGISTRY: dict[str, Pinned] = {
    "boundaries/ADM0": _boundary(
        "ADM0", "geoBoundaries-KHM-ADM0.geojson",
        "a11db0cd5270be1a082b51ad3b16a1febbbc70da046a75410034bf59ec32cad5", 876142),
    "boundaries/ADM1": _boundary(
        "ADM1", "geoBoundaries-KHM-ADM1.geojson",
        "d57bd73b23fad66294869f112f3a401f1876084db36de2e271a99ba7c08fc135", 2310867),
    "boundaries/ADM2": _boundary(
        "ADM2", "geoBoundaries-KHM-ADM2_simplified.geojson",
        "3de869a6939070c936b94821e76c8f9252776f3965ffd721030ea66d5d4f6587", 1409908),
    "boundaries/ADM3": _boundary(
        "ADM3", "geoBoundaries-KHM-ADM3_simplified.geojson",
        "cda352c46cb7adb803a0c075aa30b5984d7cfa13b15662bfe06e923f85805faf", 3302353),
    "npm/leaflet": _npm(
        "leaflet", "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="),
    "npm/leaflet.markercluster": _npm(
        "leaflet.markercluster", "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA=="),
    "npm/leaflet-minimap": _npm(
        "leaflet-minimap", "3.6.1",
        "sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA=="),
    "npm/jquery": _npm(
        "jquery", "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg=="),
    "npm/supercluster": _npm(
        "supercluster", "9.1.0",
        "sha512-WMhsJPm8Tf9f5mKxJ1D0mB5tbCMOFi8wTrm/LGnsJHGg8xkeNT/TWDZuFauOGRISnclbYgnxD7g3xJAfQO3FLg=="),
    "npm/leaflet.fullscreen": _npm(
        "leaflet.fullscreen", "3.0.0",
        "sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ=="),
}


def retrieve(key: str, folder: Path) -> Path:
    """Fetch ``REGISTRY[key]`` into ``folder`` (a file already there is only re-hashed).

    Raises ``ValueError`` when the bytes do not match the pinned hash (nothing is kept) and
    ``OSError`` when the download fails; callers turn both into their own errors.
    """
    import pooch  # imported here: most runs never download

    pinned = REGISTRY[key]
    log.info("Fetching %s (%s bytes) from %s into %s", pinned.fname, pinned.size or "?",
             pinned.url, folder)
    return Path(pooch.retrieve(pinned.url, known_hash=pinned.known_hash, fname=pinned.fname,
                               path=folder, downloader=DOWNLOADER, progressbar=False))

