"""The project's one date parser: a log cell or an option value into a day, month or year.

Rules (the same for every caller)
---------------------------------
* ISO first: ``2026-01-20`` (with or without a time, which is dropped; ``2026/01/20`` and
  ``2026.01.20`` too), ``2026-01`` (a month), ``2026`` (a year).
* Numeric dates with the year last are read **day first**, as they are written in Cambodia and
  France: ``05/02/2026`` is 5 February (also with ``-`` or ``.``); ``02/2026`` is a month.
  Never month first: ``01/20/2026`` is refused with a hint.
* Words in English or French: ``20 January 2026``, ``January 20, 2026``, ``20 Jan. 2026``,
  ``1er février 2026``, ``mardi 3 mars 2026`` (a weekday is ignored), ``janvier 2026``.
  The words are data: :file:`dates.toml` beside this module.
* Years outside :data:`YEAR_RANGE` are refused, and two-digit years are never guessed.
* Cells that are already dates (``datetime.date``, ``datetime.datetime``, as from Excel) are
  days; a whole number is a year.
* With ``relative_to`` (e.g. the publication date of an article) a date without a year gets
  the year that puts it at most a week after ``relative_to``, and "today", "yesterday",
  "hier"... are read. Without it they are refused.

:func:`parse_date` reads one value; :func:`parse_dates` reads many (ISO strings in one
vectorised pass, each distinct other value once); :func:`parse_option_date` reads a command
line option and refuses slashed dates that could be read both ways (``01/02/2026``).
Failures raise :class:`DateError`, a :class:`ValueError` whose ``reason`` completes
"cannot read <value> as a date".
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from mapper.text import fold

__all__ = [
    "DAY",
    "HINT",
    "MONTH",
    "YEAR",
    "YEAR_RANGE",
    "DateError",
    "ParsedDate",
    "date_words",
    "parse_date",
    "parse_dates",
    "parse_option_date",
    "period_end",
]

DAY, MONTH, YEAR = "day", "month", "year"
#: Years read; anything outside is taken for a typing error.
YEAR_RANGE = (1900, 2100)
#: What a readable date looks like, for messages.
HINT = "expected e.g. 2026-01-20, 20/01/2026, 20 January 2026, January 2026 or 2026"


class ParsedDate(NamedTuple):
    """A date as precisely as it was written: its first day and ``day``, ``month`` or ``year``."""

    start: dt.date
    precision: str

    @property
    def end(self) -> dt.date:
        """The last day of the period (``start`` itself for a day)."""
        return period_end(self.start, self.precision)


class DateError(ValueError):
    """A value that is not a date; ``reason`` follows "cannot read <value> as a date".

    ``name`` (an option, a field) goes in front of the message when given.
    """

    def __init__(self, value: Any, reason: str = "", *, name: str | None = None) -> None:
        self.value = value
        self.reason = reason
        self.name = name
        head = f"{name}: " if name else ""
        super().__init__(f"{head}cannot read {_quote(value)} as a date{reason}")


class DateWords(NamedTuple):
    """The lexicon of :file:`dates.toml`, folded: word -> number."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    filler: frozenset[str]
    ordinal: re.Pattern[str]
    relative: Mapping[str, int]  # days before the reference date


@functools.cache
def date_words() -> DateWords:
    """The month, weekday and other words dates are written with (folded; read once)."""
    data = tomllib.loads(resources.files("mapper").joinpath("dates.toml").read_text("utf-8"))

    def numbered(table: dict[str, list[str]]) -> dict[str, int]:
        return {fold(word): int(n) for n, words in table.items() for word in words}

    suffixes = sorted(data["ordinals"]["suffixes"], key=len, reverse=True)
    return DateWords(
        months=numbered(data["months"]),
        weekdays=numbered(data["weekdays"]),
        filler=frozenset(fold(w) for w in data["filler"]["words"]),
        ordinal=re.compile(r"(\d{1,2})(?:" + "|".join(map(re.escape, suffixes)) + ")"),
        relative=numbered(data["relative"]),
    )


