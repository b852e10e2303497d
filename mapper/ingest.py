"""Reading incident logs (CSV, XLSX, JSON, GeoJSON) into one checked incident table.

:func:`read_incidents` reads one or more files into a single table with the columns of
:data:`mapper.schema.INCIDENT_COLUMNS` (unknown columns are kept after them, as text).
Nothing is dropped: every data row of every file becomes one row of the table, with
``status`` ``ok`` or ``invalid``, so that ``rows in == ok + invalid`` always holds. A file that
cannot be read at all raises :class:`mapper.errors.InputFileError`.

Reading rules (decisions worth knowing)
---------------------------------------
Files
    The format comes from the extension, in any case: ``.csv`` (UTF-8, with or without a byte
    order mark, or UTF-16 with one; ``,``, ``;`` or tab between values, detected from the
    first rows), ``.xlsx``/``.xlsm`` (the first sheet, or ``sheet``: a name, or a position
    counting from 0), ``.json`` (an array of objects, or ``{"incidents": [...]}``, or a
    GeoJSON FeatureCollection) and ``.geojson`` (a FeatureCollection of Point features; the
    point gives latitude and longitude and wins over any latitude/longitude property).
    The header is the first row that is not completely empty. Completely empty rows after
    the last data row are not rows (editors leave them); empty rows between data rows are
    kept, marked invalid ("empty row").
Row numbers
    As a spreadsheet shows them: in CSV and XLSX the header is usually row 1 and the first
    data row row 2 (a cell holding a line break does not shift the numbering). JSON records
    and GeoJSON features are counted from 1 ("record 3", "feature 3").
Column names
    Matched against :data:`COLUMN_ALIASES` ignoring case, accents, spaces, ``_``, ``-`` and
    punctuation ("Date of incident", "date_of_incident" and "DATE-OF-INCIDENT" are one name;
    a trailing plural "s" is also ignored). When two columns name the same field the first
    one is used and the other is kept under its own name. A kept column whose name would
    clash with a column the pipeline adds (``status``, ``lat``...) gets " (input)" appended.
Dates
    ISO (``2026-01-20``, with or without a time; ``2026/01/20``), day first numeric
    (``20/01/2026``, ``20-01-2026``, ``20.01.2026`` -- never month first: this is how dates
    are written in Cambodia and Europe), words in English or French (``20 January 2026``,
    ``20 Jan 2026``, ``January 20, 2026``, ``20 janvier 2026``, ``1er février 2026``, with or
    without a weekday), a month (``2026-01``, ``01/2026``, ``January 2026``, ``janvier 2026``)
    or a year (``2026``). ``date_precision`` records day, month or year; a month or a year is
    stored as its first day in ``date`` and, in ``end_date``, as its last day (so that
    ``date``..``end_date`` covers the whole period). Times are dropped. Excel date cells are
    day precision. Years outside 1900-2100 are refused; two-digit years are not guessed.
Blank markers
    In typed fields (dates, type, counts, coordinates, sensitive, source_url) a cell holding
    only one of :data:`BLANK_MARKERS` ("-", "n/a", "unknown", "?"...) counts as blank. No
    field is required: a row is invalid only for what it says wrongly, or for saying nothing.
Counts
    ``people``, ``women`` and ``children`` are whole numbers from 0 ("42", "42.0", "1,200",
    "1 200" and Khmer digits are read). When ``women + children`` exceeds ``people`` the row
    stays ok and the report carries a warning: the log may count differently (e.g. people
    only for one group) and a reader should look, not lose the row.
Coordinates
    Decimal degrees (a decimal comma such as ``11,55`` is read). Both or neither of latitude
    and longitude; latitude in -90..90, longitude in -180..180.
sensitive
    yes/no, true/false, 1/0, oui/non, y/n, vrai/faux, x; blank means no (never NA).
source_url
    Only ``http://`` and ``https://`` addresses are kept; any other scheme (``javascript:``,
    ``data:``, ``file:``) or text makes the row invalid, since the link ends up in the map.
ids
    Given ids are kept as written (trimmed); a later row repeating an id, in the same file or
    in another file read in the same call, is invalid and names the first row. A row without
    an id gets ``inc-`` + 12 hex digits of the SHA-1 of its normalised content (every
    non-blank field, extra columns included, as canonical JSON): the same content gives the
    same id on every machine, whatever the file format or row order. A second row with the
    same content (an exact copy) gets the same id plus ``-2`` (``-3``...) and stays ok; the
    report warns about it, since it is often a pasted duplicate but may be a second, identical
    event.

Problems
--------
Each problem is a :class:`Problem` (file, unit, row, field, value, text). They are joined
with "; " into the row's ``message`` and kept, structured, in ``frame.attrs["problems"]``
(warnings in ``frame.attrs["warnings"]``); :func:`validation_report` reads them from there, or
re-derives them from the messages when the frame has been filtered since.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import islice
from json.encoder import encode_basestring as _encode_string
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from mapper import schema
from mapper.errors import InputFileError
from mapper.text import fold

logger = logging.getLogger(__name__)

__all__ = [
    "BLANK_MARKERS",
    "COLUMN_ALIASES",
    "TYPE_SYNONYMS",
    "FileInfo",
    "Problem",
    "column_key",
    "format_report",
    "read_incidents",
    "validation_report",
]

# --------------------------------------------------------------------------------------------
# Data: aliases and vocabularies. Extend these tables; the code reads them at call time.
# --------------------------------------------------------------------------------------------

#: Header names accepted for each input column (compared through :func:`column_key`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "incident id", "identifier", "ref", "reference"),
    "date": (
        "date", "date of incident", "incident date", "start date", "event date", "date start",
        "start", "date de l'incident", "date de début", "date début", "កាលបរិច្ឆេទ",
    ),
    "end_date": ("end date", "date end", "end", "until", "date de fin", "date fin"),
    "type": (
        "type", "incident type", "event type", "category", "catégorie", "type d'incident",
        "type d'événement", "kind",
    ),
    "place": (
        "place", "place name", "location", "lieu", "site", "locality", "localité", "address",
        "adresse",
    ),
    "province": (
        "province", "provinces", "province name", "khaet", "khet", "province/city",
        "city/province", "capital/province", "adm1", "admin1", "ខេត្ត",
    ),
    "district": ("district", "district name", "srok", "khan", "adm2", "admin2", "ស្រុក", "ខណ្ឌ"),
    "commune": (
        "commune", "commune name", "khum", "sangkat", "adm3", "admin3", "ឃុំ", "សង្កាត់",
    ),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lng", "lon", "long", "x"),
    "people": (
        "people", "number", "count", "persons", "people count", "number of people", "victims",
        "individuals", "nombre", "nombre de personnes", "personnes", "victimes",
    ),
    "women": ("women", "woman", "female", "females", "number of women", "femmes"),
    "children": ("children", "child", "minors", "number of children", "enfants", "mineurs"),
    "nationality": ("nationality", "nationalities", "country of origin", "nationalité"),
    "actor": ("actor", "actors", "authority", "authorities", "agency", "acteur", "autorité"),
    "source": ("source", "publisher", "media", "outlet", "source name"),
    "source_url": ("source url", "url", "link", "source link", "href", "lien"),
    "notes": (
        "notes", "note", "comment", "comments", "description", "summary", "remarks", "details",
        "remarques", "commentaire", "résumé",
    ),
    "sensitive": ("sensitive", "private", "confidential", "sensible", "confidentiel", "privé"),
}  # fmt: skip

#: Words (besides the vocabulary itself) read as each incident type; case and accents ignored.
TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "deportation": (
        "deportations", "deported", "deport", "deportee", "deportees", "expulsion",
        "expulsions", "expelled", "expulse", "expulses", "expulsé", "expulsés", "déportation",
        "déporté", "déportés", "refoulement", "refoulé", "refoulés",
    ),
    "raid": ("raids", "crackdown", "crackdowns", "descente", "descentes", "rafle", "rafles"),
    "rescue": (
        "rescues", "rescued", "sauvetage", "sauvetages", "secours", "secouru", "secourus",
        "secourues",
    ),
    "arrest": (
        "arrests", "arrested", "arrestation", "arrestations", "arrêté", "arrêtés",
        "interpellation", "interpellations",
    ),
    "extradition": ("extraditions", "extradited", "extradé", "extradés", "extradée"),
    "escape": ("escapes", "escaped", "évasion", "évasions", "évadé", "évadés", "fuite"),
    "disappearance": (
        "disappearances", "disappeared", "missing", "disparition", "disparitions", "disparu",
        "disparus", "disparue",
    ),
    "warning": ("warnings", "alert", "alerts", "avertissement", "avertissements", "alerte"),
    "policy": ("policies", "law", "laws", "politique", "politiques", "loi", "lois"),
    "other": ("others", "autre", "autres"),
}  # fmt: skip

#: In typed fields, a cell holding only one of these (case ignored) is blank.
BLANK_MARKERS: frozenset[str] = frozenset(
    {"-", "--", "\u2013", "\u2014", "?", "n/a", "na", "nan", "none", "null", "unknown", "inconnu",
     "inconnue", "#n/a"}
)  # fmt: skip

_YES = frozenset({"yes", "y", "true", "t", "1", "oui", "o", "vrai", "x"})
_NO = frozenset({"no", "n", "false", "f", "0", "non", "faux"})

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "fevrier", "fevr", "fev"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "decembre"),
    ],
    start=1,
):
    _MONTHS.update(dict.fromkeys(_names, _number))

_SKIP_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
     "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
     "le", "the", "of", "on", "de", "du"}
)  # fmt: skip

YEAR_RANGE = (1900, 2100)
#: Counts above this are refused as typing errors.
MAX_COUNT = 10_000_000

SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".geojson": "geojson",
}
_UNITS = {"csv": "row", "xlsx": "row", "json": "record", "geojson": "feature"}

#: Typed fields, where :data:`BLANK_MARKERS` count as blank.
_TYPED = frozenset(
    {"date", "end_date", "type", "latitude", "longitude", "people", "women", "children",
     "sensitive", "source_url"}
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------


class Problem(NamedTuple):
    """One thing wrong with one row (or, in ``warnings``, worth a look)."""

    file: str
    unit: str  # "row", "record" or "feature"
    row: int
    field: str | None
    value: str | None
    text: str

    @property
    def where(self) -> str:
        return f"{self.unit} {self.row}"

    def __str__(self) -> str:
        head = f"{self.file}, {self.where}"
        if self.field:
            head += f', field "{self.field}"'
        return f"{head}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "where": self.where,
            "field": self.field,
            "value": self.value,
            "message": self.text,
        }


class FileInfo(NamedTuple):
    """What was read from one file: its label in messages, format, rows and column mapping."""

    file: str
    path: str
    format: str
    rows: int
    columns: tuple[tuple[str, str | None], ...]  # (header as written, field or None if kept)


class _Frozen(tuple):
    """An immutable tuple that pandas copies for free when it deep-copies ``frame.attrs``."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> _Frozen:
        return self


