"""Privacy levels for sharing a map, a table or a summary beyond the team that keeps the log.

A :class:`Privacy` is a property of a run: every writer (map, tables, summaries, report)
takes the same object and emits only what it allows.

* ``internal``: everything.
* ``partner``: ``notes`` is emptied in every row (plus any field in ``drop``); rows marked
  ``sensitive`` keep only their province, month, type and a band of people ("1-4", "5-19",
  "20+"): no id (a neutral ``withheld-N`` instead), URL, exact date, exact count,
  nationality, place, district or commune, and they are drawn as their province.
* ``public``: as partner, and ``notes``, ``actor`` and any ``names`` column are emptied;
  provinces with fewer than :attr:`Privacy.suppress_below` incidents are *small cells*:
  no output shows their count or their incidents (:meth:`Privacy.small_cells`).

Input and output of :func:`apply_privacy`: the joined table (:func:`mapper.join.join`).
Rows are never dropped; a dropped field is emptied in every row so that it cannot reach any
output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from mapper import settings
from mapper.errors import IncidentMapperError
from mapper.reference import Reference, resolve
from mapper.schema import GeoPrecision, Status

LEVELS = ("internal", "partner", "public")
#: What each level always empties; ``drop`` only adds to these.
DEFAULT_DROPS: dict[str, tuple[str, ...]] = {
    "internal": (),
    "partner": ("notes",),
    "public": ("notes", "actor", "names"),
}
#: The fields ``drop`` may name.
KNOWN_FIELDS = ("id", "end_date", "place", "district", "commune", "people", "women",
                "children", "nationality", "actor", "source", "source_url", "notes", "names")
#: In public builds a province with 1 or 2 incidents shows "fewer than 3": with so few, a
#: count and a date can point at the people involved (the usual small-cell rule of
#: statistical offices, which suppress cells below 3 to 10).
SUPPRESS_BELOW = settings.SUPPRESS_BELOW
#: Columns that locate a row more finely than its province.
_FINE_COLUMNS = ("place", "district", "commune", "latitude", "longitude", "geo_match",
                 "geo_id", "adm2_name", "adm3_name", "message")
#: All a sensitive row keeps in a partner or public output (every other column is emptied).
SENSITIVE_KEEPS = ("id", "type", "date", "date_precision", "status", "message", "sensitive",
                   "province", "adm1_code", "adm1_name", "lat", "lon", "geo_precision",
                   "geo_method", "place_kind", "people_band")
#: Bands of people shown for a sensitive row instead of its count.
PEOPLE_BANDS = ((1, 4, "1-4"), (5, 19, "5-19"), (20, None, "20+"))
WITHHELD = "details withheld (sensitive row)"


class PrivacyError(IncidentMapperError, ValueError):
    """A privacy level or a field to drop that does not exist."""


@dataclass(frozen=True)
class SmallCells:
    """Provinces whose counts a public output does not show.

    ``small``: fewer incidents than the threshold. ``secondary``: larger provinces hidden as
    well, so that the small ones cannot be worked out from a total by subtraction.
    ``totals_hidden``: even then they could, so totals over the provinces are not shown.
    """

    small: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    totals_hidden: bool = False

    @property
    def hidden(self) -> frozenset[str]:
        return frozenset(self.small) | frozenset(self.secondary)


@dataclass(frozen=True)
class Privacy:
    """A privacy level and the fields it empties on top of the level's own (``drop``)."""

    level: str = "internal"
    drop: tuple[str, ...] | str | None = None
    #: Counts below this are shown as "fewer than N" (:func:`mapper.settings.suppress_below`).
    suppress_below: int = field(default_factory=settings.suppress_below)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise PrivacyError(f"privacy level must be one of {', '.join(LEVELS)}, "
                               f"got {self.level!r}")
        if self.suppress_below < SUPPRESS_BELOW:
            raise PrivacyError(f"suppress_below must be at least {SUPPRESS_BELOW} (it is only "
                               f"ever raised), got {self.suppress_below}")
        names = self.drop.split(",") if isinstance(self.drop, str) else (self.drop or ())
        drop = tuple(dict.fromkeys(str(n).strip() for n in names if str(n).strip()))
        unknown = [n for n in drop if n not in KNOWN_FIELDS]
        if unknown:
            raise PrivacyError(f"--drop: unknown field {', '.join(map(repr, unknown))}; "
                               f"known fields: {', '.join(KNOWN_FIELDS)}")
        object.__setattr__(self, "drop", drop)

    @property
    def dropped(self) -> tuple[str, ...]:
        """The level's fields, then those ``drop`` adds."""
        return tuple(dict.fromkeys((*DEFAULT_DROPS[self.level], *self.drop)))

    @property
    def protects_sensitive(self) -> bool:
        return self.level != "internal"

    @property
    def suppresses_counts(self) -> bool:
        return self.level == "public" and self.suppress_below > 1

    def label(self) -> str:
        """One line stating the level (map legend, summary notes)."""
        if self.level == "internal":
            return "Privacy: internal (all fields)" + (
                "; removed: " + ", ".join(self.dropped) if self.dropped else "")
        parts = [f"Privacy: {self.level}"]
        if self.dropped:
            parts.append("removed: " + ", ".join(self.dropped))
        parts.append("sensitive rows shown by province only")
        if self.suppresses_counts:
            parts.append(f"province counts below {self.suppress_below} not shown")
        return "; ".join(parts)

    def small_cells(self, counts: pd.Series) -> SmallCells:
        """The provinces (``counts``: incidents by ``adm1_code``) whose counts may not be
        shown: none unless the level suppresses counts."""
        if not self.suppresses_counts:
            return SmallCells()
        k = self.suppress_below
        counts = counts[counts > 0].astype(int)
        small = counts[counts < k].sort_index()
        if small.empty:
            return SmallCells()
        larger = counts[counts >= k]
        larger = larger.iloc[sorted(range(len(larger)),
                                    key=lambda i: (larger.iloc[i], larger.index[i]))]
        secondary: list[str] = []
        total = int(small.sum())
        for code, n in larger.items():
            if not _determined(len(small), len(secondary), total, k):
                break
            secondary.append(str(code))
            total += int(n)
        return SmallCells(tuple(map(str, small.index)), tuple(secondary),
                          _determined(len(small), len(secondary), total, k))


