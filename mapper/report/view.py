"""What the report prints, as plain values: every figure comes from the summary's tables,
and every headline is the total of a column the report prints (one source of truth).

:func:`report_view` turns a :class:`~mapper.summarise.Summary` and :class:`ReportOptions`
into a dict of display-ready text for the template. Sizes are capped here, not in the
template, so the report stays on three A4 pages whatever the log: the top provinces and
districts, the last periods, and the first rows of each line that is not a province (the
full lists are in the CSV and XLSX beside the report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from mapper.dates import DateError, parse_option_date
from mapper.errors import IncidentMapperError
from mapper.schema import date_labels
from mapper.summarise import NATIONAL, OTHER_LINES, RUNNING_TOTAL, Summary, assign_lines
from mapper.summarise.disclosure import NOT_SHOWN
from mapper.summarise.periods import previous_period
from mapper.words import LANGUAGES, number, type_label, words

TOP_PROVINCES = 10
TOP_DISTRICTS = 6
LAST_PERIODS = 8
PERIOD_TYPES = 5
FIRST_ROWS = 3
MAX_LISTED = 12
MAX_SOURCES = 3
CELL_CHARS = 42
#: Lines of rows that could not be placed (national rows and running totals are placed).
UNPLACED_LINES = tuple(x for x in OTHER_LINES if x not in (NATIONAL, RUNNING_TOTAL))


class ReportError(IncidentMapperError, ValueError):
    """A report option that cannot be used."""


@dataclass(frozen=True)
class ReportOptions:
    """What a planner sets on the report: its title, organisation, "as of" date, language,
    and whether a PDF is written beside the HTML."""

    title: str | None = None
    organisation: str | None = None
    as_of: str | None = None
    lang: str = "en"
    pdf: bool = False

    def __post_init__(self) -> None:
        if self.pdf:  # say it cannot be drawn before a log is read, not after it is counted
            from mapper.report.pdf import check_weasyprint

            check_weasyprint()
        if self.lang not in LANGUAGES:
            raise ReportError(f"--lang: expected one of {', '.join(LANGUAGES)}, "
                              f"got {self.lang!r}")
        if self.as_of:
            try:
                parsed = parse_option_date(self.as_of, name="--as-of")
            except DateError as err:
                raise ReportError(str(err)) from None
            label = date_labels(pd.Series([pd.Timestamp(parsed.start)]),
                                pd.Series([parsed.precision])).iloc[0]
            object.__setattr__(self, "as_of", label)


# -- small helpers ------------------------------------------------------------------------------
def _count(value) -> float | None:
    """A table cell as a number; None for a suppressed or missing cell."""
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return float(value)


def _cut(text, limit: int = CELL_CHARS) -> str:
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


class _Printer:
    """Numbers, counts and words of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words: Mapping[str, str] = words(lang)

    def __call__(self, key: str, **values) -> str:
        text = self.words[f"report.{key}"]
        return text.format(**values) if values else text

    def num(self, value, digits: int = 0) -> str:
        """A count as printed: '1,234'; '' when missing; a suppressed cell as the reader's
        language says it ('<3' stays, 'not shown' is translated)."""
        if isinstance(value, str):
            return self("not_shown") if value == NOT_SHOWN else value
        if value is None or pd.isna(value):
            return ""
        return number(value, self.lang, digits)

    def given(self, value, missing: int) -> str:
        """A count of people: the sum, or 'not given' when no incident gives one."""
        if isinstance(value, str):
            return self.num(value)
        if (value is None or pd.isna(value)) and missing:
            return self("not_given")
        return self.num(value)

    def share(self, part: float, whole: float) -> str:
        percent = 100 * part / whole if whole else 0
        text = f"{percent:.0f}\u00a0%" if self.lang == "fr" else f"{percent:.0f}%"
        return text

    def names(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self('and')} " + items[-1]


# -- headline and ranked provinces -------------------------------------------------------------
def _column_total(table: pd.DataFrame, column: str):
    """The sum of a column's numbers; 'not shown' when one of its cells is hidden."""
    if table[column].map(lambda v: isinstance(v, str)).any():
        return NOT_SHOWN
    return int(sum(_count(v) or 0 for v in table[column]))


