"""Province summaries for planners: tables per province, per period and per district, and
their exports (CSV, XLSX, JSON, Markdown).

Input: the joined table (:func:`mapper.pipeline.locate`). Every row ends in exactly one
*line* of the summary, so the counts always add up::

    sum over the 25 provinces + national + unresolved + ambiguous + outside + invalid
    (+ draft) == rows in

* a **province** row is ``ok`` with a precision of 1-3 and a province code;
* a **national** row is ``ok`` but known only to the country (precision 4, or no province);
  it is listed, never added to a province;
* every other status (``unresolved``, ``ambiguous``, ``outside``, ``invalid``, ``draft``)
  is a line of its own.

:func:`summarise` builds the tables (a :class:`Summary`); :mod:`mapper.summarise.export`
writes them; :func:`mapper.pipeline.write_summary` writes them all with the report. Each
figure is a sum over the whole log at once (:mod:`mapper.summarise.rows`: a million rows
take seconds, not minutes); the rows not in a province are listed by
:mod:`mapper.summarise.listed`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mapper.dates import DateError, parse_option_date
from mapper.errors import IncidentMapperError
from mapper.files import WORKBOOK_TIME
from mapper.reference import Reference, resolve
from mapper.schema import INCIDENT_TYPES, GeoPrecision
from mapper.style import BOUNDARY_ATTRIBUTION
from mapper.summarise.disclosure import protect
from mapper.summarise.listed import listed_rows, listed_table
from mapper.summarise.periods import PERIODS, period_key, period_labels, previous_period
from mapper.summarise.rows import (
    ALL_LINES,
    COUNTED,
    NATIONAL,
    OTHER_LINES,
    RUNNING_TOTAL,
    TOP_N,
    RowFacts,
    assign_lines,
    date_ends,
    group_figures,
    int_sums,
    top_per_group,
)

if TYPE_CHECKING:
    from mapper.privacy import Privacy

__all__ = [
    "BY_CHOICES",
    "CENSUS_2019_TOTAL",
    "COLUMN_DOCS",
    "FIXED_TIME",
    "LINE_LABELS",
    "NATIONAL",
    "OTHER_LINES",
    "PERIODS",
    "POPULATION_SOURCE",
    "RUNNING_TOTAL",
    "TOP_N",
    "Summary",
    "SummaryError",
    "assign_lines",
    "district_table",
    "lines_table",
    "listed_rows",
    "listed_table",
    "period_labels",
    "period_province_table",
    "period_table",
    "province_table",
    "select_dates",
    "summarise",
]

log = logging.getLogger(__name__)

#: The published national total of the 2019 census, final results (NIS, January 2021).
CENSUS_2019_TOTAL = 15_552_211
POPULATION_SOURCE = (
    "National Institute of Statistics (Ministry of Planning), General Population Census of "
    "the Kingdom of Cambodia 2019, final results (January 2021); see mapper/data/population.csv "
    "for the source of each province's figure"
)
BY_CHOICES = ("province", "district")
LINE_LABELS = {
    NATIONAL: "Known only nationally (no province)",
    RUNNING_TOTAL: "Running totals (figures over many events, not incidents)",
    "unresolved": "Unresolved (no place found)",
    "ambiguous": "Ambiguous (several candidate places)",
    "outside": "Outside Cambodia",
    "invalid": "Invalid (a field is wrong)",
    "draft": "Draft (awaiting review)",
}
_COUNTED_COLUMNS = [c for n in COUNTED for c in (n, f"{n}_not_given")]
#: Fixed timestamp for the workbook's properties and zip entries (reproducible bytes).
FIXED_TIME = WORKBOOK_TIME

#: What each column means; the XLSX "About" sheet and the Markdown file list these.
COLUMN_DOCS: dict[str, str] = {
    "adm1_code": "ISO 3166-2 code of the province (KH-1 .. KH-25; the number is the official "
                 "province code)",
    "province": "Province name as most English-language press writes it",
    "incidents": "Incidents placed in the province (status ok, precision 1-3)",
    "type_<name>": "Incidents of that type (one column per incident type)",
    "people": "People affected, summed over incidents that give a number (blank: no "
              "incident gives one)",
    "people_not_given": "Incidents that give no number of people",
    "women": "Women among them, where given",
    "women_not_given": "Incidents that give no number of women",
    "children": "Children among them, where given",
    "children_not_given": "Incidents that give no number of children",
    "top_nationalities": f"Up to {TOP_N} most frequent nationalities (incidents naming each)",
    "first_date": "Date of the earliest incident, as precise as the log gives it (2026-01 "
                  "for a month)",
    "last_date": "Date of the latest incident, as precise as the log gives it",
    "top_places": f"Up to {TOP_N} most frequent places (the gazetteer's name)",
    "population_2019": "Population, 2019 General Population Census (NIS, final results)",
    "per_100k": "Incidents per 100,000 inhabitants = incidents / population_2019 * 100000",
    "current_period": "The period compared (the last period of the selection)",
    "incidents_current": "Incidents in the current period",
    "previous_period": "The period before it",
    "incidents_previous": "Incidents in the previous period",
    "change": "incidents_current - incidents_previous",
    "line": "Where the rows ended: national, running_total, unresolved, ambiguous, outside, "
            "invalid, draft",
    "rows": "Input rows in that line",
    "period": "Month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY); a row dated less precisely "
              "than the period is shown as, for example, '2026 (month unknown)'",
    "in_provinces": "Incidents placed in a province in that period",
    "total": "All rows of the period, whatever their line",
    "district": "District (geoBoundaries ADM2 name); '(district not known)' collects "
                "province-level incidents",
    "id": "The row's id in the incident log",
    "date": "The row's date, as precise as it is known",
    "type": "Incident type",
    "place": "The place as written in the log",
    "message": "Why the row is not in a province",
    "source": "Source of the row",
}


class SummaryError(IncidentMapperError, ValueError):
    """The summary cannot be built from the given arguments."""


@dataclass
class Summary:
    """Every table of one summary. Each DataFrame is sorted in a stable order."""

    provinces: pd.DataFrame
    lines: pd.DataFrame
    periods: pd.DataFrame | None = None
    period_provinces: pd.DataFrame | None = None
    districts: pd.DataFrame | None = None
    listed: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    frame: pd.DataFrame | None = field(default=None, repr=False)
    #: Each row's line (:func:`assign_lines` of ``frame``), kept for the report's charts.
    row_lines: pd.Series | None = field(default=None, repr=False)

    def lines_of_rows(self) -> pd.Series | None:
        """The line of each row of ``frame`` (None without a frame)."""
        if self.frame is None:
            return None
        if self.row_lines is None or len(self.row_lines) != len(self.frame):
            self.row_lines = assign_lines(self.frame)
        return self.row_lines

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by file stem, in the order they are written."""
        out = {"provinces": self.provinces, "lines": self.lines}
        if self.periods is not None:
            out[f"by_{self.meta['period']}"] = self.periods
            out[f"by_{self.meta['period']}_province"] = self.period_provinces
        if self.districts is not None:
            out["districts"] = self.districts
        out["listed_rows"] = listed_table(self.listed)
        return out


