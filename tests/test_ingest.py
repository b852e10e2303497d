"""Tests for mapper.ingest as a whole: the public API, the bad fixture, any table read."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ingest_support import BAD, problems_of, write_csv

from mapper import schema
from mapper.errors import IncidentMapperError
from mapper.ingest import COLUMN_ALIASES, format_report, read_incidents, validation_report


def test_public_names_are_exported_and_vocabularies_are_data():
    import mapper.ingest as ingest

    for name in ingest.__all__:
        assert not name.startswith("_")
        assert getattr(ingest, name) is not None, name
    assert ingest.COLUMN_ALIASES["province"][0] == "province"
    assert "deported" in ingest.TYPE_SYNONYMS["deportation"]
    assert {"n/a", "-", "unknown"} <= ingest.BLANK_MARKERS


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