def period_end(start: dt.date, precision: str) -> dt.date:
    """The last day of the month or year that starts on ``start``; ``start`` for a day."""
    if precision == MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == YEAR:
        return start.replace(month=12, day=31)
    return start


# --------------------------------------------------------------------------------------------
# One value
# --------------------------------------------------------------------------------------------

_TIME = r"(?:[T ]\s*\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME)
_ISO_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_YEAR = re.compile(r"\d{4}")
_CLOCK = re.compile(r"\d{1,2}[:h]\d{2}(?::\d{2})?|am|pm")
_PLAIN_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: Any, *, relative_to: dt.date | None = None) -> ParsedDate:
    """Read one value (a cell, an option, a phrase such as "20 janvier 2026").

    Raises :class:`DateError` when the value is not a date by the rules of this module.

    >>> parse_date("05/02/2026")
    ParsedDate(start=datetime.date(2026, 2, 5), precision='day')
    >>> parse_date("janvier 2026").end
    datetime.date(2026, 1, 31)
    """
    if isinstance(value, bool):
        raise DateError(value)
    if isinstance(value, dt.date):  # datetime.datetime too: the time is dropped
        return _checked(value, value.year, value.month, value.day, DAY)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise DateError(value, f" ({HINT})")
        return _checked(value, int(value), 1, 1, YEAR)
    if not isinstance(value, str):
        raise DateError(value, f" ({HINT})")
    if isinstance(relative_to, dt.datetime):
        relative_to = relative_to.date()
    text = unicodedata.normalize("NFKC", value).strip()
    if len(text) == 10 and _PLAIN_ISO.fullmatch(text):  # the common case, fast
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass  # no such day: the rules below say so
        else:
            if YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
                return ParsedDate(day, DAY)
    return _parse_numeric(text, value) or _parse_words(text, value, relative_to)


def _parse_numeric(text: str, value: Any) -> ParsedDate | None:
    if m := _ISO_DAY.fullmatch(text):
        return _checked(value, int(m[1]), int(m[3]), int(m[4]), DAY)
    if m := _DMY.fullmatch(text):
        day, month = int(m[1]), int(m[3])
        if month > 12 and day <= 12:
            raise DateError(
                value, f": dates are read day first (dd/mm/yyyy) and there is no month {month}"
            )
        return _checked(value, int(m[4]), month, day, DAY)
    if m := _ISO_MONTH.fullmatch(text):
        return _checked(value, int(m[1]), int(m[2]), 1, MONTH)
    if m := _MY.fullmatch(text):
        return _checked(value, int(m[2]), int(m[1]), 1, MONTH)
    if _YEAR.fullmatch(text):
        return _checked(value, int(text), 1, 1, YEAR)
    return None


def _parse_words(text: str, value: Any, relative_to: dt.date | None) -> ParsedDate:
    words = date_words()
    folded = fold(text.replace(",", " "))
    if relative_to is not None and folded in words.relative:
        return ParsedDate(relative_to - dt.timedelta(days=words.relative[folded]), DAY)
    tokens = []
    for token in folded.split():
        if token in words.filler or token in words.weekdays or _CLOCK.fullmatch(token):
            continue
        if m := words.ordinal.fullmatch(token):
            token = m[1]
        tokens.append(token)
    kinds = "".join(_token_kind(t, words.months) for t in tokens)
    if kinds in ("DMY", "MDY", "DM", "MD"):
        d, m = (0, 1) if kinds[0] == "D" else (1, 0)
        day, month = int(tokens[d]), words.months[tokens[m]]
        year = int(tokens[2]) if len(tokens) == 3 else _year_near(month, day, relative_to)
        if year is not None:
            return _checked(value, year, month, day, DAY)
    if kinds == "MY":
        return _checked(value, int(tokens[1]), words.months[tokens[0]], 1, MONTH)
    raise DateError(value, f" ({HINT})")


def _token_kind(token: str, months: Mapping[str, int]) -> str:
    """M (a month name), Y (four digits), D (one or two digits) or ? (anything else)."""
    if token in months:
        return "M"
    if _YEAR.fullmatch(token):
        return "Y"
    return "D" if token.isdecimal() and len(token) <= 2 else "?"


