"""Writing a :class:`~mapper.summarise.tables.Summary`: CSV, JSON, Markdown and XLSX."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import math
import re
from pathlib import Path

import pandas as pd

from mapper.files import fixed_zip, spreadsheet_safe, write_csv, write_text_atomic, write_with
from mapper.summarise.tables import (
    COLUMN_DOCS,
    FIXED_TIME,
    LINE_LABELS,
    Summary,
)

#: Rows of a row list (``listed_rows``) that the workbook, the JSON and the Markdown hold;
#: above it they keep the first rows and say how many more the CSV (and Parquet) file has.
#: The lists of a large log run to hundreds of thousands of rows: no one reads that many in
#: a spreadsheet, and the aggregates above them are what the files are for.
ROWS_SHOWN = 100
#: Tables that list rows one by one (every other table is an aggregate and is kept whole).
ROW_LISTS = ("listed_rows",)


def shown_rows(name: str, table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows of table ``name`` the workbook, JSON and Markdown hold, and how many more
    there are (0: the whole table)."""
    if name not in ROW_LISTS or len(table) <= ROWS_SHOWN:
        return table, 0
    return table.head(ROWS_SHOWN), len(table) - ROWS_SHOWN


def more_rows_note(name: str, more: int) -> str:
    """'… and 217,412 more rows: see listed_rows.csv (or listed_rows.parquet)'."""
    return f"\u2026 and {more:,} more rows: see {name}.csv (or {name}.parquet)"


# -- plain values for JSON / Markdown --------------------------------------------------------------
def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def records(table: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_dict("records")]


def _csv(table: pd.DataFrame, path: Path) -> Path:
    # Text a spreadsheet would run as a formula gets a leading quote; numbers stay numbers.
    # Streamed to the file: a row list of a million-row log is ~100 MB of text.
    return write_csv(table, path, date_format="%Y-%m-%d")


def to_json(summary: Summary) -> str:
    tables, more = {}, {}
    for name, table in summary.tables().items():
        shown, rest = shown_rows(name, table)
        tables[name] = records(shown)
        if rest:
            more[name] = {"rows": len(table), "shown": len(shown), "more": rest,
                          "file": f"{name}.csv", "note": more_rows_note(name, rest)}
    payload = {"meta": summary.meta, "tables": tables, "columns": COLUMN_DOCS}
    if more:  # only when a list is cut: the JSON of a small log stays as it was
        payload["more_rows"] = more
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True,
                      allow_nan=False) + "\n"


