"""Checks of the curated tables (``mapper/data/places.csv`` and ``aliases.csv``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from mapper.constants import METRIC_CRS, PROVINCE_CODES
from mapper.gazetteer.kinds import PLACE_KINDS
from mapper.text import compact

if TYPE_CHECKING:
    from mapper.reference import Reference

#: How far outside its declared province a border checkpoint may sit (it is on the line).
CHECKPOINT_TOLERANCE_M = 1000.0
_KINDS = set(PLACE_KINDS)


def check_places(
    ref: Reference, places: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> list[str]:
    """Problems in mapper/data/places.csv and aliases.csv; an empty list means all is well.

    Checks: unique ids, known kinds, a source on every row, KH places with a valid province
    code and foreign ones without, every KH place inside its declared province polygon
    (checkpoints within 1 km), every alias pointing to an existing entry, and no alias
    naming two provinces unless it is marked ambiguous.
    """
    places = ref.places if places is None else places
    aliases = ref.aliases if aliases is None else aliases
    problems = _check_place_rows(places)
    problems += _check_place_locations(places, ref.layer("ADM1"))
    problems += _check_aliases(places, aliases, set(ref.countries["id"]))
    return problems


def _check_place_rows(places: pd.DataFrame) -> list[str]:
    problems = []
    codes = set(PROVINCE_CODES)
    for dup in places.loc[places["id"].duplicated(), "id"]:
        problems.append(f"places.csv: id '{dup}' is used more than once")
    for row_no, row in zip(range(2, len(places) + 2), places.itertuples(index=False),
                           strict=True):
        where = f"places.csv, row {row_no} ({row.id})"
        if row.kind not in _KINDS:
            problems.append(f"{where}: kind '{row.kind}' is not one of {sorted(_KINDS)}")
        if not row.source.strip() or not row.source_url.strip():
            problems.append(f"{where}: no source")
        if row.country == "KH" and row.adm1_code not in codes:
            problems.append(f"{where}: adm1_code '{row.adm1_code}' is not KH-1..KH-25")
        if row.country != "KH" and row.adm1_code:
            problems.append(f"{where}: a place outside Cambodia has adm1_code")
        try:
            lat, lon = float(row.lat), float(row.lon)
        except ValueError:
            problems.append(f"{where}: lat/lon are not numbers")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(f"{where}: lat/lon out of range")
    return problems


def _check_place_locations(places: pd.DataFrame, adm1: gpd.GeoDataFrame) -> list[str]:
    kh = places[places["country"].eq("KH")].copy()
    kh["lat"] = pd.to_numeric(kh["lat"], errors="coerce")
    kh["lon"] = pd.to_numeric(kh["lon"], errors="coerce")
    kh = kh.dropna(subset=["lat", "lon"])
    adm1 = adm1.set_index("adm1_code")
    points = gpd.GeoSeries.from_xy(kh["lon"], kh["lat"], crs=4326, index=kh.index)
    declared = adm1.geometry.reindex(kh["adm1_code"]).set_axis(kh.index)
    metres = points.to_crs(METRIC_CRS).distance(
        gpd.GeoSeries(declared, crs=4326).to_crs(METRIC_CRS))
    problems = []
    for idx, dist in metres.items():
        allowed = CHECKPOINT_TOLERANCE_M if kh.at[idx, "kind"] == "border_post" else 0.0
        if pd.isna(dist) or dist > allowed:
            problems.append(
                f"places.csv: '{kh.at[idx, 'id']}' lies {dist:.0f} m outside its declared "
                f"province {kh.at[idx, 'adm1_code']} (allowed: {allowed:.0f} m)")
    return problems


def _check_aliases(places: pd.DataFrame, aliases: pd.DataFrame, countries: set[str]) -> list[str]:
    province_of = dict(zip(places["id"], places["adm1_code"].replace("", None), strict=True))
    province_of |= {code: code for code in PROVINCE_CODES}
    country_of = dict(zip(places["id"], places["country"], strict=True))
    problems = []
    for row_no, row in zip(range(2, len(aliases) + 2), aliases.itertuples(index=False),
                           strict=True):
        if row.target not in province_of and row.target not in countries:
            problems.append(f"aliases.csv, row {row_no}: '{row.alias}' points to unknown "
                            f"entry '{row.target}'")
        if not row.source.strip():
            problems.append(f"aliases.csv, row {row_no}: '{row.alias}' has no source")
    table = aliases.assign(
        key=aliases["alias"].map(compact),
        area=aliases["target"].map(lambda t: province_of.get(t) or country_of.get(t) or t),
        flagged=aliases["ambiguous"].str.strip().isin(["1", "yes", "true"]),
    )
    for _, group in table.groupby("key"):
        if group["area"].nunique() > 1 and not group["flagged"].all():
            problems.append(f"aliases.csv: '{group['alias'].iloc[0]}' names several areas "
                            f"({', '.join(sorted(group['area'].unique()))}) but is not "
                            f"marked ambiguous")
    return problems
