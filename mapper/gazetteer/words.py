"""Type words ("province de", "srok", "省", "ខេត្ត" ...): hints of kind, never part of a name.

The words are data (``type_words.toml`` beside this file), folded as :func:`mapper.text.fold`
folds queries.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

_NEAR = re.compile(r"^(?:near|nearby|close to|pres de|pres d|proche de|aux abords de|gan)\s+")
_SPLIT = re.compile(r"\s*(?:[,;/()|、，]|\s(?:a|in|dans|en|au)\s)\s*")


@cache
def type_words() -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The Latin-script and other-script type words, each mapped to the kind it hints at."""
    text = resources.files("mapper.gazetteer").joinpath("type_words.toml").read_text("utf-8")
    table = tomllib.loads(text)
    return ({k: v or None for k, v in table["latin"].items()},
            {k: v or None for k, v in table["script"].items()})


@cache
def _latin_phrases() -> tuple[str, ...]:
    return tuple(sorted(type_words()[0], key=len, reverse=True))


def split_parts(folded: str) -> list[str]:
    """Cut a folded query at commas, brackets and "in"/"a"/"dans" ("Bokor, Kampot")."""
    return [piece.strip() for piece in _SPLIT.split(folded)]


def strip_near(piece: str) -> tuple[str, bool]:
    """``piece`` without a leading "near"/"pres de", and whether there was one."""
    return _NEAR.sub("", piece), bool(_NEAR.match(piece))


def strip_generic(text: str) -> tuple[str, str | None]:
    """Remove generic words from both ends of folded ``text``; return the rest and the kind
    the first removed word hints at. Only a text of nothing but generic words comes back
    empty, and an empty query matches nothing."""
    hint = None
    while True:
        word, rest = _generic_affix(text)
        if word is None:
            return text.strip(), hint
        latin, script = type_words()
        hint = hint or {**latin, **script}[word]
        text = rest


def _generic_affix(text: str) -> tuple[str | None, str]:
    for phrase in _latin_phrases():
        if text == phrase:
            return phrase, ""
        if text.startswith(phrase + " "):
            return phrase, text[len(phrase) + 1 :]
        if text.endswith(" " + phrase):
            return phrase, text[: -len(phrase) - 1]
    for word in type_words()[1]:
        if text.startswith(word):
            return word, text.removeprefix(word).strip()
        if text.endswith(word):
            return word, text.removesuffix(word).strip()
    return None, text
