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
writes them; :func:`mapper.pipeline.write_summary` writes them all with the report.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from mapper.dates import DateError, parse_option_date
from mapper.errors import IncidentMapperError
from mapper.files import WORKBOOK_TIME
from mapper.reference import Reference, resolve
from mapper.schema import INCIDENT_TYPES, STATUSES, GeoPrecision, Status, date_labels
from mapper.style import BOUNDARY_ATTRIBUTION
from mapper.summarise.disclosure import protect
from mapper.summarise.periods import PERIODS, period_key, period_labels, previous_period

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
#: The lines that are not a province, in the order the tables list them.
NATIONAL = "national"
#: Rows of kind "total" (a figure over many events): listed, never counted as incidents.
RUNNING_TOTAL = "running_total"
OTHER_LINES: tuple[str, ...] = (NATIONAL, RUNNING_TOTAL,
                                *(s for s in STATUSES if s != Status.OK))
LINE_LABELS = {
    NATIONAL: "Known only nationally (no province)",
    RUNNING_TOTAL: "Running totals (figures over many events, not incidents)",
    "unresolved": "Unresolved (no place found)",
    "ambiguous": "Ambiguous (several candidate places)",
    "outside": "Outside Cambodia",
    "invalid": "Invalid (a field is wrong)",
    "draft": "Draft (awaiting review)",
}
TOP_N = 3
#: Counts of people a row may give; a blank is "not given", never zero.
COUNTED = ("people", "women", "children")
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


# -- lines ----------------------------------------------------------------------------------------
def assign_lines(frame: pd.DataFrame) -> pd.Series:
    """Each row's line: ``province``, ``national`` or its (non-ok) status."""
    status = frame["status"].astype("string").fillna(Status.INVALID.value)
    status = status.where(status.isin(STATUSES), Status.INVALID.value)  # unknown: invalid
    precision = pd.to_numeric(frame["geo_precision"], errors="coerce")
    ok = status.eq(Status.OK)
    province = ok & precision.le(int(GeoPrecision.PROVINCE)).fillna(False) & frame[
        "adm1_code"].notna()
    line = status.where(~ok, NATIONAL).astype(object)
    line[province.to_numpy()] = "province"
    if "kind" in frame:
        total = ok & frame["kind"].astype("string").eq("total").fillna(False)
        line[total.to_numpy()] = RUNNING_TOTAL
    return pd.Series(line.to_numpy(), index=frame.index, dtype=object)


def _bound_text(name: str, value, end: bool = False) -> str | None:
    """A date bound as it is written in the summary's metadata (None when not given)."""
    return None if value is None else f"{_as_date(name, value, end):%Y-%m-%d}"


def select_dates(frame: pd.DataFrame, date_from=None, date_to=None) -> pd.DataFrame:
    """Rows dated within [date_from, date_to] (both optional; undated rows drop out)."""
    start, end = _as_date("date_from", date_from), _as_date("date_to", date_to, end=True)
    if start is not None and end is not None and start > end:
        raise SummaryError(f"date_from ({start:%Y-%m-%d}) is after date_to ({end:%Y-%m-%d})")
    keep = pd.Series(True, index=frame.index)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    if start is not None:
        keep &= dates.ge(start).fillna(False)
    if end is not None:
        keep &= dates.le(end).fillna(False)
    return frame[keep.to_numpy()]


# -- helpers ---------------------------------------------------------------------------------------
def _types_in(frame: pd.DataFrame) -> list[str]:
    present = set(frame["type"].dropna().astype(str))
    return [t for t in INCIDENT_TYPES if t in present] + sorted(present - set(INCIDENT_TYPES))


def _all_types(frame: pd.DataFrame) -> list[str]:
    """The vocabulary in schema order, then any other type the table holds."""
    present = set(frame["type"].dropna().astype(str))
    return list(INCIDENT_TYPES) + sorted(present - set(INCIDENT_TYPES))


