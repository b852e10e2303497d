"""Tests for mapper.ingest: formats, aliases, parsing, validation, ids and the report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mapper import schema
from mapper.errors import IncidentMapperError, InputFileError
from mapper.ingest import (
    COLUMN_ALIASES,
    column_key,
    format_report,
    read_incidents,
    validation_report,
)

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad_incidents.csv"


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ",", bom: bool = False):
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def problems_of(frame: pd.DataFrame) -> set[tuple[int, str | None]]:
    return {(p["row"], p["field"]) for p in validation_report(frame)["problems"]}


# --- the bad fixture ------------------------------------------------------------------------


def test_bad_fixture_lists_each_problem_with_row_and_field():
    frame = read_incidents(BAD)
    assert len(frame) == 8
    assert problems_of(frame) == {
        (3, "date"),
        (4, "people"),
        (5, "type"),
        (6, "latitude"),
        (7, None),
        (8, "id"),
        (9, "source_url"),
    }
    assert frame["status"].tolist() == ["ok"] + ["invalid"] * 7
    assert frame.loc[0, "message"] == ""
    assert frame.loc[1, "message"] == (
        'bad_incidents.csv, row 3, field "date": cannot read "32/13/2026" as a date: '
        "there is no such day"
    )
    assert frame.loc[5, "message"] == "bad_incidents.csv, row 7: empty row"
    assert "already used by bad_incidents.csv, row 2" in frame.loc[6, "message"]
    assert frame["source_row"].tolist() == list(range(2, 10))
    assert set(frame["source_file"]) == {"bad_incidents.csv"}


def test_table_conforms_to_schema_with_extras_after():
    frame = read_incidents(BAD)
    assert list(frame.columns) == list(schema.INCIDENT_COLUMNS)
    for name, dtype in schema.INCIDENT_COLUMNS.items():
        assert str(frame[name].dtype) == str(dtype), name
    assert frame["sensitive"].notna().all()
    assert frame["id"].notna().all()


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


# --- column aliases -------------------------------------------------------------------------


def test_alias_table_has_no_conflicts_and_keys_ignore_spelling():
    keys = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in (field, *aliases):
            assert keys.setdefault(column_key(alias), field) == field, alias
    assert column_key("Date of incident") == column_key("date_of-incident") == "dateofincident"
    assert column_key("Nationalité") == column_key("NATIONALITE")
    assert column_key("Source URL") == column_key("source_url")


def test_alias_headers(tmp_path):
    path = write_csv(
        tmp_path / "aliases.csv",
        [
            [
                "Date of incident",
                "Incident type",
                "Lieu",
                "Khaet",
                "Srok",
                "Sangkat",
                "Lat",
                "Lng",
                "Nombre",
                "Femmes",
                "Minors",
                "Nationalité",
                "Authority",
                "Publisher",
                "Lien",
                "Summary",
                "Confidential",
                "Incident ID",
                "End date",
            ],
            [
                "20/01/2026",
                "Expulsion",
                "Bavet",
                "Svay Rieng",
                "Chantrea",
                "Bavet",
                "11.07",
                "106.15",
                "42",
                "10",
                "2",
                "Chinese",
                "Immigration police",
                "Khmer Times",
                "https://example.org/x",
                "Forty-two deported",
                "oui",
                "A-1",
                "22/01/2026",
            ],
        ],
    )
    row = read_incidents(path).iloc[0]
    assert row["status"] == "ok", row["message"]
    assert row["date"] == pd.Timestamp("2026-01-20")
    assert row["end_date"] == pd.Timestamp("2026-01-22")
    assert row["type"] == "deportation"
    assert (row["place"], row["province"], row["district"], row["commune"]) == (
        "Bavet",
        "Svay Rieng",
        "Chantrea",
        "Bavet",
    )
    assert (row["latitude"], row["longitude"]) == (11.07, 106.15)
    assert (row["people"], row["women"], row["children"]) == (42, 10, 2)
    assert (row["nationality"], row["actor"], row["source"]) == (
        "Chinese",
        "Immigration police",
        "Khmer Times",
    )
    assert row["source_url"] == "https://example.org/x"
    assert row["notes"] == "Forty-two deported"
    assert row["sensitive"]
    assert row["id"] == "A-1"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Provinces", "province"),
        ("Province name", "province"),
        ("KHAET", "province"),
        ("y", "latitude"),
        ("x", "longitude"),
        ("Long", "longitude"),
        ("Start date", "date"),
        ("Incident date", "date"),
        ("Event type", "type"),
        ("Category", "type"),
        ("Location", "place"),
        ("Site", "place"),
        ("Khan", "district"),
        ("Khum", "commune"),
        ("URL", "source_url"),
        ("Link", "source_url"),
        ("Source", "source"),
        ("Victims", "people"),
        ("Count", "people"),
        ("Persons", "people"),
        ("Enfants", "children"),
        ("Description", "notes"),
        ("Comment", "notes"),
        ("Private", "sensitive"),
        ("ID", "id"),
        ("ខេត្ត", "province"),
    ],
)
def test_single_alias(tmp_path, header, field):
    value = {"latitude": "11.5", "longitude": "104.9"}.get(field, "1")
    rows = [[header, "Notes"], [value, "n"]]
    if field in ("latitude", "longitude"):  # give the pair
        other = "x" if field == "latitude" else "y"
        rows = [[header, other], [value, "11.5" if other == "y" else "104.9"]]
    frame = read_incidents(write_csv(tmp_path / "a.csv", rows))
    mapping = validation_report(frame)["files"][0]["columns"]
    assert mapping[header] == field


# --- formats --------------------------------------------------------------------------------


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


# --- unreadable files -----------------------------------------------------------------------


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


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2026-01-20", "2026-01-20", "day"),
        ("2026-01-20T14:30:00Z", "2026-01-20", "day"),
        ("2026-01-20 14:30", "2026-01-20", "day"),
        ("2026/1/5", "2026-01-05", "day"),
        ("20/01/2026", "2026-01-20", "day"),
        ("05/02/2026", "2026-02-05", "day"),  # day first, never month first
        ("5-2-2026", "2026-02-05", "day"),
        ("20.01.2026", "2026-01-20", "day"),
        ("20 January 2026", "2026-01-20", "day"),
        ("20 Jan 2026", "2026-01-20", "day"),
        ("20 Jan. 2026", "2026-01-20", "day"),
        ("January 20, 2026", "2026-01-20", "day"),
        ("Tuesday, 20 January 2026", "2026-01-20", "day"),
        ("20th January 2026", "2026-01-20", "day"),
        ("20 janvier 2026", "2026-01-20", "day"),
        ("1er février 2026", "2026-02-01", "day"),
        ("mardi 3 mars 2026", "2026-03-03", "day"),
        ("2026-01", "2026-01-01", "month"),
        ("01/2026", "2026-01-01", "month"),
        ("January 2026", "2026-01-01", "month"),
        ("Sept 2026", "2026-09-01", "month"),
        ("janvier 2026", "2026-01-01", "month"),
        ("août 2026", "2026-08-01", "month"),
        ("2026", "2026-01-01", "year"),
    ],
)
def test_date_formats_and_precision(tmp_path, text, day, precision):
    frame = read_incidents(write_csv(tmp_path / "d.csv", [["date"], [text]]))
    assert frame.loc[0, "status"] == "ok", frame.loc[0, "message"]
    assert frame.loc[0, "date"] == pd.Timestamp(day)
    assert frame.loc[0, "date_precision"] == precision


@pytest.mark.parametrize(
    "text",
    [
        "32/13/2026",
        "31/02/2026",
        "01/13/2026",
        "2026-13-01",
        "yesterday",
        "20/01/26",
        "1850",
        "2206-01-01",
        "46042",
        "20 Smarch 2026",
    ],
)
def test_unreadable_dates(tmp_path, text):
    frame = read_incidents(write_csv(tmp_path / "d.csv", [["date", "place"], [text, "x"]]))
    assert problems_of(frame) == {(2, "date")}
    assert frame.loc[0, "message"].startswith(f'd.csv, row 2, field "date": cannot read "{text}"')
    assert pd.isna(frame.loc[0, "date"])


def test_month_first_date_gets_a_hint(tmp_path):
    frame = read_incidents(write_csv(tmp_path / "d.csv", [["date"], ["01/20/2026"]]))
    assert "day first" in frame.loc[0, "message"]


def test_end_date_covers_the_period_and_must_not_precede_date(tmp_path):
    frame = read_incidents(
        write_csv(
            tmp_path / "d.csv",
            [
                ["date", "end date"],
                ["2026-01-20", "January 2026"],
                ["2026-02", "2026"],
                ["2026-01-20", "2026-01-19"],
                ["", "2026-01-19"],
            ],
        )
    )
    assert frame["end_date"].tolist()[:2] == [
        pd.Timestamp("2026-01-31"),
        pd.Timestamp("2026-12-31"),
    ]
    assert problems_of(frame) == {(4, "end_date")}
    assert "is before the date" in frame.loc[2, "message"]


# --- types, counts, coordinates, flags, links -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deportation", "deportation"),
        ("deported", "deportation"),
        ("EXPULSION", "deportation"),
        ("raids", "raid"),
        ("Crackdown", "raid"),
        ("arrested", "arrest"),
        ("Arrestation", "arrest"),
        ("missing", "disappearance"),
        ("Disparition", "disappearance"),
        ("avertissement", "warning"),
        ("Warning", "warning"),
        ("évasion", "escape"),
        ("fuite", "escape"),
        ("extradé", "extradition"),
        ("sauvetage", "rescue"),
        ("rescued", "rescue"),
        ("politique", "policy"),
        ("Other", "other"),
    ],
)
def test_type_synonyms(tmp_path, text, expected):
    frame = read_incidents(write_csv(tmp_path / "t.csv", [["type"], [text]]))
    assert frame.loc[0, "type"] == expected


def test_unknown_type_lists_the_vocabulary(tmp_path):
    frame = read_incidents(write_csv(tmp_path / "t.csv", [["type"], ["riot"]]))
    assert frame.loc[0, "message"].endswith("use one of: " + ", ".join(schema.INCIDENT_TYPES))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("42.0", 42),
        ("+7", 7),
        ("1,200", 1200),
        ("1 200", 1200),
        ("0", 0),
        ("", None),
        ("n/a", None),
        ("-", None),
        ("៤២", 42),
    ],
)
def test_counts_read(tmp_path, text, expected):
    frame = read_incidents(write_csv(tmp_path / "c.csv", [["people", "place"], [text, "x"]]))
    assert frame.loc[0, "status"] == "ok", frame.loc[0, "message"]
    value = frame.loc[0, "people"]
    assert (pd.isna(value) and expected is None) or value == expected


@pytest.mark.parametrize("text", ["-1", "4.5", "many", "~40", "1e3", "99999999999"])
def test_counts_refused(tmp_path, text):
    frame = read_incidents(write_csv(tmp_path / "c.csv", [["women"], [text]]))
    assert problems_of(frame) == {(2, "women")}
    assert pd.isna(frame.loc[0, "women"])


def test_women_and_children_beyond_people_is_a_warning_not_a_problem(tmp_path):
    frame = read_incidents(
        write_csv(tmp_path / "c.csv", [["people", "women", "children"], ["10", "8", "5"]])
    )
    report = validation_report(frame)
    assert report["invalid"] == 0
    assert [(w["row"], w["field"]) for w in report["warnings"]] == [(2, "people")]


@pytest.mark.parametrize(
    ("lat", "lon", "fields"),
    [
        ("11.5", "104.9", set()),
        ("11.5", "", {"longitude"}),
        ("", "104.9", {"latitude"}),
        ("91", "104.9", {"latitude"}),
        ("11.5", "181", {"longitude"}),
        ("north", "104.9", {"latitude"}),
        ("nan", "104.9", {"latitude"}),
        ("-90", "-180", set()),
        ("11.5°", "104.9", set()),
    ],
)
def test_coordinates(tmp_path, lat, lon, fields):
    frame = read_incidents(write_csv(tmp_path / "c.csv", [["lat", "lon", "n"], [lat, lon, "x"]]))
    assert {f for _, f in problems_of(frame)} == fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Oui", True),
        ("TRUE", True),
        ("1", True),
        ("x", True),
        ("no", False),
        ("non", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_sensitive(tmp_path, text, expected):
    frame = read_incidents(write_csv(tmp_path / "s.csv", [["sensitive", "n"], [text, "x"]]))
    assert frame.loc[0, "status"] == "ok"
    assert frame.loc[0, "sensitive"] is expected or bool(frame.loc[0, "sensitive"]) is expected


def test_sensitive_refused(tmp_path):
    frame = read_incidents(write_csv(tmp_path / "s.csv", [["sensitive"], ["maybe"]]))
    assert problems_of(frame) == {(2, "sensitive")}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=c#d", True),
        ("HTTP://Example.org", True),
        ("https://xn--e1afmkfd.xn--p1ai/путь", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("file:///etc/passwd", False),
        ("www.example.org", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("//example.org", False),
        ("not a link", False),
    ],
)
def test_source_url_must_be_http(tmp_path, url, ok):
    frame = read_incidents(write_csv(tmp_path / "u.csv", [["source url"], [url]]))
    assert (frame.loc[0, "status"] == "ok") is ok
    if not ok:
        assert problems_of(frame) == {(2, "source_url")}
        assert pd.isna(frame.loc[0, "source_url"])


# --- rows, ids, duplicates ------------------------------------------------------------------


def test_empty_rows_are_kept_trailing_ones_are_not(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("\n\ndate,place\n2026,a\n,\n\n2026,b\n,,\n\n", encoding="utf-8")
    frame = read_incidents(path)
    # header on line 3; rows 5 and 6 are empty; the blank lines after row 7 are not rows
    assert frame["source_row"].tolist() == [4, 5, 6, 7]
    assert problems_of(frame) == {(5, None), (6, None)}
    report = validation_report(frame)
    assert report["rows"] == report["ok"] + report["invalid"] == 4


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


def test_same_names_in_two_folders_are_told_apart(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = write_csv(tmp_path / "one" / "log.csv", [["date"], ["2026"]])
    b = write_csv(tmp_path / "two" / "log.csv", [["date"], ["2025"]])
    frame = read_incidents([a, b])
    assert frame["source_file"].tolist() == [str(a), str(b)]


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


# --- report ---------------------------------------------------------------------------------


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


# --- robustness -----------------------------------------------------------------------------

ALIAS_NAMES = sorted({a for aliases in COLUMN_ALIASES.values() for a in aliases})
CELL = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=20),
    st.sampled_from(
        [
            "ស្វាយរៀង",
            "Bavet",
            "20/01/2026",
            "janvier 2026",
            "2026",
            "-1",
            "4.5",
            "1,200",
            "n/a",
            "javascript:alert(1)",
            "https://x.org",
            "yes",
            "raid",
            "104.9",
            "91",
            " ",
            "\ufeff",
            "0",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
)
NAME = st.one_of(st.sampled_from(ALIAS_NAMES), st.text(max_size=12))


@st.composite
def tables(draw):
    names = draw(st.lists(NAME, min_size=1, max_size=8))
    if not any(str(n).strip() for n in names):
        names[0] = "notes"
    rows = draw(st.lists(st.lists(CELL, min_size=len(names), max_size=len(names)), max_size=12))
    return names, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), as_json=st.booleans(), delimiter=st.sampled_from([",", ";"]))
def test_any_table_reads_or_raises_our_error_and_counts_add_up(table, as_json, delimiter):
    names, rows = table
    with tempfile.TemporaryDirectory() as folder:
        if as_json:
            path = Path(folder) / "t.json"
            records = [dict(zip(names, row, strict=True)) for row in rows]
            path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            expected = len(records)
        else:
            path = Path(folder) / "t.csv"
            text_rows = [["" if v is None else str(v) for v in row] for row in rows]
            write_csv(path, [names, *text_rows], delimiter=delimiter)
            # completely blank rows at the end of a file are not rows
            expected = len(text_rows)
            while expected and all(not v.strip() for v in text_rows[expected - 1]):
                expected -= 1
        try:
            frame = read_incidents(path)
        except IncidentMapperError as err:
            event(f"refused: {err.reason[:40]}")
            return
        event("read")
        report = validation_report(frame)
        assert len(frame) == expected == report["rows"] == report["ok"] + report["invalid"]
        assert set(frame["status"]) <= {"ok", "invalid"}
        assert frame["id"].notna().all()
        assert ((frame["message"] == "") == (frame["status"] == "ok")).all()
        assert list(frame.columns[: len(schema.INCIDENT_COLUMNS)]) == list(schema.INCIDENT_COLUMNS)
        format_report(report)
