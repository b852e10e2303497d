"""CSV files into parts: read by pyarrow when they are plain, else by the careful reader.

:func:`_read_csv` reads most files with pyarrow's CSV reader (in C, every cell as text; the
columns of fields that get parsed as dictionaries, each block's distinct cells once), then
checks that its reading is the careful reader's: pyarrow and Python's :mod:`csv` module read
quotes alike (a quote opens a value only at its start, ``""`` inside quotes is one quote, what
follows a closing quote joins the value), so the two agree whenever every record is one line.
A file the quick reader does not take, or takes differently (a record over several lines,
rows of different lengths, NUL bytes, a cell over the length limit, UTF-16, text that is not
UTF-8, an empty file), is read by the careful reader, :mod:`csv` row by row, whose messages
name the lines of a quote left open. Both give the same part, row numbers included.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from mapper import settings
from mapper.errors import InputFileError
from mapper.ingest.cells import _TYPED, _cell_text, _is_blank
from mapper.ingest.columns import _Column, pa
from mapper.ingest.parts import (
    _At,
    _cut_long_cells,
    _fill,
    _fill_columns,
    _flag,
    _grid_rows,
    _header_and_rows,
    _Part,
    _read_bytes,
)
from mapper.ingest.vocabulary import _alias_lookup, _field_for

#: How binary files other programs write begin, and what to say of one read as text.
_SIGNATURES = {
    b"PK\x03\x04": "looks like an Excel workbook (it is a zip file); if it is one, name it .xlsx",
    b"\xd0\xcf\x11\xe0": "looks like an old Excel .xls workbook; save it as .xlsx",
}


def _decode(data: bytes, path: Path, hint: str) -> str:
    for signature, says in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputFileError(path, f"is not text: it {says}")
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise InputFileError(path, f"is not {encoding} text (byte {err.start}); {hint}") from err
    # A stray NUL is data; a first line that is largely NULs is binary, or UTF-16 without
    # its byte-order mark (every other byte a NUL): no column name in it can be trusted.
    first = text[:4096].partition("\n")[0]
    if first.count("\x00") * 4 > len(first):
        raise InputFileError(path, f"is not text: its first line is mostly NUL bytes; {hint}")
    return text



def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the first rows most consistently."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
            records = [r for r in islice(reader, 60) if r]
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



def _read_csv(path: Path, label: str) -> _Part:
    quick = _read_plain_csv(path, label)
    if quick is not None:
        return quick
    text = _decode(_read_bytes(path), path, "save it as 'CSV UTF-8' and try again")
    delimiter = _sniff_delimiter(text)
    records, ends, long = _csv_records(text, delimiter, path)
    header, rows, numbers = _header_and_rows(records, path)
    found: list[_At] = []
    if ends is not None:  # before long cells are cut: an unclosed quote makes one
        table = (delimiter, header, rows, numbers)
        found += _joined_lines(text, records[-1], table, ends, path)
    if long:
        found += _cut_long_cells(header, rows, path)
    part = _fill(_Part(label, path, "csv"), header, rows, numbers)
    _flag(part, sorted(found))
    return part


# --------------------------------------------------------------------------------------------
# The quick reader
# --------------------------------------------------------------------------------------------


def _read_plain_csv(path: Path, label: str) -> _Part | None:
    """The part of a plain UTF-8 CSV file, read by pyarrow; None for the careful reader
    (which also says why a file cannot be read)."""
    if pa is None:
        return None
    try:
        with path.open("rb") as file:
            start = file.read(4 * 65536 + 8)
    except OSError:
        return None
    if start[:2] in (b"\xff\xfe", b"\xfe\xff") or not start.removeprefix(codecs.BOM_UTF8):
        return None  # UTF-16, or empty
    if any(start.startswith(signature) for signature in _SIGNATURES):
        return None
    head = start.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="ignore")[:65536]
    first = head[:4096].partition("\n")[0]
    if first.count("\x00") * 4 > len(first):
        return None  # binary, or UTF-16 without its mark
    columns = _arrow_columns(path, head)
    if columns is None:
        return None
    header, rows, numbers = _grid_rows(columns, path)
    return _fill_columns(_Part(label, path, "csv"), header, rows, numbers)


def _arrow_columns(path: Path, head: str) -> list[_Column] | None:
    """Every record's cells as text, read by pyarrow; None unless each record is one line,
    all records are as long as the first and no cell is over the length limit. pyarrow
    checks that the text is UTF-8 as Python does (the careful reader then says where not)
    and leaves out a byte order mark."""
    import pyarrow.csv as pcsv

    delimiter = _sniff_delimiter(head)
    try:
        first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return None
    coded = _parsed_columns(first)
    try:
        table = _read_arrow_csv(pcsv, str(path), delimiter, len(first), coded)  # block by block
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None  # rows of different lengths, not UTF-8, an empty file...: read carefully
    kinds = [_CODED if j in coded else pa.large_string() for j in range(table.num_columns)]
    if table.schema.types != kinds:
        return None  # an odd first line
    limit = settings.max_cell_chars()
    columns: list[_Column] = []
    for j in range(table.num_columns):
        column = (_Column.of_dictionary if j in coded else _Column.of_arrow)(table.column(j))
        if column.has_line_break():
            return None  # a quoted line break: the record runs over several lines
        if column.longest() > limit:
            return None
        columns.append(column)
    return columns


#: How pyarrow reads a column whose cells get parsed: each block's distinct cells and codes.
_CODED = pa.dictionary(pa.int32(), pa.large_string()) if pa is not None else None
#: Bytes of the file pyarrow reads at a time (its blocks are parsed in parallel).
_BLOCK = 1 << 23


def _parsed_columns(names: list[str]) -> set[int]:
    """The columns, by position, whose names in the first line name a field whose cells
    get parsed (dates, counts, coordinates...): pyarrow reads them as dictionaries, finding
    their distinct cells block by block, in parallel, instead of a text per row that is only
    parsed once per distinct cell anyway. How a column is held changes nothing read from it:
    when the header is further down, every column is read as text."""
    lookup = _alias_lookup()
    named: set[str] = set()
    coded: set[int] = set()
    for j, cell in enumerate(names):
        field = None if _is_blank(cell) else _field_for(_cell_text(cell), lookup)
        if field is not None and field not in named:  # the first column naming a field wins
            named.add(field)
            if field in _TYPED:
                coded.add(j)
    return coded


def _read_arrow_csv(
    pcsv: Any, source: Any, delimiter: str, width: int, coded: set[int] | None = None
) -> Any:
    """pyarrow's reading of a CSV file: every cell as text (``coded`` columns as dictionary
    arrays), quotes read as Python reads them (an empty line is a row of empty cells, as long
    as the others)."""
    coded = coded or set()
    return pcsv.read_csv(
        source,
        memory_pool=_pool(),
        read_options=pcsv.ReadOptions(
            autogenerate_column_names=True, use_threads=True, block_size=_BLOCK
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
            newlines_in_values=True, ignore_empty_lines=False,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={f"f{j}": _CODED if j in coded else pa.large_string()
                          for j in range(max(width, 1))},
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        ),
    )  # fmt: skip


def _pool() -> Any:
    """jemalloc's memory pool where pyarrow has it: what the reading leaves behind (the
    columns that get parsed) goes back to the system sooner than with pyarrow's default, so
    a million rows take about 300 MB less at their peak."""
    try:
        return pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return None


# --------------------------------------------------------------------------------------------
# The careful reader
# --------------------------------------------------------------------------------------------


def _csv_records(
    text: str, delimiter: str, path: Path
) -> tuple[list[list[str]], list[int] | None, bool]:
    """The records; the last line of each when one spans lines (else None); whether a cell
    is longer than the cell limit (then the records hold it whole, for the row to name it)."""
    old = csv.field_size_limit()
    try:
        csv.field_size_limit(settings.max_cell_chars())
        try:
            records, ends, long = *_parse_csv(text, delimiter), False
        except csv.Error as err:
            if "field larger than field limit" not in str(err):
                raise InputFileError(path, f"is not readable CSV ({err})") from err
            csv.field_size_limit(sys.maxsize)
            records, ends, long = *_parse_csv(text, delimiter), True
    finally:
        csv.field_size_limit(old)
    if not ends or ends[-1] == len(records):
        return records, None, long  # one line per record: nothing spans lines
    return records, ends, long


def _parse_csv(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records, and the line each ends on (lines as the reader counts them)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    keep = records.append
    return records, [reader.line_num for record in reader if keep(record) is None]


def _joined_lines(
    text: str,
    last: list[str],
    table: tuple[str, list[Any], list[list[Any]], list[int]],
    ends: list[int],
    path: Path,
) -> list[_At]:
    """Quoted values that run over lines which look like rows of their own: a quote that is
    never closed (the file is refused) or closed only lines later (the row is invalid)."""
    delimiter, header, rows, numbers = table
    need = max(len(header) - 1, 2)
    starts = [1, *(end + 1 for end in ends[:-1])]
    _check_last_record(text, last, header, (starts[-1], ends[-1]), path)
    found: list[_At] = []
    if not rows:
        return found
    spans = np.flatnonzero(np.diff(np.asarray(ends), prepend=0) > 1)  # records over lines
    for k in spans[(spans >= numbers[0] - 1) & (spans < numbers[0] - 1 + len(rows))].tolist():
        i = k - numbers[0] + 1  # the row of this record
        row = rows[i]
        if "".join(filter(None, row)).count(delimiter) < need:
            continue  # no value holds as many delimiters as a row
        for j, cell in enumerate(row):
            if cell is None or cell.count(delimiter) < need:
                continue
            joined = sum(line.count(delimiter) >= need for line in cell.splitlines()[1:])
            if joined:
                found.append((i, j, (
                    f"a quoted value runs from line {starts[k]} to line {ends[k]} and takes in"
                    f" {joined} line(s) that look like rows of their own; a quote (\") is"
                    " probably not closed where it should be, and those rows are not read"
                )))  # fmt: skip
    return found


def _check_last_record(
    text: str, last: list[str], header: list[Any], lines: tuple[int, int], path: Path
) -> None:
    """Refuse the file when its last record opens a quote that the file never closes: the
    lenient reader then puts all that follows the quote into the record's last value."""
    start, end = lines
    value = last[-1] if last else ""
    if start == end or not value or not text.endswith(value) or text[-len(value) - 1] != '"':
        return
    j = len(last) - 1
    name = _cell_text(header[j]) if j < len(header) and not _is_blank(header[j]) else ""
    where = f'field "{name}"' if name else f"column {j + 1}"
    raise InputFileError(
        path,
        f'line {start}: a quote (") opens in {where} and is never closed, so lines'
        f" {start}-{end} would be read as one value; close the quote or remove it",
    )

