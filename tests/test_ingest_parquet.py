"""Tests for Parquet logs: read with pyarrow, cells checked as in CSV, rows numbered as in a
CSV export of the table (the column names are row 1)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from ingest_support import problems_of

from mapper import settings
from mapper.errors import InputFileError
from mapper.ingest import SUFFIXES, read_incidents, validation_report


def _typed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Incident ID": ["a1", None, "a1", None, None, None],
            "Date of incident": [dt.date(2026, 1, 20), dt.date(2026, 2, 3), None, None,
                                 dt.date(2026, 3, 1), None],
            "type": ["raid", "Rafle", "foo", None, "arrest", None],
            "lieu": ["Poipet", " Bavet ", "Kâmpôt", None, "Ka\u0301mpo\u0302t", None],
            "people": [3, 12, -1, None, None, None],
            "lat": [11.5, None, 95.0, None, None, None],
            "lng": [104.9, None, 104.0, None, None, None],
            "sensitive": [True, False, None, None, True, None],
            "reviewer": ["x", None, "y", None, "z", None],
        },
        index=[10, 11, 12, 13, 14, 15],
    )  # fmt: skip


def test_parquet_is_a_log_format():
    assert SUFFIXES[".parquet"] == "parquet"


def test_typed_columns_are_read_as_typed_cells(tmp_path):
    path = tmp_path / "log.parquet"
    _typed().to_parquet(path)
    frame = read_incidents(path)
    assert len(frame) == 5  # the empty last record is not a row, as in CSV
    assert frame["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert frame["date"].tolist()[:2] == [pd.Timestamp("2026-01-20"), pd.Timestamp("2026-02-03")]
    assert frame["type"].tolist()[:2] == ["raid", "raid"]
    assert frame["place"].tolist()[:2] == ["Poipet", "Bavet"]
    assert frame.loc[4, "place"] == "K\u00e1mp\u00f4t"  # NFC, as a CSV cell
    assert frame["people"].tolist()[:2] == [3, 12]
    assert frame["sensitive"].tolist() == [True, False, False, False, True]
    assert frame["reviewer"].fillna("-").tolist()[:3] == ["x", "-", "y"]
    assert "__index_level_0__" not in frame.columns  # the pandas index is no column
    assert problems_of(frame) == {(4, "type"), (4, "people"), (4, "latitude"), (4, "id"),
                                  (5, None)}  # fmt: skip
    messages = {p["message"] for p in validation_report(frame)["problems"]}
    assert '"-1" is negative; expected a whole number, 0 or more' in messages
    assert '"95" is outside -90..90' in messages
    assert "empty row" in messages
    assert 'log.parquet, row 4, field "id": "a1" is already used by log.parquet, row 2' in (
        frame.loc[2, "message"]
    )
    (info,) = frame.attrs["files"]
    assert (info.format, info.rows) == ("parquet", 5)
    assert ("Incident ID", "id") in info.columns and ("reviewer", None) in info.columns


def test_a_table_of_text_reads_as_the_same_csv(tmp_path):
    table = _typed().astype(object).where(_typed().notna(), "").astype(str)
    table.to_parquet(tmp_path / "log.parquet", index=False)
    table.to_csv(tmp_path / "log.csv", index=False)
    parquet = read_incidents(tmp_path / "log.parquet")
    csv = read_incidents(tmp_path / "log.csv")
    same = [c for c in csv.columns if c not in ("source_file", "message")]
    pd.testing.assert_frame_equal(parquet[same], csv[same])
    assert parquet["message"].str.replace("log.parquet", "log.csv").equals(csv["message"])
    assert [(p.row, p.field, p.value, p.text.replace("log.parquet", "log.csv"))
            for p in parquet.attrs["problems"]] == [
        (p.row, p.field, p.value, p.text) for p in csv.attrs["problems"]
    ]  # fmt: skip


def test_long_cells_and_the_row_limit(tmp_path, monkeypatch):
    path = tmp_path / "log.parquet"
    pd.DataFrame({"place": ["Poipet", "x" * 50, "Bavet"], "notes": ["a", "b", "c"]}).to_parquet(
        path, index=False
    )
    monkeypatch.setattr(settings, "max_cell_chars", lambda: 40)
    frame = read_incidents(path)
    assert problems_of(frame) == {(3, "place")}
    assert frame["place"].fillna("-").tolist() == ["Poipet", "-", "Bavet"]
    monkeypatch.setattr(settings, "max_rows", lambda: 2)
    with pytest.raises(InputFileError, match="has 3 rows, more than the limit of 2"):
        read_incidents(path)


@pytest.mark.parametrize("content", [b"", b"not parquet at all", b"PAR1 truncated"])
def test_damaged_parquet_is_refused(tmp_path, content):
    path = tmp_path / "log.parquet"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match="is not a readable Parquet file") as info:
        read_incidents(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_missing_parquet(tmp_path):
    with pytest.raises(InputFileError, match="file not found"):
        read_incidents(tmp_path / "nope.parquet")