def _year_near(month: int, day: int, relative_to: dt.date | None) -> int | None:
    """The year that puts day/month at most a week after ``relative_to`` (None without it)."""
    if relative_to is None:
        return None
    year = relative_to.year
    if dt.date(year, month, min(day, 28)) > relative_to + dt.timedelta(days=7):
        year -= 1
    return year


def _checked(value: Any, year: int, month: int, day: int, precision: str) -> ParsedDate:
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise DateError(value, f": year {year} is not in {low}-{high}")
    try:
        return ParsedDate(dt.date(year, month, day), precision)
    except ValueError:
        raise DateError(value, ": there is no such day") from None


def _quote(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Many values
# --------------------------------------------------------------------------------------------


def parse_dates(
    values: Iterable[Any], *, relative_to: dt.date | None = None
) -> list[ParsedDate | DateError]:
    """:func:`parse_date` of each value, in order; a failure is returned, not raised.

    Plain ISO days (``2026-01-20``) are read in one vectorised pass; any other value is read
    once however often it occurs.
    """
    cells = pd.Series(list(values), dtype=object)
    out: list[ParsedDate | DateError | None] = [None] * len(cells)
    iso = _plain_iso_mask(cells)
    if iso.any():
        stamps = pd.to_datetime(cells[iso], format="%Y-%m-%d", errors="coerce")
        low, high = YEAR_RANGE
        good = (stamps.dt.year >= low) & (stamps.dt.year <= high)  # NaT is not good
        days = stamps[good].to_numpy().astype("datetime64[D]").astype(object)
        for i, day in zip(np.flatnonzero(iso)[good.to_numpy()], days, strict=True):
            out[i] = ParsedDate(day, DAY)
    seen: dict[Any, ParsedDate | DateError] = {}
    for i, cell in enumerate(cells):
        if out[i] is None:
            try:
                key = (cell.__class__, cell)
                out[i] = seen[key] if key in seen else seen.setdefault(key, _try(cell, relative_to))
            except TypeError:  # unhashable
                out[i] = _try(cell, relative_to)
    return out  # type: ignore[return-value]


def _plain_iso_mask(cells: pd.Series) -> np.ndarray:
    try:
        found = cells.str.fullmatch(_PLAIN_ISO.pattern)
    except AttributeError:  # no strings at all
        return np.zeros(len(cells), dtype=bool)
    return found.to_numpy(dtype=bool, na_value=False)


def _try(value: Any, relative_to: dt.date | None) -> ParsedDate | DateError:
    try:
        return parse_date(value, relative_to=relative_to)
    except DateError as err:
        return err


# --------------------------------------------------------------------------------------------
# Command line options
# --------------------------------------------------------------------------------------------


def parse_option_date(text: str, *, name: str | None = None) -> ParsedDate:
    """Read a date given on the command line (``--from``, ``--published``...).

    As :func:`parse_date`, but a numeric date with the year last that reads as another day
    month first (``01/02/2026``, ``01-02-2026``) is refused with a hint to write it in ISO;
    ``20/01/2026`` and ``05/05/2026`` are read. ``name`` (the option) starts the message.

    >>> parse_option_date("13/02/2026")
    ParsedDate(start=datetime.date(2026, 2, 13), precision='day')

    ``parse_option_date("01/02/2026", name="--from")`` raises :class:`DateError`: "--from:
    cannot read "01/02/2026" as a date: it could be 2026-02-01 (day first) or 2026-01-02
    (month first); write it in ISO, year first".
    """
    stripped = unicodedata.normalize("NFKC", str(text)).strip()
    m = _DMY.fullmatch(stripped)
    if m and int(m[1]) <= 12 and int(m[3]) <= 12 and int(m[1]) != int(m[3]):
        day_first, month_first = _iso(m[4], m[3], m[1]), _iso(m[4], m[1], m[3])
        raise DateError(
            text,
            f": it could be {day_first} (day first) or {month_first} (month first);"
            " write it in ISO, year first",
            name=name,
        )
    try:
        return parse_date(text)
    except DateError as err:
        if name is None:
            raise
        raise DateError(text, err.reason, name=name) from None


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
