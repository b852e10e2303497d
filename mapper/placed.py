"""Tables that are already placed: the output of ``geocode`` or ``run`` (CSV, GeoJSON or
GeoParquet),
read back as the joined table so that ``map`` and ``summarize`` use its placement as it is
instead of reading and geocoding the log again.

A file is such a table when its header has every column geocoding adds that the later
stages read (:data:`PLACED_MARKERS`). Values are typed by the schema; a row whose ``status``
is not one of the schema's, or whose province code is not one of the 25, becomes
``invalid`` with a message naming the field, so nothing a person edited by hand is drawn
silently.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mapper.errors import InputFileError
from mapper.schema import GEOCODED_COLUMNS, STATUSES, Status

#: The columns that make a table a placed one.
PLACED_MARKERS = ("status", "geo_precision", "geo_method", "adm1_code", "lat", "lon")
PROVINCE_CODES = frozenset(f"KH-{n}" for n in range(1, 26))


def header_of(path: Path) -> list[str]:
    """The column names of a CSV or a (Geo)Parquet file, or the property names of a
    GeoJSON's first feature."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return next(csv.reader(handle), [])
        if suffix in (".geojson", ".json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            features = data.get("features") if isinstance(data, dict) else None
            return list((features[0].get("properties") or {}).keys()) if features else []
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, IndexError, RecursionError,
            csv.Error):
        # Not a placed table; the log reader says what is wrong with it, in one line.
        return []
    return []


def is_placed(path: Path | str) -> bool:
    """Whether ``path`` is a table written by ``geocode`` or ``run``."""
    return set(PLACED_MARKERS) <= set(header_of(Path(path)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name, dtype in GEOCODED_COLUMNS.items():
        if name not in out:
            out[name] = pd.Series(pd.NA, index=out.index, dtype=dtype)
            continue
        values = out[name].replace("", pd.NA)
        if str(dtype).startswith("datetime"):
            out[name] = pd.to_datetime(values, errors="coerce", format="mixed")
        elif dtype in ("Int64", "Float64"):
            out[name] = pd.to_numeric(values, errors="coerce").astype(dtype)
        elif dtype == "boolean":
            out[name] = values.map({"True": True, "False": False, True: True, False: False},
                                   na_action="ignore").astype("boolean")
        else:
            out[name] = values.astype(dtype)
    extra = [c for c in out.columns if c not in GEOCODED_COLUMNS and c != "geometry"]
    return out[[*GEOCODED_COLUMNS, *extra]]


def _checked(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Rows with an unknown status or province code become invalid, saying which."""
    status = frame["status"].astype("string")
    bad_status = ~status.isin(STATUSES).fillna(False)
    code = frame["adm1_code"].astype("string")
    bad_code = code.notna() & ~code.isin(PROVINCE_CODES).fillna(False)
    for mask, field in ((bad_status, "status"), (bad_code, "adm1_code")):
        if mask.any():
            values = frame.loc[mask, field].astype("string").fillna("")
            frame.loc[mask, "message"] = [f'{label}: field "{field}": {v!r} is not one the '
                                          f"placed table allows" for v in values]
            frame.loc[mask, "status"] = Status.INVALID.value
    return frame


def read_placed(path: Path | str) -> gpd.GeoDataFrame:
    """A placed table as the joined table (points at lon/lat, WGS 84)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif path.suffix.lower() == ".parquet":
            raw = pd.read_parquet(path).drop(columns="geometry", errors="ignore")
            raw.attrs = {}  # a file written elsewhere may carry them; each step would copy them
        else:
            raw = pd.DataFrame(gpd.read_file(path).drop(columns="geometry", errors="ignore"))
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise InputFileError(path, f"cannot be read as a placed table ({err})") from None
    frame = _checked(_typed(raw), path.name)
    points = gpd.GeoSeries.from_xy(frame["lon"].astype(float), frame["lat"].astype(float),
                                   index=frame.index, crs="EPSG:4326")
    unplaced = (frame["lat"].isna() | frame["lon"].isna()).to_numpy()
    points[unplaced] = None  # no point, as join leaves a row with no coordinates
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
