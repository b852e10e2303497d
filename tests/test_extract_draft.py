"""mapper.extract.draft: draft tables, reading articles, writing drafts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mapper import extract as ex
from mapper.errors import InputFileError

TEXT = "Cambodian police deported 42 Vietnamese nationals from Svay Rieng province on Monday."


@pytest.fixture(scope="module")
def extractor(geodata_dir):
    return ex.Extractor()


def test_draft_columns_and_types(extractor):
    rows = extractor.extract(TEXT, published="2026-01-20")
    assert list(rows.columns) == list(ex.DRAFT_COLUMNS)
    assert str(rows["people"].dtype) == "Int64" and rows["people"].iloc[0] == 42
    assert rows["status"].eq("draft").all()


def test_write_draft_csv_and_json(extractor, tmp_path):
    rows = extractor.extract(TEXT, published="2026-01-20")
    csv = pd.read_csv(ex.write_draft(rows, tmp_path / "d.csv"))
    assert csv["people"].tolist() == [42]
    records = json.loads(ex.write_draft(rows, tmp_path / "out" / "d.json").read_text("utf-8"))
    assert records[0]["people"] == 42 and records[0]["women"] is None
    with pytest.raises(ValueError, match="expected a"):
        ex.write_draft(rows, tmp_path / "d.xlsx")


def test_extract_files_reads_folders(extractor, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8-sig")
    (tmp_path / "skip.csv").write_text("not an article", encoding="utf-8")
    rows = extractor.extract_files(tmp_path, published="2026-01-20")
    assert rows["source"].tolist() == ["a"]
    empty = extractor.extract_files([])
    assert list(empty.columns) == list(ex.DRAFT_COLUMNS) and empty.empty


def test_read_article_errors(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        ex.read_article(tmp_path / "missing.txt")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(InputFileError, match="UTF-8"):
        ex.read_article(tmp_path / "bad.txt")
