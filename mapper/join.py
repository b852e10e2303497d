"""The spatial join: each placed row gets its province, district and commune.

Input: the geocoded table (:func:`mapper.geocode.geocode`). Output: a GeoDataFrame (EPSG:4326,
point geometry where lat/lon are known, empty otherwise) with adm1_code, adm1_name,
adm2_name and adm3_name filled.

* Rows placed at a point (precision 1-2) are joined point-in-polygon at each level.
* A point on a border line or just offshore (checkpoints sit on the line) takes the nearest
  unit within ``tolerance_m`` and says so in its message; farther away the row becomes
  ``outside``.
* Rows placed at a province (precision 3) keep that province and no district.
* Country-only rows (precision 4) keep no admin unit at all.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapper import schema, settings
from mapper.constants import METRIC_CRS
from mapper.reference import Reference, resolve
from mapper.schema import GeoPrecision, Status

log = logging.getLogger(__name__)


_LEVELS = (("ADM1", "adm1_code"), ("ADM2", "adm2_name"), ("ADM3", "adm3_name"))


def join(
    geocoded: pd.DataFrame, reference: Reference | None = None, tolerance_m: float | None = None
) -> gpd.GeoDataFrame:
    """Attach admin units to every placed row of ``geocoded``; see the module docstring.

    ``reference`` holds the boundary layers (default: :func:`mapper.reference.default`);
    ``tolerance_m`` defaults to :func:`mapper.settings.tolerance_m`.
    """
    ref = resolve(reference)
    tolerance_m = settings.tolerance_m() if tolerance_m is None else tolerance_m
    if tolerance_m < 0:
        raise ValueError(f"tolerance_m must be >= 0, got {tolerance_m}")
    out = _conformed(geocoded)
    points = gpd.GeoSeries.from_xy(out["lon"].astype(float), out["lat"].astype(float),
                                   crs="EPSG:4326", index=out.index)
    points[out["lat"].isna() | out["lon"].isna()] = None
    # No copy of the columns: copy-on-write copies one only when this join changes it.
    frame = gpd.GeoDataFrame(out, geometry=points, copy=False)

    at_point = (
        frame["status"].eq(Status.OK).fillna(False)
        & frame["geo_precision"].le(int(GeoPrecision.DISTRICT)).fillna(False)
        & frame.geometry.notna()
    )
    if at_point.any():
        _join_points(frame, at_point, ref, tolerance_m)
    frame["adm1_name"] = frame["adm1_code"].map(ref.province_names).astype("string")
    return frame


def _conformed(geocoded: pd.DataFrame) -> pd.DataFrame:
    """``geocoded`` as :func:`mapper.schema.conform` gives it. geocode's output already
    conforms: it is not copied (a million rows: ~200 MB, twice) but shared, and
    copy-on-write keeps the caller's frame as it was."""
    names = list(schema.GEOCODED_COLUMNS)
    if list(geocoded.columns[:len(names)]) == names and all(
            str(geocoded[name].dtype) == str(dtype)
            for name, dtype in schema.GEOCODED_COLUMNS.items()):
        return geocoded.copy(deep=False)
    return schema.conform(geocoded, schema.GEOCODED_COLUMNS)


