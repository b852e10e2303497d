"""One piece of a Parquet log checked into the incident table, a column at a time.

:func:`mapper.ingest.read_incidents` checks files of cells (CSV, XLSX, JSON); its parsers
are private to :mod:`mapper.ingest` and read one cell at a time, which at tens of millions of
rows costs minutes of every worker's time. A Parquet column is already typed, so here the
same rules are applied to whole columns, with the same vocabularies (column names, incident
types, kinds, blank markers, yes/no words: ``mapper/ingest/*.toml``) and the same messages:

* columns are matched by :func:`mapper.ingest.column_key`; the first column naming a field
  wins, the others are kept as text, renamed "<name> (input)" when the pipeline adds a column
  of that name (``status``, ``lat``...);
* dates: timestamp columns are days; text is read by :func:`mapper.dates.parse_dates`
  (days, months, years, words) once per distinct value; an end before the date is wrong;
* type and kind through their synonyms; counts whole, 0 to :data:`mapper.ingest.MAX_COUNT`;
  coordinates in range and given in pairs; ``source_url`` http(s) only; ``sensitive`` yes or
  no (blank: no); a ``keep`` column that says no leaves the row out, as in review;
* ids: a given id repeated anywhere in the dataset is wrong after its first row (the
  dataset-wide search is :func:`mapper.engine_dask.run.find_repeats`); a row without an id
  gets ingest's content id (:mod:`mapper.engine_dask.content`), numbered ``-2``, ``-3``...
  across the dataset where contents repeat.

Not checked here: cell length limits (Parquet cells are values, not text to be parsed) and
the warning about women plus children beyond people (a warning only, in ingest's report).
Messages name the file inside the dataset and the row as ingest counts the rows of a Parquet
file (the column names are row 1, the first record row 2), e.g.
``part-00003.parquet, row 12, field "people": "-1" is negative; ...``.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from mapper import schema
from mapper.dates import DateError, ParsedDate, parse_dates
from mapper.engine_dask.content import content_ids
from mapper.ingest import (
    BLANK_MARKERS,
    COLUMN_ALIASES,
    KEEP_COLUMN,
    MAX_COUNT,
    TYPE_SYNONYMS,
    column_key,
    left_out_in_review,
    parse_web_address,
)
from mapper.ingest.vocabulary import kind_lookup
from mapper.text import fold

TEXT_FIELDS = ("id", "place", "province", "district", "commune", "nationality", "actor",
               "source", "notes", "destination")
_YES_NO = tomllib.loads(resources.files("mapper.ingest").joinpath("cells.toml")
                        .read_text(encoding="utf-8"))["sensitive"]
_RESERVED = {column_key(c) for c in [*schema.INGEST_COLUMNS, *schema.GEO_COLUMNS]}
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPS = re.compile(r"(?<=\d)[ ,\u00a0\u202f\u2009'](?=\d{3}\b)")


def row_number(position):
    """A record's row as ingest names it (``position`` from 0): the header is row 1."""
    return position + 2


class Found:
    """The problems of a piece's rows, in the order they are found (that is the message)."""

    def __init__(self, name: str, first_row: int, rows: int) -> None:
        self.name, self.first_row = name, first_row
        self.message = np.full(rows, "", dtype=object)

    def add(self, rows: np.ndarray, field: str | None, texts) -> None:
        """Rows (a mask or positions) become invalid with ``texts`` (one, or one per row)."""
        positions = np.flatnonzero(rows) if rows.dtype == bool else np.asarray(rows)
        if not len(positions):
            return
        texts = [texts] * len(positions) if isinstance(texts, str) else list(texts)
        head = f', field "{field}"' if field else ""
        for i, text in zip(positions, texts, strict=True):
            problem = f"{self.name}, row {row_number(self.first_row + i)}{head}: {text}"
            old = self.message[i]
            self.message[i] = f"{old}; {problem}" if old else problem

    @property
    def invalid(self) -> np.ndarray:
        return self.message != ""


def shown(value) -> str:
    """A value quoted for a message, on one line, as ingest quotes a cell."""
    text = value if isinstance(value, str) else _text_of(value)
    return json.dumps(text[:59] + "…" if len(text) > 60 else text, ensure_ascii=False)


