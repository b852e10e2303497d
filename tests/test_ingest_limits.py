"""Every input row is accounted for: hostile and odd files, built here, and the input limits.

Each file is made in ``tmp_path`` by the test that reads it: an unclosed quote, a workbook
whose ``<dimension>`` understates its size, merged cells, a formula saved without its result,
a zip bomb, a huge cell, a folder, a workbook renamed .csv, an empty first sheet.
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from pathlib import Path

import pytest
from ingest_support import write_csv, write_xlsx

from mapper import settings
from mapper.errors import InputFileError
from mapper.ingest import read_incidents, validation_report


def _report(frame):
    report = validation_report(frame)
    assert report["rows"] == report["ok"] + report["invalid"] == len(frame)
    return report


def _lines(report) -> list[str]:
    return [f"{p['where']}|{p['field']}|{p['message']}" for p in report["problems"]]


def _refused(path: Path, *needles: str) -> str:
    with pytest.raises(InputFileError) as info:
        read_incidents(path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert "\n" not in text
    for needle in needles:
        assert needle in text, text
    return text


def _rows(n: int) -> list[list[object]]:
    return [["date", "type", "place", "notes"]] + [
        ["2026-01-20", "raid", f"Bavet {i}", f"note {i}"] for i in range(2, n + 2)
    ]


def _rewrite(path: Path, change) -> Path:
    """Rewrite the parts of the zip at ``path``: ``change(name, data)`` gives the new data."""
    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, change(name, data))
    return path


# --------------------------------------------------------------------------------------------
# CSV: quotes that swallow rows, huge cells
# --------------------------------------------------------------------------------------------


def test_unclosed_quote_in_row_2_of_501_is_refused_with_its_line(tmp_path):
    path = write_csv(tmp_path / "log.csv", _rows(500))
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("Bavet 2", '"Bavet 2')  # opens a quote never closed
    path.write_text("".join(lines))
    text = _refused(path, "line 2", 'field "place"', "never closed", "lines 2-501")
    assert "byte" not in text


def test_unclosed_quote_swallowing_more_than_the_cell_limit_is_still_refused(tmp_path,
                                                                            monkeypatch):
    # The swallowed text is one huge value: the quote, not the cell size, is the problem.
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_CELL_CHARS", "2000")
    path = write_csv(tmp_path / "log.csv", _rows(500))
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("Bavet 2", '"Bavet 2')
    path.write_text("".join(lines))
    _refused(path, "line 2", "never closed", "lines 2-501")


@pytest.mark.parametrize("data", [b"\x00" * 400, "place,type\nBavet,raid\n".encode("utf-16-le")],
                         ids=["only-nul-bytes", "utf16-without-bom"])
def test_a_first_line_of_nul_bytes_is_refused_as_not_text(tmp_path, data):
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    _refused(path, "is not text", "NUL")


def test_quote_closed_lines_later_makes_the_row_invalid_naming_lines_and_field(tmp_path):
    path = write_csv(tmp_path / "log.csv", _rows(20))
    lines = path.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace("Bavet 4", '"Bavet 4')  # opened on line 4
    lines[9] = lines[9].replace("note 10", 'note 10"')  # closed on line 10
    path.write_text("".join(lines))
    frame = read_incidents(path)
    report = _report(frame)
    assert report["rows"] == 20 - 6  # lines 5-10 went into row 4's value
    (problem,) = report["problems"]
    assert (problem["row"], problem["field"]) == (4, "place")
    assert "from line 4 to line 10" in problem["message"]
    assert "6 line(s) that look like rows" in problem["message"]


def test_quoted_line_breaks_in_prose_stay_ok(tmp_path):
    notes = "Raid at dawn.\nWitnesses said: 40 people, women, children\n\nMore later."
    path = write_csv(
        tmp_path / "log.csv",
        [["date", "type", "place", "notes"], ["2026-01-20", "raid", "Bavet", notes]] * 1
        + [["2026-01-21", "raid", "Poipet", "x"]],
    )
    frame = read_incidents(path)
    assert _report(frame)["invalid"] == 0
    assert frame["notes"].tolist() == [notes, "x"]
    assert frame["source_row"].tolist() == [2, 3]


def test_a_10_mb_cell_makes_its_row_invalid_naming_row_and_field(tmp_path):
    rows = _rows(3)
    rows[2][3] = "x" * 10_000_000
    path = write_csv(tmp_path / "log.csv", rows)
    frame = read_incidents(path)
    report = _report(frame)
    assert (report["rows"], report["ok"], report["invalid"]) == (3, 2, 1)
    (problem,) = report["problems"]
    assert (problem["row"], problem["field"]) == (3, "notes")
    assert "10,000,000 characters" in problem["message"]
    assert "INCIDENT_MAPPER_MAX_CELL_CHARS" in problem["message"]
    assert frame["notes"].isna().tolist() == [False, True, False]
    assert csv.field_size_limit() < 1 << 20  # the global limit is put back


def test_cell_limit_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_CELL_CHARS", "5")
    assert settings.max_cell_chars() == 5
    path = write_csv(
        tmp_path / "log.csv", [["date", "notes"], ["2026", "short"], ["2026", "longer"]]
    )
    report = _report(read_incidents(path))
    assert _lines(report) == [
        "row 3|notes|the value is 6 characters long, more than the limit of 5"
        " (INCIDENT_MAPPER_MAX_CELL_CHARS); it is not read"
    ]
    _refused(write_csv(tmp_path / "h.csv", [["date", "description"]]), "column 2", "limit of 5")


def test_json_cells_have_the_limit_too(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_CELL_CHARS", "10")
    path = tmp_path / "log.json"
    path.write_text('[{"date": "2026", "notes": "ok"}, {"date": "2026", "notes": "far too long"}]')
    report = _report(read_incidents(path))
    assert [(p["where"], p["field"]) for p in report["problems"]] == [("record 2", "notes")]


def test_row_limit_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_ROWS", "10")
    assert len(read_incidents(write_csv(tmp_path / "ten.csv", _rows(10)))) == 10
    _refused(write_csv(tmp_path / "log.csv", _rows(11)), "11 rows", "limit of 10", "MAX_ROWS")
    _refused(write_xlsx(tmp_path / "log.xlsx", {"s": _rows(11)}), "11 rows", "limit of 10")


def test_settings_read_their_variables(monkeypatch):
    assert (settings.max_xlsx_mb(), settings.max_rows(), settings.max_cell_chars()) == (
        settings.MAX_XLSX_MB, settings.MAX_ROWS, settings.MAX_CELL_CHARS
    )  # fmt: skip
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_XLSX_MB", "12.5")
    assert settings.max_xlsx_mb() == 12.5
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_ROWS", "lots")
    with pytest.raises(ValueError, match="INCIDENT_MAPPER_MAX_ROWS"):
        settings.max_rows()
    for name in ("MAX_XLSX_MB", "MAX_ROWS", "MAX_CELL_CHARS"):
        assert f"INCIDENT_MAPPER_{name}" in settings.__doc__


# --------------------------------------------------------------------------------------------
# XLSX: every row, merged cells, formulas, zip bombs, sheets
# --------------------------------------------------------------------------------------------


def test_xlsx_whose_dimension_understates_it_is_read_whole(tmp_path):
    path = write_xlsx(tmp_path / "log.xlsx", {"s": _rows(100)})

    def understate(name, data):
        if name.endswith("sheet1.xml"):
            data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            assert n == 1
        return data

    _rewrite(path, understate)
    frame = read_incidents(path)
    assert _report(frame)["ok"] == 100
    assert frame["place"].tolist()[-1] == "Bavet 101"
    assert frame["source_row"].tolist() == list(range(2, 102))


def test_merged_cells_are_problems_naming_the_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in _rows(4):
        sheet.append(row)
    sheet.merge_cells("C3:C4")  # place of rows 3 and 4: only C3 holds a value
    path = tmp_path / "log.xlsx"
    book.save(path)
    report = _report(read_incidents(path))
    assert (report["ok"], report["invalid"]) == (2, 2)
    assert [(p["row"], p["field"]) for p in report["problems"]] == [(3, "place"), (4, "place")]
    assert (
        "cell C4 is in the merged cells C3:C4 (only C3 holds the value)"
        in (report["problems"][1]["message"])
    )


def test_formula_without_saved_result_is_a_problem_naming_the_cell(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "people", "women", "children"])
    sheet.append(["2026-01-20", "=C2+D2", 3, 4])  # openpyxl saves no result
    sheet.append(["2026-01-20", "=C3+D3", 1, 1])
    sheet.append(["2026-01-21", 5, 1, 1])
    path = tmp_path / "log.xlsx"
    book.save(path)

    def cache_row_3(name, data):  # as Excel saves it: the formula and its result
        return data.replace(b"<f>C3+D3</f><v />", b"<f>C3+D3</f><v>2</v>")

    _rewrite(path, cache_row_3)
    frame = read_incidents(path)
    report = _report(frame)
    assert _lines(report) == [
        "row 2|people|cell B2 holds a formula (=C2+D2) saved without its result; open the file"
        " in Excel or LibreOffice and save it again so the value is stored"
    ]
    assert frame["people"].tolist()[1:] == [2, 5]


def test_error_values_are_read_as_written(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["date", "people", "notes"])
    book.active.append(["2026-01-20", "=1/0", "=NA()"])
    path = tmp_path / "log.xlsx"
    book.save(path)

    def as_excel_saves_it(name, data):
        data = data.replace(
            b'<c r="B2"><f>1/0</f><v />', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v>'
        )
        return data.replace(
            b'<c r="C2"><f>NA()</f><v />', b'<c r="C2" t="e"><f>NA()</f><v>#N/A</v>'
        )

    frame = read_incidents(_rewrite(path, as_excel_saves_it))
    assert _lines(_report(frame)) == ['row 2|people|cannot read "#DIV/0!" as a whole number']
    assert frame["notes"].tolist() == ["#N/A"]


@pytest.mark.parametrize("huge_mb", [64, 800])
def test_zip_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch, huge_mb):
    if huge_mb == 64:
        monkeypatch.setenv("INCIDENT_MAPPER_MAX_XLSX_MB", "50")
    path = write_xlsx(tmp_path / "log.xlsx", {"s": _rows(3)})
    chunk = b" " * 16_000_000
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(huge_mb // 16):
            part.write(chunk)
    assert path.stat().st_size < huge_mb * 10_000  # small on disk
    start = time.perf_counter()
    _refused(path, f"unpacks to {huge_mb:,} MB", "MAX_XLSX_MB", "not read")
    assert time.perf_counter() - start < 1.0


def test_huge_xlsx_cell_makes_its_row_invalid(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_MAX_CELL_CHARS", "1000")
    rows = _rows(3)
    rows[1][3] = "y" * 5000
    report = _report(read_incidents(write_xlsx(tmp_path / "log.xlsx", {"s": rows})))
    assert [(p["row"], p["field"]) for p in report["problems"]] == [(2, "notes")]
    assert "5,000 characters" in report["problems"][0]["message"]


def test_empty_first_sheet_names_the_sheets_with_rows(tmp_path):
    path = write_xlsx(tmp_path / "log.xlsx", {"Notes": [], "Blank": [[None]], "2026": _rows(2)})
    _refused(path, 'the first sheet "Notes" is empty; sheets with rows: "2026"', "--sheet")
    assert len(read_incidents(path, sheet="2026")) == 2
    empty = write_xlsx(tmp_path / "empty.xlsx", {"Notes": [], "Other": []})
    _refused(empty, "is empty (no header row)")


# --------------------------------------------------------------------------------------------
# Quieter ones
# --------------------------------------------------------------------------------------------


def test_folder_says_it_is_a_folder(tmp_path):
    for name in ("logs", "logs.csv", "logs.xlsx"):
        (tmp_path / name).mkdir()
        _refused(tmp_path / name, "is a folder, not a file")


def test_workbook_renamed_csv_says_it_looks_like_excel(tmp_path):
    path = write_xlsx(tmp_path / "log.xlsx", {"s": _rows(2)})
    renamed = path.rename(tmp_path / "log.csv")
    text = _refused(renamed, "looks like an Excel workbook", ".xlsx")
    assert "UTF-8" not in text
    old = tmp_path / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    _refused(old, "old Excel .xls")
