"""The rows that are not in a province, listed one by one: national rows, running totals,
and the rows not placed (unresolved, ambiguous, outside, invalid, draft).

The lists of a large log run to hundreds of thousands of rows. They are kept whole here
(the CSV and Parquet files hold every row); the workbook, JSON and Markdown hold their
first rows (:func:`mapper.summarise.export.shown_rows`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapper.summarise.rows import ALL_LINES, RowFacts, date_texts

LISTED_COLUMNS = ["line", "id", "date", "type", "place", "people", "message", "source"]


def listed_rows(frame: pd.DataFrame, *, facts: RowFacts | None = None
                ) -> dict[str, pd.DataFrame]:
    """The rows of each line that is not a province, for listing (only non-empty lines):
    dated rows first, by date, then id."""
    facts = facts or RowFacts(frame)
    out = {}
    for i, line in enumerate(ALL_LINES[1:], start=1):
        at = np.flatnonzero(facts.line_codes == i)
        if not len(at):
            continue
        # The order first, from ids and dates; then each column is taken once, in that
        # order (a list of a million rows held three copies of its columns: taken,
        # converted, sorted).
        ids = frame["id"].take(at).astype("string").fillna("").reset_index(drop=True)
        dates = date_texts(frame["date"].take(at), frame["date_precision"].take(at)).fillna(
            "").reset_index(drop=True)
        keys = pd.DataFrame({"_u": dates.eq(""), "date": dates, "id": ids})
        # undated rows after the dated ones
        order = keys.sort_values(["_u", "date", "id"], kind="stable").index.to_numpy()
        rows = at[order]
        table = {"line": line, "id": ids.take(order).reset_index(drop=True),
                 "date": dates.take(order).reset_index(drop=True)}
        for column in ("type", "place", "people", "message", "source"):
            values = frame[column].take(rows).reset_index(drop=True)
            table[column] = (pd.to_numeric(values, errors="coerce").astype("Int64")
                             if column == "people" else _repeated_text(values).fillna(""))
        out[line] = pd.DataFrame(table)
    return out


def _repeated_text(column: pd.Series) -> pd.Series:
    """A column of few distinct values (types, places, messages, sources) as pandas'
    string dtype, as ``astype("string")`` gives it: each distinct value converted once."""
    if column.dtype == pd.StringDtype():  # already that dtype, in that storage
        return column
    codes, distinct = pd.factorize(column)
    text = pd.array(np.asarray(distinct, dtype=object), dtype="string")
    return pd.Series(text.take(codes, allow_fill=True), index=column.index)


def listed_table(listed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every listed row in one table, line after line."""
    frames = [t for t in listed.values() if len(t)]
    if not frames:
        return pd.DataFrame(columns=LISTED_COLUMNS)
    return pd.concat(frames, ignore_index=True)[LISTED_COLUMNS]
