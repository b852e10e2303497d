"""The report's words: every English text has its French one, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from mapper.words import LanguageError, number, type_label, words


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages_with_the_same_placeholders():
    english, french = words("en"), words("fr")
    assert set(english) == set(french) and len(english) > 100
    assert {k for k in english if _fields(english[k]) != _fields(french[k])} == set()


def test_types_and_numbers_read_as_the_language_writes_them():
    assert (type_label("raid", "fr"), type_label("raid"), type_label("smuggling")) == (
        "Descente", "Raid", "smuggling")
    assert (number(97853), number(97853, "fr"), number(0.5, "fr", 1)) == (
        "97,853", "97\u202f853", "0,5")


def test_an_unknown_language_is_refused():
    with pytest.raises(LanguageError, match="expected one of"):
        words("de")
