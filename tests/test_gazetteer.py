"""The gazetteer: normalisation, generic words, exact/fuzzy matching, ambiguity, checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from mapper.gazetteer import check_places
from mapper.schema import Status
from mapper.text import compact, fold

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def gaz(reference):
    return reference.gazetteer


def test_fold_unifies_case_accents_apostrophes_and_dashes():
    assert fold("Poste-frontière  d’O'Smach") == "poste frontiere dosmach"
    assert compact("Mondul Kiri") == compact("MONDULKIRI")
    assert compact("Xvây Riêng") == "xvayrieng"
    assert compact("Đồng Tháp") == "dongthap"


def test_fold_keeps_khmer_marks():
    # Khmer vowel signs are combining marks: removing them would change the word.
    assert fold("ស្វាយរៀង") == "ស្វាយរៀង"
    assert fold("ស្វាយ\u200bរៀង") == "ស្វាយរៀង"


@pytest.mark.parametrize(
    ("text", "province", "precision"),
    [
        ("Meun Chey", "KH-14", 1),
        ("poste-frontière international de Meun Chey", "KH-14", 1),
        ("province de Prey Veng", "KH-14", 3),
        ("Preah Sihanouk", "KH-18", 3),
        ("Sihanoukville", "KH-18", 3),
        ("zone de Bokor, à Kampot", "KH-7", 2),
        ("Bokor", "KH-7", 2),
        ("Svay Rieng", "KH-20", 3),
        ("ស្វាយរៀង", "KH-20", 3),
    ],
)
def test_seed_places_resolve_to_the_right_province(gaz, text, province, precision):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province
    assert match.precision == precision


@pytest.mark.parametrize("text", ["province", "district de", "khaet", "省", "zone de", "", "   "])
def test_generic_words_alone_match_nothing(gaz, text):
    match = gaz.lookup(text)
    assert match.status is Status.UNRESOLVED
    assert match.entry is None


@pytest.mark.parametrize("text", ["Kampong", "Meanchey"])
def test_a_word_shared_by_several_provinces_is_ambiguous(gaz, text):
    match = gaz.lookup(text)
    assert match.status is Status.AMBIGUOUS
    assert len({c.adm1_code for c in match.candidates}) > 1
    assert "ambiguous" in match.message


@pytest.mark.parametrize("text", ["Moc Bai", "Aranyaprathet", "Myawaddy", "Thailand"])
def test_places_across_the_border_are_outside_never_a_cambodian_match(gaz, text):
    match = gaz.lookup(text)
    assert match.status is Status.OUTSIDE, match.message
    assert match.entry.country != "KH"
    assert match.entry.adm1_code is None


def test_country_only_rows_get_precision_4(gaz):
    for text in ("Cambodia", "Cambodge", "柬埔寨", "Campuchia"):
        match = gaz.lookup(text)
        assert (match.status, match.precision, match.entry.kind) == (Status.OK, 4, "country")


def test_a_province_column_narrows_same_named_places(gaz):
    # Meun Chey is a checkpoint in Prey Veng and a commune in Svay Rieng.
    assert gaz.lookup("Meun Chey").entry.adm1_code == "KH-14"
    assert "commune" in gaz.lookup("Meun Chey").message
    narrowed = gaz.lookup("Meun Chey", province="KH-20")
    assert narrowed.entry.kind == "commune"
    assert narrowed.entry.adm1_code == "KH-20"


def test_place_and_province_that_disagree_are_reported(gaz):
    match = gaz.lookup("Bokor, Svay Rieng")
    assert match.status is Status.AMBIGUOUS
    assert "Bokor" in match.message


def test_romanisation_variants_meet_by_their_key(gaz):
    match = gaz.lookup("Prey Vaeng")
    assert (match.status, match.method) == (Status.OK, "gazetteer_romanised")
    assert match.entry.adm1_code == "KH-14"


def test_fuzzy_matching_takes_close_misspellings(gaz):
    match = gaz.lookup("Battambnag")  # two letters swapped: no key meets it
    assert (match.status, match.method) == (Status.OK, "gazetteer_fuzzy")
    assert match.entry.adm1_code == "KH-2"
    assert 88 <= match.entry.score < 100


def test_village_names_are_placed_only_inside_a_known_province(gaz):
    # Village names repeat across the country (bench/fuzzy_threshold.py).
    alone = gaz.lookup("Svay Dangkum")
    assert alone.status is Status.AMBIGUOUS
    assert "KH-17" in alone.message and "KH-5" in alone.message, "both readings listed"
    placed = gaz.lookup("Svay Dangkum", province="KH-17")
    assert placed.status is Status.OK and placed.entry.adm1_code == "KH-17"


def test_unresolved_lists_three_suggestions(gaz):
    match = gaz.lookup("Zzyzx Springs")
    assert match.status is Status.UNRESOLVED
    assert len(match.candidates) == 3
    assert "closest" in match.message


def test_near_lowers_a_place_to_precision_2(gaz):
    assert gaz.lookup("Bavet").precision == 1
    assert gaz.lookup("near Bavet").precision == 2


def test_search_ranks_candidates(gaz):
    results = gaz.search("Poipet")
    assert results[0].adm1_code == "KH-1"
    assert results[0].score == 100


def test_places_check_passes(reference):
    assert check_places(reference) == []


def test_places_check_catches_bad_rows(reference):
    places = reference.places
    bad = places.copy()
    bad.loc[0, "adm1_code"] = "KH-9" if places.loc[0, "adm1_code"] != "KH-9" else "KH-1"
    bad.loc[1, "source"] = ""
    bad = pd.concat([bad, bad.iloc[[2]]], ignore_index=True)
    aliases = pd.concat(
        [reference.aliases, pd.DataFrame([{"alias": "Nowhere", "target": "no-such-id",
                                        "lang": "en", "ambiguous": "", "source": "x"}])],
        ignore_index=True,
    )
    problems = "\n".join(check_places(reference, places=bad, aliases=aliases))
    assert "outside its declared province" in problems
    assert "no source" in problems
    assert "more than once" in problems
    assert "unknown entry 'no-such-id'" in problems


def _place_strings():
    with open(DATA / "place_strings.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_place_strings_table_is_large_enough():
    assert len(_place_strings()) >= 120


@pytest.mark.parametrize("row", _place_strings(), ids=lambda r: r["text"])
def test_place_strings_from_real_reporting(gaz, row):
    match = gaz.lookup(row["text"])
    expected = row["expected"]
    if expected == "outside":
        assert match.status is Status.OUTSIDE, match.message
    elif expected == "ambiguous":
        assert match.status is Status.AMBIGUOUS, match.message
    elif expected == "national":
        assert (match.status, match.precision) == (Status.OK, 4), match.message
    else:
        assert match.status is Status.OK, match.message
        assert match.entry.adm1_code == expected
        if row["precision"]:
            assert match.precision == int(row["precision"])


@pytest.mark.parametrize("text", ["씨엠립", "시엠립"])
def test_a_reading_by_ear_that_differs_only_in_vowels_meets_the_name(gaz, text):
    """Korean writes Siem Reap's "ea" as "i" (semrip / semrep: 83, under the bridge
    threshold); the consonants are the same, so the name is met."""
    match = gaz.lookup(text)
    assert match.status is Status.OK and match.entry.adm1_code == "KH-17"
