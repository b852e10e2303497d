"""Small-cell suppression of a summary's tables (public outputs).

The privacy policy (:class:`mapper.privacy.Privacy`, handed in by the caller: this layer
does not import it) decides which provinces are small cells. Here their counts become
``"<k"`` and every figure about them (types, people, nationalities, places, dates, rate) is
left blank; a province hidden with them so that they cannot be worked out by subtraction
shows ``"not shown"``. Per-period and per-district lines of hidden provinces are left out,
and districts with fewer than k incidents are pooled.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from mapper.privacy import Privacy, SmallCells
    from mapper.summarise.tables import Summary

NOT_SHOWN = "not shown"
#: Province columns kept for a hidden province (names, population and period labels).
_KEPT = ("adm1_code", "province", "population_2019", "current_period", "previous_period")


def protect(summary: Summary, privacy: Privacy) -> None:
    """Apply ``privacy`` to ``summary`` in place: its level in the metadata and, for public
    summaries, no count of a small cell anywhere."""
    if privacy.level == "internal" and not privacy.dropped:
        return
    summary.meta["privacy"] = privacy.label()
    # The same facts as fields, so the report can say them in the reader's language.
    summary.meta["privacy_level"] = privacy.level
    summary.meta["privacy_removed"] = list(privacy.dropped)
    if not privacy.suppresses_counts:
        return
    k = privacy.suppress_below
    counts = summary.provinces.set_index("adm1_code")["incidents"]
    cells = privacy.small_cells(counts)
    summary.meta["suppression"] = note(k, cells)
    summary.meta.update(suppress_below=k, provinces_hidden_with_small=len(cells.secondary),
                        totals_hidden=cells.totals_hidden)
    summary.provinces = _provinces(summary.provinces, cells, k)
    if summary.period_provinces is not None:
        summary.period_provinces = _period_provinces(summary.period_provinces, cells, k)
    if summary.districts is not None:
        summary.districts = _districts(summary.districts, cells, k)
    if cells.totals_hidden:
        summary.lines = _lines_without_totals(summary.lines)
        summary.meta.update(rows_in=NOT_SHOWN, rows_read=NOT_SHOWN)


def note(k: int, cells: SmallCells) -> str:
    text = (f"Provinces with fewer than {k} incidents show '<{k}' and no other figure; "
            f"districts with fewer than {k} are pooled; counts below {k} in the top "
            f"nationalities and places show '<{k}'.")
    if cells.secondary:
        text += (f" {len(cells.secondary)} larger province(s) show '{NOT_SHOWN}' so the small "
                 "ones cannot be worked out from the totals.")
    if cells.totals_hidden:
        text += " Totals over the provinces are not shown for the same reason."
    return text + " Sensitive rows count in the provinces, without their people."


def _small_counts(text, k: int):
    """'Thai (2); Lao (7)' -> 'Thai (<3); Lao (7)' for k = 3."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\((\d+)\)", lambda m: f"(<{k})" if int(m.group(1)) < k else m.group(0),
                  text)


def _provinces(table: pd.DataFrame, cells: SmallCells, k: int) -> pd.DataFrame:
    out = table.astype(object)
    for column in ("top_nationalities", "top_places"):
        out[column] = out[column].map(lambda v: _small_counts(v, k))
    hidden = out["adm1_code"].isin(cells.hidden).to_numpy()
    for column in out.columns:
        if column not in _KEPT:
            blank = "" if column.startswith("top_") else None
            values = [blank if h else v for v, h in zip(out[column], hidden, strict=True)]
            out[column] = pd.Series(values, index=out.index, dtype=object)
    small = out["adm1_code"].isin(cells.small).to_numpy()
    out.loc[hidden, "incidents"] = NOT_SHOWN
    out.loc[small, "incidents"] = f"<{k}"
    return out


def _period_provinces(table: pd.DataFrame, cells: SmallCells, k: int) -> pd.DataFrame:
    out = table[~table["adm1_code"].isin(cells.hidden)].astype(object).reset_index(drop=True)
    low = out["incidents"].map(lambda n: 0 < n < k).astype(bool)
    low_before = out["incidents_previous"].map(
        lambda n: n is not None and not pd.isna(n) and 0 < n < k).astype(bool)
    out.loc[low, "people"] = None
    out.loc[low | low_before, "change"] = None
    out.loc[low, "incidents"] = f"<{k}"
    out.loc[low_before, "incidents_previous"] = f"<{k}"
    return out


def _districts(table: pd.DataFrame, cells: SmallCells, k: int) -> pd.DataFrame:
    table = table[~table["adm1_code"].isin(cells.hidden)]
    low = table["incidents"] < k
    pooled = []
    for (code, province), group in table[low].groupby(["adm1_code", "province"], sort=False):
        n = int(group["incidents"].sum())
        pooled.append({"adm1_code": code, "province": province,
                       "district": f"(districts with fewer than {k} incidents)",
                       "incidents": f"<{k}" if n < k else n})
    out = pd.concat([table[~low].astype(object),
                     pd.DataFrame(pooled, columns=["adm1_code", "province", "district",
                                                   "incidents"])], ignore_index=True)
    out = out.reindex(columns=table.columns).astype(object)
    out = out.where(out.notna(), None)
    order = out["adm1_code"].str[3:].astype(int)
    return out.assign(_c=order).sort_values("_c", kind="stable").drop(
        columns="_c").reset_index(drop=True)


def _lines_without_totals(lines: pd.DataFrame) -> pd.DataFrame:
    out = lines.astype(object)
    totals = out["line"].isin(["provinces", "total"]).to_numpy()
    out.loc[totals, "rows"] = NOT_SHOWN
    out.loc[totals, "people"] = None
    return out
