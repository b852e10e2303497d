"""mapper.extract.places: place mentions found with the gazetteer's names."""

from __future__ import annotations

import pytest

from mapper import extract as ex


@pytest.fixture(scope="module")
def extractor(geodata_dir):
    return ex.Extractor()


@pytest.fixture(scope="module")
def index(extractor):
    return extractor.places


@pytest.mark.parametrize("text, expected", [
    ("reconduit via le poste-frontière international de Meun Chey, dans la province de Prey "
     "Veng", [("Meun Chey", "KH-14"), ("Prey Veng", "KH-14")]),
    ("in Kampong Speu province", [("Kampong Speu", "KH-5")]),  # not "Speu" on its own
    ("dans la zone de Bokor, à Kampot", [("Bokor", "KH-7"), ("Kampot", "KH-7")]),
    ("raided a compound in Sihanoukville’s Bei commune", [("Sihanoukville", "KH-18"),
                                                           ("Bei", "KH-18")]),
    ("handed over at the Mộc Bài International Border Gate",
     [("Mộc Bài International Border Gate", None)]),  # the longest name wins
    ("handed over at Mộc Bài", [("Mộc Bài", None)]),
    ("ក្រុមហ៊ុននៅខេត្តព្រះសីហនុ", [(None, "KH-18")]),  # Khmer, no spaces
])
def test_find_places(index, text, expected):
    found = [(m.text, m.adm1_code) for m in ex.find_places(text, index)]
    for surface, code in expected:
        assert any((surface is None or s == surface) and c == code for s, c in found), found


@pytest.mark.parametrize("text", [
    "the Phnom Penh Post reported",  # a newspaper
    "a woman from Kampot village",  # a village sharing a province's name
    "le hameau de Takeo",
    "a compound 40 kilometres south of Phnom Penh",  # a reference point
    "Pékin a intensifié ses démarches auprès de Phnom Penh",  # the government
    "the cham community",  # lower case: an ordinary word
])
def test_find_places_skips_look_alikes(index, text):
    codes = {m.adm1_code for m in ex.find_places(text, index)}
    assert not codes - {None}, codes


def test_index_is_built_from_the_gazetteer_passed_in(extractor):
    index = ex.PlaceIndex(extractor.gazetteer)
    assert index.gazetteer is extractor.gazetteer
    assert index is not extractor.places  # no cache behind the caller's back
    assert {"kampot", "preyveng"} <= index.province_keys
    assert "meunchey" not in index.province_keys


def test_a_capital_speaking_for_its_government_is_not_a_place(index):
    # Invented: the capital announces, the raid is elsewhere.
    found = ex.find_places("Phnom Penh announced that police raided a casino in Kampot.",
                           index)
    assert [p.adm1_code for p in found] == ["KH-7"]
    found = ex.find_places("Phnom Penh a déclaré que le raid avait eu lieu à Kampot.", index)
    assert [p.adm1_code for p in found] == ["KH-7"]
