"""The review workbook (a draft as XLSX for a person to review), and drafts read back.

:func:`write_review_xlsx` writes the sheet "Draft": ``keep`` first (a yes/no dropdown, yes
for every row), then what a reviewer decides on (``type``, ``place``, ``province`` beside
the ``evidence`` and ``confidence``), then the rest of the draft's columns and any others.
``keep``, ``type`` and ``province`` have dropdowns (the provinces are listed on a hidden
sheet, "Lists"); the header row is frozen; evidence and notes wrap. Text is never a formula
(:func:`mapper.files.spreadsheet_safe`) and the same draft gives the same bytes.

The workbook is a log: ``validate``, ``geocode``, ``map`` and ``summarize`` read its first
sheet, where a row marked keep = no is invalid (never mapped, still counted; see
:func:`mapper.ingest.left_out_in_review`), and ``merge`` leaves such rows out.
:func:`read_draft` reads a draft (.csv, .json or .xlsx) back as written, for ``merge``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from mapper import settings
from mapper.errors import InputFileError
from mapper.extract.draft import DRAFT_COLUMNS, write_draft
from mapper.files import WORKBOOK_TIME, fixed_zip, spreadsheet_safe, write_with
from mapper.ingest import KEEP_COLUMN
from mapper.schema import COUNT_COLUMNS, INCIDENT_TYPES

#: The sheet of the draft, and the hidden sheet the province dropdown lists from.
SHEET = "Draft"
LISTS = "Lists"
#: The draft files ``extract`` writes and ``merge`` reads.
DRAFT_SUFFIXES = (".csv", ".json", ".xlsx")
#: After ``keep``: the columns a reviewer decides on, then the draft's others in order.
REVIEW_FIRST = ("id", "date", "type", "place", "province", "evidence", "confidence")
_WIDTHS = {KEEP_COLUMN: 7, "evidence": 80, "notes": 50, "date": 11, "type": 13,
           "confidence": 11, "merged_from": 30}
_WRAP = ("evidence", "notes")
#: The last row of a sheet: the dropdowns also serve rows the reviewer adds.
_LAST_ROW = 1_048_576


def review_columns(frame: pd.DataFrame) -> list[str]:
    """The workbook's columns: keep, :data:`REVIEW_FIRST`, the draft's others, the rest."""
    first = [c for c in REVIEW_FIRST if c in frame.columns]
    rest = [c for c in DRAFT_COLUMNS if c in frame.columns and c not in first]
    others = [c for c in frame.columns if c not in first and c not in rest and c != KEEP_COLUMN]
    return [KEEP_COLUMN, *first, *rest, *others]


def _cell(value: Any) -> Any:
    """A value as a cell: numbers stay numbers, dates ISO text, text never a formula and
    without the control characters XML cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{value:%Y-%m-%d}"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", spreadsheet_safe(str(value)))


def _provinces() -> list[str]:
    from mapper.units import province_table

    return province_table()["name_common"].astype(str).tolist()


def review_xlsx_bytes(frame: pd.DataFrame, *, provinces: list[str] | None = None) -> bytes:
    """The review workbook of a draft table (see the module docstring), as bytes."""
    from openpyxl import Workbook

    columns = review_columns(frame)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([_cell(c) for c in columns])
    keep = frame[KEEP_COLUMN] if KEEP_COLUMN in frame.columns else [None] * len(frame)
    table = frame.astype(object).where(frame.notna(), None)
    for flag, row in zip(keep, table.to_dict("records"), strict=True):
        given = None if flag is None or pd.isna(flag) else str(flag).strip()
        ws.append([_cell(given or "yes"), *(_cell(row[c]) for c in columns[1:])])
    _layout(ws, columns)
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    names = _provinces() if provinces is None else list(provinces)
    for value in ["province", *names]:
        lists.append([_cell(value)])
    _dropdowns(ws, columns, len(names))
    wb.properties.creator = "incident-mapper"
    wb.properties.created = wb.properties.modified = WORKBOOK_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue())