def _totals(summary: Summary) -> dict:
    """Incidents and people over the provinces from the lines table (the one the summary's
    invariant checks); women and children as their column totals, not shown when a small
    cell hides some of them."""
    lines = summary.lines.set_index("line")
    provinces = summary.provinces
    suppressed = provinces["incidents"].map(lambda v: isinstance(v, str)).any()
    out = {"incidents": lines.loc["provinces", "rows"], "people": lines.loc["provinces",
                                                                           "people"]}
    for column in ("women", "children"):
        out[column] = NOT_SHOWN if suppressed else _column_total(provinces, column)
    return {k: (NOT_SHOWN if v is None or isinstance(v, str) else int(v))
            for k, v in out.items()}


def _ranked(provinces: pd.DataFrame) -> pd.DataFrame:
    """Provinces with incidents, most first; a suppressed '<k' ranks as 1, 'not shown' last."""
    def key(value) -> float:
        number_ = _count(value)
        if number_ is not None:
            return number_
        return 0.5 if str(value).startswith("<") else 0.25

    keyed = provinces.assign(_k=provinces["incidents"].map(key))
    keyed = keyed[keyed["_k"] > 0]
    return keyed.sort_values(["_k", "adm1_code"], ascending=[False, True],
                             kind="stable").drop(columns="_k")


def _main_types(row: pd.Series, p: _Printer, limit: int = 2) -> str:
    counts = {c[5:]: _count(row[c]) for c in row.index if c.startswith("type_")}
    ranked = sorted(((n, k) for k, n in counts.items() if n), key=lambda x: (-x[0], x[1]))
    return ", ".join(f"{type_label(k, p.lang)} {p.num(n)}" for n, k in ranked[:limit])


def _province_row(rank, row: pd.Series, total: float, p: _Printer) -> dict:
    incidents = _count(row["incidents"])
    return {
        "rank": rank, "name": row["province"], "incidents": p.num(row["incidents"]),
        "share": p.share(incidents, total) if incidents is not None and total else "",
        "types": _main_types(row, p),
        **{c: p.given(row[c], int(_count(row.get(f"{c}_not_given")) or 0))
           for c in ("people", "women", "children")},
        "per100k": p.num(_count(row["per_100k"]), 1) if incidents is not None else "",
        "first": row["first_date"] or "", "last": row["last_date"] or "",
    }


def ranked_provinces(summary: Summary, p: _Printer, top: int = TOP_PROVINCES) -> dict:
    """The top provinces, one row for the others, and the total row: the headline figures
    are this total row's cells."""
    provinces = summary.provinces
    ranked = _ranked(provinces)
    totals = _totals(summary)
    missing = {c: int(pd.to_numeric(provinces[f"{c}_not_given"], errors="coerce").sum())
               for c in ("people", "women", "children")}
    whole = totals["incidents"] if isinstance(totals["incidents"], int) else 0
    for column, n in missing.items():  # no incident gives a number: "not given", not 0
        if whole and n >= whole and totals[column] == 0:
            totals[column] = None
    rows = [_province_row(i + 1, row, whole, p) for i, (_, row) in
            enumerate(ranked.head(top).iterrows())]
    rest = ranked.iloc[top:]
    other = None
    if len(rest):
        other = {"name": p("other_provinces", n=len(rest)),
                 **{c: p.num(_column_total(rest, c)) for c in ("incidents", "people", "women",
                                                               "children")}}
    total_row = {c: p.given(totals[c], missing.get(c, 0)) for c in totals}
    return {"rows": rows, "other": other, "total": total_row, "totals": totals,
            "missing": missing, "provinces_with": len(ranked)}


# -- periods, districts, lines -----------------------------------------------------------------
def _arrow(change: int | None, p: _Printer) -> str:
    if change is None:
        return ""
    sign = "\u25b2 +" if change > 0 else ("\u25bc \u2212" if change < 0 else "= ")
    return sign + p.num(abs(change))


