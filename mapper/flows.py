"""Flows: people taken across a border, from where a row is placed to the country they went.

A deportation or extradition row has a destination when its ``destination`` column gives
one (an ISO country code, from the log or from ``extract``) or, failing that, when it is
placed at a border checkpoint whose counterpart lies in another country (Meun Chey's is Tan
Nam, Viet Nam). Rows of one type from one point to one country make one flow. A country is
drawn at its most central place in the gazetteer (the town or province nearest the mean of
them all: on land, inside the country).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mapper.reference import Reference

#: The incident types that take people across a border.
FLOW_TYPES = ("deportation", "extradition")


def flow_lines(shown: pd.DataFrame, ref: Reference) -> list[dict]:
    """One entry per (type, origin, destination): the rows (positions in ``shown``), the
    two points and the destination's name, for the map's flow layer."""
    rows = shown[shown["type"].isin(FLOW_TYPES).fillna(False).to_numpy()
                 & shown["lat"].notna().to_numpy() & shown["lon"].notna().to_numpy()]
    if rows.empty:
        return []
    to = _destinations(rows, ref.places)
    rows = rows.assign(_to=to)[to.notna().to_numpy()]
    points = _country_points(ref, set(rows["_to"]))
    names = _country_names(ref)
    flows = []
    keys = [rows["type"], rows["lat"].round(4), rows["lon"].round(4), rows["_to"]]
    for (kind, lat, lon, country), group in rows.groupby(keys, sort=True):
        if country not in points:
            continue
        flows.append({"rows": [int(i) for i in group.index], "type": kind,
                      "from": [float(lat), float(lon)], "to": list(points[country]),
                      "country": names.get(country, country)})
    return flows


def _destinations(rows: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """The destination of each row: its own, else across the checkpoint it is placed at."""
    across = places[places["kind"].eq("border_post") & places["country"].eq("KH")]
    counterpart = dict(zip(across["id"], across["counterpart_country"], strict=True))
    given = rows["destination"].astype(object)
    out = given.where(given.notna() & given.ne(""), rows["geo_id"].map(counterpart))
    return out.where(out.notna() & out.ne("") & out.ne("KH"))


def _country_points(ref: Reference, codes: set[str]) -> dict[str, tuple[float, float]]:
    """Each country's most central gazetteer place (towns and provinces abroad)."""
    entries = ref.gazetteer.entries
    placed = entries[entries["country"].isin(codes) & entries["lat"].notna()
                     & entries["lon"].notna()]
    points = {}
    for code, group in placed.groupby("country"):
        lat, lon = group["lat"].to_numpy(float), group["lon"].to_numpy(float)
        k = int(np.argmin((lat - lat.mean()) ** 2 + (lon - lon.mean()) ** 2))
        points[code] = (round(float(lat[k]), 4), round(float(lon[k]), 4))
    return points


def _country_names(ref: Reference) -> dict[str, str]:
    entries = ref.gazetteer.entries
    countries = entries[entries["kind"].eq("country")]
    return dict(zip(countries["country"], countries["name"], strict=True))