# --------------------------------------------------------------------------------------------
# Column names
# --------------------------------------------------------------------------------------------


def column_key(name: object) -> str:
    """The comparison key of a header: folded, without spaces, punctuation or symbols.

    >>> column_key("Date of incident") == column_key("date_of_incident") == "dateofincident"
    True
    """
    folded = fold(str(name))
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "PSZC")


def _alias_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in (field, *aliases):
            key = column_key(alias)
            if lookup.get(key, field) != field:
                raise ValueError(f"alias {alias!r} names both {lookup[key]} and {field}")
            lookup[key] = field
    return lookup


def _field_for(header: str, lookup: dict[str, str]) -> str | None:
    key = column_key(header)
    if not key:
        return None
    if key in lookup:
        return lookup[key]
    if key.endswith("s") and key[:-1] in lookup:
        return lookup[key[:-1]]
    return None


_RESERVED_KEYS = frozenset(column_key(c) for c in [*schema.INGEST_COLUMNS, *schema.GEO_COLUMNS])


# --------------------------------------------------------------------------------------------
# Reading files into raw parts
# --------------------------------------------------------------------------------------------


class _Part:
    """One file's rows, before checking: columns of raw cells keyed by field or kept name."""

    def __init__(self, label: str, path: Path, fmt: str) -> None:
        self.label = label
        self.path = path
        self.format = fmt
        self.unit = _UNITS[fmt]
        self.columns: dict[str, list[Any]] = {}
        self.headers: list[tuple[str, str | None]] = []
        self.row_numbers: list[int] = []
        self.pre: list[tuple[int, str | None, str | None, str]] = []  # (i, field, value, text)

    def __len__(self) -> int:
        return len(self.row_numbers)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _fill(part: _Part, header: list[Any], rows: list[list[Any]], numbers: list[int]) -> _Part:
    """Map ``header`` onto fields and store ``rows`` column-wise in ``part``."""
    lookup = _alias_lookup()
    width = len(header)
    part.row_numbers = numbers
    for i, row in enumerate(rows):
        if len(row) > width and any(not _is_blank(v) for v in row[width:]):
            extra = sum(1 for v in row[width:] if not _is_blank(v))
            part.pre.append(
                (i, None, None, f"{extra} value(s) beyond the last named column ({width} columns)")
            )
    used: set[str] = set()
    for j, cell in enumerate(header):
        values = [row[j] if j < len(row) else None for row in rows]
        name = "" if _is_blank(cell) else _cell_text(cell)
        if not name and all(_is_blank(v) for v in values):
            continue  # an unnamed, empty column: spreadsheet padding
        field = _field_for(name, lookup) if name else None
        if field is not None and field in used:
            field = None  # the first column naming a field wins; keep this one as it is
        if field is not None:
            key = field
        else:
            key = name or f"column {j + 1}"
            if column_key(key) in _RESERVED_KEYS or key in schema.GEOCODED_COLUMNS:
                key = f"{key} (input)"
            base, n = key, 2
            while key in used or key in schema.GEOCODED_COLUMNS:
                key, n = f"{base} ({n})", n + 1
        used.add(key)
        part.columns[key] = values
        part.headers.append((name, field))
    return part


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputFileError(path, "file not found") from err
    except IsADirectoryError as err:
        raise InputFileError(path, "is a folder, not a file") from err
    except OSError as err:
        raise InputFileError(path, f"cannot be read ({err.strerror or err})") from err