# -- arguments ----------------------------------------------------------------------------------
def _check_choice(name: str, value, choices: Iterable) -> None:
    choices = list(choices)
    if value not in choices:
        raise SummaryError(f"{name}: expected one of {choices}, got {value!r}")


def _as_date(name: str, value, end: bool = False) -> pd.Timestamp | None:
    """A date bound given as text (the one date rule of :mod:`mapper.dates`) or date-like;
    a month or year as an upper bound means its last day."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = parse_option_date(value, name=name)
        except DateError as err:
            raise SummaryError(str(err)) from None
        return pd.Timestamp(parsed.end if end else parsed.start)
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise SummaryError(f"{name}: cannot read {value!r} as a date (use YYYY-MM-DD)")
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


# -- dates ----------------------------------------------------------------------------------------
def _bound_text(name: str, value, end: bool = False) -> str | None:
    """A date bound as it is written in the summary's metadata (None when not given)."""
    return None if value is None else f"{_as_date(name, value, end):%Y-%m-%d}"


def select_dates(frame: pd.DataFrame, date_from=None, date_to=None) -> pd.DataFrame:
    """Rows dated within [date_from, date_to] (both optional; undated rows drop out)."""
    start, end = _as_date("date_from", date_from), _as_date("date_to", date_to, end=True)
    if start is not None and end is not None and start > end:
        raise SummaryError(f"date_from ({start:%Y-%m-%d}) is after date_to ({end:%Y-%m-%d})")
    if start is None and end is None:
        return frame
    keep = pd.Series(True, index=frame.index)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    if start is not None:
        keep &= dates.ge(start).fillna(False)
    if end is not None:
        keep &= dates.le(end).fillna(False)
    return frame[keep.to_numpy()]


