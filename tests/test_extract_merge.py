"""mapper.extract.merge: events of one type about one place (or close together) are one row."""

from __future__ import annotations

import pytest

from mapper import extract as ex
from mapper import settings


@pytest.fixture(scope="module")
def extractor(geodata_dir):
    return ex.Extractor()


def _rows(extractor, text):
    rows = extractor.extract(text, published="2026-01-20", lang="en")
    return list(zip(rows["type"], rows["province"].fillna("-"), strict=True)), rows


def test_mentions_of_one_place_merge(extractor):
    pairs, rows = _rows(extractor, "Police raided a compound in Kampot province on Monday. "
                                   "The raid in Kampot freed 30 workers.")
    assert pairs == [("raid", "Kampot")]
    assert rows["people"].iloc[0] == 30 and " | " in rows["evidence"].iloc[0]


def test_two_provinces_make_two_rows(extractor):
    pairs, _ = _rows(extractor, "Police raided compounds in Kampot and in Takeo province.")
    assert sorted(pairs) == [("raid", "Kampot"), ("raid", "Takeo")]


def test_an_unplaced_mention_joins_the_recent_row(extractor):
    pairs, rows = _rows(extractor, "Police raided a compound in Kampot province on Monday. "
                                   "During the raid, officers found 40 computers.")
    assert pairs == [("raid", "Kampot")]
    assert rows["evidence"].iloc[0].count(" | ") == 1


def test_mentions_further_apart_than_the_window_do_not_merge(extractor):
    window = settings.merge_window()
    filler = " ".join(f"Sentence number {n} says nothing." for n in range(window + 1))
    pairs, _ = _rows(extractor, f"Police arrested 5 suspects on Monday. {filler} "
                                "Police arrested 7 suspects on Friday.")
    assert pairs == [("arrest", "-"), ("arrest", "-")]


def test_a_row_without_place_takes_the_next_sentence_place(extractor):
    pairs, rows = _rows(extractor, "Some 300 workers fled the compound on Sunday. "
                                   "The site, in Takeo Province, housed 500 people.")
    assert pairs == [("escape", "Takeo")]
    assert "Takeo Province" in rows["evidence"].iloc[0]


def test_the_same_figure_told_twice_with_two_dates_is_one_incident(geodata_dir):
    # Invented: a lead dated by the day it was confirmed, a body by the day it happened.
    rows = ex.Extractor().extract(
        "It was confirmed on March 9 that 14 Thai nationals had been arrested in Kampot. "
        "Police arrested the 14 Thai nationals in Kampot on March 6.",
        published="2026-03-10", lang="en")
    assert len(rows) == 1 and rows["people"].tolist() == [14]


def test_an_unplaced_raid_just_after_placed_arrests_is_where_they_were_made(geodata_dir):
    # Invented: the arrests name the place, the next sentence tells the raid without one.
    rows = ex.Extractor().extract(
        "Police detained 52 people in Kampot on Friday. The raid targeted a scam "
        "centre hidden in a rented villa.", published="2026-03-10", lang="en")
    assert rows[["type", "province"]].values.tolist() == [["raid", "Kampot"]]
    assert rows["people"].tolist() == [52]


def test_a_landmark_near_the_scene_is_not_the_scene(geodata_dir):
    # Invented: the arrests were in Kandal, near the capital; alone, the landmark stays.
    extractor = ex.Extractor()
    rows = extractor.extract("Police detained 30 people in Kandal province, on the outskirts "
                             "of the capital Phnom Penh.", published="2026-03-10", lang="en")
    assert rows["province"].tolist() == ["Kandal"]
    rows = extractor.extract("Police detained 30 people on the outskirts of Phnom Penh.",
                             published="2026-03-10", lang="en")
    assert rows["province"].tolist() == ["Phnom Penh"]
