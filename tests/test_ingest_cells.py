"""Tests for mapper.ingest.cells: each kind of cell read, or refused with a message."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_support import problems_of, write_csv

from mapper import schema
from mapper.ingest import read_incidents


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
