"""Limits of ``extract`` (issue 12): the longest article read, and time linear in the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapper import extract as ex
from mapper.errors import InputFileError
from mapper.extract import merge

EXCERPTS = Path(__file__).parent / "data" / "excerpts" / "excerpts.jsonl"
LIMIT_ENV = "INCIDENT_MAPPER_MAX_ARTICLE_CHARS"


@pytest.fixture(scope="module")
def extractor(geodata_dir):
    return ex.Extractor()


def _article(words: int) -> str:
    """The annotated excerpts, repeated until the text holds ``words`` words."""
    parts = [json.loads(line)["text"] for line in EXCERPTS.read_text(encoding="utf-8")
             .splitlines() if line.strip()]
    out: list[str] = []
    count = 0
    while count < words:
        out.append(parts[len(out) % len(parts)])
        count += len(out[-1].split())
    return "\n\n".join(out)


# -- the longest article ---------------------------------------------------------------------
def test_an_article_over_the_limit_is_refused_by_the_cli(tmp_path, monkeypatch, geodata_dir):
    from typer.testing import CliRunner

    from mapper.cli import app

    article = tmp_path / "long.txt"
    article.write_text("Police raided a compound in Kampot province. " * 10, encoding="utf-8")
    monkeypatch.setenv(LIMIT_ENV, "200")
    result = CliRunner().invoke(app, ["extract", str(article)])
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message
    assert "long.txt" in message and "450 characters" in message
    assert "limit of 200 characters" in message and LIMIT_ENV in message


def test_an_article_at_the_limit_is_read(tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("é" * 100, encoding="utf-8")  # 200 bytes, 100 characters
    monkeypatch.setenv(LIMIT_ENV, "100")
    assert ex.read_article(article) == "é" * 100


def test_a_file_far_over_the_limit_is_refused_by_its_size(tmp_path, monkeypatch):
    article = tmp_path / "dump.txt"
    article.write_text("x" * 1000, encoding="utf-8")
    monkeypatch.setenv(LIMIT_ENV, "100")
    with pytest.raises(InputFileError, match=r"dump\.txt: article of 1,000 bytes, more than"):
        ex.read_article(article)


def test_a_missing_article_is_still_named(tmp_path):
    with pytest.raises(InputFileError, match="file not found"):
        ex.read_article(tmp_path / "absent.txt")


# -- time linear in the text -----------------------------------------------------------------
def _comparisons(extractor, monkeypatch, words: int) -> tuple[int, int]:
    """Row-against-event and row-against-row checks made by the merge step, and rows."""
    calls = {"n": 0}

    def counted(function):
        def wrapper(*args):
            calls["n"] += 1
            return function(*args)
        return wrapper

    with monkeypatch.context() as patch:
        patch.setattr(merge, "_compatible", counted(merge._compatible))
        patch.setattr(merge, "_folds_into", counted(merge._folds_into))
        rows = extractor.extract(_article(words), published="2026-01-20")
    return calls["n"], len(rows)


def test_merging_grows_linearly_with_the_text(extractor, monkeypatch):
    # Counting checks, not seconds: deterministic. Comparing every row with every other
    # (the cause of minutes on a 10 MB article) would make 8 times the text cost ~64 times.
    small, small_rows = _comparisons(extractor, monkeypatch, 3000)
    large, large_rows = _comparisons(extractor, monkeypatch, 24000)
    assert large_rows > 4 * small_rows, "the longer text must give more rows to compare"
    assert large <= 8 * 1.5 * small, f"{small} checks for 3,000 words, {large} for 24,000"
