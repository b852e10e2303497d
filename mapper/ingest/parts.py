"""A file's rows before checking: the header mapped onto fields, the cells as written.

Every reader (:mod:`mapper.ingest.readers`, :mod:`mapper.ingest.delimited`) ends here: its
records become a :class:`_Part`, with the header row found, trailing empty rows dropped, cells
over the length limit emptied and flagged, and each column keyed by the field its header
names (:mod:`mapper.ingest.vocabulary`) or kept under its own name. Records come as lists of
cells (:func:`_fill`) or as whole columns (:func:`_fill_columns`: workbooks, CSV read by
pyarrow, Parquet), which is quicker and gives the same part.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mapper import schema, settings
from mapper.errors import InputFileError
from mapper.ingest.cells import _cell_text, _is_blank
from mapper.ingest.columns import _Column
from mapper.ingest.vocabulary import _RESERVED_KEYS, _alias_lookup, _field_for, column_key

_UNITS = {"csv": "row", "xlsx": "row", "parquet": "row", "json": "record", "geojson": "feature"}
#: A cell of a data row, (row from 0, column from 0, problem), before the columns get keys.
_At = tuple[int, int, str]


class _Part:
    """One file's rows, before checking: columns of raw cells keyed by field or kept name."""

    def __init__(self, label: str, path: Path, fmt: str) -> None:
        self.label = label
        self.path = path
        self.format = fmt
        self.unit = _UNITS[fmt]
        self.columns: dict[str, list[Any] | _Column] = {}
        self.headers: list[tuple[str, str | None]] = []
        self.row_numbers: Sequence[int] = []  # a range, mostly
        self.keys: dict[int, str] = {}  # column position -> key in ``columns``
        self.pre: list[tuple[int, str | None, str | None, str]] = []  # (i, field, value, text)

    def __len__(self) -> int:
        return len(self.row_numbers)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputFileError(path, "file not found") from err
    except IsADirectoryError as err:
        raise InputFileError(path, "is a folder, not a file") from err
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror or err})") from err


# --------------------------------------------------------------------------------------------
# Records as lists of cells
# --------------------------------------------------------------------------------------------


def _fill(part: _Part, header: list[Any], rows: list[list[Any]], numbers: list[int]) -> _Part:
    """Map ``header`` onto fields and store ``rows`` column-wise in ``part``."""
    _check_row_count(part, len(rows))
    width = len(header)
    part.row_numbers = numbers
    for i, row in enumerate(rows):
        if len(row) > width and any(not _is_blank(v) for v in row[width:]):
            extra = sum(1 for v in row[width:] if not _is_blank(v))
            part.pre.append(
                (i, None, None, f"{extra} value(s) beyond the last named column ({width} columns)")
            )
    # Rows into columns once (short rows padded with None), not one pass per column.
    columns = list(itertools.zip_longest(*rows, fillvalue=None)) if rows else []
    _map_header(part, header, [
        list(columns[j]) if j < len(columns) else [None] * len(rows) for j in range(width)
    ])  # fmt: skip
    return part


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
    _check_header_cells(header, path)
    found: list[_At] = []
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) > limit:
                row[j] = None
                found.append((i, j, _too_long(len(cell), limit)))
    return found


def _check_header_cells(header: list[Any], path: Path) -> None:
    """A column name over the cell limit: the file is refused."""
    limit = settings.max_cell_chars()
    for j, cell in enumerate(header):
        if isinstance(cell, str) and len(cell) > limit:
            raise InputFileError(
                path, f"the name of column {j + 1} is {len(cell):,} characters long, more than"
                f" the limit of {limit:,} (INCIDENT_MAPPER_MAX_CELL_CHARS)"
            )  # fmt: skip


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
# Records as columns
# --------------------------------------------------------------------------------------------


