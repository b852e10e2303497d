"""XLSX workbooks into records: checked for size first, read whole by calamine.

:func:`_read_sheet` refuses a workbook whose parts unpack to more than
:func:`mapper.settings.max_xlsx_mb` before anything is read (a small file can hide a huge
sheet), then reads the chosen sheet with python-calamine, which reads every row whatever the
sheet's ``<dimension>`` record says. It also lists the cells a reader of the values alone
would get wrong: merged ranges (only the top-left cell holds the value) and formulas saved
without their result (they read as empty). :mod:`mapper.ingest.readers` turns those into
problems of their rows.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mapper import settings
from mapper.errors import InputFileError

#: Where a sheet lists a cell to flag: (row, column) from 0, the cell's text in messages.
_Cell = tuple[int, int, str]


@dataclass
class _Sheet:
    """The records of one sheet (rows from sheet row 1) and the cells worth a problem."""

    name: str
    records: list[list[Any]]
    flagged: list[_Cell] = field(default_factory=list)


def _read_sheet(path: Path, sheet: str | int | None) -> _Sheet:
    """The chosen sheet of the workbook at ``path``; :class:`InputFileError` if unreadable."""
    from python_calamine import CalamineWorkbook  # only when a workbook is read

    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file")
    parts = _check_size(path)
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            names = list(book.sheet_names)
            index = _sheet_index(names, path, sheet)
            found = book.get_sheet_by_index(index)
            records = found.to_python(skip_empty_area=False)
            merged = found.merged_cell_ranges or []
            if sheet is None and not _has_values(records):
                _name_sheets_with_rows(book, path)
    except InputFileError:
        raise
    except Exception as err:  # calamine raises several kinds on a damaged or foreign file
        raise InputFileError(path, f"is not a readable Excel workbook ({_brief(err)})") from err
    result = _Sheet(names[index], records)
    flagged, errors = _scan_sheet(path, parts, index)
    result.flagged += _merged_cells(merged) + flagged
    for row, col, value in errors:  # calamine reads them as empty; keep them as written
        if row < len(records) and col < len(records[row]) and records[row][col] in ("", None):
            records[row][col] = value
    return result


def _brief(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _check_size(path: Path) -> list[str]:
    """The names of the workbook's parts, once their unpacked size is known to be allowed."""
    limit = settings.max_xlsx_mb()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise InputFileError(path, f"is not a readable Excel workbook ({_brief(err)})") from err
    total = sum(info.file_size for info in infos)
    if total > limit * 1e6:
        raise InputFileError(
            path,
            f"unpacks to {total / 1e6:,.0f} MB, more than the limit of {limit:g} MB"
            f" (INCIDENT_MAPPER_MAX_XLSX_MB); it is not read",
        )
    return [info.filename for info in infos]


def _sheet_index(names: list[str], path: Path, sheet: str | int | None) -> int:
    """The sheet asked for: the first, a name, or a position counting from 0."""
    if not names:
        raise InputFileError(path, "has no worksheet")
    if sheet is None:
        return 0
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    if isinstance(sheet, int) or sheet.strip().isdigit():
        index = int(sheet)
        if not 0 <= index < len(names):
            raise InputFileError(path, f"has no sheet {index} (sheets, from 0: {', '.join(names)})")
        return index
    raise InputFileError(path, f'has no sheet "{sheet}" (sheets: {", ".join(names)})')


def _has_values(records: list[list[Any]]) -> bool:
    return any(v is not None and str(v).strip() for row in records for v in row)


def _name_sheets_with_rows(book: Any, path: Path) -> None:
    """The first sheet is empty: say which sheets hold rows (nothing when none does)."""
    names = book.sheet_names
    full = [n for n in names[1:] if _has_values(book.get_sheet_by_name(n).to_python())]
    if full:
        listed = ", ".join(f'"{n}"' for n in full)
        raise InputFileError(
            path,
            f'the first sheet "{names[0]}" is empty; sheets with rows: {listed}'
            f" (choose one with --sheet)",
        )


# --------------------------------------------------------------------------------------------
# Cells worth a problem
# --------------------------------------------------------------------------------------------


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ref(row: int, col: int) -> str:
    return f"{_column_letters(col)}{row + 1}"


