"""What the summary tables need from each row, read once for the whole log, and the sums
per group of rows that the province and district tables are made of.

A million rows are read a column at a time, never a group at a time: each row gets a small
integer for its group (its province, or its province and district) and every figure of a
group is a ``numpy.bincount`` over those integers. The first and last dates come from one
stable sort, so ties resolve as a row-by-row scan would (the earliest row among the first
dates, the latest among the last).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property

import numpy as np
import pandas as pd

from mapper.schema import STATUSES, GeoPrecision, Status, date_labels, group_numbers
from mapper.summarise.periods import period_labels
from mapper.summarise.text_columns import distinct_text, text_in

#: The lines that are not a province, in the order the tables list them.
NATIONAL = "national"
#: Rows of kind "total" (a figure over many events): listed, never counted as incidents.
RUNNING_TOTAL = "running_total"
OTHER_LINES: tuple[str, ...] = (NATIONAL, RUNNING_TOTAL,
                                *(s for s in STATUSES if s != Status.OK))
#: Every line, as the integer codes of :attr:`RowFacts.line_codes` number them.
ALL_LINES: tuple[str, ...] = ("province", *OTHER_LINES)
TOP_N = 3
#: Counts of people a row may give; a blank is "not given", never zero.
COUNTED = ("people", "women", "children")


def assign_lines(frame: pd.DataFrame) -> pd.Series:
    """Each row's line: ``province``, ``national`` or its (non-ok) status."""
    lines = np.array(ALL_LINES, dtype=object)[line_codes(frame)]
    return pd.Series(lines, index=frame.index, dtype=object)


def line_codes(frame: pd.DataFrame) -> np.ndarray:
    """Each row's line as its position in :data:`ALL_LINES`.

    A status that is missing or unknown is ``invalid``. An ``ok`` row is in a province when
    it has a province code and a precision of 1-3, else national; whatever its precision,
    an ``ok`` row of kind ``total`` is a running total."""
    codes, statuses = distinct_text(frame["status"])
    invalid, ok = ALL_LINES.index(Status.INVALID.value), -1
    line_of = [ok if s == Status.OK else ALL_LINES.index(s) if s in STATUSES else invalid
               for s in statuses.fillna(Status.INVALID.value)]
    lines = np.array([*line_of, invalid], dtype=np.intp)[codes]  # missing: invalid
    is_ok = lines == ok
    precision = pd.to_numeric(frame["geo_precision"], errors="coerce")
    province = is_ok & precision.le(int(GeoPrecision.PROVINCE)).to_numpy(
        dtype=bool, na_value=False) & frame["adm1_code"].notna().to_numpy()
    lines[is_ok] = ALL_LINES.index(NATIONAL)
    lines[province] = 0
    if "kind" in frame:
        lines[is_ok & text_in(frame["kind"], ["total"])] = ALL_LINES.index(RUNNING_TOTAL)
    return lines


def split_nationalities(value) -> list[str]:
    """The nationalities a cell names, once each: "Chinese, Thai and Lao"."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    parts = re.split(r"\s*(?:,|;|/|\band\b)\s*", str(value))
    return sorted({p.strip() for p in parts if p.strip()})


def top_text(counter: Counter, n: int = TOP_N) -> str:
    """'Chinese (12); Thai (3)': the most frequent first, ties by name."""
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[:n]
    return "; ".join(f"{name} ({count})" for name, count in ranked)


class RowFacts:
    """One frame's per-row facts, each worked out on first use and then kept: every table
    of a summary reads them instead of reading the frame again."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._labels: dict[str, pd.Series] = {}
        self._counted: dict[str, np.ndarray] = {}

    @cached_property
    def line_codes(self) -> np.ndarray:
        """Each row's line as its position in :data:`ALL_LINES`."""
        return line_codes(self.frame)

    @cached_property
    def lines(self) -> pd.Series:
        """Each row's line (:func:`assign_lines`)."""
        lines = np.array(ALL_LINES, dtype=object)[self.line_codes]
        return pd.Series(lines, index=self.frame.index, dtype=object)

    @cached_property
    def placed(self) -> np.ndarray:
        return self.line_codes == 0

    @cached_property
    def _types(self) -> tuple[np.ndarray, pd.Series]:
        return distinct_text(self.frame["type"])

    @cached_property
    def type_names(self) -> set[str]:
        """The types the frame holds, as text."""
        return set(self._types[1].tolist())

    @cached_property
    def dates(self) -> pd.Series:
        return pd.to_datetime(self.frame["date"], errors="coerce")

    def counted(self, column: str) -> np.ndarray:
        """The column as floats, NaN where not given (text that is no number included)."""
        if column not in self._counted:
            values = pd.to_numeric(self.frame[column], errors="coerce")
            self._counted[column] = values.to_numpy(dtype=float, na_value=np.nan)
        return self._counted[column]

    def labels(self, period: str) -> pd.Series:
        """Each row's period label (:func:`mapper.summarise.periods.period_labels`)."""
        if period not in self._labels:
            self._labels[period] = period_labels(self.frame, period, dates=self.dates)
        return self._labels[period]

    def type_codes(self, types: list[str]) -> np.ndarray:
        """Each row's type as its position in ``types``; -1 for none of them."""
        codes, distinct = self._types
        where = {kind: i for i, kind in enumerate(types)}
        return np.array([*(where.get(t, -1) for t in distinct), -1], dtype=np.intp)[codes]


