"""File formats into raw parts: CSV, XLSX, JSON and GeoJSON into columns of raw cells.

:func:`_read_files` reads each file into a :class:`_Part`: its header mapped onto fields
(:mod:`mapper.ingest.vocabulary`), its cells as written, its row numbers as a spreadsheet
shows them, and the problems found while reading (a non-point geometry, values beyond the
last named column). A file that cannot be read at all raises
:class:`mapper.errors.InputFileError`. Cells are parsed later, by :mod:`mapper.ingest.checks`.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
import sys
from collections.abc import Iterable
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from mapper import schema, settings
from mapper.errors import InputFileError
from mapper.ingest.cells import _cell_text, _is_blank
from mapper.ingest.vocabulary import _RESERVED_KEYS, _alias_lookup, _field_for, column_key
from mapper.ingest.workbook import _read_sheet

logger = logging.getLogger(__name__)

#: File name endings read, in any case, and the format each names.
SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".geojson": "geojson",
}
_UNITS = {"csv": "row", "xlsx": "row", "json": "record", "geojson": "feature"}
#: A cell of a data row, (row from 0, column from 0, problem), before the columns get keys.
_At = tuple[int, int, str]


class _Part:
    """One file's rows, before checking: columns of raw cells keyed by field or kept name."""

    def __init__(self, label: str, path: Path, fmt: str) -> None:
        self.label = label
        self.path = path
        self.format = fmt
        self.unit = _UNITS[fmt]
        self.columns: dict[str, list[Any]] = {}
        self.headers: list[tuple[str, str | None]] = []
        self.row_numbers: list[int] = []
        self.keys: dict[int, str] = {}  # column position -> key in ``columns``
        self.pre: list[tuple[int, str | None, str | None, str]] = []  # (i, field, value, text)

    def __len__(self) -> int:
        return len(self.row_numbers)


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
    if not path.exists():
        raise InputFileError(path, "file not found")
    kind = f"'{path.suffix}'" if path.suffix else "without an extension"
    hint = "; save it as .xlsx" if path.suffix.casefold() in (".xls", ".ods") else ""
    raise InputFileError(
        path, f"unsupported file type {kind} (expected .csv, .xlsx, .json or .geojson){hint}"
    )


# --------------------------------------------------------------------------------------------
# Header and rows
# --------------------------------------------------------------------------------------------


def _fill(part: _Part, header: list[Any], rows: list[list[Any]], numbers: list[int]) -> _Part:
    """Map ``header`` onto fields and store ``rows`` column-wise in ``part``."""
    limit = settings.max_rows()
    if len(rows) > limit:
        raise InputFileError(
            part.path,
            f"has {len(rows):,} {part.unit}s, more than the limit of {limit:,}"
            " (INCIDENT_MAPPER_MAX_ROWS); split it or raise the limit",
        )
    lookup = _alias_lookup()
    width = len(header)
    part.row_numbers = numbers
    for i, row in enumerate(rows):
        if len(row) > width and any(not _is_blank(v) for v in row[width:]):
            extra = sum(1 for v in row[width:] if not _is_blank(v))
            part.pre.append(
                (i, None, None, f"{extra} value(s) beyond the last named column ({width} columns)")
            )
    used: set[str] = set()
    # Rows into columns once (short rows padded with None), not one pass per column.
    columns = list(itertools.zip_longest(*rows, fillvalue=None)) if rows else []
    for j, cell in enumerate(header):
        values = list(columns[j]) if j < len(columns) else [None] * len(rows)
        name = "" if _is_blank(cell) else _cell_text(cell)
        if not name and all(_is_blank(v) for v in values):
            continue  # an unnamed, empty column: spreadsheet padding
        field = _field_for(name, lookup) if name else None
        if field is not None and field in used:
            field = None  # the first column naming a field wins; keep this one as it is
        key = field if field is not None else _kept_name(name or f"column {j + 1}", used)
        used.add(key)
        part.keys[j] = key
        part.columns[key] = values
        part.headers.append((name, field))
    return part


