"""Tests for mapper.ingest.report: the report as data and text, and when attrs are lost."""

from __future__ import annotations

import json

from ingest_support import BAD, problems_of

from mapper.ingest import format_report, read_incidents, validation_report


def test_report_structure_and_text():
    frame = read_incidents(BAD)
    report = validation_report(frame)
    json.dumps(report)  # plain data
    assert (report["rows"], report["ok"], report["invalid"]) == (8, 1, 7)
    date = next(p for p in report["problems"] if p["field"] == "date")
    assert date == {
        "file": "bad_incidents.csv",
        "row": 3,
        "where": "row 3",
        "field": "date",
        "value": "32/13/2026",
        "message": 'cannot read "32/13/2026" as a date: there is no such day',
    }
    text = format_report(report)
    lines = text.splitlines()
    assert lines[0] == "8 rows: 1 ok, 7 invalid (1 file)"
    assert 'bad_incidents.csv, row 3, field "date": cannot read "32/13/2026" as a date' in text
    assert "bad_incidents.csv, row 7: empty row" in lines


def test_report_rederives_problems_when_attrs_are_lost():
    frame = read_incidents(BAD)
    bare = frame.copy()
    bare.attrs.clear()
    report = validation_report(bare)
    assert {(p["row"], p["field"]) for p in report["problems"]} == problems_of(frame)
    filtered = frame[frame["status"] == "invalid"]
    assert validation_report(filtered)["rows"] == 7
    assert len(validation_report(filtered)["problems"]) == 7


def test_attrs_survive_pandas_operations_cheaply():
    frame = read_incidents(BAD)
    copied = frame.copy()
    assert copied.attrs["problems"] is frame.attrs["problems"]