def _determined(n_small: int, n_secondary: int, total: int, k: int) -> bool:
    """Whether a reader who knows the hidden cells' total (from the totals shown), that each
    small one holds 1..k-1 and each secondary one at least k, can tell a small cell's count."""
    if n_secondary:
        low, high = 1, total - (n_small - 1) - n_secondary * k
    else:
        low, high = max(1, total - (n_small - 1) * (k - 1)), total - (n_small - 1)
    return min(high, k - 1) <= low


def people_band(value) -> str | None:
    """A count of people as its band: "1-4", "5-19" or "20+" (``None`` when not given)."""
    if value is None or pd.isna(value):
        return None
    n = int(value)
    for low, high, text in PEOPLE_BANDS:
        if n >= low and (high is None or n <= high):
            return text
    return "0"


def apply_privacy(joined: pd.DataFrame, privacy: Privacy,
                  reference: Reference | None = None) -> pd.DataFrame:
    """``joined`` as the privacy level allows it to be shared (``reference`` gives the
    province points that generalised rows move to). When the level withholds nothing from
    this table, it is ``joined`` itself: no stage changes it, and a copy of a million rows
    is half a gigabyte held for nothing."""
    if not privacy.dropped and not (privacy.protects_sensitive and "sensitive" in joined):
        return joined
    out = joined.copy()
    # where people were taken is most often read from their nationality: it goes with it
    derived = ("destination",) if "nationality" in privacy.dropped else ()
    for column in (*privacy.dropped, *derived):
        if column in out:
            out[column] = pd.Series(pd.NA, index=out.index, dtype=out[column].dtype)
    if privacy.protects_sensitive and "sensitive" in out:
        _generalise(out, _sensitive_rows(out), resolve(reference))
        _redact(out, out["sensitive"].fillna(False).astype(bool).to_numpy())
    return out


