"""Row and field validation: the raw parts of all files parsed, checked and made one table.

:func:`_check` runs the steps in order, each a short function over :class:`_Rows` (the rows
of every part side by side, with the problems and warnings found so far):

1. empty rows; 2. every field parsed by :mod:`mapper.ingest.cells`; 3. the period (an end
date before the date); 4. coordinates (range, both or neither); 5. counts (women and
children beyond people: a warning); 6. rows a reviewer marked keep = no; 7. ids
(:mod:`mapper.ingest.ids`); 8. the table.

The steps work on whole columns (:mod:`mapper.ingest.columns`): a cell is parsed once per
distinct value, masks find the rows that fail, and only those rows get a problem. Problems
are kept per row in the order they are found; that order is the row's message.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property, partial
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from mapper import schema
from mapper.ingest.cells import _TYPED, _cell_text, _is_blank, _parse_bool, _parse_cells, _show
from mapper.ingest.columns import _Column, _concat, _spread, _strings
from mapper.ingest.ids import _assign_ids
from mapper.ingest.parts import _Part
from mapper.ingest.report import Problem
from mapper.ingest.vocabulary import column_key

#: The column of a review workbook (``extract --out draft.xlsx``): keep the row, yes or no.
KEEP_COLUMN = "keep"


class _Rows:
    """The rows of all parts side by side: raw cells, where each came from, what is wrong."""

    def __init__(self, parts: list[_Part]) -> None:
        self.labels = [part.label for part in parts]
        self.units = [part.unit for part in parts]
        self.part = np.repeat(np.arange(len(parts)), [len(part) for part in parts])
        self.rows = np.concatenate(
            [np.zeros(0, dtype=np.int64)]
            + [_numbered(part.row_numbers) for part in parts]
        )
        self.extras: list[str] = []
        for part in parts:
            self.extras += [
                c for c in part.columns if c not in schema.INPUT_COLUMNS and c not in self.extras
            ]
        self.raw: dict[str, _Column] = {}
        for name in [*schema.INPUT_COLUMNS, *self.extras]:
            self.raw[name] = _concat([
                _Column.of(part.columns[name]) if name in part.columns
                else _Column.empty(len(part)) for part in parts
            ])  # fmt: skip
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
        part = self.part[i]
        return f"{self.labels[part]}, {self.units[part]} {self.rows[i]}"

    def _problem(self, i: int, field: str | None, value: Any, text: str) -> Problem:
        part = self.part[i]
        shown = None if value is None else _cell_text(value)
        return Problem(self.labels[part], self.units[part], int(self.rows[i]), field, shown, text)

    def add(self, i: int, field: str | None, value: Any, text: str) -> None:
        """A problem: row ``i`` becomes invalid."""
        self.problems.setdefault(int(i), []).append(self._problem(i, field, value, text))

    def warn(self, i: int, field: str | None, value: Any, text: str) -> None:
        """A warning: row ``i`` stays as it is, the report says to look at it."""
        self.warnings.setdefault(int(i), []).append(self._problem(i, field, value, text))

    def add_all(
        self, rows: list[int], field: str | None, values: list[Any], texts: list[str],
        warn: bool = False, shown: list[str | None] | None = None,
    ) -> None:  # fmt: skip
        """A problem (or warning) in each of ``rows``, in order: as many :meth:`add`
        (``shown``: the values as :func:`_cell_text` shows them, when known)."""
        found = self.warnings if warn else self.problems
        if shown is None:
            shown = [None if value is None else _cell_text(value) for value in values]
        parts, numbers = self.part[rows].tolist(), self.rows[rows].tolist()
        labels, units = map(self.labels.__getitem__, parts), map(self.units.__getitem__, parts)
        with _no_collection():
            problems = map(_new_problem, zip(labels, units, numbers, repeat(field, len(rows)),
                                             shown, texts, strict=True))  # fmt: skip
            for i, problem in zip(rows, problems, strict=True):
                found.setdefault(i, []).append(problem)

    def with_problem(self, field: str) -> np.ndarray:
        """Whether each row has a problem naming ``field``."""
        mask = np.zeros(len(self), dtype=bool)
        mask[[i for i, found in self.problems.items() if any(p.field == field for p in found)]] = 1
        return mask


#: A :class:`Problem` of its six fields, in C (what ``Problem._make`` does in Python).
_new_problem = partial(tuple.__new__, Problem)


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector paused while problems are made by the ten thousand: they
    hold text and numbers, never a cycle, yet each 700 new objects would start a collection,
    and now and then one that looks at every object of the process."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _numbered(numbers: Sequence[int]) -> np.ndarray:
    if isinstance(numbers, range):
        return np.arange(numbers.start, numbers.stop, numbers.step, dtype=np.int64)
    return np.asarray(numbers, dtype=np.int64)


class _Field:
    """A field's parsed values: row ``i`` holds ``values[codes[i]]`` (None: nothing read);
    ``said[codes[i]]``: whether its cell says something (not blank, not a blank marker);
    ``distinct``: whether no two values are the same (other than None)."""

    def __init__(
        self, codes: np.ndarray, values: list[Any], said: np.ndarray, distinct: bool = False
    ) -> None:
        self.codes = codes
        self.values = values
        self.said = said
        self.distinct = distinct

    def __getitem__(self, i: int) -> Any:
        return self.values[self.codes[i]]

    def floats(self) -> np.ndarray:
        """Each row's value as a float, NaN where there is none."""
        return _spread(self.float_values, self.codes)

    @cached_property
    def float_values(self) -> np.ndarray:
        """Each value as a float, NaN for None (per value, not per row)."""
        per = np.array([np.nan if v is None else v for v in self.values], dtype=float)
        return per.reshape(len(self.values))

    def nothing(self) -> np.ndarray:
        """Whether each value is None (per value, not per row)."""
        return self._nothing

    @cached_property
    def _nothing(self) -> np.ndarray:
        return np.array([v is None for v in self.values], dtype=bool).reshape(len(self.values))


