"""Tests for mapper.ingest.checks: checks across fields and rows (period, coordinates, counts)."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_support import problems_of, write_csv

from mapper.ingest import read_incidents, validation_report


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


def test_women_and_children_beyond_people_is_a_warning_not_a_problem(tmp_path):
    frame = read_incidents(
        write_csv(tmp_path / "c.csv", [["people", "women", "children"], ["10", "8", "5"]])
    )
    report = validation_report(frame)
    assert report["invalid"] == 0
    assert [(w["row"], w["field"]) for w in report["warnings"]] == [(2, "people")]


def test_swapped_coordinates_get_a_hint_and_are_not_kept(tmp_path):
    frame = read_incidents(write_csv(tmp_path / "c.csv", [["lat", "lon"], ["104.9", "11.5"]]))
    assert "(are latitude and longitude swapped?)" in frame.loc[0, "message"]
    assert pd.isna(frame.loc[0, "latitude"])
    assert frame.loc[0, "longitude"] == 11.5


def test_one_coordinate_alone_names_the_missing_one(tmp_path):
    frame = read_incidents(write_csv(tmp_path / "c.csv", [["lat", "place"], ["11.5", "x"]]))
    assert frame.loc[0, "message"] == (
        'c.csv, row 2, field "longitude": latitude is given but longitude is missing'
    )
