"""Cambodia's administrative boundaries (geoBoundaries ADM0..ADM3): find, check, cache, load.

Each level is one GeoJSON file named as geoBoundaries publishes it (``FILENAMES``). A level's
file is taken from the first of:

1. ``source``: a folder holding the files, or, for a single level, the file itself;
2. the folder named by ``$INCIDENT_MAPPER_GEODATA`` (:func:`mapper.settings.geodata_env_dir`);
3. the user cache folder, ``mapper.settings.cache_dir() / "boundaries"``;
4. a download of the pinned published file (:data:`mapper.downloads.REGISTRY`, keys
   ``boundaries/ADM0`` ..) into that cache, hash-checked by pooch.

A location named explicitly (``source`` or the environment variable) that lacks the file is an
error, not a reason to fall back: the user asked for that folder.

Local files are not hash-checked (copies from other geoBoundaries builds are welcome); every
file, downloaded or not, passes structural checks (readable GeoJSON, EPSG:4326, feature count,
required fields, valid non-empty polygons inside Cambodia's bounding box). A failed check
raises :class:`~mapper.errors.BoundaryDataError` naming the file and the check.

Nothing is cached here: :class:`mapper.reference.Reference` loads each layer once per run and
passes it on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas
import pandas as pd
import shapely

from mapper import downloads, settings
from mapper.constants import CAMBODIA_BBOX, METRIC_CRS, PROVINCE_CODES
from mapper.errors import BoundaryDataError
from mapper.files import sha256_of

__all__ = [
    "DEPENDENCIES",
    "FILENAMES",
    "LEVELS",
    "geodata_status",
    "how_to_provide",
    "install_layers",
    "load_layer",
]

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]

LEVELS: tuple[str, ...] = ("ADM0", "ADM1", "ADM2", "ADM3")

FILENAMES: dict[str, str] = {
    "ADM0": "geoBoundaries-KHM-ADM0.geojson",
    "ADM1": "geoBoundaries-KHM-ADM1.geojson",
    "ADM2": "geoBoundaries-KHM-ADM2_simplified.geojson",
    "ADM3": "geoBoundaries-KHM-ADM3_simplified.geojson",
}


_ISO_CODES = PROVINCE_CODES


@dataclass(frozen=True)
class _Expected:
    count: int
    tolerance: float  # fraction of count
    fields: tuple[str, ...]


_EXPECTED: dict[str, _Expected] = {
    "ADM0": _Expected(1, 0.0, ("shapeName",)),
    "ADM1": _Expected(25, 0.0, ("shapeName", "shapeISO")),
    "ADM2": _Expected(197, 0.05, ("shapeName", "shapeID")),
    "ADM3": _Expected(1633, 0.05, ("shapeName", "shapeID")),
}

#: The layers a level's tidy form is computed from (to give each unit its province).
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "ADM0": (),
    "ADM1": (),
    "ADM2": ("ADM1",),
    "ADM3": ("ADM1", "ADM2"),
}


# --------------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------------
def _level_name(level: str | int) -> str:
    """Return "ADM0".."ADM3" for a level given as that name (any case) or as 0..3."""
    if isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 3:
        return LEVELS[level]
    if isinstance(level, str) and level.strip().upper() in LEVELS:
        return level.strip().upper()
    raise ValueError(f"level: expected one of 'ADM0'..'ADM3' or 0..3, got {level!r}")


def _folder_source(source: PathLike | None, argument: str = "source") -> Path | None:
    """``source`` as a folder, or None; a file path is refused (it names a single level)."""
    if source is None:
        return None
    folder = Path(source)
    if folder.is_file():
        raise ValueError(f"{argument}: expected a folder holding the boundary files, got a file")
    return folder


# --------------------------------------------------------------------------------------------
# Finding a level's file
# --------------------------------------------------------------------------------------------
def _cache_folder() -> Path:
    return settings.cache_dir() / "boundaries"


def _locate(level: str, source: PathLike | None) -> tuple[Path, str]:
    """Where a level's file is (or would be downloaded to) and the origin of that choice.

    Origin is "explicit", "env", "cache" or "download". Nothing is checked or fetched here.
    """
    name = FILENAMES[level]
    if source is not None:
        given = Path(source)
        return (given / name if given.is_dir() else given), "explicit"
    env_dir = settings.geodata_env_dir()
    if env_dir is not None:
        return env_dir / name, "env"
    cached = _cache_folder() / name
    return cached, "cache" if cached.is_file() else "download"


def how_to_provide() -> str:
    """What a user can do when the boundary files are missing (one line)."""
    return (f"Pass --geodata DIR (a folder with the four geoBoundaries files), set "
            f"${settings.GEODATA_ENV}, or copy them into {_cache_folder()} "
            f"(`incident-mapper boundaries --install DIR`).")


def _resolve(level: str, source: PathLike | None) -> tuple[Path, str]:
    """The existing file for ``level`` and its origin, downloading it if that is the way."""
    path, origin = _locate(level, source)
    if origin == "download":
        return _download(level, path.parent), origin
    if not path.is_file():
        where = "source" if origin == "explicit" else f"${settings.GEODATA_ENV}"
        raise BoundaryDataError(f"{path}: not found (from {where}).\n{how_to_provide()}")
    return path, origin


def _download(level: str, folder: Path) -> Path:
    """Fetch the pinned file for ``level`` into ``folder`` (hash-checked by pooch)."""
    name = FILENAMES[level]
    try:
        return downloads.retrieve(f"boundaries/{level}", folder)
    except ValueError as err:  # pooch: hash mismatch (the temporary file is deleted)
        logger.debug("Download of %s failed its hash check", name, exc_info=True)
        raise BoundaryDataError(
            f"{name}: the download failed its sha256 check.\n{how_to_provide()}") from err
    except OSError as err:  # includes requests' connection errors and cache write errors
        logger.debug("Download of %s failed", name, exc_info=True)
        raise BoundaryDataError(
            f"{name}: not found locally, and the download failed ({type(err).__name__}).\n"
            f"{how_to_provide()}") from err


# --------------------------------------------------------------------------------------------
# Reading and checking a file
# --------------------------------------------------------------------------------------------
def _read_file(path: Path) -> geopandas.GeoDataFrame:
    """Read a GeoJSON file with pyogrio (the one place files are read; tests count calls)."""
    return geopandas.read_file(path, engine="pyogrio")


def _fail(path: Path, check: str, detail: str) -> BoundaryDataError:
    return BoundaryDataError(f"{path}: {check}: {detail}")


def _read_checked(level: str, path: Path) -> geopandas.GeoDataFrame:
    """Read ``path`` and run every structural check for ``level``."""
    try:
        frame = _read_file(path)
    except (RuntimeError, OSError, ValueError) as err:  # pyogrio errors are RuntimeErrors
        raise _fail(path, "unreadable", f"not a readable GeoJSON file ({err})") from err
    _check_crs(path, frame)
    _check_count(level, path, frame)
    _check_fields(level, path, frame)
    if level == "ADM1":
        _check_iso_codes(path, frame)
    _check_geometry(path, frame)
    _check_bbox(path, frame)
    return frame


def _check_crs(path: Path, frame: geopandas.GeoDataFrame) -> None:
    from pyproj import CRS

    crs = frame.crs
    if crs is None or not CRS.from_epsg(4326).equals(crs, ignore_axis_order=True):
        found = "none" if crs is None else crs.to_string()
        raise _fail(path, "CRS", f"expected EPSG:4326, found {found}")


def _check_count(level: str, path: Path, frame: geopandas.GeoDataFrame) -> None:
    expected = _EXPECTED[level]
    slack = round(expected.count * expected.tolerance)
    if abs(len(frame) - expected.count) > slack:
        wanted = f"{expected.count}" + (f" ± {slack}" if slack else "")
        raise _fail(path, "feature count", f"expected {wanted}, found {len(frame)}")


def _check_fields(level: str, path: Path, frame: geopandas.GeoDataFrame) -> None:
    fields = _EXPECTED[level].fields
    missing = [name for name in fields if name not in frame.columns]
    if missing:
        raise _fail(path, "required fields", f"missing {', '.join(missing)}")
    for name in fields:
        values = frame[name].astype("string").str.strip()
        blank = int((values.isna() | (values == "")).sum())
        if blank:
            raise _fail(path, "required fields", f"{name} is empty in {blank} feature(s)")
    if "shapeID" in fields and frame["shapeID"].duplicated().any():
        count = int(frame["shapeID"].duplicated().sum())
        raise _fail(path, "required fields", f"shapeID repeats in {count} feature(s)")


def _check_iso_codes(path: Path, frame: geopandas.GeoDataFrame) -> None:
    codes = set(frame["shapeISO"].astype("string").str.strip())
    missing = [code for code in _ISO_CODES if code not in codes]
    unexpected = sorted(codes - set(_ISO_CODES))
    problems = []
    if missing:
        problems.append(f"missing {missing}")
    if unexpected:
        problems.append(f"unexpected {unexpected}")
    if problems:
        raise _fail(path, "shapeISO codes", f"expected KH-1..KH-25, {'; '.join(problems)}")


def _check_geometry(path: Path, frame: geopandas.GeoDataFrame) -> None:
    geoms = frame.geometry.array
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if absent.any():
        raise _fail(path, "geometry", f"{int(absent.sum())} feature(s) have no geometry")
    kinds = set(frame.geom_type) - {"Polygon", "MultiPolygon"}
    if kinds:
        raise _fail(path, "geometry", f"expected polygons, found {sorted(kinds)}")
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        first = int(invalid.argmax())
        reason = shapely.is_valid_reason(geoms[first])
        raise _fail(
            path,
            "geometry",
            f"{int(invalid.sum())} invalid geometry(ies), first at feature {first}: {reason}",
        )


def _check_bbox(path: Path, frame: geopandas.GeoDataFrame) -> None:
    x0, y0, x1, y1 = frame.total_bounds
    bx0, by0, bx1, by1 = CAMBODIA_BBOX
    if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1:
        raise _fail(
            path,
            "bounding box",
            f"expected within lon {bx0}..{bx1}, lat {by0}..{by1}, "
            f"found lon {x0:.3f}..{x1:.3f}, lat {y0:.3f}..{y1:.3f}",
        )


# --------------------------------------------------------------------------------------------
# Tidy layers
# --------------------------------------------------------------------------------------------
def _string(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _code_number(codes: pd.Series) -> pd.Series:
    """1..25 from "KH-1".."KH-25" (for sorting)."""
    return codes.str.removeprefix("KH-").astype(int)


def _containing(
    units: geopandas.GeoDataFrame, areas: geopandas.GeoDataFrame, column: str
) -> pd.Series:
    """``areas[column]`` of the area containing each unit's representative point.

    Vectorised with ``sjoin``; a point inside no area (a sliver between two sources' outlines)
    takes the nearest area, measured in UTM 48N. Ties go to the first area in ``areas``.
    """
    points = geopandas.GeoDataFrame(geometry=units.representative_point(), crs=units.crs)
    joined = geopandas.sjoin(points, areas[[column, "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    found = joined[column]
    lost = found.isna()
    if lost.any():
        logger.debug("%s unit(s) fall in no area; taking the nearest", int(lost.sum()))
        near = geopandas.sjoin_nearest(
            points[lost].to_crs(METRIC_CRS),
            areas[[column, "geometry"]].to_crs(METRIC_CRS),
            how="left",
        )
        near = near[~near.index.duplicated(keep="first")]
        found = found.where(~lost, near[column])
    return found.astype("string")


def _tidy_adm0(raw: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    return geopandas.GeoDataFrame(
        {"name": _string(raw["shapeName"])}, geometry=raw.geometry.values, crs=raw.crs
    )


def _tidy_adm1(raw: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    frame = geopandas.GeoDataFrame(
        {"adm1_code": _string(raw["shapeISO"]), "name": _string(raw["shapeName"])},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    order = _code_number(frame["adm1_code"]).argsort(kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _tidy_adm2(raw: geopandas.GeoDataFrame, adm1: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    frame = geopandas.GeoDataFrame(
        {"adm2_id": _string(raw["shapeID"]), "adm2_name": _string(raw["shapeName"])},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    frame.insert(2, "adm1_code", _containing(frame, adm1, "adm1_code"))
    return _sorted_units(frame, ["adm2_name", "adm2_id"])


def _tidy_adm3(
    raw: geopandas.GeoDataFrame, adm1: geopandas.GeoDataFrame, adm2: geopandas.GeoDataFrame
) -> geopandas.GeoDataFrame:
    frame = geopandas.GeoDataFrame(
        {"adm3_id": _string(raw["shapeID"]), "adm3_name": _string(raw["shapeName"])},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    frame.insert(2, "adm2_id", _containing(frame, adm2, "adm2_id"))
    frame.insert(3, "adm1_code", _containing(frame, adm1, "adm1_code"))
    return _sorted_units(frame, ["adm2_id", "adm3_name", "adm3_id"])


def _sorted_units(frame: geopandas.GeoDataFrame, by: list[str]) -> geopandas.GeoDataFrame:
    """Rows by province number, then ``by``: the same order on every run."""
    keyed = frame.assign(_province=_code_number(frame["adm1_code"]))
    keyed = keyed.sort_values(["_province", *by], kind="stable")
    return keyed.drop(columns="_province").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------
_TIDIERS: dict[str, Callable[..., geopandas.GeoDataFrame]] = {
    "ADM0": _tidy_adm0,
    "ADM1": _tidy_adm1,
    "ADM2": _tidy_adm2,
    "ADM3": _tidy_adm3,
}


def load_layer(
    level: str | int,
    source: PathLike | None = None,
    dependencies: Sequence[geopandas.GeoDataFrame] | None = None,
) -> geopandas.GeoDataFrame:
    """Load one administrative level of Cambodia as a tidy GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level : str or int
        "ADM0" (country), "ADM1" (province), "ADM2" (district) or "ADM3" (commune); 0..3 too.
    source : path-like, optional
        A folder holding the geoBoundaries files, or the file of this one level (the levels it
        depends on then come from the fallbacks). Default: ``$INCIDENT_MAPPER_GEODATA``, then
        the user cache, then a download of the pinned file.
    dependencies : sequence of GeoDataFrame, optional
        The tidy layers named in :data:`DEPENDENCIES` for this level, already loaded (so that
        a caller holding them does not read them again); loaded here when omitted.

    Returns
    -------
    geopandas.GeoDataFrame
        Read from disk on every call; rows in a fixed order, string columns of dtype ``string``:

        - ADM0: ``name``, ``geometry``.
        - ADM1: ``adm1_code`` ("KH-1".."KH-25", ISO 3166-2; its number is the official
          province code), ``name`` (geoBoundaries' spelling), ``geometry``; sorted by code.
        - ADM2: ``adm2_id`` (geoBoundaries shapeID), ``adm2_name``, ``adm1_code`` (the
          province holding the unit's representative point), ``geometry``.
        - ADM3: ``adm3_id``, ``adm3_name``, ``adm2_id`` and ``adm1_code`` (the district and
          province holding the unit's representative point), ``geometry``.

    Raises
    ------
    ValueError
        If ``level`` is not a known level.
    BoundaryDataError
        If the file cannot be found or downloaded, or fails a structural check.
    """
    level = _level_name(level)
    path, origin = _resolve(level, source)
    if dependencies is None:
        # A single-file source names one level; the levels it depends on come from fallbacks.
        dep_source = None if source is None or Path(source).is_file() else source
        dependencies = [load_layer(dep, dep_source) for dep in DEPENDENCIES[level]]
    started = time.perf_counter()
    tidy = _TIDIERS[level](_read_checked(level, path), *dependencies)
    logger.debug("Loaded %s from %s (%s) in %.2f s", level, path, origin,
                 time.perf_counter() - started)
    return tidy


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------
def geodata_status(source: PathLike | None = None) -> dict[str, dict[str, Any]]:
    """Which file each level resolves to and where from, without downloading or reading it.

    Parameters
    ----------
    source : path-like, optional
        A folder holding the boundary files, as for :func:`load_layer`.

    Returns
    -------
    dict
        ``{"ADM0": {...}, ..., "ADM3": {...}}``; each entry has ``file`` (expected name),
        ``path`` (where it is, or would be downloaded to), ``origin`` ("explicit", "env",
        "cache" or "download": the last means a load would download it), ``present``
        (bool), ``size`` and ``sha256`` (of the present file, else None) and ``url`` (the
        pinned download URL).
    """
    folder = _folder_source(source)
    status: dict[str, dict[str, Any]] = {}
    for level in LEVELS:
        path, origin = _locate(level, folder)
        present = path.is_file()
        status[level] = {
            "file": FILENAMES[level],
            "path": str(path),
            "origin": origin,
            "present": present,
            "size": path.stat().st_size if present else None,
            "sha256": sha256_of(path) if present else None,
            "url": downloads.REGISTRY[f"boundaries/{level}"].url,
        }
    return status


def install_layers(folder: PathLike) -> list[Path]:
    """Copy the four layers from ``folder`` into the user cache, each checked first, so that
    later runs find them with no flag, variable or download.

    Raises
    ------
    BoundaryDataError
        If a file is missing from ``folder`` or fails a structural check (nothing is copied).
    """
    import shutil

    from mapper.files import write_with

    source = _folder_source(folder, "folder")
    if source is None or not source.is_dir():
        raise BoundaryDataError(f"{folder}: not a folder")
    paths = {level: source / FILENAMES[level] for level in LEVELS}
    for level, path in paths.items():
        if not path.is_file():
            raise BoundaryDataError(f"{path}: not found.\n{how_to_provide()}")
        _read_checked(level, path)
    return [write_with(_cache_folder() / FILENAMES[level],
                       lambda tmp, src=path: shutil.copyfile(src, tmp))
            for level, path in paths.items()]