def _decode(data: bytes, path: Path, hint: str) -> str:
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    try:
        return data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise InputFileError(path, f"is not {encoding} text (byte {err.start}); {hint}") from err


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the first rows most consistently."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        try:
            records = [
                r
                for r in islice(
                    csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), 60
                )
                if r
            ]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rest = records[1:-1] if len(records) > 2 else records[1:]  # the last may be cut short
        score = 1.0 if not rest else sum(len(r) == width for r in rest) / len(rest)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_and_rows(
    records: list[list[Any]], path: Path
) -> tuple[list[Any], list[list[Any]], list[int]]:
    """Header = first row not completely empty; trailing empty rows are dropped."""
    start = next((i for i, r in enumerate(records) if any(not _is_blank(v) for v in r)), None)
    if start is None:
        raise InputFileError(path, "is empty (no header row)")
    end = len(records)
    while end > start + 1 and all(_is_blank(v) for v in records[end - 1]):
        end -= 1
    rows = records[start + 1 : end]
    return list(records[start]), rows, list(range(start + 2, end + 1))


def _read_csv(path: Path, label: str) -> _Part:
    text = _decode(_read_bytes(path), path, "save it as 'CSV UTF-8' and try again")
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise InputFileError(path, f"is not readable CSV ({err})") from err
    header, rows, numbers = _header_and_rows(records, path)
    return _fill(_Part(label, path, "csv"), header, rows, numbers)


def _read_xlsx(path: Path, label: str, sheet: str | int | None) -> _Part:
    from openpyxl import load_workbook  # heavy; only when a workbook is read

    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a damaged or foreign file
        raise InputFileError(path, f"is not a readable Excel workbook ({_brief(err)})") from err
    try:
        names = book.sheetnames
        if sheet is None:
            if not book.worksheets:
                raise InputFileError(path, "has no worksheet")
            ws = book.worksheets[0]
        elif isinstance(sheet, str) and sheet in names:
            ws = book[sheet]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()):
            index = int(sheet)
            if not 0 <= index < len(book.worksheets):
                raise InputFileError(
                    path, f"has no sheet {index} (sheets, from 0: {', '.join(names)})"
                )
            ws = book.worksheets[index]
        else:
            raise InputFileError(path, f'has no sheet "{sheet}" (sheets: {", ".join(names)})')
        records = [list(r) for r in ws.iter_rows(values_only=True)]
    except InputFileError:
        raise
    except Exception as err:
        raise InputFileError(path, f"is not a readable Excel workbook ({_brief(err)})") from err
    finally:
        book.close()
    header, rows, numbers = _header_and_rows(records, path)
    return _fill(_Part(label, path, "xlsx"), header, rows, numbers)