# -- helpers ---------------------------------------------------------------------------------------
def _types_in(facts: RowFacts) -> list[str]:
    present = facts.type_names
    return [t for t in INCIDENT_TYPES if t in present] + sorted(present - set(INCIDENT_TYPES))


def _all_types(facts: RowFacts) -> list[str]:
    """The vocabulary in schema order, then any other type the table holds."""
    return list(INCIDENT_TYPES) + sorted(facts.type_names - set(INCIDENT_TYPES))


def _place_names(frame: pd.DataFrame) -> pd.Series:
    """The gazetteer's name of each row's place, else the place as written."""
    match = frame["geo_match"]
    return match.where(match.notna(), frame["place"])


def date_span(frame: pd.DataFrame, *, facts: RowFacts | None = None
              ) -> tuple[str | None, str | None]:
    """The first and last date as precisely as the log knows them: a row dated only by its
    month gives "2026-01", never "2026-01-01"."""
    facts = facts or RowFacts(frame)
    first, last = date_ends(facts, np.arange(len(frame)), np.zeros(len(frame), np.intp), 1)
    return first[0], last[0]


def _placed_groups(facts: RowFacts, keys: list[pd.Series]) -> tuple[np.ndarray, np.ndarray,
                                                                     list]:
    """The placed rows (positions), their group numbers, and each group's key (a tuple
    when there are several ``keys``), in the order of the group numbers."""
    rows = np.flatnonzero(facts.placed)
    ids, parts = np.zeros(len(rows), np.int64), []
    for key in keys:
        codes, distinct = pd.factorize(key.to_numpy()[rows])  # never missing in a province
        ids = ids * len(distinct) + codes
        parts.append(np.asarray(distinct, dtype=object))
    ids, groups = pd.factorize(ids)
    columns = []
    for distinct in reversed(parts):
        groups, at = np.divmod(groups, len(distinct))
        columns.insert(0, distinct[at])
    found = list(zip(*columns, strict=True)) if len(keys) > 1 else list(columns[0])
    return rows, ids, found


def _text(column: pd.Series) -> pd.Series:
    """A column as pandas' string dtype; one that already is stays in its storage
    (converting a million strings to another costs a second)."""
    kept = isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is pd.NA
    return column if kept else column.astype("string")


# -- tables --------------------------------------------------------------------------------------
def province_table(frame: pd.DataFrame, population: pd.DataFrame, names: pd.Series,
                   period: str | None = None, *, facts: RowFacts | None = None) -> pd.DataFrame:
    """All 25 provinces (zeros included), sorted by official code; see :data:`COLUMN_DOCS`.

    ``names`` is each province's name indexed by ``adm1_code`` (``Reference.province_names``);
    ``facts`` the frame's :class:`~mapper.summarise.rows.RowFacts`, when at hand.
    """
    facts = facts or RowFacts(frame)
    rows, ids, codes = _placed_groups(facts, [frame["adm1_code"]])
    figures = group_figures(facts, rows, ids, len(codes), _all_types(facts))
    figures["top_nationalities"] = top_per_group(frame["nationality"].iloc[rows], ids,
                                                 len(codes), nationalities=True)
    places = _place_names(frame[["geo_match", "place"]].iloc[rows])
    figures["top_places"] = top_per_group(places, ids, len(codes))
    if period:
        figures.update(_current_counts(facts, period, rows, ids, len(codes)))
    at = {code: i for i, code in enumerate(codes)}
    pop = population.set_index("adm1_code")["population_2019"]
    out = pd.DataFrame([_province_row(code, str(names[code]), figures, at.get(code), pop,
                                      period) for code in names.index])
    for column in COUNTED:
        out[column] = out[column].astype("Int64")
    out["population_2019"] = out["population_2019"].astype("Int64")
    out["per_100k"] = out["per_100k"].astype("Float64")
    return out