def int_sums(ids: np.ndarray, values: np.ndarray, groups: int) -> list[int]:
    """Per group, the sum of ``values`` with NaN as 0, as whole numbers."""
    given = ~np.isnan(values)
    sums = np.bincount(ids[given], weights=values[given], minlength=groups)
    return [int(v) for v in sums]


def date_ends(facts: RowFacts, rows: np.ndarray, ids: np.ndarray,
              groups: int) -> tuple[list, list]:
    """The first and last date label of each group; ``rows`` are positions in the frame,
    ``ids`` their groups. None for a group with no dated row."""
    dates = facts.dates
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_convert(None)
    stamps = dates.to_numpy()[rows]
    known = ~np.isnat(stamps)
    rows, ids, stamps = rows[known], ids[known], stamps[known].view("i8")
    by_date = np.argsort(stamps, kind="stable")
    order = by_date[np.argsort(ids[by_date], kind="stable")]  # by group, then date
    grouped = ids[order]
    first, last = [None] * groups, [None] * groups
    if not len(order):
        return first, last
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    stops = np.r_[starts[1:], len(order)] - 1
    ends = rows[np.concatenate([order[starts], order[stops]])]
    precision = facts.frame["date_precision"].iloc[ends].astype("string")
    labels = date_labels(facts.dates.iloc[ends], precision).to_numpy()
    for k, group in enumerate(grouped[starts]):
        first[group], last[group] = labels[k], labels[len(starts) + k]
    return first, last


def top_per_group(values: pd.Series, ids: np.ndarray, groups: int,
                  nationalities: bool = False) -> list[str]:
    """The most frequent values of each group as :func:`top_text` writes them; values are
    aligned with ``ids``. Nationalities count each name a cell gives ("Chinese, Thai" counts
    for both), each distinct cell split once; empty text is no value."""
    codes, distinct = pd.factorize(values)
    known = codes >= 0
    pairs, counts = np.unique(ids[known] * len(distinct) + codes[known], return_counts=True)
    texts = [str(v) for v in distinct]
    names = [split_nationalities(t) for t in texts] if nationalities else [
        [t] if t else [] for t in texts]
    per: list[Counter] = [Counter() for _ in range(groups)]
    for pair, n in zip(pairs.tolist(), counts.tolist(), strict=True):
        group, code = divmod(pair, len(distinct))
        for name in names[code]:
            per[group][name] += n
    return [top_text(c) for c in per]


def date_texts(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """:func:`mapper.schema.date_labels`, each distinct date and precision written once (a
    list of a million rows holds a few hundred dates)."""
    keys = group_numbers([dates, precision])
    # One row of each key (any: they share their date and precision) is labelled.
    row_of_key = np.zeros(int(keys.max(initial=-1)) + 1, dtype=np.intp)
    row_of_key[keys] = np.arange(len(keys))
    labels = date_labels(dates.iloc[row_of_key], precision.iloc[row_of_key]).to_numpy(
        dtype=object)
    return pd.Series(labels[keys], index=dates.index, dtype=object)


def group_figures(facts: RowFacts, rows: np.ndarray, ids: np.ndarray, groups: int,
                  types: list[str]) -> dict[str, list]:
    """Per group: ``incidents``, ``type_<name>`` for each of ``types``, each count of
    people summed where given (NA when no row of a non-empty group gives one) with its
    ``_not_given`` count, and ``first_date``/``last_date``."""
    incidents = np.bincount(ids, minlength=groups)
    out: dict[str, list] = {"incidents": incidents.tolist()}
    codes = facts.type_codes(types)[rows]
    kinds = np.bincount(ids[codes >= 0] * len(types) + codes[codes >= 0],
                        minlength=groups * len(types)).reshape(groups, len(types))
    for i, kind in enumerate(types):
        out[f"type_{kind}"] = kinds[:, i].tolist()
    for column in COUNTED:
        values = facts.counted(column)[rows]
        given = np.bincount(ids[~np.isnan(values)], minlength=groups)
        sums = int_sums(ids, values, groups)
        out[column] = [s if g or not n else pd.NA
                       for s, g, n in zip(sums, given, incidents, strict=True)]
        out[f"{column}_not_given"] = (incidents - given).tolist()
    out["first_date"], out["last_date"] = date_ends(facts, rows, ids, groups)
    return out
