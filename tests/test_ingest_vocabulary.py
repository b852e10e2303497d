"""Tests for mapper.ingest.vocabulary: column aliases (columns.toml) and how headers match them."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_support import write_csv

from mapper.ingest import COLUMN_ALIASES, column_key, read_incidents, validation_report


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


def test_vocabularies_are_package_data_files():
    from importlib import resources

    folder = resources.files("mapper.ingest")
    for name in ("columns.toml", "types.toml", "cells.toml"):
        assert folder.joinpath(name).is_file(), name


def test_aliases_added_at_run_time_are_heard(tmp_path, monkeypatch):
    monkeypatch.setitem(COLUMN_ALIASES, "place", (*COLUMN_ALIASES["place"], "spot"))
    frame = read_incidents(write_csv(tmp_path / "a.csv", [["Spot"], ["Bavet"]]))
    assert frame.loc[0, "place"] == "Bavet"
