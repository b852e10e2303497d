"""The pieces' partials added up into the tables :func:`mapper.summarise.summarise` makes.

:class:`Totals` takes the partials in any order (as workers finish) and keeps only sums:
its size grows with provinces, districts, periods, types and distinct nationalities and
place names, never with rows, except for the rows it lists (those not placed in a
province, which the summary lists one by one). :meth:`Totals.summary` then builds each
table row by row as :mod:`mapper.summarise.tables` does, so that the two give equal tables
(``tests/test_engine_dask.py`` holds them to it).
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from mapper.engine_dask.partials import COUNTED, UNKNOWN_DISTRICT, Partial, SummaryOptions
from mapper.schema import INCIDENT_TYPES, date_labels
from mapper.summarise import (
    LINE_LABELS,
    OTHER_LINES,
    TOP_N,
    Summary,
)
from mapper.summarise.periods import period_key, previous_period
from mapper.summarise.tables import period_province_frame

_ENDS_KEYS = ["scope", "adm1_code", "district"]


def _added(total, part):
    """Two tables of sums (a DataFrame or Series indexed by keys) added up."""
    if part is None or not len(part):
        return total
    if total is None:
        return part
    both = pd.concat([total, part])
    return both.groupby(level=list(range(both.index.nlevels)), dropna=False, sort=False).sum()


class Totals:
    """The partials of the pieces seen so far, added up."""

    def __init__(self, options: SummaryOptions) -> None:
        self.options = options
        self.rows_read = self.rows_in = 0
        self.by_status: Counter = Counter()
        self.types: set[str] = set()
        self.sources: set[str] = set()
        self.lines = self.periods = self.placed = None
        self.nationalities = self.places = None
        self.ends: pd.DataFrame | None = None
        self.listed: list[tuple[int, dict[str, pd.DataFrame]]] = []

    def add(self, part: Partial) -> None:
        self.rows_read += part.rows_read
        self.rows_in += part.rows_in
        self.by_status.update(part.by_status)
        self.types |= part.types
        self.sources |= part.sources
        self.lines = _added(self.lines, part.lines)
        self.periods = _added(self.periods, part.periods)
        self.placed = _added(self.placed, part.placed)
        self.nationalities = _added(self.nationalities, part.nationalities)
        self.places = _added(self.places, part.places)
        self.ends = _earliest_and_latest(self.ends, part.dates)
        if part.listed:
            self.listed.append((part.position, part.listed))

    # -- the summary ------------------------------------------------------------------------
    def summary(self, template: Summary, names: pd.Series, population: pd.DataFrame) -> Summary:
        """The summary of every row added; ``template`` is :func:`mapper.summarise.summarise`
        of no rows with the same arguments (its metadata and its empty tables)."""
        period = self.options.period
        meta = dict(template.meta)
        first, last = self._ends("all", "", "")
        meta.update(rows_read=self.rows_read, rows_in=self.rows_in,
                    rows_left_out_by_dates=self.rows_read - self.rows_in,
                    first_date=first, last_date=last, sources=sorted(self.sources))
        out = Summary(provinces=self.province_table(population, names), lines=self.lines_table(),
                      listed=self.listed_rows(), meta=meta, frame=None)
        if period:
            out.periods = self.period_table()
            out.period_provinces = self.period_province_table(names)
        if self.options.by == "district":
            out.districts = self.district_table(names)
        _check_totals(out)
        return out

    def _placed(self) -> pd.DataFrame:
        if self.placed is None:
            columns = ["incidents", *(c for n in COUNTED for c in (n, f"{n}_given"))]
            index = pd.MultiIndex.from_arrays([[]] * 4, names=["adm1_code", "district",
                                                              "period", "type"])
            return pd.DataFrame(0, index=index, columns=columns)
        return self.placed

    def _sum(self, levels: list[str], column: str = "incidents") -> pd.Series:
        return self._placed()[column].groupby(level=levels, sort=False).sum()

    def _ends(self, scope: str, code: str, district: str) -> tuple[str | None, str | None]:
        """First and last date of a scope, as precisely as the log gives them."""
        ends = self.ends
        if ends is None or (scope, code, district) not in ends.index:
            return None, None
        row = ends.loc[(scope, code, district)]
        labels = date_labels(pd.Series([row["first"], row["last"]]),
                             pd.Series([row["first_precision"], row["last_precision"]],
                                       dtype=object).astype("string"))
        return labels.iloc[0], labels.iloc[1]

    def _labels(self) -> list[str]:
        found = set() if self.periods is None else set(self.periods.index.get_level_values(0))
        return sorted(found, key=period_key)

    def _current(self) -> str | None:
        exact = [x for x in self._labels() if x != "undated" and "(" not in x]
        return max(exact, key=period_key) if exact else None

    def _present_types(self) -> list[str]:
        """The vocabulary's types present, in its order, then the others (``_types_in``)."""
        return ([t for t in INCIDENT_TYPES if t in self.types]
                + sorted(self.types - set(INCIDENT_TYPES)))

    def _counts_given(self, sums: pd.Series | None, incidents: int) -> dict:
        out = {}
        for column in COUNTED:
            given = int(sums[f"{column}_given"]) if sums is not None else 0
            total = int(sums[column]) if sums is not None else 0
            out[column] = total if given or not incidents else pd.NA
            out[f"{column}_not_given"] = incidents - given
        return out

    def _tops(self, counts: pd.Series | None, split) -> dict[str, str]:
        """The top values of each province, as the summary writes them."""
        per: dict[str, Counter] = {}
        if counts is not None:
            for (code, value), rows in counts.items():
                for name in split(value):
                    per.setdefault(code, Counter())[name] += int(rows)
        return {code: _top(counter) for code, counter in per.items()}

    def province_table(self, population: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
        period = self.options.period
        pop = population.set_index("adm1_code")["population_2019"]
        types = list(INCIDENT_TYPES) + sorted(self.types - set(INCIDENT_TYPES))
        sums = self._placed().groupby(level="adm1_code", sort=False).sum()
        kinds = self._sum(["adm1_code", "type"])
        per_label = self._sum(["adm1_code", "period"])
        nationalities = self._tops(self.nationalities, _split_nationalities)
        places = self._tops(self.places, lambda value: [value])
        current = self._current() if period else None
        previous = previous_period(current, period) if current else None
        rows = []
        for code in names.index:
            incidents = int(sums["incidents"].get(code, 0))
            row = {"adm1_code": code, "province": str(names[code]), "incidents": incidents}
            for kind in types:
                row[f"type_{kind}"] = int(kinds.get((code, kind), 0))
            row.update(self._counts_given(sums.loc[code] if code in sums.index else None,
                                          incidents))
            row["top_nationalities"] = nationalities.get(code, "")
            row["first_date"], row["last_date"] = self._ends("province", code, "")
            row["top_places"] = places.get(code, "")
            population_2019 = int(pop[code]) if code in pop.index else None
            row["population_2019"] = population_2019
            row["per_100k"] = (incidents / population_2019 * 1e5) if population_2019 else None
            if period:
                now = int(per_label.get((code, current), 0)) if current else 0
                before = int(per_label.get((code, previous), 0)) if previous else 0
                row.update(current_period=current, incidents_current=now,
                           previous_period=previous, incidents_previous=before,
                           change=now - before)
            rows.append(row)
        out = pd.DataFrame(rows)
        for column in COUNTED:
            out[column] = out[column].astype("Int64")
        out["population_2019"] = out["population_2019"].astype("Int64")
        out["per_100k"] = out["per_100k"].astype("Float64")
        return out

    def lines_table(self) -> pd.DataFrame:
        lines = self.lines if self.lines is not None else pd.DataFrame(
            columns=["rows", "people"], dtype="int64")
        rows = [{"line": line, "label": LINE_LABELS[line],
                 "rows": int(lines["rows"].get(line, 0)),
                 "people": int(lines["people"].get(line, 0))} for line in OTHER_LINES]
        rows.append({"line": "provinces", "label": "Placed in a province (sum of the 25)",
                     "rows": int(lines["rows"].get("province", 0)),
                     "people": int(lines["people"].get("province", 0))})
        rows.append({"line": "total", "label": "Rows in", "rows": self.rows_in,
                     "people": int(lines["people"].sum())})
        return pd.DataFrame(rows)

    def period_table(self) -> pd.DataFrame:
        types = self._present_types()
        kinds = self._sum(["period", "type"])
        people = self._sum(["period"], "people")
        periods = self.periods
        rows = []
        for label in self._labels():
            row = {"period": label, "in_provinces": int(periods.get((label, "province"), 0))}
            for line in OTHER_LINES:
                row[line] = int(periods.get((label, line), 0))
            row["total"] = int(periods.xs(label, level=0).sum())
            for kind in types:
                row[f"type_{kind}"] = int(kinds.get((label, kind), 0))
            row["people"] = int(people.get(label, 0))
            rows.append(row)
        columns = ["period", "in_provinces", *OTHER_LINES, "total",
                   *(f"type_{k}" for k in types), "people"]
        return pd.DataFrame(rows, columns=columns)

    def period_province_table(self, names: pd.Series) -> pd.DataFrame:
        period = self.options.period
        incidents = self._sum(["adm1_code", "period"])
        people = self._sum(["adm1_code", "period"], "people")
        rows = []
        for (code, label), count in incidents.items():
            prev = previous_period(label, period)
            before = int(incidents.get((code, prev), 0)) if prev else None
            rows.append({"period": label, "adm1_code": code,
                         "province": str(names.get(code, code)), "incidents": int(count),
                         "people": int(people[(code, label)]), "previous_period": prev,
                         "incidents_previous": before,
                         "change": None if before is None else int(count) - before})
        return period_province_frame(rows)

    def district_table(self, names: pd.Series) -> pd.DataFrame:
        types = self._present_types()
        sums = self._placed().groupby(level=["adm1_code", "district"], sort=False).sum()
        kinds = self._sum(["adm1_code", "district", "type"])
        rows = []
        for (code, district), values in sums.iterrows():
            incidents = int(values["incidents"])
            row = {"adm1_code": code, "province": str(names.get(code, code)),
                   "district": str(district), "incidents": incidents}
            for kind in types:
                row[f"type_{kind}"] = int(kinds.get((code, district, kind), 0))
            row.update(self._counts_given(values, incidents))
            row["first_date"], row["last_date"] = self._ends("district", code, district)
            rows.append(row)
        columns = ["adm1_code", "province", "district", "incidents",
                   *(f"type_{k}" for k in types),
                   *(c for n in COUNTED for c in (n, f"{n}_not_given")),
                   "first_date", "last_date"]
        out = pd.DataFrame(rows, columns=columns)
        if len(out):
            out = out.assign(_c=out["adm1_code"].str[3:].astype(int),
                             _u=out["district"].eq(UNKNOWN_DISTRICT))
            out = out.sort_values(["_c", "_u", "district"], kind="stable").drop(
                columns=["_c", "_u"])
        for column in COUNTED:
            out[column] = out[column].astype("Int64")
        return out.reset_index(drop=True)

    def listed_rows(self) -> dict[str, pd.DataFrame]:
        """Each line's rows in the summary's order: the pieces' sorted lists, put in the
        pieces' order and sorted again stably, order as one sort of the whole table."""
        pieces = [listed for _, listed in sorted(self.listed, key=lambda item: item[0])]
        out = {}
        for line in OTHER_LINES:
            parts = [p[line] for p in pieces if line in p]
            if not parts:
                continue
            table = pd.concat(parts, ignore_index=True)
            undated = table["date"].eq("")
            out[line] = table.assign(_u=undated).sort_values(
                ["_u", "date", "id"], kind="stable").drop(columns="_u").reset_index(drop=True)
        return out


def _earliest_and_latest(total: pd.DataFrame | None, part: pd.DataFrame | None):
    """Per scope, the earliest date (ties: the earlier piece) and the latest (ties: the
    later piece), with their precision: what a stable sort of the whole table gives."""
    if part is None or not len(part):
        return total
    both = (part if total is None else pd.concat([total, part])).reset_index()
    first = both.sort_values(["first", "first_position"], kind="stable").groupby(
        _ENDS_KEYS, sort=False).head(1).set_index(_ENDS_KEYS)
    last = both.sort_values(["last", "last_position"], kind="stable").groupby(
        _ENDS_KEYS, sort=False).tail(1).set_index(_ENDS_KEYS)
    return first[["first", "first_precision", "first_position"]].join(
        last[["last", "last_precision", "last_position"]], how="outer")


def _split_nationalities(value) -> list[str]:
    """"Chinese, Vietnamese" is two nationalities (the summary's rule)."""
    parts = re.split(r"\s*(?:,|;|/|\band\b)\s*", str(value))
    return sorted({p.strip() for p in parts if p.strip()})


def _top(counter: Counter, n: int = TOP_N) -> str:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[:n]
    return "; ".join(f"{name} ({count})" for name, count in ranked)


def _check_totals(summary: Summary) -> None:
    lines = summary.lines.set_index("line")["rows"]
    parts = int(summary.provinces["incidents"].sum()) + sum(int(lines[x]) for x in OTHER_LINES)
    if parts != summary.meta["rows_in"]:  # a bug, not a user error
        raise RuntimeError(f"summary lines add up to {parts}, not {summary.meta['rows_in']}")
