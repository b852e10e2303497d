"""The geocode chain: given coordinates -> gazetteer on ``place`` -> gazetteer on the
commune / district / province columns -> optional online geocoder -> unresolved.

Input: an incident table (:mod:`mapper.schema`, after ingest). Output: the same rows with
lat, lon, geo_precision, geo_method, geo_match, geo_score, place_kind, geo_id and adm1_code
filled, and status/message updated. Invalid rows pass through untouched. Lookups run once
per distinct (place, province) pair, so a large log costs what its distinct names cost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from mapper import schema
from mapper.gazetteer import Gazetteer, Match
from mapper.online import OnlineGeocoder, safe_call
from mapper.reference import Reference, resolve
from mapper.schema import GeoPrecision, Status

log = logging.getLogger(__name__)

ADMIN_COLUMNS = ("commune", "district", "province")


def geocode(
    incidents: pd.DataFrame,
    gazetteer: Gazetteer | None = None,
    online: OnlineGeocoder | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    *,
    reference: Reference | None = None,
) -> pd.DataFrame:
    """Place every ok row of ``incidents``; see the module docstring for the chain.

    Parameters
    ----------
    incidents : the incident table from :func:`mapper.ingest.read_incidents`.
    gazetteer : default: the gazetteer of ``reference``.
    online : an online geocoder (``mapper.online.backend_for("nominatim")``), used only for
        rows the gazetteer cannot place. None keeps the run offline.
    progress : wraps the iteration over distinct names (e.g. a progress bar).
    reference : the reference data (default: :func:`mapper.reference.default`).
    """
    gaz = gazetteer or resolve(reference).gazetteer
    out = schema.conform(incidents, schema.GEOCODED_COLUMNS)
    out["message"] = out["message"].fillna("")
    todo = out["status"].eq(Status.OK).fillna(False)
    given = todo & out["latitude"].notna() & out["longitude"].notna()
    _apply_given_coordinates(out, given)
    by_name = todo & ~given
    if by_name.any():
        _apply_lookups(out, by_name, gaz, online, progress or (lambda it: it))
    out["message"] = out["message"].replace("", pd.NA)
    return out


def _apply_given_coordinates(out: pd.DataFrame, rows: pd.Series) -> None:
    out.loc[rows, "lat"] = out.loc[rows, "latitude"]
    out.loc[rows, "lon"] = out.loc[rows, "longitude"]
    out.loc[rows, "geo_precision"] = int(GeoPrecision.PLACE)
    out.loc[rows, "geo_method"] = "given_coordinates"
    out.loc[rows, "geo_match"] = out.loc[rows, "place"]
    out.loc[rows, "place_kind"] = "coordinates"


def _apply_lookups(out, rows, gaz, online, progress) -> None:
    keys = out.loc[rows, ["place", *ADMIN_COLUMNS]]
    # Resolve each distinct (place, commune, district, province) once, then spread the
    # answers back to the rows by group number.
    group = schema.group_numbers([keys[c] for c in keys.columns])
    first = keys.iloc[np.unique(group, return_index=True)[1]].astype(object)
    distinct = first.where(first.notna(), None)
    del keys, first
    answers = pd.DataFrame(
        [_resolve(gaz, online, *key)
         for key in progress(list(distinct.itertuples(index=False, name=None)))]
    )
    # Column by column, from the few answers: one column of the million rows at a time.
    for column in answers.columns:
        if column == "message":
            out[column] = _messages(out[column], rows.to_numpy(dtype=bool), answers[column],
                                    group)
        else:
            out.loc[rows, column] = answers[column].astype(out[column].dtype).array.take(group)


def _messages(message: pd.Series, rows: np.ndarray, found: pd.Series,
              group: np.ndarray) -> pd.Series:
    """``message`` where ``rows`` is ``message; found`` (``found`` of the row's group),
    stripped of "; " at both ends. Most rows have no message yet: theirs is the group's,
    stripped once per group, and the column is one take from those and the rest (setting
    a million rows of text in place held several copies of the column at once)."""
    found = found.astype("string")
    own = ~rows | message.ne("").fillna(True).to_numpy()  # not looked up, or had a message
    texts = message[own]
    had = rows[own]
    if had.any():
        at = np.zeros(len(rows), dtype=np.int64)
        at[rows] = group
        more = pd.Series(found.array.take(at[own][had]), index=texts.index[had])
        texts[had] = texts[had].str.cat(more, sep="; ").str.strip("; ")
    index = np.empty(len(rows), dtype=np.int64)
    index[rows] = group
    index[own] = len(found) + np.arange(len(texts))
    values = pd.concat([found.str.strip("; "), texts], ignore_index=True).array
    return pd.Series(values.take(index), index=message.index)


def _resolve(
    gaz: Gazetteer, online: OnlineGeocoder | None, place, commune, district, province
) -> dict:
    """The chain for one distinct (place, commune, district, province)."""
    province_code = gaz.province_code(province) if province else None
    notes = []
    if province and not province_code:
        notes.append(f'field "province": "{province}" is not a province name I know')
    first = gaz.lookup(place, province_code) if place else None
    if first and first.status in (Status.OK, Status.OUTSIDE):
        return _row(gaz, first, notes)
    fallback = _admin_fallback(gaz, commune, district, province, province_code)
    if fallback:
        if first:
            notes.append(f'field "place": {first.message}; placed by the {fallback[1]} column')
        return _row(gaz, fallback[0], notes, method="admin_name")
    if first and first.status is Status.AMBIGUOUS:
        return _row(gaz, first, notes)
    if online and place:
        hit, failure = safe_call(online, place)
        if hit:
            return _online_row(hit, notes)
        if failure:
            notes.append(failure)
    if first:
        notes.append(f'field "place": {first.message}')
    else:
        notes.append("no place, commune, district or province given")
    return _unresolved_row(notes)


def _admin_fallback(gaz, commune, district, province, province_code):
    for column, value in (("commune", commune), ("district", district)):
        if value:
            match = gaz.lookup(value, province_code, kind=column)
            if match.status is Status.OK and match.entry.kind in {"district", "commune", "city"}:
                return match, column
    if province_code:
        return gaz.lookup(province), "province"
    return None


def _row(gaz: Gazetteer, match: Match, notes: list[str], method: str | None = None) -> dict:
    if match.status is Status.AMBIGUOUS:
        return {"status": Status.AMBIGUOUS.value, "geo_method": match.method,
                "message": "; ".join([*notes, f'field "place": {match.message}'])}
    entry = gaz.entry(match.entry.entry_id)
    country_only = match.entry.kind == "country"
    if match.message:
        notes = [*notes, match.message]
    return {
        "status": match.status.value,
        "lat": pd.NA if country_only else entry["lat"],
        "lon": pd.NA if country_only else entry["lon"],
        "geo_precision": match.precision,
        "geo_method": method or match.method,
        "geo_match": match.entry.name,
        "geo_score": match.entry.score,
        "place_kind": match.entry.kind,
        "geo_id": match.entry.entry_id,
        "adm1_code": match.entry.adm1_code,
        "message": "; ".join(notes),
    }


def _online_row(hit, notes: list[str]) -> dict:
    return {
        "status": Status.OK.value, "lat": hit.lat, "lon": hit.lon,
        "geo_precision": int(GeoPrecision.PLACE), "geo_method": f"online:{hit.service}",
        "geo_match": hit.address, "place_kind": "online", "message": "; ".join(notes),
    }


def _unresolved_row(notes: list[str]) -> dict:
    return {"status": Status.UNRESOLVED.value, "geo_method": "unresolved",
            "message": "; ".join(notes)}
