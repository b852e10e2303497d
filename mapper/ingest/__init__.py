"""Reading incident logs (CSV, XLSX, JSON, GeoJSON, Parquet) into one checked incident table.

In
    :func:`read_incidents`: paths of incident logs (``.csv``, ``.xlsx``/``.xlsm``, ``.json``,
    ``.geojson``, ``.parquet``) and, for workbooks, a sheet.
Out
    One :class:`pandas.DataFrame` with the columns of :data:`mapper.schema.INCIDENT_COLUMNS`
    (unknown columns are kept after them, as text), its :class:`Problem` and
    :class:`FileInfo` records in ``attrs``; :func:`validation_report` makes the report of it
    as plain data, :func:`format_report` as text. The vocabularies read are public too:
    :data:`COLUMN_ALIASES`, :data:`TYPE_SYNONYMS`, :data:`BLANK_MARKERS`, :func:`column_key`.

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
    GeoJSON FeatureCollection), ``.geojson`` (a FeatureCollection of Point features; the
    point gives latitude and longitude and wins over any latitude/longitude property) and
    ``.parquet`` (a table of log columns, read by pyarrow: the column names are the header;
    text columns are read as CSV cells, typed ones -- numbers, dates, true/false -- as the
    typed cells of a workbook or JSON; a pandas index saved with the table is left out).
    The header is the first row that is not completely empty. Completely empty rows after
    the last data row are not rows (editors leave them); empty rows between data rows are
    kept, marked invalid ("empty row").
CSV quotes
    A quote (``"``) that is never closed, so that the rest of the file would be one value, makes
    the file unreadable, naming the line and field where it opens. A quoted value that is
    closed only lines later and takes in lines that look like rows of their own makes its row
    invalid, naming the lines and the field. Quoted line breaks in a value are read as such.
    Most files are read by pyarrow, every cell as text; a file it would not read as Python's
    :mod:`csv` module does (a record over several lines, rows of different lengths,
    UTF-16...) is read row by row by :mod:`csv`, which names the lines of a quote left open.
    Both give the same table.
Workbooks
    Read by python-calamine: every row, whatever the sheet's ``<dimension>`` record says.
    Cells in a merged range and formulas saved without their result (both read as empty)
    make their rows invalid, naming the cells; error values (``#DIV/0!``) are read as written.
    An empty first sheet, when no sheet is asked for, names the sheets that hold rows.
Limits (:mod:`mapper.settings`)
    A workbook that unpacks to more than ``INCIDENT_MAPPER_MAX_XLSX_MB`` megabytes, or a file
    with more than ``INCIDENT_MAPPER_MAX_ROWS`` data rows, is refused before its rows are
    checked; a cell longer than ``INCIDENT_MAPPER_MAX_CELL_CHARS`` characters is not read and
    makes its row invalid, naming the row and the field. A folder, or a workbook saved
    under a text file's name, is named as such.
Row numbers
    As a spreadsheet shows them: in CSV and XLSX the header is usually row 1 and the first
    data row row 2 (a cell holding a line break does not shift the numbering). In Parquet
    the column names count as row 1 and the first record is row 2, as in a CSV export of
    the table (completely empty records at the end are not rows there either). JSON
    records and GeoJSON features are counted from 1 ("record 3", "feature 3").
Column names
    Matched against :data:`COLUMN_ALIASES` (``columns.toml``) ignoring case, accents, spaces,
    ``_``, ``-`` and punctuation ("Date of incident", "date_of_incident" and
    "DATE-OF-INCIDENT" are one name; a trailing plural "s" is also ignored). When two columns
    name the same field the first one is used and the other is kept under its own name. A
    kept column whose name would clash with a column the pipeline adds (``status``,
    ``lat``...) gets " (input)" appended.
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
    Read by :mod:`mapper.dates`, the project's one date parser.
Blank markers
    In typed fields (dates, type, counts, coordinates, sensitive, source_url) a cell holding
    only one of :data:`BLANK_MARKERS` ("-", "n/a", "unknown", "?"...; ``cells.toml``) counts
    as blank. No field is required: a row is invalid only for what it says wrongly, or for
    saying nothing.
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

Review
    A ``keep`` column (the review workbook of ``extract --out draft.xlsx``) is kept like any
    other column, and a row whose ``keep`` says no (:func:`left_out_in_review`) is invalid,
    "left out in review": never mapped, still counted. ``merge`` drops such rows.

Problems
--------
Each problem is a :class:`Problem` (file, unit, row, field, value, text). They are joined
with "; " into the row's ``message`` and kept, structured, in ``frame.attrs["problems"]``
(warnings in ``frame.attrs["warnings"]``); :func:`validation_report` reads them from there, or
re-derives them from the messages when the frame has been filtered since.

Speed
-----
Cells are checked column by column: each distinct cell of a column is parsed once and the
result spread over its rows, and only rows with a problem get a message. Plain CSV files
and Parquet columns are read by pyarrow, and an ASCII text column that no check parses goes
to the table as pyarrow read it. On two cores a million rows of 39 columns (360 MB of CSV)
are read and checked in about 3 seconds, under 4 times what ``pandas.read_csv`` takes for
the same file, in about 1.1 GB; a workbook of 100,000 rows in about the time of
``pandas.read_excel(engine="calamine")`` (``bench/ingest.py`` measures both).

The parts
---------
``readers`` (files into raw parts), ``delimited`` (CSV files: the quick reader and the
careful one), ``workbook`` (XLSX sheets into records, their flagged cells), ``parts`` (a
file's header and rows, before checking), ``columns`` (columns of cells, each distinct cell
once), ``cells`` (one cell into a value), ``checks`` (rows and fields validated, the table
built), ``ids`` (given and content ids), ``report`` (problems and the report), ``vocabulary``
(the words read: ``columns.toml``, ``types.toml``, ``cells.toml``).
Names with an underscore are for this package only.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

import pandas as pd

from mapper.dates import YEAR_RANGE
from mapper.ingest.cells import MAX_COUNT, _parse_url
from mapper.ingest.checks import KEEP_COLUMN, _check, left_out_in_review
from mapper.ingest.ids import content_fragment, content_id
from mapper.ingest.readers import SUFFIXES, _read_files
from mapper.ingest.report import (
    FileInfo,
    Problem,
    _flatten,
    _Frozen,
    format_report,
    validation_report,
)
from mapper.ingest.vocabulary import BLANK_MARKERS, COLUMN_ALIASES, TYPE_SYNONYMS, column_key

__all__ = [
    "BLANK_MARKERS",
    "COLUMN_ALIASES",
    "KEEP_COLUMN",
    "MAX_COUNT",
    "SUFFIXES",
    "TYPE_SYNONYMS",
    "YEAR_RANGE",
    "FileInfo",
    "Problem",
    "column_key",
    "content_fragment",
    "content_id",
    "format_report",
    "left_out_in_review",
    "parse_web_address",
    "read_incidents",
    "validation_report",
]


def parse_web_address(text: str) -> tuple[str | None, str | None]:
    """A ``source_url`` cell read by ingest's rule: (the address, None), or (None, why it is
    not kept: only ``http://`` and ``https://`` links are)."""
    return _parse_url(text)


def read_incidents(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read incident logs into one checked incident table.

    Parameters
    ----------
    paths
        A file, or several: ``.csv``, ``.xlsx``/``.xlsm``, ``.json``, ``.geojson`` or
        ``.parquet``.
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
        When a file cannot be read at all: missing, a folder, unsupported type, damaged, over a
        limit of :mod:`mapper.settings`, a CSV quote never closed, or JSON that is not an
        array of objects.
    """
    parts = _read_files(paths, sheet)
    frame, rows = _check(parts)
    frame.attrs["problems"] = _flatten(rows.problems)
    frame.attrs["warnings"] = _flatten(rows.warnings)
    frame.attrs["files"] = _Frozen(
        FileInfo(p.label, str(p.path), p.format, len(p), tuple(p.headers)) for p in parts
    )
    frame.attrs["ingest_rows"] = len(frame)
    return frame
