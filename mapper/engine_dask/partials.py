"""What one piece adds to the summary: counts, sums, first and last dates, and its listed
rows, small whatever the piece's size; :mod:`.combine` adds them up into the tables.

Every table of :func:`mapper.summarise.summarise` is a sum over rows, a first or last date,
a count of distinct values or a list of the rows that are not placed, so it can be built from
pieces: a province's incidents are the sum of its incidents in each piece, its first date the
earliest of the pieces' first dates (on a tie, the earlier piece's row, as a stable sort of
the whole table would take).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mapper.schema import GeoPrecision
from mapper.summarise import assign_lines, listed_rows, period_labels, select_dates

#: Counts of people a row may give (the summary's "people", "women", "children").
COUNTED = ("people", "women", "children")
#: The summary's name for province-level rows of the district table.
UNKNOWN_DISTRICT = "(district not known)"
#: Keys of the placed rows' table.
PLACED_KEYS = ["adm1_code", "district", "period", "type"]


@dataclass(frozen=True)
class SummaryOptions:
    """The arguments of :func:`mapper.summarise.summarise` that shape the partials."""

    by: str = "province"
    period: str | None = None
    date_from: object = None
    date_to: object = None


@dataclass
class Partial:
    """One piece's share of the summary (see the module docstring)."""

    position: int
    rows_read: int
    by_status: dict[str, int]
    rows_in: int = 0
    types: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    lines: pd.DataFrame | None = None  # by line: rows, people
    periods: pd.Series | None = None  # rows by (period, line)
    placed: pd.DataFrame | None = None  # by PLACED_KEYS: incidents, counts and given
    dates: pd.DataFrame | None = None  # by (scope, adm1_code, district): first/last dates
    nationalities: pd.Series | None = None  # rows by (adm1_code, nationality cell)
    places: pd.Series | None = None  # rows by (adm1_code, place name)
    listed: dict[str, pd.DataFrame] = field(default_factory=dict)


def partial(joined: pd.DataFrame, position: int, options: SummaryOptions) -> Partial:
    """The share of the summary of the joined rows of the piece at ``position``."""
    table = pd.DataFrame(joined.drop(columns="geometry", errors="ignore"))
    by_status = table["status"].astype(object).value_counts().to_dict()
    out = Partial(position, len(table), {str(k): int(v) for k, v in by_status.items()})
    frame = select_dates(table, options.date_from, options.date_to)
    out.rows_in = len(frame)
    out.types = set(frame["type"].dropna().astype(str))
    out.sources = set(frame["source"].dropna().astype(str))
    lines = pd.Series(assign_lines(frame).to_numpy(), index=frame.index)
    labels = (period_labels(frame, options.period) if options.period
              else pd.Series("", index=frame.index, dtype=object))
    out.lines = pd.DataFrame({"line": lines, "rows": 1, "people": _numbers(frame["people"])}
                             ).groupby("line").sum()
    if options.period:
        out.periods = pd.DataFrame({"period": labels, "line": lines}).value_counts()
    placed = frame[(lines == "province").to_numpy()]
    districts = _districts(placed)
    out.placed = _placed_table(placed, districts, labels[placed.index])
    out.dates = _date_ends(frame, placed, districts, position)
    out.nationalities = _value_rows(placed, placed["nationality"])
    names = placed["geo_match"].astype("string").fillna(placed["place"].astype("string"))
    out.places = _value_rows(placed, names.mask(names.eq("").fillna(False)))
    out.listed = listed_rows(frame)
    return out


def _numbers(values: pd.Series) -> pd.Series:
    """A count column as int64, 0 where not given (the summary's sums skip blanks)."""
    return pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")


def _districts(placed: pd.DataFrame) -> pd.Series:
    """Each placed row's district line: its ADM2 name when placed that finely."""
    precision = pd.to_numeric(placed["geo_precision"], errors="coerce")
    known = precision.le(int(GeoPrecision.DISTRICT)) & placed["adm2_name"].notna()
    return placed["adm2_name"].astype(object).where(known.to_numpy(), UNKNOWN_DISTRICT)


def _placed_table(placed: pd.DataFrame, districts: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Incidents, and for each count its sum and how many rows give it, by PLACED_KEYS."""
    values = {"adm1_code": placed["adm1_code"].astype(object), "district": districts,
              "period": labels, "type": placed["type"].astype(object), "incidents": 1}
    for column in COUNTED:
        number = pd.to_numeric(placed[column], errors="coerce")
        values[column] = number.fillna(0).astype("int64")
        values[f"{column}_given"] = number.notna().astype("int64")
    return pd.DataFrame(values, index=placed.index).groupby(PLACED_KEYS, dropna=False).sum()


def _date_ends(frame: pd.DataFrame, placed: pd.DataFrame, districts: pd.Series,
               position: int) -> pd.DataFrame:
    """First and last date with their precision, for the whole piece, each province and each
    district: the first row holding the earliest date, the last row holding the latest."""
    parts = [_ends(frame, pd.DataFrame({"scope": "all", "adm1_code": "", "district": ""},
                                       index=frame.index)),
             _ends(placed, pd.DataFrame({"scope": "province", "district": "",
                                         "adm1_code": placed["adm1_code"].astype(object)})),
             _ends(placed, pd.DataFrame({"scope": "district", "district": districts,
                                         "adm1_code": placed["adm1_code"].astype(object)}))]
    parts = [p for p in parts if len(p)]
    if not parts:
        return None
    return pd.concat(parts).assign(first_position=position, last_position=position)


def _ends(rows: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    dates = pd.to_datetime(rows["date"], errors="coerce")
    known = dates.notna().to_numpy()
    if not known.any():
        return pd.DataFrame()
    table = keys[known].assign(date=dates[known].to_numpy(),
                               precision=rows["date_precision"][known].astype(object))
    table = table.reset_index(drop=True)
    groups = table.groupby(["scope", "adm1_code", "district"], sort=False)["date"]
    first = table.loc[groups.idxmin()].set_index(["scope", "adm1_code", "district"])
    backwards = table.iloc[::-1]
    last = backwards.loc[backwards.groupby(["scope", "adm1_code", "district"],
                                           sort=False)["date"].idxmax()]
    last = last.set_index(["scope", "adm1_code", "district"])
    return pd.DataFrame({"first": first["date"], "first_precision": first["precision"],
                         "last": last["date"], "last_precision": last["precision"]})


def _value_rows(placed: pd.DataFrame, values: pd.Series) -> pd.Series:
    """Rows by (province, value) over the placed rows that give a value."""
    given = values.notna().to_numpy()
    keys = pd.DataFrame({"adm1_code": placed["adm1_code"].astype(object)[given],
                         "value": values[given].astype(str)})
    return keys.value_counts(sort=False)
