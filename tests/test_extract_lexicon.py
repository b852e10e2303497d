"""mapper.extract.lexicon: the words are data (lexicon.toml), read and compiled once."""

from __future__ import annotations

from importlib import resources

import pytest

from mapper import extract as ex
from mapper.extract.lexicon import LEXICON_FILE, Lexicon, read_lexicon_data
from mapper.schema import IncidentType


def test_lexicon_ships_with_the_package():
    assert resources.files("mapper.extract").joinpath(LEXICON_FILE).is_file()


def test_default_lexicon_is_compiled_once():
    assert ex.default_lexicon() is ex.default_lexicon()


def test_every_trigger_type_is_an_incident_type():
    lex = ex.default_lexicon()
    types = {t.value for t in IncidentType}
    assert {kind for _, kind, _ in lex.triggers.patterns} <= types
    for kind, strengths in lex.triggers.sources.items():
        assert set(strengths) <= {"strong", "weak"}, kind
        for by_lang in strengths.values():
            assert set(by_lang) <= {"en", "fr"}, kind


def test_unknown_type_is_refused():
    data = read_lexicon_data()
    data["triggers"]["riot"] = {"strong": {"en": ["rioted"]}}
    with pytest.raises(ValueError, match="riot"):
        Lexicon.from_data(data)


def test_a_lexicon_can_be_passed_in():
    data = read_lexicon_data()
    data["counts"]["people"].append("scammers")
    lex = Lexicon.from_data(data)
    assert ex.find_counts("12 scammers", lex.counts)[0].value == 12
    assert ex.find_counts("12 scammers") == []  # the default lexicon is untouched
