"""Type words around a place name ("province de", "srok", "省", "ខេត្ត", "จังหวัด" ...).

They say what kind of place a name is (a province, a district, a casino ...) and are never
part of the name. The words are data, ``type_words.toml`` beside this file: Latin-script words
matched as whole words at either end (romanised Khmer ones only before), Khmer prefixes that
end a syllable, and words of scripts written without spaces: suffixes (Chinese, Japanese,
Korean) and prefixes (Thai).

>>> strip("province de Takéo")
('takeo', 'province')
>>> strip("ស្រុកស្វាយទាប")
('ស្វាយទាប', 'district')
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources

from mapper.text import fold

#: The kinds a type word can hint at.
KINDS = ("province", "district", "commune", "village", "city", "border_post", "site", "zone")
_COENG = "\u17d2"


@cache
def type_words() -> dict[str, dict[str, str | None]]:
    """The groups of the TOML file (latin, romanised, khmer, unspaced_suffix,
    unspaced_prefix), each a mapping of word -> kind (None: a word that only joins)."""
    text = resources.files("mapper.names").joinpath("type_words.toml").read_text("utf-8")
    table = tomllib.loads(text)
    return {group: {fold(word): kind or None for word, kind in words.items()}
            for group, words in table.items()}


@cache
def _latin_pattern() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Type words before a name (any Latin-script word) and after it (not the romanised
    Khmer ones, which only stand before)."""

    def alternation(words) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    latin = type_words()["latin"]
    before = alternation([*latin, *type_words()["romanised"]])
    return re.compile(rf"^(?:{before}) (?=\S)"), re.compile(rf"(?<=\S) (?:{alternation(latin)})$")


@cache
def prefixes() -> tuple[tuple[str, str | None], ...]:
    """Words written before a name in scripts without spaces, longest first."""
    both = {**type_words()["khmer"], **type_words()["unspaced_prefix"]}
    return tuple(sorted(both.items(), key=lambda item: -len(item[0])))


@cache
def suffixes() -> tuple[tuple[str, str | None], ...]:
    """Words written after a name in scripts without spaces, longest first."""
    return tuple(sorted(type_words()["unspaced_suffix"].items(), key=lambda item: -len(item[0])))


def is_type_word(folded: str) -> bool:
    """Whether ``folded`` is a type word of any script (on its own, it names no place)."""
    words = type_words()
    return any(folded in group for group in words.values())


@lru_cache(maxsize=1 << 16)
def strip(text: str) -> tuple[str, str | None]:
    """Fold ``text`` and remove type words from both ends; return ``(core, hint)``.

    ``hint`` is the kind of the first removed word that names one. A word is removed only
    when something remains, so "Krong" or "ភូមិ" alone stay whole.
    """
    core, hint = fold(text), None
    while True:
        core, word_hint, removed = _strip_once(core)
        if not removed:
            return core, hint
        hint = hint or word_hint


def _strip_once(core: str) -> tuple[str, str | None, bool]:
    head, tail = _latin_pattern()
    for pattern in (head, tail):
        match = pattern.search(core)
        if match:
            word = match.group().strip()
            rest = (core[match.end():] if match.start() == 0 else core[:match.start()]).strip()
            words = type_words()
            return rest, words["latin"].get(word, words["romanised"].get(word)), True
    if core.isascii():
        return core, None, False
    head, tail = _affix_patterns()
    match = head.match(core)
    if match and len(core) > match.end() and _ends_syllable(core, match.end()):
        return core[match.end():].strip(), dict(prefixes())[match.group()], True
    match = tail.search(core)
    if match and match.start() > 1:
        return core[:match.start()].strip(), dict(suffixes())[match.group()], True
    return core, None, False


@cache
def _affix_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Prefixes and suffixes of unspaced scripts, longest first, as two patterns."""
    def alternation(pairs) -> str:
        return "|".join(re.escape(word) for word, _ in pairs)

    head = re.compile(f"(?:{alternation(prefixes())})")
    return head, re.compile(f"(?:{alternation(suffixes())})$")


def _ends_syllable(text: str, at: int) -> bool:
    """For Khmer, a prefix must not be followed by a dependent sign (then it is part of a
    longer word: ក្រុងាល is not ក្រុង + ាល)."""
    char = text[at]
    return not ("\u17b6" <= char <= "\u17d3" or char == _COENG)