class _TextField(_Field):
    """A text field whose column is kept by rows: the text of each distinct cell (its value)
    is worked out only when something asks for it (a content id, a repeated id)."""

    def __init__(self, column: _Column) -> None:
        self.column = column

    def __getattr__(self, name: str) -> Any:
        if name not in ("codes", "values", "said", "distinct"):
            raise AttributeError(name)
        column = self.column
        blank = column.blank_cells()
        texts = column.texts()
        self.values = [None if b else t for t, b in zip(texts, blank.tolist(), strict=True)]
        self.codes, self.said, self.distinct = column.codes, ~blank, column.same_texts()
        return getattr(self, name)


_Parsed = dict[str, _Field]


def _check(parts: list[_Part]) -> tuple[pd.DataFrame, _Rows]:
    """The incident table of ``parts``, and the rows with their problems and warnings."""
    rows = _Rows(parts)
    empty = _empty_rows(rows)
    parsed = _parse_fields(rows, empty)
    start, end = _check_period(rows, parsed)
    _check_coordinates(rows, parsed)
    _check_counts(rows, parsed)
    _check_keep(rows)
    ids = _assign_ids(rows, parsed, empty)
    return _table(rows, parsed, (start, end), ids), rows


def _empty_rows(rows: _Rows) -> np.ndarray:
    """Rows where every cell is blank; each is a problem, unless reading found one already.
    Columns are looked at until no row is left that could be empty (often after the ids)."""
    empty = np.ones(len(rows), dtype=bool)
    for column in rows.raw.values():
        if not empty.any():
            break
        empty &= column.blank()
    empty[list(rows.problems)] = False  # a row with a geometry problem says something
    found = np.flatnonzero(empty).tolist()
    rows.add_all(found, None, [None] * len(found), ["empty row"] * len(found))
    return empty


def _parse_fields(rows: _Rows, empty: np.ndarray) -> _Parsed:
    """Parsed values of every input field. Each distinct cell is parsed once."""
    parsed: _Parsed = {}
    for name in schema.INPUT_COLUMNS:
        column = rows.raw[name]
        if column.by_rows() and name not in _TYPED:  # text, kept by rows: nothing to parse
            parsed[name] = _TextField(column)
            continue
        blank_cells = column.blank_cells()
        values, errors, markers = _parse_cells(
            column.cells, blank_cells, name, column.texts if column.text else None, column.arrow
        )
        if name in _TYPED:
            column.let_rows_go()  # the table takes the parsed values, not the texts
        said = ~blank_cells & ~markers
        distinct = column.text and name not in _TYPED and column.same_texts()
        parsed[name] = _Field(column.codes, values, said, distinct)  # blank cells: None
        if errors:
            failed = np.zeros(len(values), dtype=bool)
            failed[list(errors)] = True
            at = np.flatnonzero(failed[column.codes] & ~empty)
            codes = column.codes[at].tolist()
            text = {c: _cell_text(column.cells[c]) for c in set(codes)}  # once per cell
            shown = [text[c] for c in codes]
            rows.add_all(at.tolist(), name, shown, [errors[c] for c in codes], shown=shown)
    return parsed