def _md_text(value: object) -> str:
    """Text as Markdown that renders as itself: no HTML (< > & escaped), no code span, link
    or image (backticks and brackets escaped), no table break (pipes), on one line."""
    # Markdown renderers pass raw HTML through: user text must stay text there too.
    text = html.escape(str(value), quote=False)
    for char in ("\\", "|", "`", "[", "]"):
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def _md_cell(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return _md_text(value)


def markdown_table(table: pd.DataFrame) -> str:
    head = "| " + " | ".join(_md_cell(c) for c in table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    body = ["| " + " | ".join(_md_cell(v) for v in row) + " |"
            for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def to_markdown(summary: Summary) -> str:
    meta = summary.meta
    out = ["# Incidents by province", ""]
    span = (_md_text(f"{meta['first_date']} to {meta['last_date']}") if meta["first_date"]
            else "no dates")
    out.append(f"{meta['rows_in']} rows ({span}). Every row is counted once: in one of the 25 "
               "provinces, or in one of the lines below them.")
    if meta["rows_left_out_by_dates"]:
        out.append(f"{meta['rows_left_out_by_dates']} rows were left out by the date filter.")
    out += ["", "## Provinces", "", markdown_table(summary.provinces), "",
            "## Not in a province", "", markdown_table(summary.lines), ""]
    for name, table in summary.tables().items():
        if name in ("provinces", "lines"):
            continue
        shown, more = shown_rows(name, table)
        out += [f"## {name.replace('_', ' ').capitalize()}", "", markdown_table(shown), ""]
        if more:
            out += [_md_text(more_rows_note(name, more)) + ".", ""]
    sources = ", ".join(_md_text(s) for s in meta["sources"]) or "the incident log"
    out += ["## Sources", "", f"- Population: {_md_text(meta['population_source'])}.",
            f"- {_md_text(meta['boundaries'])}.", f"- Incidents: {sources}.", ""]
    return "\n".join(out)


# -- XLSX ----------------------------------------------------------------------------------------
SHEET_TITLES = {"provinces": "Provinces", "lines": "Not in a province",
                "by_month": "By month", "by_quarter": "By quarter", "by_year": "By year",
                "by_month_province": "By month and province",
                "by_quarter_province": "By quarter and province",
                "by_year_province": "By year and province",
                "districts": "Districts", "listed_rows": "Listed rows"}


def _number_format(column: str, series: pd.Series) -> str | None:
    if column == "per_100k":
        return "0.00"
    if column.endswith("_date") or pd.api.types.is_datetime64_any_dtype(series):
        return "yyyy-mm-dd"
    if pd.api.types.is_integer_dtype(series) or column in (
            "incidents_previous", "change", "population_2019"):
        return "#,##0" if column != "change" else "+#,##0;-#,##0;0"
    return None


def _column_doc(column: str) -> str:
    if column.startswith("type_"):
        return f"Incidents of type '{column[5:]}'"
    if column in LINE_LABELS:
        return LINE_LABELS[column]
    return COLUMN_DOCS.get(column, "")


# Control characters XML 1.0 cannot hold (openpyxl refuses them): a NUL pasted into a log
# must not stop the workbook, and the mark shows the reader that something was there.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _workbook_text(value):
    """A value as a workbook cell may hold it: never a formula, no control characters."""
    value = spreadsheet_safe(value)
    return _NOT_IN_XML.sub("\ufffd", value) if isinstance(value, str) else value


#: Rows looked at to size a column: enough to see its longest values, few enough that a
#: sheet of a million rows is not read twice.
WIDTH_SAMPLE = 2_000


def _fill_sheet(ws, table: pd.DataFrame, note: str | None = None) -> None:
    """One table into a write-only sheet (openpyxl streams its rows instead of holding a
    cell object per value): bold header, number formats, widths, frozen header, filter;
    ``note`` in italics under the table (where the rest of a cut list is)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = [_number_format(str(c), table[c]) for c in table.columns]
    for i, column in enumerate(table.columns, start=1):
        sample = table[column].iloc[:WIDTH_SAMPLE]
        width = max([len(str(column))] + [len(str(_md_cell(v))) for v in sample])
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(table.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(table) + 1}"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(ws, value=_workbook_text(str(column)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in table.itertuples(index=False):
        cells = []
        for value, fmt in zip(row, formats, strict=True):
            if fmt is None:
                cells.append(_cell(value))
                continue
            cell = WriteOnlyCell(ws, value=_cell(value))
            cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)
    if note:
        cell = WriteOnlyCell(ws, value=_workbook_text(note))
        cell.font = Font(italic=True)
        ws.append([cell])


def _cell(value):
    value = _plain(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.strptime(value, "%Y-%m-%d")
    return _workbook_text(value)  # text is never a formula; numbers stay numbers


def _about_rows(summary: Summary) -> list[list[str]]:
    rows = [["sheet", "column", "meaning"]]
    for name, table in summary.tables().items():
        for column in table.columns:
            rows.append([SHEET_TITLES.get(name, name), str(column), _column_doc(str(column))])
    meta = summary.meta
    rows += [[], ["source", "", ""],
             ["Population", "", meta["population_source"]],
             ["Boundaries", "", meta["boundaries"]],
             ["Incidents", "", ", ".join(meta["sources"]) or "the incident log"],
             [], ["rows in", "", str(meta["rows_in"])],
             ["dates", "", f"{meta['first_date']} to {meta['last_date']}"]]
    for name, table in summary.tables().items():
        shown, more = shown_rows(name, table)
        if more:
            rows.append([SHEET_TITLES.get(name, name), "", f"The first {len(shown):,} of "
                         f"{len(table):,} rows; every row is in {name}.csv"])
    return rows


def xlsx_bytes(summary: Summary) -> bytes:
    """The workbook: one sheet per table, then "About" (columns and sources); fixed bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    for name, table in summary.tables().items():
        shown, more = shown_rows(name, table)
        _fill_sheet(wb.create_sheet(SHEET_TITLES.get(name, name)[:31]), shown,
                    more_rows_note(name, more) if more else None)
    about = wb.create_sheet("About")
    rows = _about_rows(summary)
    about.freeze_panes = "A2"
    about.auto_filter.ref = f"A1:C{len(rows)}"
    for letter, width in (("A", 24), ("B", 22), ("C", 100)):
        about.column_dimensions[letter].width = width
    header = []
    for value in rows[0]:
        cell = WriteOnlyCell(about, value=value)
        cell.font = Font(bold=True)
        header.append(cell)
    about.append(header)
    for row in rows[1:]:
        about.append([_workbook_text(v) for v in row])  # a source is text, never a formula
    wb.properties.creator = "incident-mapper"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue())


# -- writing ---------------------------------------------------------------------------------------
#: Every file a summary folder may hold (with the report's and the provenance file), for
#: :func:`mapper.files.check_output`'s ``inside``: none of them may be an input.
OUTPUT_NAMES: tuple[str, ...] = (
    *(f"{name}.csv" for name in SHEET_TITLES), *(f"{name}.parquet" for name in ROW_LISTS),
    "summary.xlsx", "summary.json", "summary.md",
    "report.html", "report.pdf", "run.json",
    *(f"charts/{name}.{ext}" for name in ("choropleth", "types", "trend")
      for ext in ("png", "svg")),
)


def write_tables(summary: Summary, out_dir: Path | str) -> list[Path]:
    """CSV per table, ``summary.xlsx``, ``summary.json`` and ``summary.md`` in ``out_dir``;
    a row list too long to be held whole by the last three (:func:`shown_rows`) is also
    written as Parquet, typed and compact, beside its CSV."""
    out_dir = Path(out_dir)
    written = []
    for name, table in summary.tables().items():
        written.append(_csv(table, out_dir / f"{name}.csv"))
        if name in ROW_LISTS:
            written += _parquet(name, table, out_dir)
    data = xlsx_bytes(summary)
    written.append(write_with(out_dir / "summary.xlsx", lambda tmp: tmp.write_bytes(data)))
    written.append(write_text_atomic(out_dir / "summary.json", to_json(summary)))
    written.append(write_text_atomic(out_dir / "summary.md", to_markdown(summary)))
    return written


def _parquet(name: str, table: pd.DataFrame, out_dir: Path) -> list[Path]:
    """``<name>.parquet`` when the list is cut in the other files; otherwise none, and one
    left by an earlier, longer run is removed so that it cannot contradict the CSV."""
    path = out_dir / f"{name}.parquet"
    if not shown_rows(name, table)[1]:
        if path.is_file():
            path.unlink()
        return []
    return [write_with(path, lambda tmp: table.to_parquet(tmp, index=False))]
