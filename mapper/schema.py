"""The incident table: column names, dtypes and the controlled vocabularies.

Every stage exchanges a (Geo)DataFrame with these columns. A stage adds columns and never
drops rows; a row it cannot handle gets a ``status`` other than ``ok`` and a ``message``.

Input columns (any subset; ``ingest`` maps common aliases onto them)
    id, date, end_date, type, place, province, district, commune, latitude, longitude,
    people, women, children, nationality, actor, source, source_url, notes, sensitive,
    kind (event, total or background: :data:`KINDS`), destination (where people were taken)
Added by ingest
    date_precision, source_file, source_row, status, message
Added by geocode and join
    lat, lon, geo_precision, geo_method, geo_match, geo_score, place_kind, geo_id,
    adm1_code, adm1_name, adm2_name, adm3_name
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import numpy as np
import pandas as pd

STRING = pd.StringDtype()

#: Columns a user's log may carry, with the dtype each gets after ingest.
INPUT_COLUMNS: dict[str, object] = {
    "id": STRING,
    "date": "datetime64[ns]",
    "end_date": "datetime64[ns]",
    "type": STRING,
    "place": STRING,
    "province": STRING,
    "district": STRING,
    "commune": STRING,
    "latitude": "Float64",
    "longitude": "Float64",
    "people": "Int64",
    "women": "Int64",
    "children": "Int64",
    "nationality": STRING,
    "actor": STRING,
    "source": STRING,
    "source_url": STRING,
    "notes": STRING,
    "sensitive": "boolean",
    "kind": STRING,
    "destination": STRING,
}

#: Columns ingest adds: where each row came from and whether it is usable.
INGEST_COLUMNS: dict[str, object] = {
    "date_precision": STRING,
    "source_file": STRING,
    "source_row": "Int64",
    "status": STRING,
    "message": STRING,
}

#: Columns geocode and join add.
GEO_COLUMNS: dict[str, object] = {
    "lat": "Float64",
    "lon": "Float64",
    "geo_precision": "Int64",
    "geo_method": STRING,
    "geo_match": STRING,
    "geo_score": "Float64",
    "place_kind": STRING,
    "geo_id": STRING,
    "adm1_code": STRING,
    "adm1_name": STRING,
    "adm2_name": STRING,
    "adm3_name": STRING,
}

INCIDENT_COLUMNS: dict[str, object] = {**INPUT_COLUMNS, **INGEST_COLUMNS}
GEOCODED_COLUMNS: dict[str, object] = {**INCIDENT_COLUMNS, **GEO_COLUMNS}

COUNT_COLUMNS = ("people", "women", "children")

#: What a row reports: one ``event`` (the default when blank), a running ``total`` over many
#: events ("3,000 arrested since June": kept and listed, never counted as an incident), or a
#: ``background`` event an article mentions in passing (counted, with its own date).
KINDS: tuple[str, ...] = ("event", "total", "background")


class IncidentType(StrEnum):
    """What happened. ``other`` takes anything the log names that is not below."""

    DEPORTATION = "deportation"
    RAID = "raid"
    RESCUE = "rescue"
    ARREST = "arrest"
    EXTRADITION = "extradition"
    ESCAPE = "escape"
    DISAPPEARANCE = "disappearance"
    WARNING = "warning"
    POLICY = "policy"
    OTHER = "other"


#: The incident types a log may use (``mapper/ingest/types.toml`` maps synonyms onto them).
INCIDENT_TYPES: tuple[str, ...] = tuple(t.value for t in IncidentType)


class GeoPrecision(IntEnum):
    """How precisely a row is placed, after ACLED: smaller is more precise."""

    PLACE = 1  # the named place itself: a checkpoint, a town, a compound
    DISTRICT = 2  # a district, commune, or "near" a place
    PROVINCE = 3  # only the province is known
    COUNTRY = 4  # only "in Cambodia": kept and listed, never placed on the map


class Status(StrEnum):
    """Where a row stands. Only ``ok`` rows are mapped and counted in a province."""

    OK = "ok"
    INVALID = "invalid"  # a field is wrong; the message names the file, row and field
    UNRESOLVED = "unresolved"  # valid, but no place could be found
    AMBIGUOUS = "ambiguous"  # several candidates; the message lists them
    OUTSIDE = "outside"  # the place is outside Cambodia
    DRAFT = "draft"  # extracted from text, awaiting review


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


def conform(frame: pd.DataFrame, columns: dict[str, object] | None = None) -> pd.DataFrame:
    """Return ``frame`` with every schema column present, in schema order, with its dtype.

    Extra columns are kept after the schema's. Missing ones are added empty.
    """
    columns = INCIDENT_COLUMNS if columns is None else columns
    out = frame.copy()
    for name, dtype in columns.items():
        if name not in out:
            out[name] = pd.Series(pd.NA, index=out.index, dtype=dtype)
        elif str(out[name].dtype) != str(dtype):
            out[name] = out[name].astype(dtype)
    extra = [c for c in out.columns if c not in columns]
    return out[list(columns) + extra]


def iso_days(stamps: pd.Series) -> pd.Series:
    """Timestamps as "YYYY-MM-DD" strings (None where missing), through numpy's day unit:
    several times faster than ``strftime`` on a column."""
    stamps = pd.to_datetime(pd.Series(stamps.to_numpy(), index=stamps.index), errors="coerce")
    days = pd.Series(stamps.to_numpy("datetime64[D]").astype(str), index=stamps.index,
                     dtype=object)
    return days.where(stamps.notna(), None)


def date_labels(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """Dates as precise as they are known: 2026-01-20, 2026-01 or 2026 (None when undated).
    Column at a time: a million rows take about a second, not a minute."""
    stamps = pd.to_datetime(pd.Series(dates.to_numpy(), index=dates.index), errors="coerce")
    day = iso_days(stamps)
    precision = pd.Series(precision.to_numpy(), index=dates.index).astype("string")
    labels = day.where(~precision.eq("month").fillna(False), day.str[:7])
    labels = labels.where(~precision.eq("year").fillna(False), day.str[:4])
    return labels.astype(object).where(stamps.notna(), None)


def group_numbers(columns: list) -> np.ndarray:
    """Each row's group: rows equal in every one of ``columns`` (arrays or Series of one
    length) share one, numbered from 0 in order of first appearance, a missing value being
    a value of its own (as ``groupby(sort=False, dropna=False).ngroup()``). Each column is
    coded as pandas holds it and each pair (group so far, code) numbered as one integer:
    no Python object per cell, none of a groupby's copies (a million rows: hundreds of MB)."""
    group = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, distinct = pd.factorize(column, use_na_sentinel=True)
        group = pd.factorize(group * (len(distinct) + 1) + (codes + 1))[0]
    return group
