"""Row and field validation: the raw parts of all files parsed, checked and made one table.

:func:`_check` runs the steps in order, each a short function over :class:`_Rows` (the rows
of every part side by side, with the problems and warnings found so far):

1. empty rows; 2. every field parsed by :mod:`mapper.ingest.cells`; 3. the period (an end
date before the date); 4. coordinates (range, both or neither); 5. counts (women and
children beyond people: a warning); 6. rows a reviewer marked keep = no; 7. ids
(:mod:`mapper.ingest.ids`); 8. the table.

Problems are kept per row in the order they are found; that order is the row's message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from mapper import schema
from mapper.ingest.cells import (
    _blank_mask,
    _cell_text,
    _is_blank,
    _parse_bool,
    _parse_column,
    _show,
)
from mapper.ingest.ids import _assign_ids
from mapper.ingest.readers import _Part
from mapper.ingest.report import Problem
from mapper.ingest.vocabulary import column_key

#: The column of a review workbook (``extract --out draft.xlsx``): keep the row, yes or no.
KEEP_COLUMN = "keep"


class _Rows:
    """The rows of all parts side by side: raw cells, where each came from, what is wrong."""

    def __init__(self, parts: list[_Part]) -> None:
        self.labels: list[str] = []
        self.units: list[str] = []
        self.rows: list[int] = []
        for part in parts:
            self.labels += [part.label] * len(part)
            self.units += [part.unit] * len(part)
            self.rows += part.row_numbers
        self.extras: list[str] = []
        for part in parts:
            self.extras += [
                c for c in part.columns if c not in schema.INPUT_COLUMNS and c not in self.extras
            ]
        self.raw: dict[str, list[Any]] = {}
        for name in [*schema.INPUT_COLUMNS, *self.extras]:
            column: list[Any] = []
            for part in parts:
                column += part.columns.get(name, [None] * len(part))
            self.raw[name] = column
        self.problems: dict[int, list[Problem]] = {}
        self.warnings: dict[int, list[Problem]] = {}
        offset = 0
        for part in parts:
            for i, field, value, text in part.pre:
                self.add(offset + i, field, value, text)
            offset += len(part)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, i: int) -> str:
        """Row ``i`` as messages name it: "log.csv, row 2"."""
        return f"{self.labels[i]}, {self.units[i]} {self.rows[i]}"

    def _problem(self, i: int, field: str | None, value: Any, text: str) -> Problem:
        shown = None if value is None else _cell_text(value)
        return Problem(self.labels[i], self.units[i], self.rows[i], field, shown, text)

    def add(self, i: int, field: str | None, value: Any, text: str) -> None:
        """A problem: row ``i`` becomes invalid."""
        self.problems.setdefault(i, []).append(self._problem(i, field, value, text))

    def warn(self, i: int, field: str | None, value: Any, text: str) -> None:
        """A warning: row ``i`` stays as it is, the report says to look at it."""
        self.warnings.setdefault(i, []).append(self._problem(i, field, value, text))

    def has_problem(self, i: int, field: str) -> bool:
        return i in self.problems and any(p.field == field for p in self.problems[i])


_Parsed = dict[str, list[Any]]
_Masks = dict[str, np.ndarray]


def _check(parts: list[_Part]) -> tuple[pd.DataFrame, _Rows]:
    """The incident table of ``parts``, and the rows with their problems and warnings."""
    rows = _Rows(parts)
    blank = {name: _blank_mask(values) for name, values in rows.raw.items()}
    empty = _empty_rows(rows, blank)
    parsed, given = _parse_fields(rows, blank, empty)
    start, end = _check_period(rows, parsed)
    _check_coordinates(rows, parsed, given)
    _check_counts(rows, parsed)
    _check_keep(rows)
    ids = _assign_ids(rows, parsed, given, empty)
    return _table(rows, parsed, blank, (start, end), ids), rows


def _empty_rows(rows: _Rows, blank: _Masks) -> np.ndarray:
    """Rows where every cell is blank; each is a problem, unless reading found one already."""
    n = len(rows)
    empty = np.logical_and.reduce(list(blank.values())) if n else np.zeros(0, dtype=bool)
    empty[list(rows.problems)] = False  # a row with a geometry problem says something
    for i in np.flatnonzero(empty):
        rows.add(int(i), None, None, "empty row")
    return empty


def _parse_fields(rows: _Rows, blank: _Masks, empty: np.ndarray) -> tuple[_Parsed, _Masks]:
    """Parsed values of every input field, and where each cell says something (``given``):
    not blank and not a blank marker such as "n/a"."""
    parsed: _Parsed = {}
    given: _Masks = {}
    for name in schema.INPUT_COLUMNS:
        raw = rows.raw[name]
        parsed[name], errors, markers = _parse_column(raw, blank[name] | empty, name)
        given[name] = ~blank[name] & ~markers
        for i, error in errors.items():
            rows.add(i, name, raw[i], error)
    return parsed, given


def _dates(values: list[dt.date | None]) -> pd.Series:
    array = np.array(values, dtype="datetime64[D]")  # None becomes NaT
    return pd.Series(array.astype("datetime64[ns]"), dtype="datetime64[ns]")


def _check_period(rows: _Rows, parsed: _Parsed) -> tuple[pd.Series, pd.Series]:
    """First day of ``date``, last day of ``end_date``; an end before the start is a problem."""
    start = _dates([d.start if d else None for d in parsed["date"]])
    end = _dates([d.end if d else None for d in parsed["end_date"]])
    raw_start, raw_end = rows.raw["date"], rows.raw["end_date"]
    for i in np.flatnonzero((end < start).to_numpy()):
        text = f"{_show(raw_end[i])} is before the date {_show(raw_start[i])}"
        rows.add(int(i), "end_date", raw_end[i], text)
    return start, end


def _floats(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _check_coordinates(rows: _Rows, parsed: _Parsed, given: _Masks) -> None:
    """Latitude in -90..90, longitude in -180..180, and both or neither."""
    lat, lon = _floats(parsed["latitude"]), _floats(parsed["longitude"])
    raw_lat, raw_lon = rows.raw["latitude"], rows.raw["longitude"]
    with np.errstate(invalid="ignore"):
        bad_lat = np.abs(lat) > 90
        bad_lon = np.abs(lon) > 180
        swapped = bad_lat & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    for i in np.flatnonzero(bad_lat | bad_lon):
        if bad_lat[i]:
            hint = " (are latitude and longitude swapped?)" if swapped[i] else ""
            rows.add(i, "latitude", raw_lat[i], f"{_show(raw_lat[i])} is outside -90..90{hint}")
        if bad_lon[i]:
            rows.add(i, "longitude", raw_lon[i], f"{_show(raw_lon[i])} is outside -180..180")
    has_lat, has_lon = given["latitude"], given["longitude"]
    for i in np.flatnonzero(has_lat & ~has_lon):
        rows.add(int(i), "longitude", None, "latitude is given but longitude is missing")
    for i in np.flatnonzero(has_lon & ~has_lat):
        rows.add(int(i), "latitude", None, "longitude is given but latitude is missing")


def _check_counts(rows: _Rows, parsed: _Parsed) -> None:
    """Women plus children beyond people: a warning (the log may count differently)."""
    people, women, children = (_floats(parsed[f]) for f in ("people", "women", "children"))
    some = ~np.isnan(women) | ~np.isnan(children)
    parts = np.nan_to_num(women) + np.nan_to_num(children)
    with np.errstate(invalid="ignore"):
        over = ~np.isnan(people) & some & (parts > people)
    for i in np.flatnonzero(over):
        w, c, p = (parsed[f][i] or 0 for f in ("women", "children", "people"))
        rows.warn(
            int(i),
            "people",
            parsed["people"][i],
            f"women ({w}) plus children ({c}) are more than people ({p}); the row is kept as it is",
        )


def left_out_in_review(value: Any) -> bool:
    """Whether a ``keep`` cell says no: the words read as no in the ``sensitive`` column
    ("no", "n", "non", "false", "0"...)."""
    return not _is_blank(value) and _parse_bool(value)[0] is False


def _check_keep(rows: _Rows) -> None:
    """A row its reviewer marked keep = no is invalid: never mapped, still counted."""
    name = next((c for c in rows.extras if column_key(c) == KEEP_COLUMN), None)
    for i, value in enumerate(rows.raw[name] if name else []):
        if left_out_in_review(value):
            rows.add(i, name, value, f"{_show(value)}: left out in review (merge drops such "
                     "rows; set keep to yes to keep it)")


def _table(
    rows: _Rows,
    parsed: _Parsed,
    blank: _Masks,
    period: tuple[pd.Series, pd.Series],
    ids: list[str],
) -> pd.DataFrame:
    """The incident table: schema columns typed, extra columns as text, status and message."""
    n = len(rows)
    out: dict[str, Any] = {"date": period[0], "end_date": period[1]}
    for name, dtype in schema.INPUT_COLUMNS.items():
        if name in ("id", "date", "end_date"):
            continue
        values = parsed[name]
        if name == "sensitive":
            values = [v is True for v in values]
        elif name in ("latitude", "longitude"):
            values = [None if rows.has_problem(i, name) else v for i, v in enumerate(values)]
        out[name] = pd.array(values, dtype=dtype)
    out["id"] = pd.array(ids, dtype=schema.STRING)
    for name in rows.extras:
        cells = zip(rows.raw[name], blank[name], strict=True)
        out[name] = pd.array([None if b else _cell_text(v) for v, b in cells], dtype=schema.STRING)
    out["date_precision"] = pd.array(
        [d.precision if d else None for d in parsed["date"]], dtype=schema.STRING
    )
    out["source_file"] = pd.array(rows.labels, dtype=schema.STRING)
    out["source_row"] = pd.array(rows.rows, dtype="Int64")
    status = [schema.Status.OK.value] * n
    message = [""] * n
    for i, problems in rows.problems.items():
        status[i] = schema.Status.INVALID.value
        message[i] = "; ".join(str(p) for p in problems)
    out["status"] = pd.array(status, dtype=schema.STRING)
    out["message"] = pd.array(message, dtype=schema.STRING)
    return schema.conform(pd.DataFrame(out, index=pd.RangeIndex(n)))
