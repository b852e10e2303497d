"""Periods of a summary: month, quarter or year labels that stay honest about imprecise
dates (a row dated only by its year is "2026 (month unknown)", never January), their time
order, and the period before a given one."""

from __future__ import annotations

import pandas as pd

PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"period: expected one of {list(PERIODS)}, got {period!r}")


def period_labels(frame: pd.DataFrame, period: str) -> pd.Series:
    """Each row's period label; coarser dates say so, e.g. ``2026 (month unknown)``."""
    check_period(period)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    precision = frame.get("date_precision", pd.Series("day", index=frame.index))
    precision = precision.astype("string").fillna("day")
    year = dates.dt.year.astype("Int64").astype("string")
    if period == "month":
        exact = dates.dt.strftime("%Y-%m")
    elif period == "quarter":
        exact = year + "-Q" + dates.dt.quarter.astype("Int64").astype("string")
    else:
        exact = year
    # A row dated less precisely than the period says so, never falls on its first month.
    known = precision.isin(["day", "month"]) | (period == "year")
    labels = exact.where(known, year + f" ({period} unknown)").fillna("undated")
    return pd.Series(labels.to_numpy(dtype=object), index=frame.index, dtype=object)


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