def _sensitive_rows(frame: pd.DataFrame) -> pd.Series:
    placed_finely = frame["geo_precision"].lt(int(GeoPrecision.PROVINCE)).fillna(False)
    return (frame["sensitive"].fillna(False).astype(bool)
            & frame["status"].eq(Status.OK).fillna(False)
            & placed_finely & frame["adm1_code"].notna())


def _generalise(frame: pd.DataFrame, rows: pd.Series, ref: Reference) -> None:
    if not rows.any():
        return
    for column in _FINE_COLUMNS:
        if column in frame:
            frame.loc[rows, column] = pd.NA
    points = ref.province_points.reindex(frame.loc[rows, "adm1_code"].astype(str))
    frame.loc[rows, "lat"] = points["lat"].to_numpy()
    frame.loc[rows, "lon"] = points["lon"].to_numpy()
    frame.loc[rows, "geo_precision"] = int(GeoPrecision.PROVINCE)
    frame.loc[rows, "place_kind"] = "province"
    frame.loc[rows, "geo_method"] = "generalised"
    if isinstance(frame, gpd.GeoDataFrame):
        frame.loc[rows, frame.geometry.name] = gpd.points_from_xy(
            points["lon"].to_numpy(), points["lat"].to_numpy())


def _redact(frame: pd.DataFrame, rows) -> None:
    """Sensitive rows keep their province, month, type and band of people; nothing else."""
    if not rows.any():
        return
    band = frame["people"].map(people_band) if "people" in frame else None
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in frame.columns:
        if column not in SENSITIVE_KEEPS and column != geometry:
            frame[column] = frame[column].mask(rows)
    frame["people_band"] = (band.where(rows) if band is not None
                            else pd.Series(pd.NA, index=frame.index)).astype("string")
    dates = pd.to_datetime(frame["date"], errors="coerce")
    frame["date"] = dates.mask(rows, dates.dt.to_period("M").dt.to_timestamp())
    if "date_precision" in frame:
        day = pd.Series(rows, index=frame.index) & frame["date_precision"].fillna("day").eq("day")
        frame.loc[day.to_numpy(), "date_precision"] = "month"
    if "adm1_name" in frame and "province" in frame:
        frame["province"] = frame["province"].mask(rows, frame["adm1_name"])
    not_ok = rows & frame["status"].ne(Status.OK).fillna(True).to_numpy()
    frame["message"] = frame["message"].mask(rows, pd.NA).mask(not_ok, WITHHELD)
    fine = rows & frame["geo_precision"].lt(int(GeoPrecision.PROVINCE)).fillna(True).to_numpy()
    frame.loc[fine, ["lat", "lon"]] = pd.NA
    if geometry and fine.any():
        frame.loc[fine, geometry] = None
    _neutral_ids(frame, rows)


def _neutral_ids(frame: pd.DataFrame, rows) -> None:
    """Ids of sensitive rows become withheld-1, withheld-2, ... in (province, month, type)
    order, so they say nothing about the log."""
    if "id" not in frame:
        return
    part = frame.loc[rows, [c for c in ("adm1_code", "date", "type") if c in frame]]
    order = part.sort_values(list(part.columns), kind="stable", na_position="last").index
    ids = pd.Series([f"withheld-{n}" for n in range(1, len(order) + 1)], index=order)
    frame.loc[order, "id"] = ids.astype(frame["id"].dtype)


def withhold_small_cells(frame: pd.DataFrame, privacy: Privacy) -> pd.DataFrame:
    """A row-level table (``geocode --out``) as a public output may hold it: without the rows
    of provinces whose counts :meth:`Privacy.small_cells` hides (a row list is a count)."""
    placed = (frame["status"].eq(Status.OK).fillna(False)
              & frame["geo_precision"].le(int(GeoPrecision.PROVINCE)).fillna(False)
              & frame["adm1_code"].notna())
    cells = privacy.small_cells(frame.loc[placed.to_numpy()].groupby("adm1_code").size())
    return frame[~frame["adm1_code"].isin(cells.hidden).fillna(False).to_numpy()]
