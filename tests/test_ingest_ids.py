"""Tests for mapper.ingest.ids: repeated given ids, stable content ids, copies."""

from __future__ import annotations

import hashlib
import json

from ingest_support import write_csv, write_xlsx

from mapper.ingest import read_incidents, validation_report


def test_duplicate_ids_within_and_across_files(tmp_path):
    a = write_csv(
        tmp_path / "a.csv", [["id", "date"], ["X1", "2026"], ["X2", "2026"], ["X1", "2025"]]
    )
    b = write_csv(tmp_path / "b.csv", [["id", "date"], ["X2", "2024"], ["X3", "2024"]])
    frame = read_incidents([a, b])
    assert frame["status"].tolist() == ["ok", "ok", "invalid", "invalid", "ok"]
    assert (
        frame.loc[2, "message"] == 'a.csv, row 4, field "id": "X1" is already used by a.csv, row 2'
    )
    assert (
        frame.loc[3, "message"] == 'b.csv, row 2, field "id": "X2" is already used by a.csv, row 3'
    )
    report = validation_report(frame)
    assert [(f["file"], f["rows"], f["ok"], f["invalid"]) for f in report["files"]] == [
        ("a.csv", 3, 2, 1),
        ("b.csv", 2, 1, 1),
    ]


def test_stable_ids_same_content_any_file_format_or_order(tmp_path):
    header = ["Date", "Type", "Province", "People", "Lat", "Lng", "Notes"]
    rows = [
        ["20/01/2026", "deported", "Svay Rieng", "42", "11.07", "106.15", "a"],
        ["2026-02", "raid", "Kandal", "", "", "", "ស្វាយរៀង"],
        ["2026", "rescue", "Kampot", "3", "", "", ""],
    ]
    first = read_incidents(write_csv(tmp_path / "one.csv", [header, *rows]))
    again = read_incidents(write_csv(tmp_path / "two.csv", [header, *reversed(rows)], ";"))
    renamed = [
        ["Date of incident", "Incident type", "Khaet", "Number", "Latitude", "x", "Summary"],
        *rows,
    ]
    xlsx = read_incidents(write_xlsx(tmp_path / "three.xlsx", {"s": renamed}))
    records = [dict(zip(header, r, strict=True)) for r in rows]
    records[0].update({"Date": "2026-01-20", "People": 42, "Lat": 11.07, "Lng": 106.15})
    (tmp_path / "four.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    as_json = read_incidents(tmp_path / "four.json")
    ids = first["id"].tolist()
    assert all(i.startswith("inc-") and len(i) == 16 for i in ids)
    assert len(set(ids)) == 3
    assert again["id"].tolist() == list(reversed(ids))
    assert xlsx["id"].tolist() == ids
    assert as_json["id"].tolist() == ids


def test_content_id_is_sha1_of_canonical_json(tmp_path):
    frame = read_incidents(
        write_csv(
            tmp_path / "h.csv",
            [["date", "people", "place", "More"], ["20/01/2026", "4", "Bavet", "é"]],
        )
    )
    content = {"date": "2026-01-20/day", "people": 4, "place": "Bavet", "+More": "é"}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert frame.loc[0, "id"] == "inc-" + hashlib.sha1(payload.encode()).hexdigest()[:12]


def test_identical_rows_without_ids_get_suffixes_and_a_warning(tmp_path):
    row = ["2026-01-20", "raid", "Kandal"]
    frame = read_incidents(
        write_csv(tmp_path / "d.csv", [["date", "type", "province"], row, row, row])
    )
    base = frame.loc[0, "id"]
    assert frame["id"].tolist() == [base, f"{base}-2", f"{base}-3"]
    assert (frame["status"] == "ok").all()
    warnings = validation_report(frame)["warnings"]
    assert [(w["row"], w["field"]) for w in warnings] == [(3, "id"), (4, "id")]
    assert "same content as d.csv, row 2" in warnings[0]["message"]
