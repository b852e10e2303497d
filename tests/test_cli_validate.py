"""Tests for ``incident-mapper validate``: report, exit status, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapper.cli import app

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad_incidents.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_bad_fixture_lists_each_problem_and_exits_1(runner):
    result = runner.invoke(app, ["validate", str(BAD)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.splitlines()[0] == "8 rows: 1 ok, 7 invalid (1 file)"
    for expected in [
        'bad_incidents.csv, row 3, field "date": cannot read "32/13/2026" as a date',
        'bad_incidents.csv, row 4, field "people": "-1" is negative',
        'bad_incidents.csv, row 5, field "type": "riot" is not an incident type',
        'bad_incidents.csv, row 6, field "latitude": "104.2" is outside -90..90',
        "bad_incidents.csv, row 7: empty row",
        'bad_incidents.csv, row 8, field "id": "INC-1" is already used by bad_incidents.csv, row 2',
        'bad_incidents.csv, row 9, field "source_url": "javascript:alert(1)" is not a web address',
    ]:
        assert expected in out
    assert result.stderr == ""


def test_valid_file_exits_0(runner, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text("Date,Khaet,Type\n20/01/2026,Svay Rieng,deported\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 row: 1 ok, 0 invalid (1 file)")
    assert "Khaet -> province" in result.stdout


def test_json_format(runner, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"date": "2026", "type": "raid"}]), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(BAD), str(good), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["rows"], report["ok"], report["invalid"]) == (9, 2, 7)
    assert [f["file"] for f in report["files"]] == ["bad_incidents.csv", "good.json"]
    assert {(p["row"], p["field"]) for p in report["problems"]} >= {(3, "date"), (7, None)}


def test_sheet_option(runner, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("Log")
    sheet.append(["Date", "Type"])
    sheet.append(["2026-13-40", "raid"])
    path = tmp_path / "log.xlsx"
    book.save(path)
    result = runner.invoke(app, ["validate", str(path), "--sheet", "Log"])
    assert result.exit_code == 1
    assert 'log.xlsx, row 2, field "date"' in result.stdout
    result = runner.invoke(app, ["validate", str(path), "--sheet", "Missing"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f'error: {path}: has no sheet "Missing" (sheets: Notes, Log)'


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "file not found"),
        ("notes.txt", b"date\n2026\n", "unsupported file type '.txt'"),
        ("broken.xlsx", b"this is not a workbook", "is not a readable Excel workbook"),
        ("object.json", b'{"date": "2026"}', "is not a JSON array of records"),
    ],
)
def test_unreadable_file_exits_2_with_one_line(runner, tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["validate", str(BAD), str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert reason in lines[0]
    assert "Traceback" not in result.output