def _kept_name(name: str, used: set[str]) -> str:
    """The name a kept column goes by: clear of the pipeline's columns and of the others."""
    key = name
    if column_key(key) in _RESERVED_KEYS or key in schema.GEOCODED_COLUMNS:
        key = f"{key} (input)"
    base, n = key, 2
    while key in used or key in schema.GEOCODED_COLUMNS:
        key, n = f"{base} ({n})", n + 1
    return key


def _header_and_rows(
    records: list[list[Any]], path: Path
) -> tuple[list[Any], list[list[Any]], list[int]]:
    """Header = first row not completely empty; trailing empty rows are dropped."""
    start = next((i for i, r in enumerate(records) if any(not _is_blank(v) for v in r)), None)
    if start is None:
        raise InputFileError(path, "is empty (no header row)")
    end = len(records)
    while end > start + 1 and all(_is_blank(v) for v in records[end - 1]):
        end -= 1
    rows = records[start + 1 : end]
    return list(records[start]), rows, list(range(start + 2, end + 1))


def _cut_long_cells(header: list[Any], rows: list[list[Any]], path: Path) -> list[_At]:
    """Empty every text cell longer than the limit; (row, column, problem) of each one."""
    limit = settings.max_cell_chars()
    for j, cell in enumerate(header):
        if isinstance(cell, str) and len(cell) > limit:
            raise InputFileError(
                path, f"the name of column {j + 1} is {len(cell):,} characters long, more than"
                f" the limit of {limit:,} (INCIDENT_MAPPER_MAX_CELL_CHARS)"
            )  # fmt: skip
    found: list[_At] = []
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) > limit:
                row[j] = None
                found.append((i, j, _too_long(len(cell), limit)))
    return found


def _too_long(length: int, limit: int) -> str:
    return (
        f"the value is {length:,} characters long, more than the limit of {limit:,}"
        " (INCIDENT_MAPPER_MAX_CELL_CHARS); it is not read"
    )


def _flag(part: _Part, found: list[_At]) -> None:
    """Problems at (row, column) of ``part``'s data rows, named by the column's field."""
    for i, j, text in found:
        part.pre.append((i, part.keys.get(j), None, text))


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputFileError(path, "file not found") from err
    except IsADirectoryError as err:
        raise InputFileError(path, "is a folder, not a file") from err
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror or err})") from err


#: How binary files other programs write begin, and what to say of one read as text.
_SIGNATURES = {
    b"PK\x03\x04": "looks like an Excel workbook (it is a zip file); if it is one, name it .xlsx",
    b"\xd0\xcf\x11\xe0": "looks like an old Excel .xls workbook; save it as .xlsx",
}


def _decode(data: bytes, path: Path, hint: str) -> str:
    for signature, says in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputFileError(path, f"is not text: it {says}")
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise InputFileError(path, f"is not {encoding} text (byte {err.start}); {hint}") from err
    # A stray NUL is data; a first line that is largely NULs is binary, or UTF-16 without
    # its byte-order mark (every other byte a NUL): no column name in it can be trusted.
    first = text[:4096].partition("\n")[0]
    if first.count("\x00") * 4 > len(first):
        raise InputFileError(path, f"is not text: its first line is mostly NUL bytes; {hint}")
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the first rows most consistently."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
            records = [r for r in islice(reader, 60) if r]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rest = records[1:-1] if len(records) > 2 else records[1:]  # the last may be cut short
        score = 1.0 if not rest else sum(len(r) == width for r in rest) / len(rest)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, label: str) -> _Part:
    text = _decode(_read_bytes(path), path, "save it as 'CSV UTF-8' and try again")
    delimiter = _sniff_delimiter(text)
    records, ends, long = _csv_records(text, delimiter, path)
    header, rows, numbers = _header_and_rows(records, path)
    found: list[_At] = []
    if ends is not None:  # before long cells are cut: an unclosed quote makes one
        table = (delimiter, header, rows, numbers)
        found += _joined_lines(text, records[-1], table, ends, path)
    if long:
        found += _cut_long_cells(header, rows, path)
    part = _fill(_Part(label, path, "csv"), header, rows, numbers)
    _flag(part, sorted(found))
    return part