def period_rows(summary: Summary, p: _Printer, last: int = LAST_PERIODS) -> dict | None:
    """The last periods; all-zero columns dropped; change against the period before."""
    table, unit = summary.periods, summary.meta.get("period")
    if table is None or not len(table):
        return None
    table = table.assign(not_placed=table[list(UNPLACED_LINES)].sum(axis=1))
    by_label = table.set_index("period")["total"]
    table = table.assign(change=[
        int(t - by_label[previous_period(lab, unit)])
        if previous_period(lab, unit) in by_label.index else None
        for lab, t in zip(table["period"], table["total"], strict=True)])
    exact = table[~table["period"].str.contains(r"\(|undated", regex=True)]
    shown = exact.tail(last)
    # The most frequent types get a column each, the rest one column: a dozen narrow
    # columns would not fit the page's width.
    types = shown[[c for c in table.columns if c.startswith("type_")]].sum()
    top_types = types[types > 0].sort_values(ascending=False, kind="stable")
    kept = list(top_types.index[:PERIOD_TYPES])
    shown = shown.assign(other_types=shown[list(top_types.index[PERIOD_TYPES:])].sum(axis=1))
    candidates = ["in_provinces", NATIONAL, "not_placed", *kept, "other_types"]
    columns = [c for c in candidates if shown[c].sum() > 0]
    heads = {"in_provinces": p("in_provinces"), NATIONAL: p("national_short"),
             "not_placed": p("not_placed_short"), "other_types": p("other_types")}
    return {
        "heading": p("periods_heading", unit=p(f"unit_{unit}"), n=len(shown)),
        "columns": [heads.get(c) or type_label(c[5:], p.lang) for c in columns],
        "rows": [{"period": r["period"], "cells": [p.num(r[c]) for c in columns],
                  "total": p.num(r["total"]), "change": _arrow(r["change"], p)}
                 for _, r in shown.iterrows()],
    }


def _district_name(name: str, p: _Printer) -> str:
    if name == "(district not known)":
        return p("district_unknown")
    if name.startswith("(districts with fewer than"):
        return p("districts_pooled", k=name.split()[4])
    return name


def district_rows(summary: Summary, p: _Printer, top: int = TOP_DISTRICTS) -> dict | None:
    table = summary.districts
    if table is None:
        return None
    keyed = table.assign(_k=table["incidents"].map(lambda v: _count(v) or 0.5))
    keyed = keyed.sort_values(["_k"], ascending=False, kind="stable")
    rows = [{"province": r["province"], "district": _district_name(str(r["district"]), p),
             "incidents": p.num(r["incidents"]),
             "people": p.given(r.get("people"), int(_count(r.get("people_not_given")) or 0))}
            for _, r in keyed.head(top).iterrows()]
    rest = len(keyed) - len(rows)
    return {"rows": rows, "other": p("other_districts", n=rest) if rest > 0 else None}


