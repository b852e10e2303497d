"""mapper.extract.sentences: sentences, headings, the offset-keeping fold, language."""

from __future__ import annotations

import pytest

from mapper import extract as ex
from mapper.text import fold


def test_light_keeps_offsets():
    text = "Poste-frontière d’O’Smach, ÉTÉ"
    assert len(ex.light(text)) == len(text)
    assert ex.light(text) == "poste-frontiere d'o'smach, ete"


def test_split_sentences_keeps_abbreviations_and_headings():
    last = "Les autorités ont expulsé 3 personnes le 2 janv. 2026."
    sentences = ex.split_sentences(f"Titre court\n\nM. Sok a parlé. {last}")
    assert [s.text for s in sentences] == ["Titre court", "M. Sok a parlé.", last]
    assert sentences[0].heading and not sentences[1].heading


def test_light_is_the_project_fold_per_character():
    text = "ĐỒNG NAI — Hoa Lư"
    assert len(ex.light(text)) == len(text)
    assert ex.light(text) == "dong nai - hoa lu"
    assert fold(ex.light(text)) == fold(text)


@pytest.mark.parametrize("text, lang", [
    ("Les autorités ont expulsé 42 ressortissants vietnamiens dans la province.", "fr"),
    ("The police said that the workers were rescued on Saturday.", "en"),
])
def test_detect_language(text, lang):
    assert ex.detect_language(text) == lang
