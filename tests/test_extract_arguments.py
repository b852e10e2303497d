"""mapper.extract.arguments: counts, dates, nationalities and actors of a sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from mapper import extract as ex

PUBLISHED = dt.date(2026, 1, 20)


@pytest.mark.parametrize("text, field, value, flags", [
    ("expulsé 42 ressortissants vietnamiens", "people", 42, ()),
    ("composé notamment de six femmes", "women", 6, ()),
    ("more than 100 people were rescued", "people", 100, ("lower_bound",)),
    ("des milliers de personnes", "people", 1000, ("lower_bound", "from_words")),
    ("2 044 étrangers ont été détenus", "people", 2044, ()),
    ("including 109 Thais", "people", 109, ()),
    ("around 80 South Korean nationals", "people", 80, ("approximate",)),
    ("42 of the returnees had escaped", "people", 42, ()),
])
def test_find_counts(text, field, value, flags):
    hits = [h for h in ex.find_counts(text) if h.field == field]
    assert hits and hits[0].value == value
    assert set(flags) <= set(hits[0].flags)


def test_find_counts_ignores_other_numbers():
    text = "environ 700 officiers ont saisi 54 ordinateurs en 2026 dans 10 pays"
    assert ex.find_counts(text) == []


@pytest.mark.parametrize("text, iso", [
    ("diffusé le 12 janvier, qualifiant", "2026-01-12"),
    ("on January 17, 2026", "2026-01-17"),
    ("police said on Saturday", "2026-01-17"),  # 2026-01-20 is a Tuesday
    ("hier soir", "2026-01-19"),
    ("last month", "2025-12"),
    ("en décembre", "2025-12"),  # a month after publication is last year's
])
def test_find_dates(text, iso):
    hits = ex.find_dates(text, PUBLISHED)
    assert hits and hits[0].date == iso


def test_find_dates_week_is_a_range():
    hit = ex.find_dates("la semaine dernière", PUBLISHED)[0]
    assert (hit.date, hit.end_date) == ("2026-01-12", "2026-01-18")


def test_find_dates_skips_since():
    assert ex.find_dates("depuis le 12 janvier", PUBLISHED) == []


def test_nationality_needs_people():
    assert ex.find_nationalities("visé par des sanctions américaines") == []
    assert ex.find_nationalities("42 ressortissants vietnamiens") == ["Vietnamese"]


def test_find_actors_provincial_needs_a_province():
    text = "Kampot provincial police and Sokha provincial authorities said"
    found = [a for _, a, _ in ex.find_actors(text, {"kampot"})]
    assert found == ["Kampot provincial police", "police"]
    assert [a for _, a, _ in ex.find_actors(text)] == ["police"]  # no provinces given


@pytest.mark.parametrize("text, value", [
    # Invented: numbers written out as a tens word and a unit.
    ("Thirty-two Kenyans were rescued", 32),
    ("forty five workers fled", 45),
    ("Vingt-neuf ressortissants ont été expulsés", 29),
    ("soixante-douze personnes", 72),
    ("vingt et un travailleurs", 21),
])
def test_compound_number_words_count(text, value):
    assert [h.value for h in ex.find_counts(text)] == [value]


def test_men_and_women_count_everyone_men_alone_are_a_part():
    assert [h.value for h in ex.find_counts("the 14 men and women were handed over")] == [14]
    assert [h.value for h in ex.find_counts("35 men and 10 women")] == [10]


def test_a_figure_beats_a_vague_quantity(geodata_dir):
    # Invented: "hundreds of people" (victims of the fraud) is a floor, 61 the figure.
    rows = ex.Extractor().extract("Cambodia deported 61 people on Monday over a fraud that "
                                  "cheated hundreds of people.", published="2026-01-20",
                                  lang="en")
    assert rows["people"].tolist() == [61]