def _text_of(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer() \
            and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat() if value != value.normalize() else f"{value:%Y-%m-%d}"
    return str(value)


# -- columns ------------------------------------------------------------------------------------
def _alias_lookup() -> dict[str, str]:
    return {column_key(alias): field for field, aliases in COLUMN_ALIASES.items()
            for alias in (field, *aliases)}


def named(raw: pd.DataFrame) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """(the columns naming a field, by field; the other columns, by the name they keep)."""
    lookup = _alias_lookup()
    fields: dict[str, pd.Series] = {}
    extras: dict[str, pd.Series] = {}
    for name in raw.columns:
        key = column_key(name)
        field = lookup.get(key) or (lookup.get(key[:-1]) if key.endswith("s") else None)
        if field and field not in fields:
            fields[field] = raw[name]
        else:
            kept = f"{name} (input)" if key in _RESERVED else str(name)
            extras[kept] = raw[name]
    return fields, extras


def as_text(column: pd.Series) -> pd.Series:
    """Any column as trimmed NFC text, blanks (None, NaN, spaces) as NA."""
    if pd.api.types.is_bool_dtype(column):
        text = column.map({True: "true", False: "false"}, na_action="ignore")
    elif pd.api.types.is_float_dtype(column):
        text = column.map(_text_of, na_action="ignore")
    elif pd.api.types.is_datetime64_any_dtype(column):
        text = pd.Series(schema.iso_days(column), index=column.index)
    elif pd.api.types.is_object_dtype(column):
        text = column.map(lambda v: v if isinstance(v, str) else _text_of(v), na_action="ignore")
    else:
        text = column
    text = text.astype(schema.STRING).str.strip()
    if text.str.contains(r"[^\x00-\x7f]", regex=True, na=False).any():
        text = text.str.normalize("NFC")
    return text.mask(text.eq("").fillna(False))


def _blank_markers(text: pd.Series) -> np.ndarray:
    return text.str.casefold().isin(BLANK_MARKERS).to_numpy(dtype=bool, na_value=False)


def _by_distinct(values: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """``parse`` (value -> (result, error)) applied once per distinct non-missing value:
    (results, errors) aligned with ``values``, None where missing or wrong."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    answers = [parse(v) for v in uniques]
    results = np.array([None] + [a[0] for a in answers], dtype=object)
    errors = np.array([None] + [a[1] for a in answers], dtype=object)
    return (pd.Series(results[codes + 1], index=values.index),
            pd.Series(errors[codes + 1], index=values.index))


def _typed(column: pd.Series, found: Found, field: str, parse) -> tuple[pd.Series, np.ndarray]:
    """A typed field's text read by ``parse`` once per distinct value, its errors added to
    ``found``; (values, given: where the cell says something, blank markers excluded)."""
    text = as_text(column)
    text = text.mask(_blank_markers(text))
    values, errors = _by_distinct(text, parse)
    wrong = errors.notna().to_numpy()
    found.add(wrong, field, errors[wrong])
    return values, text.notna().to_numpy()


# -- dates ----------------------------------------------------------------------------------------
def read_dates(column: pd.Series, found: Found, field: str) -> tuple[pd.DataFrame, np.ndarray]:
    """A date column read as ingest reads dates: (``start``, ``end`` (first and last day, NaT
    where blank or wrong) and ``precision`` of each row; where the cell says something).
    Timestamps are days; text is read by :func:`mapper.dates.parse_dates`."""
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = column.dt.tz_localize(None) if column.dt.tz is not None else column
        cells = stamps.astype(object).where(stamps.notna(), None)
    else:
        cells = column.astype(object).where(column.notna(), None)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    uniques = [v.strip() if isinstance(v, str) else v for v in uniques]
    blank = [isinstance(v, str) and (v == "" or v.casefold() in BLANK_MARKERS) for v in uniques]
    parsed = parse_dates([None if b else v for v, b in zip(uniques, blank, strict=True)])
    # One more entry after the distinct cells, for missing ones: factorize's code -1.
    parsed.append(None)
    blank.append(True)
    rows = pd.DataFrame({
        "start": _days([p.start if isinstance(p, ParsedDate) else None for p in parsed]),
        "end": _days([p.end if isinstance(p, ParsedDate) else None for p in parsed]),
        "precision": pd.Series([p.precision if isinstance(p, ParsedDate) else None
                                for p in parsed], dtype=object),
        "error": pd.Series([_date_error(p) if isinstance(p, DateError) and not b else None
                            for p, b in zip(parsed, blank, strict=True)], dtype=object),
        "given": [not b for b in blank]})
    out = rows.iloc[codes].reset_index(drop=True)
    wrong = out["error"].notna().to_numpy()
    found.add(wrong, field, out["error"][wrong])
    return out, out["given"].to_numpy(dtype=bool)


def _date_error(error: DateError) -> str:
    return f"cannot read {shown(error.value)} as a date{error.reason}"


def _days(days: list) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]").astype("datetime64[ns]")


def check_period(dates: pd.DataFrame, ends: pd.DataFrame, raw: tuple, found: Found) -> None:
    """An end date before the date is wrong."""
    before = (ends["end"] < dates["start"]).to_numpy()
    texts = [f"{shown(raw[1].iloc[i])} is before the date {shown(raw[0].iloc[i])}"
             for i in np.flatnonzero(before)]
    found.add(before, "end_date", texts)


# -- words ----------------------------------------------------------------------------------------
def _type_parser():
    lookup = {fold(t): t for t in schema.INCIDENT_TYPES}
    for canonical, words in TYPE_SYNONYMS.items():
        for word in words:
            lookup.setdefault(fold(word), canonical)
    accepted = ", ".join(schema.INCIDENT_TYPES)

    def parse(value: str):
        if (key := fold(value)) in lookup:
            return lookup[key], None
        return None, f"{shown(value)} is not an incident type; use one of: {accepted}"
    return parse, lookup


def _kind_parser():
    kinds, types = kind_lookup(), _type_parser()[1]
    accepted = ", ".join(schema.KINDS)

    def parse(value: str):
        key = fold(value)
        if key in kinds:
            return kinds[key], None
        if key in types:
            return None, (f"{shown(value)} is an incident type: name this column 'type' (a "
                          f"'kind' column says {accepted})")
        return None, f"{shown(value)} is not a kind of row; use one of: {accepted}"
    return parse


def _parse_yes_no(text: str):
    key = text.casefold()
    if key in _YES_NO["yes"]:
        return True, None
    if key in _YES_NO["no"]:
        return False, None
    return None, f"{shown(text)} is not yes or no"


# -- numbers --------------------------------------------------------------------------------------
def _parse_count(text: str):
    clean = _GROUPS.sub("", unicodedata.normalize("NFC", text))
    try:
        number = float(clean)
    except ValueError:
        if _DECIMAL.fullmatch(clean.replace(",", ".")):
            return None, f"{shown(text)} is not a whole number"
        return None, f"cannot read {shown(text)} as a whole number"
    return _count(number, text)


def _count(number: float, text: str):
    if not math.isfinite(number) or not number.is_integer():
        return None, f"{shown(text)} is not a whole number"
    if number < 0:
        return None, f"{shown(text)} is negative; expected a whole number, 0 or more"
    if number > MAX_COUNT:
        return None, f"{shown(text)} is too large to be a count of people"
    return int(number), None


def _parse_degrees(text: str):
    clean = unicodedata.normalize("NFKC", text).strip().rstrip("°").strip()
    if re.fullmatch(r"[+-]?\d+,\d+", clean):
        clean = clean.replace(",", ".")
    if not _DECIMAL.fullmatch(clean):
        return None, f"cannot read {shown(text)} as decimal degrees (e.g. 11.5625)"
    return float(clean), None


def read_numbers(column: pd.Series | None, found: Found, field: str, rows: int):
    """A count or a coordinate: (values as float, NaN where blank or wrong; given)."""
    if column is None:
        return np.full(rows, np.nan), np.zeros(rows, dtype=bool)
    count = field in schema.COUNT_COLUMNS
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        given = ~np.isnan(values)
        errors = _number_errors(values, count)
        found.add(errors.notna().to_numpy(), field, errors.dropna())
        values[errors.notna().to_numpy()] = np.nan
        return values, given
    parsed, given = _typed(column, found, field, _parse_count if count else _parse_degrees)
    return parsed.astype("Float64").to_numpy(dtype=float, na_value=np.nan), given


def _number_errors(values: np.ndarray, count: bool) -> pd.Series:
    """The message of each wrong number (None where right), looked at once per distinct."""
    if count:
        check = lambda v: _count(v, _text_of(v))[1]  # noqa: E731
    else:
        check = lambda v: None if math.isfinite(v) else f"{shown(v)} is not a finite number"  # noqa: E731
    return _by_distinct(pd.Series(values), lambda v: (None, check(v)))[1]


def check_coordinates(lat: np.ndarray, lon: np.ndarray, given: tuple, raw: tuple,
                      found: Found) -> tuple[np.ndarray, np.ndarray]:
    """Latitude in -90..90, longitude in -180..180, both or neither; returns the pair with
    wrong values blanked, as ingest does."""
    with np.errstate(invalid="ignore"):
        bad_lat, bad_lon = np.abs(lat) > 90, np.abs(lon) > 180
        swapped = bad_lat & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    hint = np.where(swapped, " (are latitude and longitude swapped?)", "")
    found.add(bad_lat, "latitude", [f"{shown(raw[0].iloc[i])} is outside -90..90{hint[i]}"
                                    for i in np.flatnonzero(bad_lat)])
    found.add(bad_lon, "longitude", [f"{shown(raw[1].iloc[i])} is outside -180..180"
                                     for i in np.flatnonzero(bad_lon)])
    found.add(given[0] & ~given[1], "longitude", "latitude is given but longitude is missing")
    found.add(given[1] & ~given[0], "latitude", "longitude is given but latitude is missing")
    return np.where(bad_lat, np.nan, lat), np.where(bad_lon, np.nan, lon)


# -- the piece -----------------------------------------------------------------------------------
@dataclass
class Checked:
    """A piece's fields read and checked: ``values`` (wrong ones blank), ``given`` (where
    each cell says something), ``read`` (the values before the checks across fields blanked
    any), the columns as read (``fields``, ``extras``) and the problems (``found``)."""

    values: dict
    given: dict[str, np.ndarray]
    read: dict
    fields: dict[str, pd.Series]
    extras: dict[str, pd.Series]
    found: Found

    def without_id(self) -> np.ndarray:
        """Positions of the rows that give no id."""
        return np.flatnonzero(self.values["id"].isna().to_numpy())

    def content_ids(self, rows: np.ndarray) -> list[str]:
        """Ingest's content id of each of ``rows``, before repeats are numbered."""
        extras = {name: as_text(column) for name, column in self.extras.items()}
        return content_ids(self.read, self.given, self.fields, extras, rows)


def check_piece(raw: pd.DataFrame, name: str, first_row: int = 0) -> Checked:
    """The fields of ``raw`` (rows ``first_row`` + 1.. of file ``name``) read and checked,
    in ingest's order (the order of a row's problems); ids are not looked at yet."""
    raw = raw.reset_index(drop=True)
    rows = len(raw)
    fields, extras = named(raw)
    found = Found(name, first_row, rows)
    check_empty(fields, extras, found, rows)
    values: dict = {}
    given: dict[str, np.ndarray] = {}
    for field in schema.INPUT_COLUMNS:
        values[field], given[field] = read_field(field, fields.get(field), found, rows)
    read = dict(values)
    blank = pd.Series(None, index=raw.index, dtype=object)
    check_period(values["date"], values["end_date"],
                 (fields.get("date", blank), fields.get("end_date", blank)), found)
    values["latitude"], values["longitude"] = check_coordinates(
        values["latitude"], values["longitude"], (given["latitude"], given["longitude"]),
        (fields.get("latitude", blank), fields.get("longitude", blank)), found)
    check_keep(extras, found)
    return Checked(values, given, read, fields, extras, found)


def incident_table(raw: pd.DataFrame, name: str, first_row: int = 0,
                   repeats: dict[int, str] | None = None,
                   renamed: dict[int, str] | None = None) -> pd.DataFrame:
    """The incident table of ``raw`` (rows ``first_row`` + 1.. of file ``name``), as
    :func:`mapper.ingest.read_incidents` would give it: schema columns typed, other columns
    as text, each row ``ok`` or ``invalid`` with its problems in ``message``.

    ``repeats``: {row of ``raw`` (from 0): where the first row with its id is}.
    ``renamed``: {k: id} for the k-th row without an id whose content is not unique in the
    dataset (:func:`mapper.engine_dask.content.number_contents`); the others get their
    content id.
    """
    checked = check_piece(raw, name, first_row)
    checked.values["id"] = _ids(checked, repeats or {}, renamed or {})
    return _table(checked.values, checked.extras, checked.found)


def read_field(field: str, column: pd.Series | None, found: Found, rows: int):
    """One field's values (typed, None/NaN where blank or wrong) and where it is given."""
    if column is None and field in ("date", "end_date"):
        column = pd.Series(None, index=range(rows), dtype=object)
    if column is None:
        if field in ("latitude", "longitude", *schema.COUNT_COLUMNS):
            return np.full(rows, np.nan), np.zeros(rows, dtype=bool)
        return pd.Series(None, index=range(rows), dtype=object), np.zeros(rows, dtype=bool)
    if field in ("date", "end_date"):
        return read_dates(column, found, field)
    if field in ("latitude", "longitude", *schema.COUNT_COLUMNS):
        return read_numbers(column, found, field, rows)
    if field in TEXT_FIELDS or field not in _WORDS:
        text = as_text(column)
        return text, text.notna().to_numpy()
    if field == "sensitive" and pd.api.types.is_bool_dtype(column):
        return column.astype(object), column.notna().to_numpy()
    return _typed(column, found, field, _WORDS[field]())


_WORDS = {"type": lambda: _type_parser()[0], "kind": _kind_parser,
          "source_url": lambda: parse_web_address, "sensitive": lambda: _parse_yes_no}


def _ids(checked: Checked, repeats: dict[int, str], renamed: dict[int, str]) -> pd.Series:
    """Given ids, a repeat of an earlier row's id wrong; missing ones made from the row's
    content, numbered as ``renamed`` says."""
    given = checked.values["id"]
    if repeats:
        rows = np.array(sorted(repeats))
        checked.found.add(rows, "id", [f"{shown(given.iloc[i])} is already used by "
                                       f"{repeats[i]}" for i in rows])
    missing = checked.without_id()
    if len(missing):
        made = checked.content_ids(missing)
        for k, new in renamed.items():
            made[k] = new
        given = given.astype(object).copy()
        given.iloc[missing] = made
    return given


def _table(values: dict, extras: dict[str, pd.Series], found: Found) -> pd.DataFrame:
    """The incident table: schema columns typed, extra columns as text, status, message."""
    rows = len(found.message)
    out: dict[str, object] = {}
    for field, dtype in schema.INPUT_COLUMNS.items():
        value = values[field]
        if field in ("date", "end_date"):
            out[field] = value["start" if field == "date" else "end"].to_numpy()
        elif field == "sensitive":
            out[field] = pd.array([v is True for v in value], dtype="boolean")
        elif field in schema.COUNT_COLUMNS:
            out[field] = pd.array(np.asarray(value, dtype=float), dtype="Float64").astype(dtype)
        elif isinstance(value, pd.Series) and str(value.dtype) == str(dtype):
            out[field] = value.array  # already text of the schema's dtype: no copy
        else:
            out[field] = pd.array(np.asarray(value, dtype=object), dtype=dtype)
    for name, column in extras.items():
        out[name] = as_text(column).to_numpy()
    out["date_precision"] = pd.array(values["date"]["precision"].to_numpy(dtype=object),
                                     dtype=schema.STRING)
    out["source_file"] = pd.array([found.name] * rows, dtype=schema.STRING)
    out["source_row"] = pd.array(row_number(np.arange(found.first_row, found.first_row + rows)),
                                 dtype="Int64")
    out["status"] = pd.array(np.where(found.invalid, schema.Status.INVALID.value,
                                      schema.Status.OK.value), dtype=schema.STRING)
    out["message"] = pd.array(found.message, dtype=schema.STRING)
    table = pd.DataFrame({k: (v.to_numpy() if isinstance(v, pd.Series) else v)
                          for k, v in out.items()}, index=pd.RangeIndex(rows))
    for name in extras:
        table[name] = table[name].astype(schema.STRING)
    return schema.conform(table)


def check_keep(extras: dict[str, pd.Series], found: Found) -> None:
    """A row its reviewer marked keep = no is left out: never mapped, still counted."""
    name = next((c for c in extras if column_key(c) == KEEP_COLUMN), None)
    if name is None:
        return
    text = as_text(extras[name])
    out, _ = _by_distinct(text, lambda v: (left_out_in_review(v), None))
    rows = out.eq(True).to_numpy()
    found.add(rows, name, [f"{shown(v)}: left out in review (merge drops such rows; set keep "
                           "to yes to keep it)" for v in text[rows]])


def check_empty(fields: dict, extras: dict, found: Found, rows: int) -> None:
    """A row whose every cell is blank says nothing: wrong ("empty row")."""
    found.add(empty_rows([*fields.values(), *extras.values()], rows), None, "empty row")


def empty_rows(columns: list[pd.Series], rows: int) -> np.ndarray:
    """Whether every cell of each row is blank (None, NaN or only white space)."""
    if not columns:
        return np.ones(rows, dtype=bool)
    return np.logical_and.reduce([_blank(c) for c in columns])


def _blank(column: pd.Series) -> np.ndarray:
    """None, NaN or only white space (cheap for typed columns)."""
    missing = column.isna().to_numpy(dtype=bool).copy()
    if pd.api.types.is_string_dtype(column) and not pd.api.types.is_object_dtype(column):
        missing |= column.str.strip().eq("").to_numpy(dtype=bool, na_value=False)
    elif pd.api.types.is_object_dtype(column):
        missing |= column.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(bool)
    return missing