def _dates(field: _Field, end: bool) -> pd.Series:
    """First (or, with ``end``, last) day of each row's date; NaT where there is none."""
    days = [(d.end if end else d.start) if d else None for d in field.values]
    per = np.array(days, dtype="datetime64[D]").astype("datetime64[ns]")  # None becomes NaT
    return pd.Series(_spread(per, field.codes), dtype="datetime64[ns]")


def _check_period(rows: _Rows, parsed: _Parsed) -> tuple[pd.Series, pd.Series]:
    """First day of ``date``, last day of ``end_date``; an end before the start is a problem."""
    start = _dates(parsed["date"], end=False)
    end = _dates(parsed["end_date"], end=True)
    raw_start, raw_end = rows.raw["date"], rows.raw["end_date"]
    for i in np.flatnonzero(end.to_numpy() < start.to_numpy()).tolist():  # NaT: never before
        text = f"{_show(raw_end.cell(i))} is before the date {_show(raw_start.cell(i))}"
        rows.add(i, "end_date", raw_end.cell(i), text)
    return start, end


def _check_coordinates(rows: _Rows, parsed: _Parsed) -> None:
    """Latitude in -90..90, longitude in -180..180, and both or neither (a cell says something
    when it is not blank nor a blank marker such as "n/a")."""
    lat, lon = parsed["latitude"], parsed["longitude"]
    raw_lat, raw_lon = rows.raw["latitude"], rows.raw["longitude"]
    with np.errstate(invalid="ignore"):  # each value looked at once, NaN for none
        bad_lat = _spread(np.abs(lat.float_values) > 90, lat.codes)
        bad_lon = _spread(np.abs(lon.float_values) > 180, lon.codes)
    for i in np.flatnonzero(bad_lat | bad_lon).tolist():
        if bad_lat[i]:
            y, x = lat.float_values[lat.codes[i]], lon.float_values[lon.codes[i]]
            swapped = abs(x) <= 90 and abs(y) <= 180
            hint = " (are latitude and longitude swapped?)" if swapped else ""
            value = raw_lat.cell(i)
            rows.add(i, "latitude", value, f"{_show(value)} is outside -90..90{hint}")
        if bad_lon[i]:
            value = raw_lon.cell(i)
            rows.add(i, "longitude", value, f"{_show(value)} is outside -180..180")
    has_lat, has_lon = (_spread(parsed[f].said, parsed[f].codes) for f in ("latitude", "longitude"))
    for i in np.flatnonzero(has_lat & ~has_lon).tolist():
        rows.add(i, "longitude", None, "latitude is given but longitude is missing")
    for i in np.flatnonzero(has_lon & ~has_lat).tolist():
        rows.add(i, "latitude", None, "longitude is given but latitude is missing")


def _check_counts(rows: _Rows, parsed: _Parsed) -> None:
    """Women plus children beyond people: a warning (the log may count differently)."""
    people, women, children = (parsed[f].floats() for f in ("people", "women", "children"))
    some = ~np.isnan(women) | ~np.isnan(children)
    parts = np.nan_to_num(women) + np.nan_to_num(children)
    with np.errstate(invalid="ignore"):
        over = ~np.isnan(people) & some & (parts > people)
    at = np.flatnonzero(over)
    if not len(at):
        return
    fields = [parsed[f] for f in ("women", "children", "people")]
    # The text of each distinct (women, children, people) cells, spread over their rows.
    group, first = _groups([f.codes[at] for f in fields], [len(f.values) for f in fields])
    counted = [[f.values[k] or 0 for k in f.codes[at[first]].tolist()] for f in fields]
    texts = [f"women ({w}) plus children ({c}) are more than people ({p}); the row is kept as it is"
             for w, c, p in zip(*counted, strict=True)]  # fmt: skip
    shown = _spread(list(map(str, counted[2])), group).tolist()
    rows.add_all(at.tolist(), "people", shown, _spread(texts, group).tolist(), warn=True,
                 shown=shown)  # fmt: skip