#: A province's columns in order; the figures of :func:`group_figures` fill most of them.
_FIGURES_AFTER_TYPES = [*(c for n in COUNTED for c in (n, f"{n}_not_given")),
                        "top_nationalities", "first_date", "last_date", "top_places"]
_PERIOD_COLUMNS = ["current_period", "incidents_current", "previous_period",
                   "incidents_previous"]


def _province_row(code, name: str, figures: dict, at: int | None, pop: pd.Series,
                  period: str | None) -> dict:
    """One province's row from the figures of its group (``at``; None: no incident)."""
    def value(column, empty):
        return figures[column][at] if at is not None else empty

    row = {"adm1_code": code, "province": name, "incidents": value("incidents", 0)}
    for column in (c for c in figures if c.startswith("type_")):
        row[column] = value(column, 0)
    for column in _FIGURES_AFTER_TYPES:
        empty = "" if column.startswith("top_") else None if column.endswith("_date") else 0
        row[column] = value(column, empty)
    population_2019 = int(pop[code]) if code in pop.index else None
    row["population_2019"] = population_2019
    row["per_100k"] = (row["incidents"] / population_2019 * 1e5) if population_2019 else None
    if period:
        row.update({c: figures[c] if c.endswith("_period") else value(c, 0)
                    for c in _PERIOD_COLUMNS})
        row["change"] = row["incidents_current"] - row["incidents_previous"]
    return row


def _current_counts(facts: RowFacts, period: str, rows: np.ndarray, ids: np.ndarray,
                    groups: int) -> dict:
    """The current and previous period, and each group's incidents in them."""
    labels = facts.labels(period)
    current = _current_period(labels)
    previous = previous_period(current, period) if current else None
    placed = labels.to_numpy()[rows]
    out = {"current_period": current, "previous_period": previous}
    for column, label in (("incidents_current", current), ("incidents_previous", previous)):
        hits = ids[placed == label] if label else ids[:0]
        out[column] = np.bincount(hits, minlength=groups).tolist()
    return out


def _current_period(labels: pd.Series) -> str | None:
    exact = [x for x in labels.unique() if x != "undated" and "(" not in x]
    return max(exact, key=period_key) if exact else None


def lines_table(frame: pd.DataFrame, *, facts: RowFacts | None = None) -> pd.DataFrame:
    """One row per line that is not a province, then the provinces' sum and the total."""
    facts = facts or RowFacts(frame)
    codes = facts.line_codes
    rows = np.bincount(codes, minlength=len(ALL_LINES)).tolist()
    people = int_sums(codes, facts.counted("people"), len(ALL_LINES))
    out = [{"line": line, "label": LINE_LABELS[line], "rows": rows[i], "people": people[i]}
           for i, line in enumerate(ALL_LINES) if line != "province"]
    out.append({"line": "provinces", "label": "Placed in a province (sum of the 25)",
                "rows": rows[0], "people": people[0]})
    out.append({"line": "total", "label": "Rows in", "rows": len(frame),
                "people": sum(people)})
    return pd.DataFrame(out)