def _grid_rows(columns: list[_Column], path: Path) -> tuple[list[Any], list[_Column], range]:
    """As :func:`_header_and_rows`, for records held as columns of one length: the header,
    the data rows' columns and their row numbers."""
    n = len(columns[0]) if columns else 0
    start = _filled_row(columns, range(0, n))
    if start is None:
        raise InputFileError(path, "is empty (no header row)")
    last = _filled_row(columns, range(n - 1, start - 1, -1))
    end = (start if last is None else last) + 1  # there is one: the header
    header = [column.cell(start) for column in columns]
    rows = [column.rows(start + 1, end) for column in columns]
    return header, rows, range(start + 2, end + 1)


def _filled_row(columns: list[_Column], order: range) -> int | None:
    """The first row, in ``order`` (a range of step 1 or -1), where a cell is not blank; None
    if there is none. Rows are looked at a few at first, then twice as many each time: the
    header is mostly the first row and the last row holds something."""
    at, size = 0, 64
    while at < len(order):
        rows = order[at : at + size]
        at, size = at + size, size * 2
        start, stop = min(rows[0], rows[-1]), max(rows[0], rows[-1]) + 1
        filled = np.zeros(stop - start, dtype=bool)
        for column in columns:
            filled |= ~column.blank_rows(start, stop)
        found = np.flatnonzero(filled)
        if len(found):
            return start + int(found[0] if order.step > 0 else found[-1])
    return None


def _cut_long_columns(header: list[Any], columns: list[_Column], path: Path) -> list[_At]:
    """As :func:`_cut_long_cells`, for columns (emptied in place, in ``columns``): the length
    of each distinct cell is looked at once. The problems come in row order."""
    _check_header_cells(header, path)
    limit = settings.max_cell_chars()
    found: list[_At] = []
    for j, column in enumerate(columns):
        if column.longest() <= limit:
            continue
        long = [isinstance(cell, str) and len(cell) > limit for cell in column.cells]
        if not any(long):
            continue
        at = np.flatnonzero(np.asarray(long)[column.codes])
        found += [(i, j, _too_long(len(column.cell(i)), limit)) for i in at.tolist()]
        columns[j] = column.emptied(at)
    return sorted(found)


def _fill_columns(
    part: _Part, header: list[Any], columns: list[_Column], numbers: Sequence[int]
) -> _Part:
    """As :func:`_fill`, for columns as long as ``numbers`` (as many as ``header`` names)."""
    _check_row_count(part, len(numbers))
    part.row_numbers = numbers
    _map_header(part, header, columns)
    return part


# --------------------------------------------------------------------------------------------
# The header
# --------------------------------------------------------------------------------------------


def _check_row_count(part: _Part, rows: int) -> None:
    limit = settings.max_rows()
    if rows > limit:
        raise InputFileError(
            part.path,
            f"has {rows:,} {part.unit}s, more than the limit of {limit:,}"
            " (INCIDENT_MAPPER_MAX_ROWS); split it or raise the limit",
        )


def _map_header(part: _Part, header: list[Any], columns: list[list[Any] | _Column]) -> None:
    """Key each column by the field its header names, or keep it under its own name; an
    unnamed, empty column (spreadsheet padding) is left out."""
    lookup = _alias_lookup()
    used: set[str] = set()
    for j, cell in enumerate(header):
        values = columns[j]
        name = "" if _is_blank(cell) else _cell_text(cell)
        if not name and _all_blank(values):
            continue  # an unnamed, empty column: spreadsheet padding
        field = _field_for(name, lookup) if name else None
        if field is not None and field in used:
            field = None  # the first column naming a field wins; keep this one as it is
        key = field if field is not None else _kept_name(name or f"column {j + 1}", used)
        used.add(key)
        part.keys[j] = key
        part.columns[key] = values
        part.headers.append((name, field))


def _all_blank(values: list[Any] | _Column) -> bool:
    if isinstance(values, _Column):
        return bool(values.blank().all())
    return all(_is_blank(v) for v in values)


def _kept_name(name: str, used: set[str]) -> str:
    """The name a kept column goes by: clear of the pipeline's columns and of the others."""
    key = name
    if column_key(key) in _RESERVED_KEYS or key in schema.GEOCODED_COLUMNS:
        key = f"{key} (input)"
    base, n = key, 2
    while key in used or key in schema.GEOCODED_COLUMNS:
        key, n = f"{base} ({n})", n + 1
    return key
