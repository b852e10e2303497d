"""mapper.extract end to end: news text -> draft incident rows (issue 7).

Two groups: the seed article's acceptance checks, and the annotated excerpts in
tests/data/excerpts/ with the precision and recall figures printed (run with ``-s`` to see
them). Each step has its own file: tests/test_extract_{sentences,triggers,places,arguments,
merge,draft,lexicon}.py.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from mapper import extract as ex

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from score_excerpts import evaluate, load_excerpts

from mapper.schema import Status

DATA = Path(__file__).parent / "data" / "excerpts"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / \
    "lepetitjournal-cambodge-2026-01-20.txt"
SEED_URL = ("https://lepetitjournal.com/cambodge/"
            "reseaux-darnaques-en-ligne-le-cambodge-accelere-la-riposte-432163")
PUBLISHED = dt.date(2026, 1, 20)


@pytest.fixture(scope="module")
def extractor(geodata_dir):
    return ex.Extractor()


@pytest.fixture(scope="module")
def gaz(extractor):
    return extractor.gazetteer


@pytest.fixture(scope="module")
def seed_rows(gaz):
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    return ex.extract(SEED.read_text(encoding="utf-8"), published=PUBLISHED,
                      source="Lepetitjournal Cambodge", source_url=SEED_URL, gazetteer=gaz)


# -- the seed article ----------------------------------------------------------------------
def _one(rows: pd.DataFrame, kind: str, province: str | None = None) -> pd.Series:
    sel = rows[rows["type"].eq(kind)]
    sel = sel[sel["province"].isna()] if province is None else sel[sel["province"].eq(province)]
    assert len(sel) == 1, rows[["type", "place", "province"]]
    return sel.iloc[0]


def test_seed_deportation(seed_rows):
    row = _one(seed_rows, "deportation", "Prey Veng")
    assert (row["people"], row["women"], row["nationality"]) == (42, 6, "Vietnamese")
    assert row["place"] == "Meun Chey"
    assert "Meun Chey" in row["evidence"] and "42 ressortissants" in row["evidence"]
    assert row["status"] == Status.DRAFT


def test_seed_embassy_call_two_places(seed_rows):
    for province, place in (("Preah Sihanouk", "Preah Sihanouk"), ("Kampot", "Bokor")):
        row = _one(seed_rows, "disappearance", province)
        assert row["place"] == place
        assert row["date"] == "2026-01-17"
        assert row["actor"] == "Embassy of China"
        assert row["nationality"] == "Chinese"
        assert "perte de contact" in row["evidence"]


def test_seed_statements_and_national_items(seed_rows):
    amnesty = _one(seed_rows, "escape")
    assert (amnesty["date"], amnesty["place"], amnesty["actor"]) == (
        "2026-01-16", "Cambodia", "Amnesty International")
    assert amnesty["people"] == 1000 and "people>=lower_bound" in amnesty["count_flags"]
    warning = _one(seed_rows, "warning", "Svay Rieng")
    assert warning["date"] == "2026-01-18" and "poursuites" in warning["evidence"]
    policy = _one(seed_rows, "policy")
    assert (policy["date"], policy["place"]) == ("2026-01-12", "Cambodia")
    assert "Hun Manet" in policy["actor"]
    extradition = _one(seed_rows, "extradition")
    assert extradition["place"] == "Cambodia" and "Chen Zhi" in extradition["evidence"]


def test_seed_no_wrong_province(seed_rows):
    expected = {("deportation", "Prey Veng"), ("disappearance", "Preah Sihanouk"),
                ("disappearance", "Kampot"), ("warning", "Svay Rieng")}
    placed = {(t, p) for t, p in zip(seed_rows["type"], seed_rows["province"], strict=True)
              if isinstance(p, str)}
    assert placed == expected
    assert len(seed_rows) == 7


def test_seed_rows_are_explained(seed_rows):
    assert seed_rows["evidence"].str.len().gt(0).all()
    assert seed_rows["cue"].str.len().gt(0).all()
    assert seed_rows["confidence"].between(0, 1).all()
    assert seed_rows["id"].is_unique


def test_draft_reads_back_and_geocodes(seed_rows, tmp_path, gaz):
    from mapper.geocode import geocode
    from mapper.ingest import read_incidents

    path = ex.write_draft(seed_rows, tmp_path / "draft.csv")
    table = read_incidents([path])
    assert table["status"].eq("ok").all(), table["message"].dropna().tolist()
    assert table["status (input)"].eq("draft").all()
    assert {"evidence", "cue", "confidence", "count_flags"} <= set(table.columns)
    placed = geocode(table, gazetteer=gaz)
    by_place = dict(zip(placed["place"], placed["adm1_code"], strict=True))
    assert by_place["Meun Chey"] == "KH-14" and by_place["Bokor"] == "KH-7"
    assert placed.loc[placed["place"].eq("Cambodia"), "geo_precision"].eq(4).all()


def test_a_handover_at_a_border_gate_abroad_is_placed_on_the_cambodian_side(extractor):
    """docs/EXTRACT.md section 4: Bavet/Moc Bai -> KH-20; the country is the destination."""
    rows = extractor.extract("Cambodian police handed over 45 Vietnamese citizens to border guards "
                      "at the Moc Bai International Border Gate on Wednesday.",
                             published="2025-07-17")
    row = _one(rows, "deportation", "Svay Rieng")
    assert (row["place"], row["destination"]) == ("Moc Bai International Border Gate", "VN")
    assert (row["people"], row["date"]) == (45, "2025-07-16")


def test_extract_checks_arguments(gaz):
    with pytest.raises(ValueError, match="published"):
        ex.extract("texte", published="someday", gazetteer=gaz)
    with pytest.raises(ValueError, match="lang"):
        ex.extract("text", lang="de", gazetteer=gaz)


def test_cli_extract(tmp_path, geodata_dir):
    from typer.testing import CliRunner

    from mapper.cli import app

    if not SEED.is_file():
        pytest.skip("seed article missing")
    out = tmp_path / "draft.csv"
    result = CliRunner().invoke(app, ["extract", str(SEED), "--published", "2026-01-20",
                                      "--source", SEED_URL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 7 and table["source_url"].eq(SEED_URL).all()
    assert table["source"].eq("lepetitjournal.com").all()


# -- the annotated excerpts (scored by bench/score_excerpts.py) ------------------------------
def test_excerpts_are_well_formed():
    items = load_excerpts()
    assert len(items) >= 12
    assert {i["lang"] for i in items} == {"fr", "en"}
    kinds = {"deportation", "raid", "rescue", "arrest", "extradition", "escape",
             "disappearance", "warning", "policy"}
    for item in items:
        assert item["source_url"].startswith(("http://", "https://"))
        assert 1 <= item["text"].count(". ") + 1 <= 6, item["id"]
        for gold in item["expected"]:
            assert gold["type"] in kinds
            assert gold["province"] in {"national", "outside"} | {f"KH-{n}" for n in range(1, 26)}


def test_excerpt_precision_recall(extractor):
    figures = evaluate(extractor)  # bench/score_excerpts.py prints them
    # Floors chosen below the measured figures (see the note in tests/data/excerpts/README.md).
    assert figures["precision"] >= 0.85
    assert figures["recall"] >= 0.85
    assert figures["count_precision"] >= 0.75
    assert figures["count_recall"] >= 0.8