def period_table(frame: pd.DataFrame, period: str, *,
                 facts: RowFacts | None = None) -> pd.DataFrame:
    """One row per period: incidents in provinces, each other line, the total, by type."""
    facts = facts or RowFacts(frame)
    ids, labels = pd.factorize(facts.labels(period))
    n, types = len(labels), _types_in(facts)
    by_line = np.bincount(ids * len(ALL_LINES) + facts.line_codes,
                          minlength=n * len(ALL_LINES)).reshape(n, len(ALL_LINES))
    placed = facts.placed
    codes = facts.type_codes(types)
    typed = placed & (codes >= 0)
    by_type = np.bincount(ids[typed] * len(types) + codes[typed],
                          minlength=n * len(types)).reshape(n, len(types))
    people = int_sums(ids[placed], facts.counted("people")[placed], n)
    rows = []
    for i in sorted(range(n), key=lambda i: period_key(labels[i])):
        row = {"period": labels[i], "in_provinces": int(by_line[i, 0])}
        row.update({line: int(by_line[i, j + 1]) for j, line in enumerate(OTHER_LINES)})
        row["total"] = int(by_line[i].sum())
        row.update({f"type_{kind}": int(by_type[i, j]) for j, kind in enumerate(types)})
        row["people"] = people[i]
        rows.append(row)
    columns = ["period", "in_provinces", *OTHER_LINES, "total",
               *(f"type_{k}" for k in types), "people"]
    return pd.DataFrame(rows, columns=columns)


def period_province_table(frame: pd.DataFrame, period: str, names: pd.Series, *,
                          facts: RowFacts | None = None) -> pd.DataFrame:
    """Provinces with incidents, per period, with the change against the previous period."""
    facts = facts or RowFacts(frame)
    rows, ids, keys = _placed_groups(facts, [frame["adm1_code"], facts.labels(period)])
    incidents = np.bincount(ids, minlength=len(keys)).tolist()
    people = int_sums(ids, facts.counted("people")[rows], len(keys))
    counts = dict(zip(keys, incidents, strict=True))
    out = []
    for (code, label), n, p in zip(keys, incidents, people, strict=True):
        prev = previous_period(label, period)
        before = counts.get((code, prev), 0) if prev else None
        out.append({"period": label, "adm1_code": code, "province": str(names.get(code, code)),
                    "incidents": n, "people": p, "previous_period": prev,
                    "incidents_previous": before,
                    "change": None if before is None else n - before})
    return period_province_frame(out)


def period_province_frame(rows: list[dict]) -> pd.DataFrame:
    """The period x province table of its rows, in period then province order."""
    out = pd.DataFrame(rows, columns=["period", "adm1_code", "province", "incidents",
                                      "people", "previous_period", "incidents_previous",
                                      "change"])
    if len(out):
        out = out.assign(_p=out["period"].map(period_key),
                         _c=out["adm1_code"].str[3:].astype(int))
        out = out.sort_values(["_p", "_c"], kind="stable").drop(columns=["_p", "_c"])
    out["incidents_previous"] = out["incidents_previous"].astype("Int64")
    out["change"] = out["change"].astype("Int64")
    return out.reset_index(drop=True)


UNKNOWN_DISTRICT = "(district not known)"


def district_table(frame: pd.DataFrame, names: pd.Series, *,
                   facts: RowFacts | None = None) -> pd.DataFrame:
    """Districts with incidents; province-level rows in '(district not known)' per province."""
    facts = facts or RowFacts(frame)
    precision = pd.to_numeric(frame["geo_precision"], errors="coerce")
    known = precision.le(int(GeoPrecision.DISTRICT)) & frame["adm2_name"].notna()
    district = _text(frame["adm2_name"]).where(known.to_numpy(), UNKNOWN_DISTRICT)
    rows, ids, keys = _placed_groups(facts, [frame["adm1_code"], district])
    types = _types_in(facts)
    figures = group_figures(facts, rows, ids, len(keys), types)
    columns = ["adm1_code", "province", "district", "incidents",
               *(f"type_{k}" for k in types), *_COUNTED_COLUMNS, "first_date", "last_date"]
    out = pd.DataFrame([{"adm1_code": code, "province": str(names.get(code, code)),
                         "district": str(name), **{c: figures[c][i] for c in columns[3:]}}
                        for i, (code, name) in enumerate(keys)], columns=columns)
    if len(out):
        out = out.assign(_c=out["adm1_code"].str[3:].astype(int),
                         _u=out["district"].eq(UNKNOWN_DISTRICT))
        out = out.sort_values(["_c", "_u", "district"], kind="stable").drop(columns=["_c", "_u"])
    for column in COUNTED:
        out[column] = out[column].astype("Int64")
    return out.reset_index(drop=True)


