"""Periods of a summary: month, quarter or year labels that stay honest about imprecise
dates (a row dated only by its year is "2026 (month unknown)", never January), their time
order, and the period before a given one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapper.summarise.text_columns import text_in

PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"period: expected one of {list(PERIODS)}, got {period!r}")


def period_labels(frame: pd.DataFrame, period: str,
                  dates: pd.Series | None = None) -> pd.Series:
    """Each row's period label; coarser dates say so, e.g. ``2026 (month unknown)``.
    ``dates``: the frame's dates already read (``pd.to_datetime``), if at hand.

    Column at a time: each row gets a number for its period, and only the distinct
    numbers are written as text (a million rows hold a few dozen periods)."""
    check_period(period)
    if dates is None:
        dates = pd.to_datetime(frame["date"], errors="coerce")
    # A row dated less precisely than the period says so, never falls on its first month;
    # a row with no precision is dated to the day.
    known = np.full(len(frame), True)
    if "date_precision" in frame and period != "year":
        precision = frame["date_precision"]
        known = text_in(precision, ["day", "month"]) | precision.isna().to_numpy()
    dated = dates.notna().to_numpy()
    year = dates[dated].dt.year.to_numpy(dtype=np.int64)
    part = {"month": dates[dated].dt.month, "quarter": dates[dated].dt.quarter}.get(period)
    part = np.zeros(len(year), np.int64) if part is None else part.to_numpy(dtype=np.int64)
    code = year * 16 + np.where(known[dated], part, _UNKNOWN)
    inverse, distinct = pd.factorize(code)
    names = np.array([_label(int(c) // 16, int(c) % 16, period) for c in distinct],
                     dtype=object)
    labels = np.full(len(frame), "undated", dtype=object)
    labels[dated] = names[inverse]
    return pd.Series(labels, index=frame.index, dtype=object)


#: The period number of a row dated less precisely than the period.
_UNKNOWN = 15


def _label(year: int, part: int, period: str) -> str:
    if part == _UNKNOWN:
        return f"{year} ({period} unknown)"
    if period == "month":
        return f"{year:04d}-{part:02d}"  # as strftime("%Y-%m") writes it
    return f"{year}-Q{part}" if period == "quarter" else f"{year}"


def period_label(date: pd.Timestamp, period: str) -> str:
    if period == "month":
        return f"{date:%Y-%m}"
    if period == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    return f"{date.year}"


def period_key(label: str) -> tuple:
    """Sort periods in time order: 2026-01 < 2026-Q1 ... ; '(unknown)' after its year's
    periods; undated last."""
    if label == "undated":
        return (9999, 99, label)
    year = int(label[:4])
    rest = label[4:]
    if not rest:
        return (year, 0, label)
    if rest.startswith("-Q"):
        return (year, int(rest[2:]) * 3 - 2, label)
    if rest.startswith("-"):
        return (year, int(rest[1:]), label)
    return (year, 13, label)  # "(month unknown)"


def previous_period(label: str, period: str) -> str | None:
    """The period before ``label`` (None for an undated or imprecise label)."""
    if label == "undated" or "(" in label:
        return None
    if period == "year":
        return str(int(label) - 1)
    if period == "quarter":
        year, q = int(label[:4]), int(label[-1])
        return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
    stamp = pd.Timestamp(f"{label}-01") - pd.offsets.MonthBegin(1)
    return f"{stamp:%Y-%m}"


