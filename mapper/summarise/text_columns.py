"""A column read as text, each distinct value once.

A log of a million rows holds a handful of statuses, types and date precisions: comparing
those few distinct values as text, then spreading the answer back over the rows, gives
what ``column.astype("string").isin(values)`` gives, several times faster.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def distinct_text(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each row's number among the distinct values (-1 where missing), and those values
    as text."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(distinct, dtype=object)).astype("string")


def text_in(column: pd.Series, values) -> np.ndarray:
    """Where the column, as text, is one of ``values``; False where it is missing."""
    codes, distinct = distinct_text(column)
    hits = distinct.isin(list(values)).to_numpy(dtype=bool, na_value=False)
    return np.append(hits, False)[codes]  # -1 (missing) takes the last: False