def _csv_records(
    text: str, delimiter: str, path: Path
) -> tuple[list[list[str]], list[int] | None, bool]:
    """The records; the last line of each when one spans lines (else None); whether a cell
    is longer than the cell limit (then the records hold it whole, for the row to name it)."""
    old = csv.field_size_limit()
    try:
        csv.field_size_limit(settings.max_cell_chars())
        try:
            records, ends, long = *_parse_csv(text, delimiter), False
        except csv.Error as err:
            if "field larger than field limit" not in str(err):
                raise InputFileError(path, f"is not readable CSV ({err})") from err
            csv.field_size_limit(sys.maxsize)
            records, ends, long = *_parse_csv(text, delimiter), True
    finally:
        csv.field_size_limit(old)
    if not ends or ends[-1] == len(records):
        return records, None, long  # one line per record: nothing spans lines
    return records, ends, long


def _parse_csv(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records, and the line each ends on (lines as the reader counts them)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    keep = records.append
    return records, [reader.line_num for record in reader if keep(record) is None]


def _joined_lines(
    text: str,
    last: list[str],
    table: tuple[str, list[Any], list[list[Any]], list[int]],
    ends: list[int],
    path: Path,
) -> list[_At]:
    """Quoted values that run over lines which look like rows of their own: a quote that is
    never closed (the file is refused) or closed only lines later (the row is invalid)."""
    delimiter, header, rows, numbers = table
    need = max(len(header) - 1, 2)
    starts = [1, *(end + 1 for end in ends[:-1])]
    _check_last_record(text, last, header, (starts[-1], ends[-1]), path)
    found: list[_At] = []
    if not rows:
        return found
    spans = np.flatnonzero(np.diff(np.asarray(ends), prepend=0) > 1)  # records over lines
    for k in spans[(spans >= numbers[0] - 1) & (spans < numbers[0] - 1 + len(rows))].tolist():
        i = k - numbers[0] + 1  # the row of this record
        row = rows[i]
        if "".join(filter(None, row)).count(delimiter) < need:
            continue  # no value holds as many delimiters as a row
        for j, cell in enumerate(row):
            if cell is None or cell.count(delimiter) < need:
                continue
            joined = sum(line.count(delimiter) >= need for line in cell.splitlines()[1:])
            if joined:
                found.append((i, j, (
                    f"a quoted value runs from line {starts[k]} to line {ends[k]} and takes in"
                    f" {joined} line(s) that look like rows of their own; a quote (\") is"
                    " probably not closed where it should be, and those rows are not read"
                )))  # fmt: skip
    return found


def _check_last_record(
    text: str, last: list[str], header: list[Any], lines: tuple[int, int], path: Path
) -> None:
    """Refuse the file when its last record opens a quote that the file never closes: the
    lenient reader then puts all that follows the quote into the record's last value."""
    start, end = lines
    value = last[-1] if last else ""
    if start == end or not value or not text.endswith(value) or text[-len(value) - 1] != '"':
        return
    j = len(last) - 1
    name = _cell_text(header[j]) if j < len(header) and not _is_blank(header[j]) else ""
    where = f'field "{name}"' if name else f"column {j + 1}"
    raise InputFileError(
        path,
        f'line {start}: a quote (") opens in {where} and is never closed, so lines'
        f" {start}-{end} would be read as one value; close the quote or remove it",
    )


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _read_xlsx(path: Path, label: str, sheet: str | int | None) -> _Part:
    found = _read_sheet(path, sheet)
    header, rows, numbers = _header_and_rows(found.records, path)
    flagged = _cut_long_cells(header, rows, path)
    index = {number: i for i, number in enumerate(numbers)} if found.flagged else {}
    for row, col, text in found.flagged:  # sheet rows from 0; data rows are numbered from 1
        if row + 1 in index:
            flagged.append((index[row + 1], col, text))
    part = _fill(_Part(label, path, "xlsx"), header, rows, numbers)
    _flag(part, sorted(flagged))
    return part


# --------------------------------------------------------------------------------------------
# JSON and GeoJSON
# --------------------------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    text = _decode(_read_bytes(path), path, "JSON files must be UTF-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFileError(
            path, f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from err
    except RecursionError as err:
        raise InputFileError(path, "is not readable JSON (nested too deeply)") from err


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
