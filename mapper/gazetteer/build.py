"""Assembling the gazetteer from the reference data: admin units, countries, curated places
and their aliases."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from mapper.errors import GazetteerError
from mapper.gazetteer.kinds import KIND_PRECISION
from mapper.gazetteer.lookup import Gazetteer
from mapper.gazetteer.words import strip_generic
from mapper.text import compact, fold

if TYPE_CHECKING:
    from mapper.reference import Reference

log = logging.getLogger(__name__)


def _admin_entries(ref: Reference) -> tuple[pd.DataFrame, list[tuple[str, str]], gpd.GeoSeries]:
    provinces = ref.provinces
    adm1, adm2, adm3 = ref.layer("ADM1"), ref.layer("ADM2"), ref.layer("ADM3")
    districts = ref.districts

    p = adm1.merge(provinces, on="adm1_code")
    p_points = p.geometry.representative_point()
    prov = pd.DataFrame({
        "entry_id": p["adm1_code"], "name": p["name_common"], "kind": "province",
        "country": "KH", "adm1_code": p["adm1_code"], "adm2_name": None,
        "lat": p_points.y, "lon": p_points.x,
    })
    d_points = adm2.geometry.representative_point()
    dist = pd.DataFrame({
        "entry_id": "adm2:" + adm2["adm2_id"], "name": adm2["adm2_name"], "kind": "district",
        "country": "KH", "adm1_code": adm2["adm1_code"], "adm2_name": adm2["adm2_name"],
        "lat": d_points.y, "lon": d_points.x,
    })
    c_points = adm3.geometry.representative_point()
    adm2_names = adm2.set_index("adm2_id")["adm2_name"]
    comm = pd.DataFrame({
        "entry_id": "adm3:" + adm3["adm3_id"], "name": adm3["adm3_name"], "kind": "commune",
        "country": "KH", "adm1_code": adm3["adm1_code"],
        "adm2_name": adm3["adm2_id"].map(adm2_names), "lat": c_points.y, "lon": c_points.x,
    })
    names: list[tuple[str, str]] = []
    for col in ("name_en", "name_km", "name_boundaries", "name_common"):
        names += list(zip(provinces[col], provinces["adm1_code"], strict=True))
    names += list(zip(dist["name"], dist["entry_id"], strict=True))
    official = districts.dropna(subset=["official_code"])
    for col in ("name_en_official", "name_km"):
        names += list(zip(official[col], "adm2:" + official["adm2_id"], strict=True))
    names += list(zip(comm["name"], comm["entry_id"], strict=True))
    shapes = gpd.GeoSeries(
        pd.concat([p.geometry, adm2.geometry, adm3.geometry], ignore_index=True).values,
        index=pd.concat([prov["entry_id"], dist["entry_id"], comm["entry_id"]]).values,
        crs=adm1.crs,
    )
    return pd.concat([prov, dist, comm], ignore_index=True), names, shapes


def _country_entries(countries: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    entries = pd.DataFrame({
        "entry_id": countries["id"], "name": countries["name"], "kind": "country",
        "country": countries["country"], "adm1_code": None, "adm2_name": None,
        "lat": float("nan"), "lon": float("nan"), "source": countries["source"],
    })
    names = [(name, cid) for cid, listed in zip(countries["id"], countries["names"], strict=True)
             for name in listed.split("|")]
    return entries, names


def _place_entries(places: pd.DataFrame) -> pd.DataFrame:
    out = places.rename(columns={"id": "entry_id"}).copy()
    out["adm1_code"] = out["adm1_code"].replace("", None)
    out["adm2_name"] = None
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def build_gazetteer(
    ref: Reference, places: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> Gazetteer:
    """Assemble the gazetteer from the reference data's boundary layers and curated tables
    (``places`` and ``aliases`` replace the curated ones when given)."""
    places = ref.places if places is None else places
    aliases = ref.aliases if aliases is None else aliases
    admin, admin_names, shapes = _admin_entries(ref)
    countries, country_names = _country_entries(ref.countries)
    curated = _place_entries(places)
    entries = pd.concat([countries, admin, curated], ignore_index=True)
    entries["precision"] = entries["kind"].map(lambda k: int(KIND_PRECISION[k]))
    known = set(entries["entry_id"])
    names: dict[str, list[tuple[str, bool]]] = defaultdict(list)

    def add(name: str, entry_id: str, ambiguous: bool = False) -> None:
        key = compact(name) if isinstance(name, str) else ""
        if key and (entry_id, ambiguous) not in names[key]:
            names[key].append((entry_id, ambiguous))

    for name, entry_id in [*country_names, *admin_names]:
        add(name, entry_id)
    for name, entry_id in zip(curated["name"], curated["entry_id"], strict=True):
        add(name, entry_id)
        add(strip_generic(fold(name))[0], entry_id)  # "Bavet International Border ..."
    for row in aliases.itertuples(index=False):
        if row.target not in known:
            raise GazetteerError(f"aliases.csv: alias '{row.alias}' points to unknown "
                                 f"entry '{row.target}'")
        add(row.alias, row.target, row.ambiguous.strip() in {"1", "yes", "true"})
    log.debug("gazetteer: %d entries, %d names", len(entries), len(names))
    entries = entries.drop_duplicates("entry_id", keep="last").reset_index(drop=True)
    return Gazetteer(entries, dict(names), shapes)
