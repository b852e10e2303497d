"""mapper.extract.review: the review workbook, and drafts read back by validate and merge."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.errors import InputFileError
from mapper.extract.draft import draft_table, write_draft
from mapper.extract.outlets import merge_files
from mapper.extract.review import read_draft, review_xlsx_bytes, write_review_xlsx
from mapper.ingest import read_incidents, validation_report
from mapper.schema import INCIDENT_TYPES

HOSTILE = '=HYPERLINK("x")'


def _draft() -> pd.DataFrame:
    return draft_table([
        {"id": "kt-1", "date": "2026-01-20", "type": "raid", "place": "Bavet",
         "province": "Svay Rieng", "people": 40, "source": "Khmer Times",
         "source_url": "https://kt.example/1", "status": "draft", "confidence": 0.95,
         "evidence": "Police raided a compound in Bavet.", "notes": "-1 sentence"},
        {"id": "vod-1", "date": "2026-01", "type": "deportation", "place": HOSTILE,
         "province": None, "people": None, "source": "+VOD\x07", "status": "draft",
         "evidence": HOSTILE, "cue": "@deported", "confidence": 0.5},
    ])


def _sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


def test_workbook_has_keep_dropdowns_and_a_frozen_header(tmp_path):
    path = write_review_xlsx(_draft(), tmp_path / "draft.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.title == "Draft" and ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:8] == ["keep", "id", "date", "type", "place", "province", "evidence",
                          "confidence"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["yes", "yes"]
    checks = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert checks["D2"].formula1 == '"' + ",".join(INCIDENT_TYPES) + '"'  # type
    assert checks["A2"].formula1 == '"yes,no"'  # keep
    provinces = [c.value for (c,) in wb["Lists"].iter_rows(min_row=2)]
    assert checks["F2"].formula1 == "Lists!$A$2:$A$26" and len(provinces) == 25
    assert "Svay Rieng" in provinces and wb["Lists"].sheet_state == "hidden"
    assert ws.cell(row=2, column=7).alignment.wrap_text  # evidence wraps
    assert ws.cell(row=2, column=8).value == 0.95 and ws.cell(row=2, column=12).value == 40


def test_no_cell_is_a_formula_and_the_bytes_are_reproducible(tmp_path):
    frame = _draft()
    frame[HOSTILE] = HOSTILE  # a column name too
    path = write_review_xlsx(frame, tmp_path / "draft.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert "'" + HOSTILE in texts and "'+VOD\ufffd" in texts
    assert "<f>" not in _sheet_xml(path) and "<f " not in _sheet_xml(path)
    assert review_xlsx_bytes(frame) == path.read_bytes()


def test_validate_reads_the_workbook_back_as_a_log(tmp_path):
    path = write_review_xlsx(_draft(), tmp_path / "draft.xlsx")
    log = read_incidents(path)
    assert len(log) == 2 and log["status"].eq("ok").all()
    assert log["id"].tolist() == ["kt-1", "vod-1"] and log["people"].iloc[0] == 40
    assert log["date_precision"].tolist() == ["day", "month"]
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 ok, 0 invalid" in result.output


def test_a_row_marked_keep_no_is_invalid_never_dropped(tmp_path):
    frame = _draft()
    frame["keep"] = ["yes", "no"]
    path = write_review_xlsx(frame, tmp_path / "draft.xlsx")
    log = read_incidents(path)
    assert log["status"].tolist() == ["ok", "invalid"]
    assert "left out in review" in log["message"].iloc[1]
    report = validation_report(log)
    assert report["rows"] == report["ok"] + report["invalid"] == 2


def test_read_draft_gives_back_what_was_written(tmp_path):
    frame = _draft()
    frame.loc[1, "notes"] = "about 40 people"
    for name in ("d.csv", "d.json"):
        back = read_draft(write_draft(frame, tmp_path / name))
        assert back["id"].tolist() == ["kt-1", "vod-1"]
        assert back["date"].tolist() == ["2026-01-20", "2026-01"]
        assert back["province"].iloc[1] is None
    back = read_draft(write_review_xlsx(frame, tmp_path / "d.xlsx"))
    assert back["keep"].tolist() == ["yes", "yes"] and back["people"].iloc[0] == 40
    assert back["place"].iloc[1] == "'" + HOSTILE  # stays text, read as written
    (tmp_path / "log.csv").write_text("place\nBavet\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="is not a draft"):
        read_draft(tmp_path / "log.csv")
    with pytest.raises(InputFileError, match="not found"):
        read_draft(tmp_path / "missing.xlsx")


def test_merge_reads_reviewed_workbooks(tmp_path):
    first = _draft()
    first["keep"] = ["yes", "no"]
    second = draft_table([{"id": "cj-1", "date": "2026-01-21", "type": "rescue",
                           "place": "Bavet", "province": "Svay Rieng", "people": 42,
                           "source": "CamboJA", "status": "draft"}])
    paths = [write_review_xlsx(first, tmp_path / "kt.xlsx"),
             write_review_xlsx(second, tmp_path / "cj.xlsx")]
    merged = merge_files(paths)
    assert merged["merged_from"].tolist() == ["kt-1;cj-1"]
    assert merged.attrs["left_out"] == 1 and merged["people"].tolist() == [40]


def test_extract_writes_a_review_workbook(tmp_path, session_reference):
    article = tmp_path / "a.txt"
    article.write_text("Police raided a scam compound in Bavet on 20 January 2026 and "
                       "detained 40 people.\n", encoding="utf-8")
    out = tmp_path / "draft.xlsx"
    result = CliRunner().invoke(app, ["extract", str(article), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_incidents(out)) == len(read_draft(out)) >= 1