def _layout(ws: Any, columns: list[str]) -> None:
    """Bold frozen header with a filter, widths by content, wrapped evidence and notes."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for i, name in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cells = [c for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i)]
        longest = max([len(name), *(len(str(c.value)) for c in cells if c.value is not None)])
        ws.column_dimensions[letter].width = _WIDTHS.get(name, min(max(longest + 2, 8), 40))
        for c in cells:
            c.alignment = wrap if name in _WRAP else top
            if name == "confidence":
                c.number_format = "0.00"


def _dropdowns(ws: Any, columns: list[str], n_provinces: int) -> None:
    """Lists for keep (yes/no) and type (stop at anything else) and for province (a warning:
    a spelling the list lacks is still read by the geocoder)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = {KEEP_COLUMN: ('"yes,no"', "stop", "keep: yes or no"),
             "type": ('"' + ",".join(INCIDENT_TYPES) + '"', "stop",
                      "type: one of " + ", ".join(INCIDENT_TYPES)),
             "province": (f"{LISTS}!$A$2:$A${n_provinces + 1}", "warning",
                          "province: not one of the 25 provinces")}
    for name, (formula, style, message) in lists.items():
        if name not in columns:
            continue
        letter = get_column_letter(columns.index(name) + 1)
        check = DataValidation(type="list", formula1=formula, allow_blank=True,
                               showErrorMessage=True, errorStyle=style, error=message)
        check.add(f"{letter}2:{letter}{_LAST_ROW}")
        ws.add_data_validation(check)


def write_review_xlsx(frame: pd.DataFrame, path: str | PathLike[str], *,
                      provinces: list[str] | None = None) -> Path:
    """Write the review workbook of a draft table (atomically); ``provinces`` are the names
    the province dropdown offers (default: the 25 provinces as the press spells them)."""
    data = review_xlsx_bytes(frame, provinces=provinces)
    return write_with(Path(path), lambda tmp: tmp.write_bytes(data))


def write_draft_file(frame: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a draft by extension: .xlsx a review workbook, .csv or .json :func:`write_draft`."""
    if Path(path).suffix.lower() == ".xlsx":
        return write_review_xlsx(frame, path)
    return write_draft(frame, path)


# -- reading drafts back -----------------------------------------------------------------------
def read_draft(path: str | PathLike[str]) -> pd.DataFrame:
    """A draft file (.csv, .json or .xlsx, as ``extract`` writes them, reviewed or not) as a
    table of its cells as written: text (numbers in JSON and workbooks), None when blank.

    Raises :class:`~mapper.errors.InputFileError` when the file cannot be read or is not a
    draft (it has no ``type`` and ``date`` columns).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in DRAFT_SUFFIXES:
        raise InputFileError(p, f"unsupported draft type '{p.suffix}' (expected .csv, .json "
                             "or .xlsx, as extract writes them)")
    if not p.is_file():
        raise InputFileError(p, "is a folder, not a draft" if p.is_dir() else "file not found")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix == ".json":
            frame = _json_frame(p)
        else:
            frame = _xlsx_frame(p)
    except InputFileError:
        raise
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputFileError(p, f"cannot be read as a draft ({type(err).__name__})") from err
    if not {"type", "date"} <= set(frame.columns):
        raise InputFileError(p, "is not a draft (no 'type' and 'date' columns); merge reads "
                             "the drafts extract writes")
    if len(frame) > settings.max_rows():
        raise InputFileError(p, f"has {len(frame):,} rows, more than the limit of "
                             f"{settings.max_rows():,} (INCIDENT_MAPPER_MAX_ROWS)")
    blank = frame.isna() | frame.map(lambda v: isinstance(v, str) and not v.strip())
    return frame.astype(object).where(~blank, None)


def _json_frame(p: Path) -> pd.DataFrame:
    data = json.loads(p.read_text(encoding="utf-8-sig"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputFileError(p, "is not a JSON array of draft rows")
    return pd.DataFrame(data, dtype=object)


def _xlsx_frame(p: Path) -> pd.DataFrame:
    """The "Draft" sheet (or the first), header in row 1; whole numbers as integers."""
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(p) as archive:
        size = sum(info.file_size for info in archive.infolist())
    if size > settings.max_xlsx_mb() * 1e6:
        raise InputFileError(p, f"unpacks to {size / 1e6:,.0f} MB, more than the limit of "
                             f"{settings.max_xlsx_mb():g} MB (INCIDENT_MAPPER_MAX_XLSX_MB)")
    try:
        with CalamineWorkbook.from_path(str(p)) as book:
            names = list(book.sheet_names)
            rows = book.get_sheet_by_name(SHEET if SHEET in names else names[0]).to_python()
    except Exception as err:  # calamine raises several kinds on a damaged file
        raise InputFileError(p, f"is not a readable workbook ({type(err).__name__})") from err
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    if not rows:
        return pd.DataFrame()
    header = [str(v) for v in rows[0]]
    body = [[_read_cell(v) for v in row] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    for name in COUNT_COLUMNS:
        if name in frame.columns:
            frame[name] = [int(v) if isinstance(v, float) and v.is_integer() else v
                           for v in frame[name]]
    return frame


def _read_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return None if value == "" else value
