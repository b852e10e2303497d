"""File formats into raw parts: CSV, XLSX, JSON, GeoJSON and Parquet into columns of raw cells.

:func:`_read_files` reads each file into a :class:`~mapper.ingest.parts._Part`: its header
mapped onto fields (:mod:`mapper.ingest.vocabulary`), its cells as written, its row numbers as
a spreadsheet shows them, and the problems found while reading (a non-point geometry, values
beyond the last named column). A file that cannot be read at all raises
:class:`mapper.errors.InputFileError`. CSV files are read by :mod:`mapper.ingest.delimited`;
cells are parsed later, by :mod:`mapper.ingest.checks`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from mapper.errors import InputFileError
from mapper.ingest.columns import _Column, pa
from mapper.ingest.delimited import _decode, _read_csv
from mapper.ingest.parts import (
    _check_row_count,
    _cut_long_cells,
    _cut_long_columns,
    _fill,
    _fill_columns,
    _flag,
    _grid_rows,
    _header_and_rows,
    _Part,
    _read_bytes,
)
from mapper.ingest.vocabulary import _alias_lookup, _field_for
from mapper.ingest.workbook import _brief, _read_sheet

logger = logging.getLogger(__name__)

#: File name endings read, in any case, and the format each names.
SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".geojson": "geojson",
    ".parquet": "parquet",
}


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


def _read_files(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]], sheet: str | int | None
) -> list[_Part]:
    """Read every file into a part, in order; the first unreadable one raises."""
    items = _as_paths(paths)
    if sheet is not None and not isinstance(sheet, str | int):
        raise TypeError(f"sheet: expected a name or a position, got {type(sheet).__name__}")
    parts: list[_Part] = []
    for path, label in zip(items, _labels(items), strict=True):
        part = _read_file(path, label, sheet)
        logger.debug("read %s: %s rows as %s", path, len(part), part.format)
        parts.append(part)
    return parts


def _as_paths(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | PathLike):
        return [Path(paths)]
    try:
        items = [Path(p) for p in paths]
    except TypeError as err:
        raise TypeError(
            f"paths: expected a file path or a list of them, got {type(paths).__name__}"
        ) from err
    if not items:
        raise ValueError("paths: expected at least one file, got none")
    return items


def _labels(paths: list[Path]) -> list[str]:
    """File names in messages; the path as given where two files share a name."""
    names = [p.name for p in paths]
    return [str(p) if names.count(p.name) > 1 else p.name for p in paths]


def _read_file(path: Path, label: str, sheet: str | int | None) -> _Part:
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file; name the log files in it instead")
    fmt = SUFFIXES.get(path.suffix.casefold())
    if fmt == "csv":
        return _read_csv(path, label)
    if fmt == "xlsx":
        return _read_xlsx(path, label, sheet)
    if fmt == "json":
        return _read_json(path, label)
    if fmt == "geojson":
        return _geojson_part(_load_json(path), path, label)
    if fmt == "parquet":
        return _read_parquet(path, label)
    if not path.exists():
        raise InputFileError(path, "file not found")
    kind = f"'{path.suffix}'" if path.suffix else "without an extension"
    hint = "; save it as .xlsx" if path.suffix.casefold() in (".xls", ".ods") else ""
    raise InputFileError(
        path, f"unsupported file type {kind} (expected .csv, .xlsx, .json, .geojson or .parquet)"
        f"{hint}"
    )


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _read_xlsx(path: Path, label: str, sheet: str | int | None) -> _Part:
    found = _read_sheet(path, sheet)
    columns = _as_columns(found.records)
    if columns is None:  # rows of different lengths: row by row
        header, rows, numbers = _header_and_rows(found.records, path)
        flagged = _cut_long_cells(header, rows, path)
    else:
        found.records = []  # the columns hold the cells now
        header, data, numbers = _grid_rows(columns, path)
        flagged = _cut_long_columns(header, data, path)
    index = {number: i for i, number in enumerate(numbers)} if found.flagged else {}
    for row, col, text in found.flagged:  # sheet rows from 0; data rows are numbered from 1
        if row + 1 in index:
            flagged.append((index[row + 1], col, text))
    if columns is None:
        part = _fill(_Part(label, path, "xlsx"), header, rows, numbers)
    else:
        part = _fill_columns(_Part(label, path, "xlsx"), header, data, numbers)
    _flag(part, sorted(flagged))
    return part


def _as_columns(records: list[list[Any]]) -> list[_Column] | None:
    """The records (rows of one length) as columns; None when their lengths differ."""
    if not records or len(set(map(len, records))) != 1:
        return None
    grid = np.empty((len(records), len(records[0])), dtype=object)
    grid[:] = records  # cells stay cells: a sheet holds no lists
    return [_Column.of(grid[:, j].copy()) for j in range(grid.shape[1])]


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _read_parquet(path: Path, label: str) -> _Part:
    """A Parquet table: its column names are the header (row 1), each record a row from 2;
    completely empty records after the last that says something are not rows (as in CSV)."""
    if not path.exists():
        raise InputFileError(path, "file not found")
    if pa is None:
        raise InputFileError(path, "cannot be read: reading Parquet files needs pyarrow")
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as file:
            _check_row_count(_Part(label, path, "parquet"), file.metadata.num_rows)
            table = file.read()
    except InputFileError:
        raise
    except Exception as err:  # pyarrow raises several kinds on a damaged or foreign file
        raise InputFileError(path, f"is not a readable Parquet file ({_brief(err)})") from err
    index = (table.schema.pandas_metadata or {}).get("index_columns", [])
    table = table.drop_columns([c for c in index if isinstance(c, str)])  # a pandas index
    header: list[Any] = list(table.column_names)
    if not header:
        raise InputFileError(path, "is empty (no header row)")
    columns = [_Column.of_arrow(table.column(j)) for j in range(table.num_columns)]
    del table
    filled = np.zeros(len(columns[0]), dtype=bool)
    for column in columns:
        filled |= ~column.blank()
    end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    columns = [column.rows(0, end) for column in columns]
    found = _cut_long_columns(header, columns, path)
    part = _fill_columns(_Part(label, path, "parquet"), header, columns, range(2, end + 2))
    _flag(part, found)
    return part


# --------------------------------------------------------------------------------------------
# JSON and GeoJSON
# --------------------------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    text = _decode(_read_bytes(path), path, "JSON files must be UTF-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFileError(
            path, f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from err
    except RecursionError as err:
        raise InputFileError(path, "is not readable JSON (nested too deeply)") from err
    if _SURROGATE_ESCAPE.search(text):  # rare: walk the values only then
        try:
            _refuse_lone_surrogates(data, path)
        except RecursionError as err:  # the walk takes more frames a level than the parser
            raise InputFileError(path, "is not readable JSON (nested too deeply)") from err
    return data


#: A JSON escape of a UTF-16 surrogate ("\udc80"): text only when it comes in a pair.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(value: Any, path: Path, where: str = "") -> None:
    """InputFileError naming the first value (or key) holding half of a surrogate pair,
    which is no character: nothing could write it out again."""
    if isinstance(value, str):
        if found := _LONE_SURROGATE.search(value):
            raise InputFileError(path, f"holds an invalid character (a lone \\u"
                                 f"{ord(found[0]):04x} escape) at {where or 'the top'}")
        return
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        label = _json_place(where, key)
        if isinstance(key, str):
            _refuse_lone_surrogates(key, path, label)
        _refuse_lone_surrogates(item, path, label)


def _json_place(where: str, key: int | str) -> str:
    """Where a JSON value is, as messages name it: "record 2, field "notes"" for a log's
    records (counted from 1), a path such as "features[0].properties" elsewhere."""
    if not where and isinstance(key, int):
        return f"record {key + 1}"
    if where.startswith("record") and "," not in where and isinstance(key, str):
        return f'{where}, field "{key}"'
    return f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}".lstrip(".")


def _records_part(part: _Part, records: list[dict[str, Any]]) -> _Part:
    header: list[str] = []
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key not in seen:
                seen.add(key)
                header.append(key)
    rows = [[record.get(k) for k in header] for record in records]
    found = _cut_long_cells(header, rows, part.path)
    _fill(part, header, rows, list(range(1, len(records) + 1)))
    _flag(part, found)
    return part


def _read_json(path: Path, label: str) -> _Part:
    data = _load_json(path)
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return _geojson_part(data, path, label)
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        data = data["incidents"]
    if not isinstance(data, list):
        kind = type(data).__name__ if not isinstance(data, dict) else "object"
        raise InputFileError(path, f"is not a JSON array of records (it holds a single {kind})")
    for i, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise InputFileError(path, f"record {i} is not a JSON object")
    return _records_part(_Part(label, path, "json"), data)


def _geojson_part(data: Any, path: Path, label: str) -> _Part:
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"):
        raise InputFileError(path, "is not a GeoJSON FeatureCollection")
    _check_crs(data.get("crs"), path)
    features = data.get("features")
    if not isinstance(features, list):
        raise InputFileError(path, 'has no "features" array')
    records: list[dict[str, Any]] = []
    geometry: list[tuple[float, float] | str | None] = []
    lookup = _alias_lookup()
    for i, feature in enumerate(features, start=1):
        records.append(_properties(feature, i, path, lookup))
        geometry.append(_point(feature.get("geometry")))
    part = _records_part(_Part(label, path, "geojson"), records)
    for name in ("latitude", "longitude"):
        if name not in part.columns:
            part.columns[name] = [None] * len(records)
            part.headers.append(("geometry", name))
    for i, geom in enumerate(geometry):
        if isinstance(geom, tuple):
            part.columns["longitude"][i], part.columns["latitude"][i] = geom
        elif isinstance(geom, str):
            part.pre.append((i, "geometry", None, geom))
    return part


def _check_crs(crs: Any, path: Path) -> None:
    if crs is None:
        return
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if not re.search(r"CRS84|EPSG:{1,2}4326$", name):
        reason = f"uses the coordinate system {name or crs!r}; only WGS 84 is read"
        raise InputFileError(path, reason)


def _properties(feature: Any, i: int, path: Path, lookup: dict[str, str]) -> dict[str, Any]:
    """A feature's properties, with the feature's id when no property gives one."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InputFileError(path, f"feature {i} is not a GeoJSON Feature")
    props = feature.get("properties")
    if props is not None and not isinstance(props, dict):
        raise InputFileError(path, f"feature {i} has properties that are not an object")
    record = dict(props or {})
    if feature.get("id") is not None and not any(
        _field_for(str(k), lookup) == "id" for k in record
    ):
        record["id"] = feature["id"]
    return record


def _point(geom: Any) -> tuple[float, float] | str | None:
    """(lon, lat) of a Point, None when there is no geometry, else the problem as text."""
    if geom is None:
        return None
    if not isinstance(geom, dict):
        return "is not a GeoJSON geometry"
    kind = geom.get("type")
    if kind != "Point":
        return f"only points are read; this feature is a {kind or 'geometry without type'}"
    coords = geom.get("coordinates")
    if (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return float(coords[0]), float(coords[1])
    return "a Point needs coordinates [longitude, latitude]"