# -- the summary -----------------------------------------------------------------------------------
def summarise(joined: pd.DataFrame, by: str = "province", period: str | None = None,
              date_from=None, date_to=None, population: pd.DataFrame | None = None,
              reference: Reference | None = None, privacy: Privacy | None = None) -> Summary:
    """Build every table of the summary of ``joined``.

    Parameters
    ----------
    joined : DataFrame
        The joined table (:func:`mapper.pipeline.locate`).
    by : {"province", "district"}
        "district" adds the per-district table.
    period : {None, "month", "quarter", "year"}
        Adds the per-period tables and the change against the previous period.
    date_from, date_to : date-like, optional
        Keep rows dated within these bounds (inclusive); undated rows then drop out.
    population : DataFrame, optional
        Default: the population table of ``reference``.
    reference : Reference, optional
        Province names and population (default: :func:`mapper.reference.default`).
    privacy : Privacy, optional
        Public: small cells suppressed in every table (:mod:`.disclosure`). Apply it to
        ``joined`` first (:func:`mapper.privacy.apply_privacy`).

    Raises
    ------
    SummaryError
        For an unknown ``by`` or ``period``, an unreadable date, or missing columns.
    """
    _check_choice("by", by, BY_CHOICES)
    if period is not None:
        _check_choice("period", period, PERIODS)
    frame, rows_read = _frame(joined, date_from, date_to)
    ref = resolve(reference)
    population = ref.population if population is None else population
    facts = RowFacts(frame)  # each column read once, for every table
    first_date, last_date = date_span(frame, facts=facts)
    meta = {
        "rows_read": rows_read,
        "rows_in": len(frame),
        "rows_left_out_by_dates": rows_read - len(frame),
        "by": by,
        "period": period,
        "date_from": _bound_text("date_from", date_from),
        "date_to": _bound_text("date_to", date_to, end=True),
        "first_date": first_date,
        "last_date": last_date,
        "population_source": POPULATION_SOURCE,
        "population_total": int(population["population_2019"].sum()),
        "boundaries": BOUNDARY_ATTRIBUTION,
        "sources": sorted({str(s) for s in frame["source"].dropna().unique()}),
    }
    summary = Summary(
        provinces=province_table(frame, population, ref.province_names, period, facts=facts),
        lines=lines_table(frame, facts=facts), listed=listed_rows(frame, facts=facts),
        meta=meta, frame=frame, row_lines=facts.lines)
    if period:
        summary.periods = period_table(frame, period, facts=facts)
        summary.period_provinces = period_province_table(frame, period, ref.province_names,
                                                         facts=facts)
    if by == "district":
        summary.districts = district_table(frame, ref.province_names, facts=facts)
    _check_totals(summary)
    if privacy is not None:
        protect(summary, privacy)
    return summary


def _frame(joined: pd.DataFrame, date_from, date_to) -> tuple[pd.DataFrame, int]:
    """The rows to count (those within the dates) with every column the tables read, and
    the number of rows read."""
    missing = {"status", "geo_precision", "adm1_code", "type", "date"} - set(joined.columns)
    if missing:
        raise SummaryError(f"joined: missing columns {sorted(missing)}; pass the output of "
                           "mapper.pipeline.locate")
    # The columns as they are, not copied (a million rows): the summary adds, never changes.
    frame = pd.DataFrame({c: joined[c] for c in joined.columns if c != "geometry"}, copy=False)
    for column in ("people", "women", "children", "nationality", "place", "geo_match",
                   "adm2_name", "date_precision", "id", "message", "source"):
        if column not in frame:
            frame[column] = pd.NA
    return select_dates(frame, date_from, date_to), len(frame)


def _check_totals(summary: Summary) -> None:
    lines = summary.lines.set_index("line")["rows"]
    parts = int(summary.provinces["incidents"].sum()) + sum(int(lines[x]) for x in OTHER_LINES)
    if parts != summary.meta["rows_in"]:  # a bug, not a user error
        raise RuntimeError(f"summary lines add up to {parts}, not {summary.meta['rows_in']}")