def _merged_cells(ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[_Cell]:
    """One entry per row a merged range covers, at the range's first column."""
    out: list[_Cell] = []
    for (r0, c0), (r1, c1) in ranges:
        span = f"{_ref(r0, c0)}:{_ref(r1, c1)}"
        for row in range(r0, r1 + 1):
            text = (
                f"cell {_ref(row, c0)} is in the merged cells {span} (only {_ref(r0, c0)} holds"
                " the value); unmerge them and fill in each cell"
            )
            out.append((row, c0, text))
    return out


_FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TYPE = re.compile(rb'\st="([A-Za-z]+)"')
#: An error cell's type (searched alone: quick) and its value, after the cell's opening tag.
_ERROR_TYPE = re.compile(rb't="e"')
_ERROR_VALUE = re.compile(
    rb"(?:<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>))?<(?:\w+:)?v>(#[^<]{1,20})<"
)
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]{0,60})")


def _scan_sheet(path: Path, parts: list[str], index: int) -> tuple[list[_Cell], list[_Cell]]:
    """What calamine does not tell, read from the sheet's XML: formulas saved without their
    result (read as empty), and error values such as ``#DIV/0!`` (read as empty too)."""
    try:
        with zipfile.ZipFile(path) as archive:
            name = _sheet_part(archive, parts, index)
            if name is None or not _worth_scanning(archive, name):
                return [], []
            data = archive.read(name)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return [], []
    return _formulas_without_result(data), _error_values(data)


def _position(ref: re.Match[bytes]) -> tuple[int, int]:
    """(row, column) from 0 of a matched cell reference such as ``D12``."""
    col = sum((ord(ch) - 64) * 26**k for k, ch in enumerate(reversed(ref[1].decode()))) - 1
    return int(ref[2]) - 1, col


def _formulas_without_result(data: bytes) -> list[_Cell]:
    out: list[_Cell] = []
    for match in _FORMULA.finditer(data):
        prefix = match.group(1) or b""
        start = data.rfind(b"<" + prefix + b"c", 0, match.start())
        end = data.find(b"</" + prefix + b"c>", match.end())
        cell = data[start : end if end >= 0 else len(data)]
        head = cell[: cell.find(b">") + 1]
        ref = _CELL_REF.search(head)
        if ref is None or _has_result(cell, prefix, head):
            continue
        row, col = _position(ref)
        shown = _FORMULA_TEXT.search(cell)
        formula = f" (={shown[1].decode('utf-8', 'replace')})" if shown and shown[1] else ""
        text = (
            f"cell {_ref(row, col)} holds a formula{formula} saved without its result; open"
            " the file in Excel or LibreOffice and save it again so the value is stored"
        )
        out.append((row, col, text))
    return out


def _error_values(data: bytes) -> list[_Cell]:
    """Cells holding an error value, with the value as Excel shows it (``#N/A``...)."""
    out: list[_Cell] = []
    for match in _ERROR_TYPE.finditer(data):
        start = data.rfind(b"<", 0, match.start())
        head_end = data.find(b">", match.end())
        ref = _CELL_REF.search(data[start : head_end + 1])
        value = _ERROR_VALUE.match(data, head_end + 1)
        if ref is not None and value is not None:
            row, col = _position(ref)
            out.append((row, col, value[1].decode("utf-8", "replace")))
    return out


def _has_result(cell: bytes, prefix: bytes, head: bytes) -> bool:
    """Whether a formula cell carries a saved value (an empty one only for a text result)."""
    found = re.search(b"<" + re.escape(prefix) + rb"v(?:\s[^>]*)?(/?)>([^<]*)", cell)
    if found is None or found[1]:
        return False
    kind = _CELL_TYPE.search(head)
    return bool(found[2]) or (kind is not None and kind[1] in (b"str", b"s", b"inlineStr"))


def _worth_scanning(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a sheet part holds a formula or an error, read in pieces (most hold neither)."""
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 22):
            piece = tail + chunk
            if b't="e"' in piece or (
                (b"<f" in piece or b":f" in piece) and _FORMULA.search(piece)
            ):
                return True
            tail = chunk[-32:]
    return False


def _sheet_part(archive: zipfile.ZipFile, parts: list[str], index: int) -> str | None:
    """The zip member holding sheet ``index`` (workbook order), from the workbook's links."""
    book = archive.read("xl/workbook.xml")
    links = archive.read("xl/_rels/workbook.xml.rels")
    sheets = re.findall(rb"<(?:\w+:)?sheet\s[^>]*>", book)
    ids = [m[1] for m in (re.search(rb'\s\w+:id="([^"]+)"', s) for s in sheets) if m]
    if index >= len(ids):
        return None
    for rel in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", links):
        rid = re.search(rb'\bId="([^"]+)"', rel)
        target = re.search(rb'\bTarget="([^"]+)"', rel)
        if rid and target and rid[1] == ids[index]:
            text = target[1].decode()
            name = text.lstrip("/") if text.startswith("/") else str(PurePosixPath("xl", text))
            return name if name in parts else None
    return None