def line_rows(summary: Summary, p: _Printer) -> dict:
    """Each line that is not a province: its count and its first rows (at most
    :data:`MAX_LISTED` in all)."""
    lines = summary.lines.set_index("line")
    table = [{"label": p.words[f"line.{line}"], "rows": p.num(lines.loc[line, "rows"]),
              "people": p.num(lines.loc[line, "people"])} for line in OTHER_LINES
             if _count(lines.loc[line, "rows"]) != 0]
    groups = []
    each = min(FIRST_ROWS, MAX_LISTED // max(len(summary.listed), 1))  # every line shows some
    for line, listed in summary.listed.items():
        first = listed.head(each)
        groups.append({"label": p.words[f"line.{line}"], "count": p.num(len(listed)),
                       "more": p("more", n=p.num(len(listed) - len(first)))
                       if len(listed) > len(first) else "",
                       "rows": [{k: _cut(r[k], 24 if k in ("id", "date") else CELL_CHARS)
                                 for k in ("id", "date", "place", "message", "source")}
                                | {"type": type_label(r["type"], p.lang) if r["type"] else "",
                                   "people": p.num(_count(r["people"]))}
                                for _, r in first.iterrows()]})
    return {"table": table, "groups": groups}


# -- words about the whole report ----------------------------------------------------------------
def _busiest(summary: Summary, p: _Printer) -> str | None:
    frame = summary.frame
    if frame is None or not len(frame):
        return None
    precise = frame["date_precision"].astype("string").fillna("day").isin(["day", "month"])
    incidents = (summary.lines_of_rows() != RUNNING_TOTAL).to_numpy()  # a total is no incident
    dates = pd.to_datetime(frame["date"], errors="coerce")[precise.to_numpy() & incidents]
    dates = dates.dropna()
    if not len(dates):
        return None
    counts = dates.dt.to_period("M").value_counts().sort_index(kind="stable")
    month, n = counts.idxmax(), int(counts.max())
    return p("key_busiest", unit=p("unit_month"), label=f"{month:%Y-%m}", n=p.num(n))


def key_message(summary: Summary, ranked: dict, p: _Printer) -> list[str]:
    """Two to four plain sentences a planner can quote."""
    total = ranked["totals"]["incidents"]
    lines = summary.lines.set_index("line")["rows"]
    sentences = []
    named = [(r["name"], _count(summary.provinces.set_index("province").loc[r["name"],
                                                                            "incidents"]))
             for r in ranked["rows"][:3]]
    named = [(name, n) for name, n in named if n]
    if not isinstance(total, int) or not total or not named:
        sentences.append(p("key_none") if total == 0 else "")
    elif len(named) == ranked["provinces_with"] == 1:
        sentences.append(p("key_one", total=p.num(total), names=named[0][0]))
    else:
        sentences.append(p("key_top", names=p.names([x for x, _ in named]),
                           share=p.share(sum(n for _, n in named), total),
                           total=p.num(total)))
    busiest = _busiest(summary, p)
    if busiest:
        sentences.append(busiest)
    national = _count(lines.get(NATIONAL))
    if national:
        sentences.append(p("key_national", n=p.num(national)))
    unplaced = sum(_count(lines.get(x)) or 0 for x in UNPLACED_LINES)
    if unplaced:
        sentences.append(p("key_unplaced", n=p.num(unplaced),
                           rows=p.num(summary.meta["rows_in"])))
    return [s for s in sentences if s]


def privacy_text(meta: dict, p: _Printer) -> list[str]:
    level = meta.get("privacy_level")
    if not level:
        return []
    removed = ", ".join(meta.get("privacy_removed") or []) or p("none")
    out = [p("privacy_internal") if level == "internal" and removed == p("none")
           else p("privacy_level", level=p(f"level_{level}"), fields=removed)]
    if meta.get("suppress_below"):
        out.append(p("privacy_cells", k=meta["suppress_below"]))
        if meta.get("provinces_hidden_with_small"):
            out.append(p("privacy_secondary", n=meta["provinces_hidden_with_small"]))
        if meta.get("totals_hidden"):
            out.append(p("privacy_totals"))
    return out


def _sources(meta: dict, p: _Printer) -> str:
    sources = meta.get("sources") or []
    if not sources:
        return p("no_sources")
    first = "; ".join(_cut(s, 60) for s in sources[:MAX_SOURCES])
    return p("sources", n=p.num(len(sources)), first=first)


def _headline(summary: Summary, ranked: dict, p: _Printer) -> list[dict]:
    lines = summary.lines.set_index("line")["rows"]
    unplaced = [lines[x] for x in UNPLACED_LINES]
    unplaced_total = NOT_SHOWN if any(isinstance(v, str) for v in unplaced) else int(
        sum(unplaced))
    out = [{"key": "rows_in", "value": p.num(summary.meta["rows_in"]), "label": p("rows_in")},
           {"key": "incidents", "value": ranked["total"]["incidents"], "label": p("placed")},
           {"key": "provinces_with", "value": p.num(ranked["provinces_with"]),
            "label": p("provinces_with")}]
    for column in ("people", "women", "children"):
        missing = ranked["missing"][column]
        out.append({"key": column, "value": ranked["total"][column], "label": p(column),
                    "note": p("not_given_in", n=p.num(missing)) if missing else ""})
    out += [{"key": "national", "value": p.num(lines[NATIONAL]), "label": p("national")},
            {"key": "not_placed", "value": p.num(unplaced_total), "label": p("not_placed")}]
    return [{"note": ""} | h for h in out]


def report_view(summary: Summary, options: ReportOptions | None = None) -> dict:
    """Everything the template prints, as text, for one summary and one set of options."""
    options = options or ReportOptions()
    p = _Printer(options.lang)
    meta = summary.meta
    ranked = ranked_provinces(summary, p)
    dated = (p("dated", first=meta["first_date"], last=meta["last_date"])
             if meta.get("first_date") else p("undated"))
    if meta.get("date_from") or meta.get("date_to"):
        dated += " (" + p("selection", start=meta.get("date_from") or p("start"),
                          end=meta.get("date_to") or p("end"),
                          n=p.num(meta["rows_left_out_by_dates"])) + ")"
    as_of = options.as_of or meta.get("last_date")
    return {
        "lang": options.lang, "title": options.title or p("default_title"),
        "organisation": p("by", organisation=options.organisation)
        if options.organisation else "",
        "dated": dated, "as_of": p("as_of", date=as_of) if as_of else "",
        "headline": _headline(summary, ranked, p), "key": key_message(summary, ranked, p),
        "ranked": ranked, "periods": period_rows(summary, p),
        "districts": district_rows(summary, p), "lines": line_rows(summary, p),
        "privacy": privacy_text(meta, p), "sources": _sources(meta, p),
        "t": {k.removeprefix("report."): v for k, v in p.words.items()
              if k.startswith("report.")},
    }


__all__ = ["ReportError", "ReportOptions", "assign_lines", "report_view"]