def _brief(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _load_json(path: Path) -> Any:
    text = _decode(_read_bytes(path), path, "JSON files must be UTF-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFileError(
            path, f"is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from err
    except RecursionError as err:
        raise InputFileError(path, "is not readable JSON (nested too deeply)") from err


def _records_part(part: _Part, records: list[dict[str, Any]]) -> _Part:
    header: list[str] = []
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key not in seen:
                seen.add(key)
                header.append(key)
    rows = [[record.get(k) for k in header] for record in records]
    return _fill(part, header, rows, list(range(1, len(records) + 1)))


def _read_json(path: Path, label: str) -> _Part:
    data = _load_json(path)
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return _geojson_part(data, path, label)
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        data = data["incidents"]
    if not isinstance(data, list):
        kind = type(data).__name__ if not isinstance(data, dict) else "object"
        raise InputFileError(path, f"is not a JSON array of records (it holds a single {kind})")
    for i, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise InputFileError(path, f"record {i} is not a JSON object")
    return _records_part(_Part(label, path, "json"), data)


def _read_geojson(path: Path, label: str) -> _Part:
    return _geojson_part(_load_json(path), path, label)


def _geojson_part(data: Any, path: Path, label: str) -> _Part:
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"):
        raise InputFileError(path, "is not a GeoJSON FeatureCollection")
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if not re.search(r"CRS84|EPSG:{1,2}4326$", name):
            raise InputFileError(
                path, f"uses the coordinate system {name or crs!r}; only WGS 84 is read"
            )
    features = data.get("features")
    if not isinstance(features, list):
        raise InputFileError(path, 'has no "features" array')
    records: list[dict[str, Any]] = []
    geometry: list[tuple[float, float] | str | None] = []
    lookup = _alias_lookup()
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputFileError(path, f"feature {i} is not a GeoJSON Feature")
        props = feature.get("properties")
        if props is not None and not isinstance(props, dict):
            raise InputFileError(path, f"feature {i} has properties that are not an object")
        record = dict(props or {})
        if feature.get("id") is not None and not any(
            _field_for(str(k), lookup) == "id" for k in record
        ):
            record["id"] = feature["id"]
        records.append(record)
        geometry.append(_point(feature.get("geometry")))
    part = _records_part(_Part(label, path, "geojson"), records)
    for name in ("latitude", "longitude"):
        if name not in part.columns:
            part.columns[name] = [None] * len(records)
            part.headers.append(("geometry", name))
    for i, geom in enumerate(geometry):
        if isinstance(geom, tuple):
            part.columns["longitude"][i], part.columns["latitude"][i] = geom
        elif isinstance(geom, str):
            part.pre.append((i, "geometry", None, geom))
    return part


def _point(geom: Any) -> tuple[float, float] | str | None:
    """(lon, lat) of a Point, None when there is no geometry, else the problem as text."""
    if geom is None:
        return None
    if not isinstance(geom, dict):
        return "is not a GeoJSON geometry"
    kind = geom.get("type")
    if kind != "Point":
        return f"only points are read; this feature is a {kind or 'geometry without type'}"
    coords = geom.get("coordinates")
    if (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return float(coords[0]), float(coords[1])
    return "a Point needs coordinates [longitude, latitude]"


# --------------------------------------------------------------------------------------------
# Cell parsers: each returns (value, error text or None); blank cells never reach them.
# --------------------------------------------------------------------------------------------


def _show(value: Any, limit: int = 60) -> str:
    """A cell quoted for a message, on one line."""
    text = value if isinstance(value, str) else _cell_text(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


def _cell_text(value: Any) -> str:
    """Any cell as text: integral floats without ".0", dates in ISO, containers as JSON."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _parse_text(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict | list):
        return None, f"expected a single value, not {_show(value)}"
    return _cell_text(value), None


_TIME = r"(?:[T ]\s*\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME)
_ISO_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_YEAR = re.compile(r"\d{4}")
_ORDINAL = re.compile(r"(\d{1,2})(?:er|re|e|st|nd|rd|th)")
_CLOCK = re.compile(r"\d{1,2}[:h]\d{2}(?::\d{2})?|am|pm")

_DATE_HINT = "expected e.g. 2026-01-20, 20/01/2026, 20 January 2026, January 2026 or 2026"

_Date = tuple[dt.date, str]


def _parse_date(value: Any) -> tuple[_Date | None, str | None]:
    """(first day, precision) of a cell, or an error."""
    if isinstance(value, bool):
        return None, f"cannot read {_show(value)} as a date"
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day, "day", value)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, "day", value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return None, f"cannot read {_show(value)} as a date ({_DATE_HINT})"
        return _checked(int(value), 1, 1, "year", value)
    if not isinstance(value, str):
        return None, f"cannot read {_show(value)} as a date ({_DATE_HINT})"
    text = unicodedata.normalize("NFKC", value).strip()
    if m := _ISO_DAY.fullmatch(text):
        return _checked(int(m[1]), int(m[3]), int(m[4]), "day", value)
    if m := _DMY.fullmatch(text):
        day, month = int(m[1]), int(m[3])
        if month > 12 and day <= 12:
            return None, (
                f"cannot read {_show(value)} as a date: dates are read day first (dd/mm/yyyy)"
                " and there is no month " + str(month)
            )
        return _checked(int(m[4]), month, day, "day", value)
    if m := _ISO_MONTH.fullmatch(text):
        return _checked(int(m[1]), int(m[2]), 1, "month", value)
    if m := _MY.fullmatch(text):
        return _checked(int(m[2]), int(m[1]), 1, "month", value)
    if _YEAR.fullmatch(text):
        return _checked(int(text), 1, 1, "year", value)
    return _parse_date_words(text, value)


def _parse_date_words(text: str, value: Any) -> tuple[_Date | None, str | None]:
    tokens = []
    for token in fold(text.replace(",", " ")).split():
        if token in _SKIP_WORDS or _CLOCK.fullmatch(token):
            continue
        if m := _ORDINAL.fullmatch(token):
            token = m[1]
        tokens.append(token)
    kinds = "".join(_token_kind(t) for t in tokens)
    if kinds == "DMY":
        return _checked(int(tokens[2]), _MONTHS[tokens[1]], int(tokens[0]), "day", value)
    if kinds == "MDY":
        return _checked(int(tokens[2]), _MONTHS[tokens[0]], int(tokens[1]), "day", value)
    if kinds == "MY":
        return _checked(int(tokens[1]), _MONTHS[tokens[0]], 1, "month", value)
    return None, f"cannot read {_show(value)} as a date ({_DATE_HINT})"


def _token_kind(token: str) -> str:
    """M (a month name), Y (four digits), D (one or two digits) or ? (anything else)."""
    if token in _MONTHS:
        return "M"
    if _YEAR.fullmatch(token):
        return "Y"
    return "D" if token.isdecimal() and len(token) <= 2 else "?"


def _checked(year: int, month: int, day: int, precision: str, value: Any):
    low, high = YEAR_RANGE
    if not low <= year <= high:
        return None, f"cannot read {_show(value)} as a date: year {year} is not in {low}-{high}"
    try:
        return (dt.date(year, month, day), precision), None
    except ValueError:
        return None, f"cannot read {_show(value)} as a date: there is no such day"


def _period_end(start: dt.date, precision: str) -> dt.date:
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start


def _type_lookup() -> dict[str, str]:
    lookup = {fold(t): t for t in schema.INCIDENT_TYPES}
    for canonical, words in TYPE_SYNONYMS.items():
        for word in words:
            lookup.setdefault(fold(word), canonical)
    return lookup


def _type_parser() -> Callable[[Any], tuple[str | None, str | None]]:
    lookup = _type_lookup()
    accepted = ", ".join(schema.INCIDENT_TYPES)

    def parse(value: Any) -> tuple[str | None, str | None]:
        key = fold(_cell_text(value)) if not isinstance(value, dict | list) else ""
        if key in lookup:
            return lookup[key], None
        return None, f"{_show(value)} is not an incident type; use one of: {accepted}"

    return parse


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009'](?=\d{3}\b)")
_WHOLE = re.compile(r"\+?\d+(?:\.0*)?")
_SIGNED_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def _parse_count(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, bool | dict | list):
        return None, f"cannot read {_show(value)} as a number of people"
    number: int | None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{_show(value)} is not a whole number"
        number = int(value)
    else:
        text = _GROUP_SPACES.sub("", unicodedata.normalize("NFC", str(value)).strip())
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if _WHOLE.fullmatch(text):
            number = int(text.lstrip("+").split(".")[0])
        elif _SIGNED_NUMBER.fullmatch(text):
            if text.startswith("-") and text.strip("-0.,"):
                return None, f"{_show(value)} is negative; expected a whole number, 0 or more"
            return None, f"{_show(value)} is not a whole number"
        else:
            return None, f"cannot read {_show(value)} as a whole number"
    if number < 0:
        return None, f"{_show(value)} is negative; expected a whole number, 0 or more"
    if number > MAX_COUNT:
        return None, f"{_show(value)} is too large to be a count of people"
    return number, None


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _parse_float(value: Any) -> tuple[float | None, str | None]:
    if isinstance(value, bool | dict | list):
        return None, f"cannot read {_show(value)} as decimal degrees"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{_show(value)} is not a finite number"
        return float(value), None
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value), None
    text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("°").strip()
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if _DECIMAL.fullmatch(text):
        return float(text), None
    return None, f"cannot read {_show(value)} as decimal degrees (e.g. 11.5625)"


def _parse_bool(value: Any) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    key = _cell_text(value).casefold() if not isinstance(value, dict | list) else ""
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    return None, f"{_show(value)} is not yes or no"


#: White space, control and invisible formatting characters: never inside a link we keep.
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


#: The common case, accepted without ``urlsplit``: http(s), a plain host name, printable ASCII.
_PLAIN_URL = re.compile(
    r"(?i:https?)://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][!-~]*)?"
)


def _parse_url(value: Any) -> tuple[str | None, str | None]:
    text = _cell_text(value) if not isinstance(value, dict | list) else ""
    if _PLAIN_URL.fullmatch(text):
        return text, None
    parts = None
    if text and not _URL_UNSAFE.search(text):
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:
            parts = None
    if parts is not None and parts.scheme.lower() in ("http", "https") and host:
        return text, None
    if parts is not None and not parts.scheme and text.lower().startswith("www."):
        return None, f"{_show(value)} is not a web address; add https:// in front"
    return None, f"{_show(value)} is not a web address (only http:// and https:// links are kept)"


# --------------------------------------------------------------------------------------------
# Checking the combined rows
# --------------------------------------------------------------------------------------------


def _blank_mask(values: list[Any]) -> np.ndarray:
    """True where a cell is blank: None, NaN or only white space (as :func:`_is_blank`)."""
    return np.fromiter(
        (
            v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)
            for v in values
        ),
        dtype=bool,
        count=len(values),
    )


_Parser = Callable[[Any], tuple[Any, str | None]]


def _map_cells(
    values: list[Any], skip: np.ndarray, parse: _Parser, typed: bool
) -> tuple[list[Any], dict[int, str], np.ndarray]:
    """Apply ``parse`` to every cell not skipped, once per distinct cell.

    Returns the parsed values (None where skipped, blank or unreadable), {position: error},
    and, when ``typed``, a mask of the cells that hold a blank marker ("n/a", "-"...).
    """
    out = np.full(len(values), None, dtype=object)
    errors: dict[int, str] = {}
    markers = np.zeros(len(values), dtype=bool)
    positions = np.flatnonzero(~skip)
    if not len(positions):
        return out.tolist(), errors, markers
    cells = pd.Series(values, dtype=object).to_numpy()[positions]
    uniques: list[Any] = []
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        codes, found = pd.factorize(cells)
        uniques = list(found)
    else:  # mixed cells from JSON or XLSX: 1, 1.0 and True must stay apart
        codes = np.empty(len(cells), dtype=np.intp)
        seen: dict[Any, int] = {}
        for k, cell in enumerate(cells):
            try:
                key = (cell.__class__, cell)
                code = seen.get(key)
                if code is None:
                    code = seen[key] = len(uniques)
                    uniques.append(cell)
            except TypeError:  # unhashable: a list or an object inside a JSON record
                code = len(uniques)
                uniques.append(cell)
            codes[k] = code
    parsed = np.empty(len(uniques), dtype=object)
    bad: dict[int, str] = {}
    marked: list[int] = []
    for k, cell in enumerate(uniques):
        if typed and isinstance(cell, str) and cell.strip().casefold() in BLANK_MARKERS:
            marked.append(k)
            continue
        parsed[k], error = parse(cell)
        if error:
            bad[k] = error
    out[positions] = parsed[codes]
    if bad:
        for j in np.flatnonzero(np.isin(codes, list(bad))):
            errors[int(positions[j])] = bad[int(codes[j])]
    if marked:
        markers[positions[np.isin(codes, marked)]] = True
    return out.tolist(), errors, markers


def _parser_for(name: str) -> _Parser:
    if name in ("date", "end_date"):
        return _parse_date
    if name == "type":
        return _type_parser()
    if name == "source_url":
        return _parse_url
    if name in schema.COUNT_COLUMNS:
        return _parse_count
    if name in ("latitude", "longitude"):
        return _parse_float
    if name == "sensitive":
        return _parse_bool
    return _parse_text


def _fragment(value: Any) -> str:
    """``value`` as canonical JSON (what ``json.dumps(ensure_ascii=False)`` writes)."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):  # a parsed date: (first day, precision)
        return _encode_string(f"{value[0].isoformat()}/{value[1]}")
    return _encode_string(_cell_text(value))


class _Checker:
    """Parses the raw cells of all parts and collects problems, row by row."""

    def __init__(self, parts: list[_Part]) -> None:
        self.n = sum(len(p) for p in parts)
        self.labels: list[str] = []
        self.units: list[str] = []
        self.rows: list[int] = []
        for part in parts:
            self.labels += [part.label] * len(part)
            self.units += [part.unit] * len(part)
            self.rows += part.row_numbers
        extras: list[str] = []
        for part in parts:
            extras += [c for c in part.columns if c not in schema.INPUT_COLUMNS and c not in extras]
        self.extras = extras
        self.raw: dict[str, list[Any]] = {}
        for name in [*schema.INPUT_COLUMNS, *extras]:
            column: list[Any] = []
            for part in parts:
                column += part.columns.get(name, [None] * len(part))
            self.raw[name] = column
        self.problems: dict[int, list[Problem]] = {}
        self.warnings: dict[int, list[Problem]] = {}
        offset = 0
        for part in parts:
            for i, field, value, text in part.pre:
                self.add(offset + i, field, value, text)
            offset += len(part)

    def _problem(self, i: int, field: str | None, value: Any, text: str) -> Problem:
        shown = None if value is None else _cell_text(value)
        return Problem(self.labels[i], self.units[i], self.rows[i], field, shown, text)

    def add(self, i: int, field: str | None, value: Any, text: str) -> None:
        self.problems.setdefault(i, []).append(self._problem(i, field, value, text))

    def warn(self, i: int, field: str | None, value: Any, text: str) -> None:
        self.warnings.setdefault(i, []).append(self._problem(i, field, value, text))

    def run(self) -> pd.DataFrame:
        n = self.n
        blank = {name: _blank_mask(values) for name, values in self.raw.items()}
        empty = np.logical_and.reduce(list(blank.values())) if n else np.zeros(0, dtype=bool)
        empty[list(self.problems)] = False  # a row with a geometry problem says something
        for i in np.flatnonzero(empty):
            self.add(int(i), None, None, "empty row")

        # given: the cell says something (not blank, not a blank marker)
        given: dict[str, np.ndarray] = {}
        parsed: dict[str, list[Any]] = {}
        for name in schema.INPUT_COLUMNS:
            parsed[name], errors, markers = _map_cells(
                self.raw[name], blank[name] | empty, _parser_for(name), name in _TYPED
            )
            given[name] = ~blank[name] & ~markers
            for i, error in errors.items():
                self.add(i, name, self.raw[name][i], error)

        out: dict[str, Any] = {}
        start = _dates([d[0] if d else None for d in parsed["date"]])
        end = _dates([_period_end(*d) if d else None for d in parsed["end_date"]])
        for i in np.flatnonzero((end < start).to_numpy()):
            self.add(
                int(i),
                "end_date",
                self.raw["end_date"][i],
                f"{_show(self.raw['end_date'][i])} is before the date {_show(self.raw['date'][i])}",
            )
        out["date"], out["end_date"] = start, end

        self._check_coordinates(parsed, given)
        self._check_counts(parsed)

        for name, dtype in schema.INPUT_COLUMNS.items():
            if name in ("id", "date", "end_date"):
                continue
            values = parsed[name]
            if name == "sensitive":
                values = [v is True for v in values]
            elif name in ("latitude", "longitude"):
                values = [None if self._bad(i, name) else v for i, v in enumerate(values)]
            out[name] = pd.array(values, dtype=dtype)
        out["id"] = pd.array(self._ids(parsed, given, empty), dtype=schema.STRING)
        for name in self.extras:
            out[name] = pd.array(
                [
                    None if b else _cell_text(v)
                    for v, b in zip(self.raw[name], blank[name], strict=True)
                ],
                dtype=schema.STRING,
            )
        out["date_precision"] = pd.array(
            [d[1] if d else None for d in parsed["date"]], dtype=schema.STRING
        )
        out["source_file"] = pd.array(self.labels, dtype=schema.STRING)
        out["source_row"] = pd.array(self.rows, dtype="Int64")
        status = [schema.Status.OK.value] * n
        message = [""] * n
        for i, problems in self.problems.items():
            status[i] = schema.Status.INVALID.value
            message[i] = "; ".join(str(p) for p in problems)
        out["status"] = pd.array(status, dtype=schema.STRING)
        out["message"] = pd.array(message, dtype=schema.STRING)
        return schema.conform(pd.DataFrame(out, index=pd.RangeIndex(n)))

    def _bad(self, i: int, field: str) -> bool:
        return i in self.problems and any(p.field == field for p in self.problems[i])

    def _check_coordinates(self, parsed: dict[str, list], given: dict[str, np.ndarray]) -> None:
        lat = np.array([np.nan if v is None else v for v in parsed["latitude"]], dtype=float)
        lon = np.array([np.nan if v is None else v for v in parsed["longitude"]], dtype=float)
        raw_lat, raw_lon = self.raw["latitude"], self.raw["longitude"]
        with np.errstate(invalid="ignore"):
            bad_lat = np.abs(lat) > 90
            bad_lon = np.abs(lon) > 180
            swapped = bad_lat & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
        for i in np.flatnonzero(bad_lat | bad_lon):
            if bad_lat[i]:
                hint = " (are latitude and longitude swapped?)" if swapped[i] else ""
                self.add(i, "latitude", raw_lat[i], f"{_show(raw_lat[i])} is outside -90..90{hint}")
            if bad_lon[i]:
                self.add(i, "longitude", raw_lon[i], f"{_show(raw_lon[i])} is outside -180..180")
        has_lat, has_lon = given["latitude"], given["longitude"]
        for i in np.flatnonzero(has_lat & ~has_lon):
            self.add(int(i), "longitude", None, "latitude is given but longitude is missing")
        for i in np.flatnonzero(has_lon & ~has_lat):
            self.add(int(i), "latitude", None, "longitude is given but latitude is missing")

    def _check_counts(self, parsed: dict[str, list[Any]]) -> None:
        def floats(name: str) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in parsed[name]], dtype=float)

        people, women, children = floats("people"), floats("women"), floats("children")
        some = ~np.isnan(women) | ~np.isnan(children)
        parts = np.nan_to_num(women) + np.nan_to_num(children)
        with np.errstate(invalid="ignore"):
            over = ~np.isnan(people) & some & (parts > people)
        for i in np.flatnonzero(over):
            w, c, p = (parsed[f][i] or 0 for f in ("women", "children", "people"))
            self.warn(
                int(i),
                "people",
                parsed["people"][i],
                f"women ({w}) plus children ({c}) are more than people ({p}); "
                "the row is kept as it is",
            )

    def _ids(
        self, parsed: dict[str, list[Any]], given: dict[str, np.ndarray], empty: np.ndarray
    ) -> list[str]:
        ids: list[str | None] = list(parsed["id"])
        first: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value is None:
                continue
            if value in first:
                j = first[value]
                self.add(
                    i,
                    "id",
                    value,
                    f"{_show(value)} is already used by {self.labels[j]}, "
                    f"{self.units[j]} {self.rows[j]}",
                )
            else:
                first[value] = i
        missing = [i for i, value in enumerate(ids) if value is None]
        if not missing:
            return ids  # type: ignore[return-value]
        used = set(first)
        base_first: dict[str, int] = {}
        for i, base in zip(missing, self._content_ids(missing, parsed, given), strict=True):
            new, k = base, 2
            while new in used:
                new, k = f"{base}-{k}", k + 1
            if base in base_first and not empty[i]:
                j = base_first[base]
                self.warn(
                    i,
                    "id",
                    None,
                    f"same content as {self.labels[j]}, {self.units[j]} {self.rows[j]} "
                    f"(a copy?); given the id {new}",
                )
            base_first.setdefault(base, i)
            used.add(new)
            ids[i] = new
        return ids  # type: ignore[return-value]

    def _content_ids(
        self, rows: list[int], parsed: dict[str, list[Any]], given: dict[str, np.ndarray]
    ) -> list[str]:
        """``inc-`` + SHA-1 of each row's content as canonical JSON (sorted keys, no spaces).

        The content is every field that says something: its parsed value, or the text of the
        cell when it could not be read; extra columns under "+<name>". ``sensitive: false``
        is left out, as it is also what a blank cell means.
        """
        columns: dict[str, list[str | None]] = {}
        for name in schema.INPUT_COLUMNS:
            if name == "id":
                continue
            values, raw, says = parsed[name], self.raw[name], given[name]
            prefix = _encode_string(name) + ":"
            column: list[str | None] = []
            for i in rows:
                value = values[i]
                if value is None:
                    column.append(prefix + _fragment(_cell_text(raw[i])) if says[i] else None)
                elif name == "sensitive" and value is False:
                    column.append(None)
                else:
                    column.append(prefix + _fragment(value))
            columns[name] = column
        for name in self.extras:
            raw = self.raw[name]
            prefix = _encode_string("+" + name) + ":"
            columns["+" + name] = [
                None if _is_blank(raw[i]) else prefix + _fragment(_cell_text(raw[i])) for i in rows
            ]
        ordered = [columns[k] for k in sorted(columns)]
        return [
            "inc-"
            + hashlib.sha1(
                ("{" + ",".join(f for f in fragments if f is not None) + "}").encode("utf-8")
            ).hexdigest()[:12]
            for fragments in zip(*ordered, strict=True)
        ]


def _dates(values: list[dt.date | None]) -> pd.Series:
    array = np.array(values, dtype="datetime64[D]")  # None becomes NaT
    return pd.Series(array.astype("datetime64[ns]"), dtype="datetime64[ns]")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _flatten(by_row: dict[int, list[Problem]]) -> _Frozen:
    return _Frozen(p for i in sorted(by_row) for p in by_row[i])


def _as_paths(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | PathLike):
        return [Path(paths)]
    try:
        items = [Path(p) for p in paths]
    except TypeError as err:
        raise TypeError(
            f"paths: expected a file path or a list of them, got {type(paths).__name__}"
        ) from err
    if not items:
        raise ValueError("paths: expected at least one file, got none")
    return items


def _labels(paths: list[Path]) -> list[str]:
    """File names in messages; the path as given where two files share a name."""
    names = [p.name for p in paths]
    return [str(p) if names.count(p.name) > 1 else p.name for p in paths]


def read_incidents(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read incident logs into one checked incident table.

    Parameters
    ----------
    paths
        A file, or several: ``.csv``, ``.xlsx``/``.xlsm``, ``.json`` or ``.geojson``.
    sheet
        For workbooks: a sheet name, or a position counting from 0 (a string of digits that
        is not a sheet name is read as a position). Default: the first sheet.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`mapper.schema.INCIDENT_COLUMNS`, then any unknown columns as
        text. One row per data row of the inputs, in order, each ``ok`` or ``invalid`` with a
        message. ``attrs["problems"]``, ``attrs["warnings"]`` and ``attrs["files"]`` hold
        :class:`Problem` and :class:`FileInfo` records for :func:`validation_report`.

    Raises
    ------
    mapper.errors.InputFileError
        When a file cannot be read at all: missing, unsupported type, damaged, or JSON that
        is not an array of objects.
    """
    items = _as_paths(paths)
    if sheet is not None and not isinstance(sheet, str | int):
        raise TypeError(f"sheet: expected a name or a position, got {type(sheet).__name__}")
    parts: list[_Part] = []
    for path, label in zip(items, _labels(items), strict=True):
        fmt = SUFFIXES.get(path.suffix.casefold())
        if fmt is None:
            if not path.exists():
                raise InputFileError(path, "file not found")
            kind = f"'{path.suffix}'" if path.suffix else "without an extension"
            hint = "; save it as .xlsx" if path.suffix.casefold() in (".xls", ".ods") else ""
            raise InputFileError(
                path,
                f"unsupported file type {kind} (expected .csv, .xlsx, .json or .geojson){hint}",
            )
        if fmt == "csv":
            part = _read_csv(path, label)
        elif fmt == "xlsx":
            part = _read_xlsx(path, label, sheet)
        elif fmt == "json":
            part = _read_json(path, label)
        else:
            part = _read_geojson(path, label)
        logger.debug("read %s: %s rows as %s", path, len(part), part.format)
        parts.append(part)
    checker = _Checker(parts)
    frame = checker.run()
    frame.attrs["problems"] = _flatten(checker.problems)
    frame.attrs["warnings"] = _flatten(checker.warnings)
    frame.attrs["files"] = _Frozen(
        FileInfo(p.label, str(p.path), p.format, len(p), tuple(p.headers)) for p in parts
    )
    frame.attrs["ingest_rows"] = len(frame)
    return frame


_PIECE = re.compile(r'^(?P<unit>row|record|feature) (?P<row>\d+)(?:, field "(?P<field>[^"]+)")?: ')


def _problems_from_messages(frame: pd.DataFrame) -> list[Problem]:
    """Best effort, for a frame whose attrs were lost: split each message back into problems."""
    problems: list[Problem] = []
    bad = frame[frame["status"].astype(str) == schema.Status.INVALID.value]
    for label, message in zip(bad["source_file"], bad["message"], strict=True):
        label, message = str(label), str(message)
        splitter = re.compile(r"(?:^|; )" + re.escape(label) + ", ")
        for piece in filter(None, splitter.split(message)):
            m = _PIECE.match(piece)
            if m:
                problems.append(
                    Problem(label, m["unit"], int(m["row"]), m["field"], None, piece[m.end() :])
                )
    return problems


def validation_report(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts and problems of a table from :func:`read_incidents`, as plain data (JSON-able).

    Returns ``{"rows", "ok", "invalid", "files": [{file, path, format, rows, ok, invalid,
    columns, kept_columns}], "problems": [{file, row, where, field, value, message}],
    "warnings": [...]}``.
    """
    status = frame["status"].astype(str) if "status" in frame else pd.Series(dtype=str)
    intact = frame.attrs.get("ingest_rows") == len(frame) and "problems" in frame.attrs
    problems = list(frame.attrs["problems"]) if intact else _problems_from_messages(frame)
    warnings = list(frame.attrs.get("warnings", ())) if intact else []
    files: list[dict[str, Any]] = []
    known = {info.file: info for info in frame.attrs.get("files", ())} if intact else {}
    labels = list(dict.fromkeys([*known, *frame["source_file"].astype(str)]))
    for label in labels:
        mask = (frame["source_file"].astype(str) == label).to_numpy()
        entry: dict[str, Any] = {
            "file": label,
            "rows": int(mask.sum()),
            "ok": int((status.to_numpy()[mask] == "ok").sum()),
            "invalid": int((status.to_numpy()[mask] == "invalid").sum()),
        }
        if label in known:
            info = known[label]
            entry["path"] = info.path
            entry["format"] = info.format
            entry["columns"] = {h: f for h, f in info.columns if f is not None}
            entry["kept_columns"] = [h for h, f in info.columns if f is None]
        files.append(entry)
    return {
        "rows": len(frame),
        "ok": int((status == "ok").sum()),
        "invalid": int((status == "invalid").sum()),
        "files": files,
        "problems": [p.as_dict() for p in problems],
        "warnings": [w.as_dict() for w in warnings],
    }


def _line(problem: dict[str, Any]) -> str:
    return str(
        Problem(
            problem["file"],
            problem["where"].split()[0],
            problem["row"],
            problem["field"],
            problem["value"],
            problem["message"],
        )
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_report(report: dict[str, Any]) -> str:
    """The report as text: counts first (total, then per file), then one line per problem."""
    lines = [
        f"{_plural(report['rows'], 'row')}: {report['ok']} ok, {report['invalid']} invalid"
        f" ({_plural(len(report['files']), 'file')})"
    ]
    for entry in report["files"]:
        lines.append(
            f"  {entry['file']}: {_plural(entry['rows'], 'row')}, {entry['ok']} ok, "
            f"{entry['invalid']} invalid"
        )
        mapped = [f"{h} -> {f}" for h, f in entry.get("columns", {}).items() if h != f]
        if mapped:
            lines.append("    columns read as: " + ", ".join(mapped))
        if entry.get("kept_columns"):
            lines.append("    kept as they are: " + ", ".join(entry["kept_columns"]))
    if report["problems"]:
        lines += ["", _plural(len(report["problems"]), "problem") + ":"]
        lines += [_line(p) for p in report["problems"]]
    if report["warnings"]:
        lines += ["", _plural(len(report["warnings"]), "warning") + ":"]
        lines += [_line(p) for p in report["warnings"]]
    return "\n".join(lines)