def _groups(codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Rows told apart by several codes (``codes[k]`` below ``sizes[k]``): each row's group,
    and the first row of each group."""
    group = np.zeros(len(codes[0]), dtype=np.int64)
    first = np.zeros(0, dtype=np.int64)
    for code, size in zip(codes, sizes, strict=True):  # below 2**62: codes are int32
        _, first, group = np.unique(group * size + code, return_index=True, return_inverse=True)
    return group.reshape(-1), first


def left_out_in_review(value: Any) -> bool:
    """Whether a ``keep`` cell says no: the words read as no in the ``sensitive`` column
    ("no", "n", "non", "false", "0"...)."""
    return not _is_blank(value) and _parse_bool(value)[0] is False


def _check_keep(rows: _Rows) -> None:
    """A row its reviewer marked keep = no is invalid: never mapped, still counted."""
    name = next((c for c in rows.extras if column_key(c) == KEEP_COLUMN), None)
    if name is None:
        return
    column = rows.raw[name]
    left = np.array([left_out_in_review(cell) for cell in column.cells], dtype=bool)
    for i in np.flatnonzero(left.reshape(-1)[column.codes]).tolist():
        value = column.cell(i)
        rows.add(i, name, value, f"{_show(value)}: left out in review (merge drops such "
                 "rows; set keep to yes to keep it)")


def _numbers(field: _Field, dtype: str, hide: np.ndarray | None = None) -> Any:
    """A nullable Int64, Float64 or boolean array of a field; ``hide`` rows are NA."""
    mask = _spread(field.nothing(), field.codes)
    if hide is not None:
        mask |= hide
    if dtype == "Int64":
        per = np.array([0 if v is None else v for v in field.values], dtype=np.int64)
        return pd.arrays.IntegerArray(_spread(per, field.codes), mask)
    per = np.where(field.nothing(), 0.0, field.float_values)  # the floats, None as 0
    return pd.arrays.FloatingArray(_spread(per, field.codes), mask)


def _table(
    rows: _Rows,
    parsed: _Parsed,
    period: tuple[pd.Series, pd.Series],
    ids: Any,
) -> pd.DataFrame:
    """The incident table: schema columns typed, extra columns as text, status and message."""
    n = len(rows)
    out: dict[str, Any] = {"date": period[0], "end_date": period[1]}
    for name, dtype in schema.INPUT_COLUMNS.items():
        field = parsed[name]
        if name in ("id", "date", "end_date"):
            continue
        if name == "sensitive":
            yes = np.array([v is True for v in field.values], dtype=bool)
            out[name] = pd.arrays.BooleanArray(_spread(yes, field.codes), np.zeros(n, bool))
        elif name in ("latitude", "longitude"):
            out[name] = _numbers(field, "Float64", hide=rows.with_problem(name))
        elif dtype in ("Int64", "Float64"):
            out[name] = _numbers(field, str(dtype))
        elif isinstance(field, _TextField):  # a text field kept by rows: its texts
            out[name] = field.column.strings()
        else:
            out[name] = _strings(field.values, field.codes)
    out["id"] = ids
    for name in rows.extras:
        out[name] = rows.raw[name].strings()
    dates = parsed["date"]
    out["date_precision"] = _strings([d.precision if d else None for d in dates.values],
                                     dates.codes)
    out["source_file"] = _strings(rows.labels, rows.part)
    out["source_row"] = pd.arrays.IntegerArray(rows.rows, np.zeros(n, dtype=bool))  # no copy
    bad = np.zeros(n, dtype=np.int8)
    bad[list(rows.problems)] = 1
    out["status"] = _strings([schema.Status.OK.value, schema.Status.INVALID.value], bad)
    invalid = np.zeros(n, dtype=np.int32)  # 0: no message, k: the k-th message
    invalid[list(rows.problems)] = np.arange(1, len(rows.problems) + 1)
    messages = ["; ".join(str(p) for p in problems) for problems in rows.problems.values()]
    out["message"] = _strings(["", *messages], invalid)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)
    if any(str(frame[c].dtype) != str(t) for c, t in schema.INCIDENT_COLUMNS.items()):
        return schema.conform(frame)
    # What schema.conform makes of it (schema columns in order, then the others), without
    # copying a million rows on the way.
    return frame[[*schema.INCIDENT_COLUMNS, *(c for c in out if c not in schema.INCIDENT_COLUMNS)]]