def _int_sum(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").fillna(0).sum())


def _split_nationalities(value) -> list[str]:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    parts = re.split(r"\s*(?:,|;|/|\band\b)\s*", str(value))
    return sorted({p.strip() for p in parts if p.strip()})


def _nationality_counts(values: pd.Series) -> Counter:
    """How many rows name each nationality ("Chinese, Vietnamese" counts for both). A log
    repeats a few cells many times: each distinct cell is split once, then weighted."""
    counts: Counter = Counter()
    for value, rows in values.dropna().astype(str).value_counts(sort=False).items():
        for name in _split_nationalities(value):
            counts[name] += int(rows)
    return counts


def _top(counter: Counter, n: int = TOP_N) -> str:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[:n]
    return "; ".join(f"{name} ({count})" for name, count in ranked)


def _place_names(frame: pd.DataFrame) -> pd.Series:
    match = frame["geo_match"].astype("string")
    return match.fillna(frame["place"].astype("string"))


def _counts_given(group: pd.DataFrame) -> dict:
    """People, women and children summed over the rows that give a number, and how many
    rows did not: a province whose rows give no number has "not given" (NA), never 0."""
    out = {}
    for column in COUNTED:
        values = pd.to_numeric(group[column], errors="coerce")
        given = values.notna()
        out[column] = int(values.sum()) if given.any() or not len(group) else pd.NA
        out[f"{column}_not_given"] = int((~given).sum())
    return out


def date_span(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    """The first and last date as precisely as the log knows them: a row dated only by its
    month gives "2026-01", never "2026-01-01"."""
    dates = pd.to_datetime(frame["date"], errors="coerce")
    known = dates.notna().to_numpy()
    if not known.any():
        return None, None
    order = dates[known].to_numpy().argsort(kind="stable")
    ends = [order[0], order[-1]]  # label the two ends only: a province may have 100,000 rows
    labels = date_labels(dates[known].iloc[ends],
                         frame["date_precision"][known].astype("string").iloc[ends])
    return labels.iloc[0], labels.iloc[1]


# -- tables --------------------------------------------------------------------------------------
def province_table(frame: pd.DataFrame, population: pd.DataFrame, names: pd.Series,
                   period: str | None = None) -> pd.DataFrame:
    """All 25 provinces (zeros included), sorted by official code; see :data:`COLUMN_DOCS`.

    ``names`` is each province's name indexed by ``adm1_code`` (``Reference.province_names``).
    """
    lines = assign_lines(frame)
    placed = frame[(lines == "province").to_numpy()]
    pop = population.set_index("adm1_code")["population_2019"]
    types = _all_types(frame)
    rows = []
    groups = {code: g for code, g in placed.groupby("adm1_code", sort=True)}
    labels = period_labels(frame, period) if period else None
    current = _current_period(labels) if period else None
    previous = previous_period(current, period) if current else None
    for code in names.index:
        group = groups.get(code, placed.iloc[0:0])
        row = {"adm1_code": code, "province": str(names[code]), "incidents": len(group)}
        kinds = group["type"].astype("string").value_counts()
        for kind in types:
            row[f"type_{kind}"] = int(kinds.get(kind, 0))
        row.update(_counts_given(group))
        row["top_nationalities"] = _top(_nationality_counts(group["nationality"]))
        row["first_date"], row["last_date"] = date_span(group)
        row["top_places"] = _top(Counter(p for p in _place_names(group).dropna() if p))
        population_2019 = int(pop[code]) if code in pop.index else None
        row["population_2019"] = population_2019
        row["per_100k"] = (len(group) / population_2019 * 1e5) if population_2019 else None
        if period:
            in_group = labels.loc[group.index]
            row["current_period"] = current
            row["incidents_current"] = int(in_group.eq(current).sum()) if current else 0
            row["previous_period"] = previous
            row["incidents_previous"] = int(in_group.eq(previous).sum()) if previous else 0
            row["change"] = row["incidents_current"] - row["incidents_previous"]
        rows.append(row)
    out = pd.DataFrame(rows)
    for column in COUNTED:
        out[column] = out[column].astype("Int64")
    out["population_2019"] = out["population_2019"].astype("Int64")
    out["per_100k"] = out["per_100k"].astype("Float64")
    return out


def _current_period(labels: pd.Series) -> str | None:
    exact = [x for x in labels.unique() if x != "undated" and "(" not in x]
    return max(exact, key=period_key) if exact else None


def lines_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per line that is not a province, then the provinces' sum and the total."""
    lines = assign_lines(frame)
    rows = []
    for line in OTHER_LINES:
        part = frame[(lines == line).to_numpy()]
        rows.append({"line": line, "label": LINE_LABELS[line], "rows": len(part),
                     "people": _int_sum(part["people"])})
    placed = frame[(lines == "province").to_numpy()]
    rows.append({"line": "provinces", "label": "Placed in a province (sum of the 25)",
                 "rows": len(placed), "people": _int_sum(placed["people"])})
    rows.append({"line": "total", "label": "Rows in", "rows": len(frame),
                 "people": _int_sum(frame["people"])})
    return pd.DataFrame(rows)


def period_table(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per period: incidents in provinces, each other line, the total, by type."""
    labels = period_labels(frame, period)
    lines = assign_lines(frame)
    types = _types_in(frame)
    rows = []
    for label in sorted(labels.unique(), key=period_key):
        mask = (labels == label).to_numpy()
        part, part_lines = frame[mask], lines[mask]
        row = {"period": label, "in_provinces": int((part_lines == "province").sum())}
        for line in OTHER_LINES:
            row[line] = int((part_lines == line).sum())
        row["total"] = len(part)
        placed = part[(part_lines == "province").to_numpy()]
        kinds = placed["type"].astype("string").value_counts()
        for kind in types:
            row[f"type_{kind}"] = int(kinds.get(kind, 0))
        row["people"] = _int_sum(placed["people"])
        rows.append(row)
    columns = ["period", "in_provinces", *OTHER_LINES, "total",
               *(f"type_{k}" for k in types), "people"]
    return pd.DataFrame(rows, columns=columns)


def period_province_table(frame: pd.DataFrame, period: str, names: pd.Series) -> pd.DataFrame:
    """Provinces with incidents, per period, with the change against the previous period."""
    lines = assign_lines(frame)
    labels = period_labels(frame, period)
    placed = frame[(lines == "province").to_numpy()].assign(period=labels)
    counts = placed.groupby(["adm1_code", "period"]).agg(
        incidents=("status", "size"), people=("people", _int_sum))
    rows = []
    for (code, label), values in counts.iterrows():
        prev = previous_period(label, period)
        before = int(counts["incidents"].get((code, prev), 0)) if prev else None
        rows.append({"period": label, "adm1_code": code, "province": str(names.get(code, code)),
                     "incidents": int(values["incidents"]), "people": int(values["people"]),
                     "previous_period": prev, "incidents_previous": before,
                     "change": None if before is None else int(values["incidents"]) - before})
    out = pd.DataFrame(rows, columns=["period", "adm1_code", "province", "incidents", "people",
                                      "previous_period", "incidents_previous", "change"])
    if len(out):
        out = out.assign(_p=out["period"].map(period_key),
                         _c=out["adm1_code"].str[3:].astype(int))
        out = out.sort_values(["_p", "_c"], kind="stable").drop(columns=["_p", "_c"])
    out["incidents_previous"] = out["incidents_previous"].astype("Int64")
    out["change"] = out["change"].astype("Int64")
    return out.reset_index(drop=True)


def district_table(frame: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """Districts with incidents; province-level rows in '(district not known)' per province."""
    lines = assign_lines(frame)
    placed = frame[(lines == "province").to_numpy()].copy()
    precision = pd.to_numeric(placed["geo_precision"], errors="coerce")
    known = precision.le(int(GeoPrecision.DISTRICT)) & placed["adm2_name"].notna()
    placed["district"] = placed["adm2_name"].astype("string").where(
        known.to_numpy(), "(district not known)")
    types = _types_in(frame)
    rows = []
    for (code, district), group in placed.groupby(["adm1_code", "district"], sort=False):
        row = {"adm1_code": code, "province": str(names.get(code, code)),
               "district": str(district), "incidents": len(group)}
        kinds = group["type"].astype("string").value_counts()
        for kind in types:
            row[f"type_{kind}"] = int(kinds.get(kind, 0))
        row.update(_counts_given(group))
        row["first_date"], row["last_date"] = date_span(group)
        rows.append(row)
    columns = ["adm1_code", "province", "district", "incidents",
               *(f"type_{k}" for k in types), *_COUNTED_COLUMNS, "first_date", "last_date"]
    out = pd.DataFrame(rows, columns=columns)
    if len(out):
        out = out.assign(_c=out["adm1_code"].str[3:].astype(int),
                         _u=out["district"].eq("(district not known)"))
        out = out.sort_values(["_c", "_u", "district"], kind="stable").drop(columns=["_c", "_u"])
    for column in COUNTED:
        out[column] = out[column].astype("Int64")
    return out.reset_index(drop=True)


def listed_rows(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each line that is not a province, for listing (only non-empty lines)."""
    lines = assign_lines(frame)
    out = {}
    for line in OTHER_LINES:
        part = frame[(lines == line).to_numpy()]
        if not len(part):
            continue
        table = pd.DataFrame({
            "line": line,
            "id": part["id"].astype("string").fillna(""),
            "date": date_labels(part["date"], part["date_precision"]).fillna(""),
            "type": part["type"].astype("string").fillna(""),
            "place": part["place"].astype("string").fillna(""),
            "people": pd.to_numeric(part["people"], errors="coerce").astype("Int64"),
            "message": part["message"].astype("string").fillna(""),
            "source": part["source"].astype("string").fillna(""),
        })
        undated = table["date"].eq("")  # undated rows after the dated ones
        out[line] = table.assign(_u=undated).sort_values(["_u", "date", "id"], kind="stable").drop(
            columns="_u").reset_index(drop=True)
    return out


def listed_table(listed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    columns = ["line", "id", "date", "type", "place", "people", "message", "source"]
    frames = [t for t in listed.values() if len(t)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


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
    missing = {"status", "geo_precision", "adm1_code", "type", "date"} - set(joined.columns)
    if missing:
        raise SummaryError(f"joined: missing columns {sorted(missing)}; pass the output of "
                           "mapper.pipeline.locate")
    frame = pd.DataFrame(joined.drop(columns="geometry", errors="ignore"))
    for column in ("people", "women", "children", "nationality", "place", "geo_match",
                   "adm2_name", "date_precision", "id", "message", "source"):
        if column not in frame:
            frame[column] = pd.NA
    rows_read = len(frame)
    frame = select_dates(frame, date_from, date_to)
    ref = resolve(reference)
    population = ref.population if population is None else population
    provinces = province_table(frame, population, ref.province_names, period)
    lines = lines_table(frame)
    first_date, last_date = date_span(frame)
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
        "sources": sorted(frame["source"].dropna().astype(str).unique().tolist()),
    }
    summary = Summary(provinces=provinces, lines=lines, listed=listed_rows(frame), meta=meta,
                      frame=frame)
    if period:
        summary.periods = period_table(frame, period)
        summary.period_provinces = period_province_table(frame, period, ref.province_names)
    if by == "district":
        summary.districts = district_table(frame, ref.province_names)
    _check_totals(summary)
    if privacy is not None:
        protect(summary, privacy)
    return summary


def _check_totals(summary: Summary) -> None:
    lines = summary.lines.set_index("line")["rows"]
    parts = int(summary.provinces["incidents"].sum()) + sum(int(lines[x]) for x in OTHER_LINES)
    if parts != summary.meta["rows_in"]:  # a bug, not a user error
        raise RuntimeError(f"summary lines add up to {parts}, not {summary.meta['rows_in']}")
