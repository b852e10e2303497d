"""Privacy levels for sharing a map or a table beyond the team that keeps the log.

* ``internal``: everything.
* ``partner``: the fields in ``drop`` are emptied (default: ``notes``), and rows marked
  ``sensitive`` are generalised to their province (precision 3).
* ``public``: as partner, and by default ``notes``, ``actor`` and any ``names`` column are
  emptied; maps suppress per-province counts below :data:`SUPPRESS_BELOW`.

Input and output: the joined table (:func:`mapper.join.join`). Rows are never dropped; a
dropped field is emptied in every row so that it cannot reach any output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from mapper import settings
from mapper.reference import Reference, resolve
from mapper.schema import GeoPrecision, Status

LEVELS = ("internal", "partner", "public")
DEFAULT_DROPS: dict[str, tuple[str, ...]] = {
    "internal": (),
    "partner": ("notes",),
    "public": ("notes", "actor", "names"),
}
#: In public builds a province with 1 or 2 incidents shows "fewer than 3": with so few, a
#: count and a date can point at the people involved (the usual small-cell rule of
#: statistical offices, which suppress cells below 3 to 10).
SUPPRESS_BELOW = settings.SUPPRESS_BELOW
#: Columns that locate a row more finely than its province.
_FINE_COLUMNS = ("place", "district", "commune", "latitude", "longitude", "geo_match",
                 "geo_id", "adm2_name", "adm3_name", "message")


@dataclass(frozen=True)
class Privacy:
    """A privacy level and the fields it empties (``None``: the level's default)."""

    level: str = "internal"
    drop: tuple[str, ...] | None = None
    #: Counts below this are shown as "fewer than N" (:func:`mapper.settings.suppress_below`).
    suppress_below: int = field(default_factory=settings.suppress_below)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"privacy level must be one of {LEVELS}, got {self.level!r}")
        if self.suppress_below < SUPPRESS_BELOW:
            raise ValueError(f"suppress_below must be at least {SUPPRESS_BELOW} (it is only "
                             f"ever raised), got {self.suppress_below}")

    @property
    def dropped(self) -> tuple[str, ...]:
        return DEFAULT_DROPS[self.level] if self.drop is None else tuple(self.drop)

    @property
    def suppresses_counts(self) -> bool:
        return self.level == "public" and self.suppress_below > 1

    def label(self) -> str:
        """One line stating the level on the map."""
        if self.level == "internal":
            return "Privacy: internal (all fields)"
        parts = [f"Privacy: {self.level}"]
        if self.dropped:
            parts.append("removed: " + ", ".join(self.dropped))
        parts.append("sensitive rows shown by province only")
        if self.suppresses_counts:
            parts.append(f"province counts below {self.suppress_below} not shown")
        return "; ".join(parts)


def apply_privacy(joined: pd.DataFrame, privacy: Privacy,
                  reference: Reference | None = None) -> pd.DataFrame:
    """``joined`` as the privacy level allows it to be shared (``reference`` gives the
    province points that generalised rows move to)."""
    out = joined.copy()
    for column in privacy.dropped:
        if column in out:
            out[column] = pd.Series(pd.NA, index=out.index, dtype=out[column].dtype)
    if privacy.level != "internal" and "sensitive" in out:
        _generalise(out, _sensitive_rows(out), resolve(reference))
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
