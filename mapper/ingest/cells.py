"""Cell parsers: one raw cell (text, number, date, JSON value) into a typed value.

Each parser returns ``(value, None)`` or ``(None, message)``; blank cells never reach them.
:func:`_parse_cells` applies the parser of a field to the distinct cells of a column.
Dates are read by :mod:`mapper.dates`, the project's one date parser.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from mapper import schema
from mapper.dates import DateError, ParsedDate, parse_dates
from mapper.ingest.vocabulary import _NO, _YES, BLANK_MARKERS, _type_lookup, kind_lookup
from mapper.text import fold

#: Counts above this are refused as typing errors.
MAX_COUNT = 10_000_000

#: What :meth:`str.strip` takes off an ASCII string.
_ASCII_SPACE = "".join(c for c in map(chr, range(128)) if c.isspace())

#: Typed fields, where :data:`BLANK_MARKERS` count as blank.
_TYPED = frozenset(
    {"date", "end_date", "type", "latitude", "longitude", "people", "women", "children",
     "sensitive", "source_url", "kind"}
)  # fmt: skip

_Result = tuple[Any, str | None]
_Parser = Callable[[Any], _Result]
#: Parses a list of distinct cells at once.
_ColumnParser = Callable[[list[Any]], list[_Result]]


# --------------------------------------------------------------------------------------------
# Any cell
# --------------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _cell_text(value: Any) -> str:
    """Any cell as text: integral floats without ".0", dates in ISO, containers as JSON."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _show(value: Any, limit: int = 60) -> str:
    """A cell quoted for a message, on one line."""
    text = value if isinstance(value, str) else _cell_text(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# One parser per kind of field
# --------------------------------------------------------------------------------------------


def _parse_text(value: Any) -> _Result:
    if isinstance(value, dict | list):
        return None, f"expected a single value, not {_show(value)}"
    return _cell_text(value), None


def _parse_date_cells(cells: list[Any]) -> list[tuple[ParsedDate | None, str | None]]:
    """(first day, precision) of each cell, read by :func:`mapper.dates.parse_dates`."""
    return [
        (r, None) if not isinstance(r, DateError) else (None, _date_message(r))
        for r in parse_dates(cells)
    ]


def _date_message(error: DateError) -> str:
    return f"cannot read {_show(error.value)} as a date{error.reason}"


def _type_parser() -> _Parser:
    lookup = _type_lookup()
    accepted = ", ".join(schema.INCIDENT_TYPES)

    def parse(value: Any) -> _Result:
        key = fold(_cell_text(value)) if not isinstance(value, dict | list) else ""
        if key in lookup:
            return lookup[key], None
        return None, f"{_show(value)} is not an incident type; use one of: {accepted}"

    return parse


def _kind_parser() -> _Parser:
    lookup, types = kind_lookup(), _type_lookup()
    accepted = ", ".join(schema.KINDS)

    def parse(value: Any) -> _Result:
        key = fold(_cell_text(value)) if not isinstance(value, dict | list) else ""
        if key in lookup:
            return lookup[key], None
        if key in types:  # an older log's "kind" column that holds incident types
            return None, (f"{_show(value)} is an incident type: name this column 'type' (a "
                          f"'kind' column says {accepted})")
        return None, f"{_show(value)} is not a kind of row; use one of: {accepted}"

    return parse


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009'](?=\d{3}\b)")
_WHOLE = re.compile(r"\+?\d+(?:\.0*)?")
_SIGNED_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def _parse_count(value: Any) -> _Result:
    if isinstance(value, bool | dict | list):
        return None, f"cannot read {_show(value)} as a number of people"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{_show(value)} is not a whole number"
        number = int(value)
    else:
        number, error = _count_in_text(value)
        if error:
            return None, error
    if number < 0:
        return None, f"{_show(value)} is negative; expected a whole number, 0 or more"
    if number > MAX_COUNT:
        return None, f"{_show(value)} is too large to be a count of people"
    return number, None


def _count_in_text(value: Any) -> tuple[int, str | None]:
    """A whole number written as text: "42", "42.0", "1,200", "1 200", Khmer digits."""
    text = _GROUP_SPACES.sub("", unicodedata.normalize("NFC", str(value)).strip())
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _WHOLE.fullmatch(text):
        return int(text.lstrip("+").split(".")[0]), None
    if _SIGNED_NUMBER.fullmatch(text):
        if text.startswith("-") and text.strip("-0.,"):
            return 0, f"{_show(value)} is negative; expected a whole number, 0 or more"
        return 0, f"{_show(value)} is not a whole number"
    return 0, f"cannot read {_show(value)} as a whole number"


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _parse_float(value: Any) -> _Result:
    if isinstance(value, bool | dict | list):
        return None, f"cannot read {_show(value)} as decimal degrees"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{_show(value)} is not a finite number"
        return float(value), None
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value), None
    text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("°").strip()
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if _DECIMAL.fullmatch(text):
        return float(text), None
    return None, f"cannot read {_show(value)} as decimal degrees (e.g. 11.5625)"


