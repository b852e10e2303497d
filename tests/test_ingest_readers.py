"""Tests for mapper.ingest.readers: formats, sheets, row numbers, kept columns, unreadable files."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from ingest_support import problems_of, write_csv, write_xlsx

from mapper import schema
from mapper.errors import InputFileError
from mapper.ingest import read_incidents, validation_report


def test_semicolon_csv_with_bom_and_decimal_commas(tmp_path):
    path = write_csv(
        tmp_path / "fr.csv",
        [
            ["Date", "Type", "Lieu", "Latitude", "Longitude", "Nombre"],
            ["1er février 2026", "Arrestation", "Poipet", "13,65", "102,56", "1 200"],
        ],
        delimiter=";",
        bom=True,
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    row = read_incidents(path).iloc[0]
    assert row["status"] == "ok", row["message"]
    assert row["date"] == pd.Timestamp("2026-02-01")
    assert row["type"] == "arrest"
    assert (row["latitude"], row["longitude"], row["people"]) == (13.65, 102.56, 1200)


def test_tab_csv_and_quoted_line_breaks_keep_row_numbers(tmp_path):
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["date", "notes", "type"],
            ["2026-01-01", "two\nlines", "raid"],
            ["2026-13-01", "x", "raid"],
        ],
        delimiter="\t",
    )
    frame = read_incidents(path)
    assert frame["notes"].tolist() == ["two\nlines", "x"]
    assert problems_of(frame) == {(3, "date")}


def test_xlsx_first_sheet_named_sheet_and_index(tmp_path):
    path = write_xlsx(
        tmp_path / "log.xlsx",
        {
            "Summary": [["Total", 2]],
            "Incidents": [
                ["ID", "Date", "Type", "Province", "People", "Latitude", "Longitude"],
                [1, dt.datetime(2026, 1, 20, 15, 30), "Raid", "Kandal", 12, 11.5, 104.9],
                [2, "janvier 2026", "rescue", "Kampot", 3.0, None, None],
                [None, None, None, None, None, None, None],
                [4, dt.date(2026, 2, 1), "riot", "Kep", -2, None, None],
            ],
        },
    )
    for sheet in ("Incidents", 1, "1"):
        frame = read_incidents(path, sheet=sheet)
        assert frame["id"].tolist()[:2] == ["1", "2"]
        assert frame["date_precision"].tolist() == ["day", "month", pd.NA, "day"]
        assert frame.loc[0, "date"] == pd.Timestamp("2026-01-20")
        assert frame.loc[1, "people"] == 3
        assert problems_of(frame) == {(4, None), (5, "type"), (5, "people")}
    first = read_incidents(path)  # the first sheet: "Summary" has no incident columns
    assert len(first) == 0
    assert validation_report(first)["files"][0]["kept_columns"] == ["Total", "2"]


def test_xlsx_unknown_sheet_names_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "log.xlsx", {"A": [["date"]], "B": [["date"]]})
    with pytest.raises(InputFileError, match=r'no sheet "C" \(sheets: A, B\)'):
        read_incidents(path, sheet="C")
    with pytest.raises(InputFileError, match="no sheet 5"):
        read_incidents(path, sheet=5)


def test_json_records_and_wrapped_array(tmp_path):
    records = [
        {
            "id": 7,
            "date": "2026-01-20",
            "type": "Raids",
            "people": 5,
            "lat": 11.5,
            "lon": 104.9,
            "sensitive": True,
        },
        {"date": "2026", "type": "warning", "people": "many", "tags": ["a", "b"]},
        {"date": "20 Jan 2026", "type": "policy", "province": ["Kandal"]},
    ]
    (tmp_path / "a.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"incidents": records}), encoding="utf-8")
    for name in ("a.json", "b.json"):
        frame = read_incidents(tmp_path / name)
        assert frame.loc[0, "id"] == "7"
        assert frame.loc[0, "type"] == "raid"
        assert bool(frame.loc[0, "sensitive"])
        assert frame.loc[1, "tags"] == '["a", "b"]'
        assert problems_of(frame) == {(2, "people"), (3, "province")}
        assert f'{name}, record 2, field "people"' in frame.loc[1, "message"]


def test_geojson_points_and_other_geometries(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "g1",
                "geometry": {"type": "Point", "coordinates": [104.9, 11.55]},
                "properties": {"date": "2026-01-20"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
                "properties": {"date": "2026-01-21"},
            },
            {
                "type": "Feature",
                "geometry": None,
                "properties": {"date": "2026-01-22", "province": "Kandal"},
            },
        ],
    }
    path = tmp_path / "points.GeoJSON"
    path.write_text(json.dumps(collection), encoding="utf-8")
    frame = read_incidents(path)
    assert frame.loc[0, "id"] == "g1"
    assert (frame.loc[0, "latitude"], frame.loc[0, "longitude"]) == (11.55, 104.9)
    assert problems_of(frame) == {(2, "geometry")}
    assert 'points.GeoJSON, feature 2, field "geometry": only points' in frame.loc[1, "message"]
    assert frame["status"].tolist() == ["ok", "invalid", "ok"]


def test_extra_columns_kept_as_text_after_schema_columns(tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["Date", "Verified by", "Status", "Lat", "Latitude", "Lng"],
            ["2026-01-20", "Sok", "confirmed", "11.5", "99", "104.9"],
        ],
    )
    frame = read_incidents(path)
    assert list(frame.columns[: len(schema.INCIDENT_COLUMNS)]) == list(schema.INCIDENT_COLUMNS)
    extras = list(frame.columns[len(schema.INCIDENT_COLUMNS) :])
    # "Status" would be confused with the pipeline's status; the second latitude is kept
    assert extras == ["Verified by", "Status (input)", "Latitude"]
    assert frame.loc[0, "Latitude"] == "99"
    assert frame.loc[0, "latitude"] == 11.5
    assert frame.loc[0, "status"] == "ok"
    files = validation_report(frame)["files"][0]
    assert files["columns"]["Lat"] == "latitude"
    assert files["kept_columns"] == ["Verified by", "Status", "Latitude"]


def test_empty_rows_are_kept_trailing_ones_are_not(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("\n\ndate,place\n2026,a\n,\n\n2026,b\n,,\n\n", encoding="utf-8")
    frame = read_incidents(path)
    # header on line 3; rows 5 and 6 are empty; the blank lines after row 7 are not rows
    assert frame["source_row"].tolist() == [4, 5, 6, 7]
    assert problems_of(frame) == {(5, None), (6, None)}
    report = validation_report(frame)
    assert report["rows"] == report["ok"] + report["invalid"] == 4


def test_same_names_in_two_folders_are_told_apart(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = write_csv(tmp_path / "one" / "log.csv", [["date"], ["2026"]])
    b = write_csv(tmp_path / "two" / "log.csv", [["date"], ["2025"]])
    frame = read_incidents([a, b])
    assert frame["source_file"].tolist() == [str(a), str(b)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", b"date\n2026", "unsupported file type '.txt'"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel workbook"),
        ("object.json", b'{"date": "2026"}', "not a JSON array of records"),
        ("scalars.json", b"[1, 2]", "record 1 is not a JSON object"),
        ("bad.json", b"[{", "not valid JSON"),
        ("latin1.csv", "date;lieu\n2026;Siem Réap\n".encode("latin-1"), "not UTF-8"),
        ("empty.csv", b"\n\n", "is empty"),
        ("lines.geojson", b'{"type": "LineString"}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_unreadable_files_raise_input_file_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        read_incidents(path)
    assert reason in str(info.value)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    for name in ("nope.csv", "nope.xlsx", "nope.txt"):
        with pytest.raises(InputFileError, match="file not found"):
            read_incidents(tmp_path / name)


def test_bad_arguments():
    with pytest.raises(ValueError, match="paths"):
        read_incidents([])
    with pytest.raises(TypeError, match="paths"):
        read_incidents(42)  # type: ignore[arg-type]


def test_a_lone_surrogate_in_json_is_one_line_naming_the_record_and_field(tmp_path):
    """"\\udc80" is valid JSON but no character: refused, never a crash later on."""
    from mapper.errors import InputFileError
    from mapper.ingest import read_incidents

    log = tmp_path / "log.json"
    log.write_text('[{"id": "a", "notes": "ok"}, {"id": "b", "notes": "bad \\udc80"}]',
                   encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_incidents([log])
    assert str(caught.value) == (f'{log}: holds an invalid character (a lone \\udc80 escape) '
                                 'at record 2, field "notes"')
    log.write_text('[{"id": "a", "notes": "a pair \\ud83d\\ude00 is one character"}]',
                   encoding="utf-8")
    assert read_incidents([log])["notes"].tolist() == ["a pair \U0001f600 is one character"]