def _join_points(frame: gpd.GeoDataFrame, rows: pd.Series, ref: Reference,
                 tolerance_m: float) -> None:
    # Geocoded logs repeat a few thousand points over many rows: join each point once.
    coords = frame.loc[rows, ["lat", "lon"]].astype(float)
    point_id = coords.groupby(["lat", "lon"], sort=False).ngroup()
    first = point_id.drop_duplicates()
    pts = frame.loc[first.index, ["geometry"]].set_axis(first.to_numpy())
    per_point: dict[str, pd.Series] = {}
    country = ref.country_metric
    for level, column in _LEVELS:
        layer = ref.layer(level)[[_key(level), "geometry"]]
        inside, nearest, too_far = _locate(pts, layer, _key(level), tolerance_m, country)
        per_point[column] = inside.combine_first(nearest)
        if level == "ADM1":
            per_point["_far"] = too_far
            per_point["_snapped"] = nearest.notna()
    found = {c: pd.Series(v.reindex(point_id.to_numpy()).to_numpy(), index=point_id.index)
             for c, v in per_point.items()}
    far = found.pop("_far").astype(bool)
    snapped = found.pop("_snapped").astype(bool)
    notes = [(snapped[snapped].index, f"not inside any province polygon; assigned to the "
                                      f"nearest within {tolerance_m:.0f} m (border line or "
                                      f"coast)")]
    notes += _assign_admin(frame, found)
    if far.any():
        idx = far[far].index
        frame.loc[idx, "status"] = Status.OUTSIDE.value
        notes.append((idx, f"the point lies outside Cambodia (more than {tolerance_m:.0f} m "
                           f"from any province)"))
        frame.loc[idx, ["adm1_code", "adm2_name", "adm3_name"]] = pd.NA
    _note(frame, notes)


def _key(level: str) -> str:
    return {"ADM1": "adm1_code", "ADM2": "adm2_name", "ADM3": "adm3_name"}[level]


def _locate(pts: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, key: str, tolerance_m: float,
            country):
    """Per point: the unit containing it, else the nearest within tolerance, else a flag."""
    hits = gpd.sjoin(pts, layer, how="left", predicate="within")
    inside = hits[~hits.index.duplicated()][key]
    missing = inside[inside.isna()].index
    nearest = pd.Series(pd.NA, index=pts.index, dtype=object)
    too_far = pd.Series(False, index=pts.index)
    if len(missing):
        lost = pts.loc[missing].to_crs(METRIC_CRS)
        # A cheap prepared distance test first: most lost points are nowhere near Cambodia,
        # and a nearest-polygon search against full outlines is what costs.
        close = shapely.dwithin(country, lost.geometry.values, tolerance_m)
        too_far.loc[lost.index[~close]] = True
        if close.any():
            near = gpd.sjoin_nearest(lost[close], layer.to_crs(METRIC_CRS), how="left",
                                     max_distance=tolerance_m)
            near = near[~near.index.duplicated()][key]
            nearest.loc[near.index] = near
            too_far.loc[near[near.isna()].index] = True
    return inside.astype(object), nearest, too_far


def _assign_admin(frame: gpd.GeoDataFrame, found: dict[str, pd.Series]
                  ) -> list[tuple[pd.Index, str]]:
    """Write the admin units found; return the note for the rows whose point fell just
    across their declared province's line."""
    idx = found["adm1_code"].index
    declared = frame.loc[idx, "adm1_code"]
    joined = found["adm1_code"]
    # A curated place's declared province wins over a point a few metres across the line;
    # its district and commune are then only kept when they belong to that province.
    agree = declared.isna() | (declared.astype(object) == joined)
    frame.loc[idx, "adm1_code"] = declared.where(declared.notna(), joined).astype("string")
    for column in ("adm2_name", "adm3_name"):
        frame.loc[idx, column] = found[column].where(agree, pd.NA).astype("string")
    moved = agree[~agree].index
    return [(moved, "the point falls just across its declared province's line; the "
                    "declared province is kept")]


def _note(frame: gpd.GeoDataFrame, notes: list[tuple[pd.Index, str]]) -> None:
    """Add each (rows, text) note to its rows' messages, after "; " where one is there.

    The message column is written once, for the rows noted only: rewriting a text column
    of a million rows per note held several copies of it at once."""
    notes = [(idx, text) for idx, text in notes if len(idx)]
    if not notes:
        return
    rows = notes[0][0].append([idx for idx, _ in notes[1:]]).unique()
    messages = frame.loc[rows, "message"].astype(object)
    messages = messages.where(messages.notna(), "")
    for idx, text in notes:
        current = messages.loc[idx]
        messages.loc[idx] = np.where(current.eq(""), text, current + "; " + text)
    frame.loc[rows, "message"] = messages.to_numpy()