#: :data:`_DECIMAL` in ASCII digits, as pyarrow's regular expressions write it.
_ASCII_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"


def _parse_float_texts(cells: list[str]) -> list[_Result]:
    """:func:`_parse_float` of cells that are all str: plain decimals without a call each."""
    plain = _DECIMAL.fullmatch
    return [(float(c), None) if plain(c) else _parse_float(c) for c in cells]


def _parse_decimals(
    cells: list[str], todo: np.ndarray, arrow: Any
) -> tuple[list[Any], dict[int, str]]:
    """:func:`_parse_float` of the ``todo`` cells, all str, pyarrow reading the plain
    decimals (the same float as ``float(cell)``: both round correctly); ``arrow``: the cells
    as a pyarrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    decimal = pc.match_substring_regex(arrow, _ASCII_DECIMAL).to_numpy(zero_copy_only=False)
    read = pc.cast(pc.if_else(decimal, arrow, "0"), pa.float64()).to_numpy().astype(object)
    read[~(decimal & todo)] = None
    parsed: list[Any] = read.tolist()
    errors: dict[int, str] = {}
    for k in np.flatnonzero(todo & ~decimal).tolist():
        parsed[k], error = _parse_float(cells[k])
        if error is not None:
            errors[k] = error
    return parsed, errors


def _parse_bool(value: Any) -> _Result:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    key = _cell_text(value).casefold() if not isinstance(value, dict | list) else ""
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    return None, f"{_show(value)} is not yes or no"


#: White space, control and invisible formatting characters: never inside a link we keep.
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

#: The common case, accepted without ``urlsplit``: http(s), a plain host name, printable ASCII.
_PLAIN_URL = re.compile(
    r"(?i:https?)://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][!-~]*)?"
)


def _parse_url(value: Any) -> _Result:
    text = _cell_text(value) if not isinstance(value, dict | list) else ""
    if _PLAIN_URL.fullmatch(text):
        return text, None
    parts = None
    if text and not _URL_UNSAFE.search(text):
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:
            parts = None
    if parts is not None and parts.scheme.lower() in ("http", "https") and host:
        return text, None
    if parts is not None and not parts.scheme and text.lower().startswith("www."):
        return None, f"{_show(value)} is not a web address; add https:// in front"
    return None, f"{_show(value)} is not a web address (only http:// and https:// links are kept)"


def _each(parse: _Parser) -> _ColumnParser:
    return lambda cells: [parse(cell) for cell in cells]


def _parser_for(name: str) -> _ColumnParser:
    """The parser of a field, for a list of distinct cells (unknown fields are text)."""
    if name in ("date", "end_date"):
        return _parse_date_cells
    if name == "type":
        return _each(_type_parser())
    if name == "kind":
        return _each(_kind_parser())
    if name == "source_url":
        return _each(_parse_url)
    if name in schema.COUNT_COLUMNS:
        return _each(_parse_count)
    if name in ("latitude", "longitude"):
        return _each(_parse_float)
    if name == "sensitive":
        return _each(_parse_bool)
    return _each(_parse_text)


# --------------------------------------------------------------------------------------------
# The distinct cells of a column
# --------------------------------------------------------------------------------------------


def _parse_cells(
    cells: list[Any],
    blank: np.ndarray,
    name: str,
    texts: Callable[[], list[str]] | None = None,
    arrow: Any = None,
) -> tuple[list[Any], dict[int, str], np.ndarray]:
    """Parse the distinct cells of field ``name`` (``blank`` says which are blank).

    Returns, per cell, the parsed value (None where blank, a blank marker or unreadable),
    {cell: error} of the unreadable ones, and, for typed fields, whether each cell is a
    blank marker ("n/a", "-"...). Blank cells and blank markers are not parsed. ``texts``,
    when every cell is a str, gives :func:`_cell_text` of each (what a text field keeps);
    ``arrow`` holds the cells as a pyarrow array, when pyarrow read them.
    """
    n = len(cells)
    markers = _markers(cells, blank, texts, arrow) if name in _TYPED else np.zeros(n, bool)
    if texts is not None and name not in _TYPED:  # a text field: the text of each cell
        said = texts()
        parsed: list[Any] = [None] * n
        for k in np.flatnonzero(~blank).tolist():
            parsed[k] = said[k]
        return parsed, {}, markers
    if arrow is not None and name in ("latitude", "longitude"):
        return (*_parse_decimals(cells, ~blank & ~markers, arrow), markers)
    parse = _parser_for(name)
    if texts is not None and name in ("latitude", "longitude"):  # every cell a str
        parse = _parse_float_texts
    todo = np.flatnonzero(~blank & ~markers).tolist()
    if texts is not None and name == "source_url":  # every cell a str, its text worked out
        said, plain = texts(), _PLAIN_URL.fullmatch
        results = [(said[k], None) if plain(said[k]) else _parse_url(cells[k]) for k in todo]
    else:
        results = parse([cells[k] for k in todo])
    parsed = [None] * n
    errors: dict[int, str] = {}
    for k, (value, error) in zip(todo, results, strict=True):
        parsed[k] = value
        if error is not None:
            errors[k] = error
    return parsed, errors, markers


def _markers(
    cells: list[Any], blank: np.ndarray, texts: Callable[[], list[str]] | None, arrow: Any
) -> np.ndarray:
    """Which distinct cells are blank markers (:func:`_is_marker`); by pyarrow for ASCII
    cells it read (stripped and lower-cased, which is casefold for ASCII)."""
    if arrow is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        words = pa.array(sorted(BLANK_MARKERS), type=arrow.type)
        key = pc.utf8_lower(pc.utf8_trim(arrow, characters=_ASCII_SPACE))
        found = np.array(pc.is_in(key, value_set=words).to_numpy(zero_copy_only=False))
        for k in np.flatnonzero(~pc.string_is_ascii(arrow).to_numpy(zero_copy_only=False)):
            found[k] = cells[k].strip().casefold() in BLANK_MARKERS
    elif texts is not None:  # every cell a str: as _is_marker, without asking each
        found = np.array([cell.strip().casefold() in BLANK_MARKERS for cell in cells], bool)
    else:
        found = np.array([_is_marker(cell) for cell in cells], dtype=bool)
    return found.reshape(len(cells)) & ~blank


def _is_marker(cell: Any) -> bool:
    """A blank marker: "n/a", "-", "unknown"... (:data:`BLANK_MARKERS`)."""
    return isinstance(cell, str) and cell.strip().casefold() in BLANK_MARKERS


def _distinct(cells: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """(code of each cell, the distinct cells); 1, 1.0 and True stay apart."""
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        codes, found = pd.factorize(cells)
        return codes, list(found)
    codes = np.empty(len(cells), dtype=np.intp)
    uniques: list[Any] = []
    seen: dict[Any, int] = {}
    for k, cell in enumerate(cells):
        try:
            key = (cell.__class__, cell)
            code = seen.get(key)
            if code is None:
                code = seen[key] = len(uniques)
                uniques.append(cell)
        except TypeError:  # unhashable: a list or an object inside a JSON record
            code = len(uniques)
            uniques.append(cell)
        codes[k] = code
    return codes, uniques
