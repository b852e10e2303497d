"""Khmer script: normalisation, administrative prefixes, and a rule-based romanisation.

* :func:`normalise`: NFC, invisible characters removed, interchangeable spellings unified
  (coeng da -> coeng ta, split vowels joined, obsolete independent vowels, subscript order);
* :func:`strip_prefixes`: removes ខេត្ត/ស្រុក/ខណ្ឌ/ក្រុង/ឃុំ/សង្កាត់/ភូមិ/ច្រកទ្វារ... and returns them as a
  level hint;
* :func:`transliterate`: Khmer -> Latin, UNGEGN-like and without diacritics (``កំពង់ចាម`` ->
  ``kampong cham``), written so that :func:`mapper.names.romanise.key` of the result meets the
  key of the official romanisation; :func:`key` does both.

The transliteration reads orthographic syllables (a consonant with its subscripts, vowels and
signs), chooses each vowel's value by the consonant's series (1st "a" series, 2nd "o" series),
and guesses which bare consonants close the syllable before them. It is not a full reading of
Khmer (Pali/Sanskrit words with unwritten vowels are read short), but good enough for keys.
"""

from __future__ import annotations

import re
import unicodedata

from mapper.names import romanise, words
from mapper.names.khmer_tables import (
    CONSONANTS,
    FINALS,
    INDEPENDENT,
    INHERENT,
    SONORANTS,
    VOWELS,
)

COENG = "\u17d2"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u17b4\u17b5\u034f"
_INVISIBLE_TABLE = {ord(c): None for c in _INVISIBLE}
#: Spellings that render alike and are typed both ways -> the form kept.
_EQUIVALENT = (
    (COENG + "\u178a", COENG + "\u178f"),  # coeng da -> coeng ta (្ដ -> ្ត)
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា -> ោ
    ("\u17c1\u17b8", "\u17be"),  # េ + ី -> ើ
    ("\u17c6\u17bb", "\u17bb\u17c6"),  # ំ + ុ -> ុំ
    ("\u17c6\u17b6", "\u17b6\u17c6"),  # ំ + ា -> ាំ
    ("\u17a3", "\u17a2"),  # obsolete ឣ -> អ
    ("\u17a4", "\u17a2\u17b6"),  # obsolete ឤ -> អា
)
#: Read as written without the nasal: ាំង is "ang"/"eang", not "amng".
_READ_AS = (("\u17b6\u17c6\u1784", "\u17b6\u1784"),)
# Coeng ro is written after any other subscript: ្រ្ត -> ្ត្រ.
_RO_FIRST = re.compile(COENG + "\u179a" + "(" + COENG + "[\u1780-\u17a2])")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, drop invisible characters, unify interchangeable Khmer spellings, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE_TABLE)
    for old, new in _EQUIVALENT:
        if old in text:
            text = text.replace(old, new)
    text = _RO_FIRST.sub(r"\1" + COENG + "\u179a", text)
    return _SPACES.sub(" ", text).strip()


def strip_prefixes(text: str) -> tuple[str, str | None]:
    """Normalise ``text`` and remove type words (ខេត្ត, ស្រុក, ឃុំ, ភូមិ, ច្រកទ្វារ ...;
    :mod:`mapper.names.words`). Returns ``(core, hint)``, ``hint`` the kind of the first word
    removed. A prefix is kept when nothing would remain, or when it is followed by a
    dependent sign (then it is part of a longer word)."""
    return words.strip(normalise(text))


def _starts_syllable(char: str) -> bool:
    return not ("\u17b6" <= char <= "\u17d3" or char == COENG)


# --------------------------------------------------------------------------------------------
# Transliteration
# --------------------------------------------------------------------------------------------
_SYLLABLE = re.compile(
    "([\u1780-\u17b3])((?:" + COENG + "[\u1780-\u17a2])*)([\u17b6-\u17d1\u17d3\u17dd]*)"
)
_CLOSING_SIGNS = set("\u17cb\u17cc\u17cd\u17ce\u17cf\u17d1\u17dd")  # bantoc, robat, ...
_SERIES_SIGNS = {"\u17c9": 1, "\u17ca": 2}  # muusikatoan -> 1st series, triisap -> 2nd


class _Syl:
    """One orthographic syllable being read."""

    __slots__ = ("base", "marks", "subs")

    def __init__(self, base: str, subs: str, marks: str) -> None:
        self.base, self.subs, self.marks = base, subs, marks

    @property
    def vowels(self) -> str:
        return "".join(m for m in self.marks if m not in _CLOSING_SIGNS and m not in "\u17c9\u17ca")

    def is_bare(self) -> bool:
        return not self.vowels and self.base in CONSONANTS


def _series(base: str, subs: str, marks: str) -> int:
    for sign, series in _SERIES_SIGNS.items():
        if sign in marks:
            return series
    series = CONSONANTS[base][1]
    for sub in subs:
        if sub in CONSONANTS and sub not in SONORANTS and CONSONANTS[sub][1] == 2:
            series = 2
    return series


def _initial(base: str, subs: str, marks: str) -> str:
    if base == "\u1794" and ("\u17c9" in marks or subs):  # ប៉ and ប្រ are read p
        return "p"
    return CONSONANTS[base][0] + "".join(CONSONANTS[c][0] for c in subs)


def _final(syl: _Syl | None) -> str:
    if syl is None or "\u17cd" in syl.marks or "\u17cc" in syl.marks:
        return ""
    return FINALS.get(syl.base, "")


def _read(syl: _Syl, final: _Syl | None) -> str:
    """Romanise one syllable closed by ``final`` (a bare consonant) or open."""
    if "\u17cd" in syl.marks or "\u17cc" in syl.marks:
        return ""  # toandakhiat/robat: the consonant (and its vowel) is not read
    if syl.base in INDEPENDENT:
        return INDEPENDENT[syl.base] + _final(final)
    series = _series(syl.base, syl.subs, syl.marks)
    vowels = syl.vowels
    if not vowels:
        nucleus = INHERENT[series - 1] if final is None else INHERENT[series + 1]
    else:
        nucleus = _vowel(vowels, series, final)
    return _initial(syl.base, syl.subs, syl.marks) + nucleus + _final(final)


def _vowel(vowels: str, series: int, final: _Syl | None) -> str:
    if vowels == "\u17d0" and final is not None and final.base == "\u1799":
        return "ai" if series == 1 else "e"  # ័យ: chey, the y is written by the final
    value = VOWELS.get(vowels)
    if value is None:  # unknown combination: read each mark
        return "".join(VOWELS.get(v, ("", ""))[series - 1] for v in vowels)
    return value[series - 1]


def _syllables(word: str) -> list[_Syl]:
    return [
        _Syl(m.group(1), m.group(2).replace(COENG, ""), m.group(3))
        for m in _SYLLABLE.finditer(word)
    ]


_NASALS = set("\u1784\u1789\u178e\u1793\u1798")  # ង ញ ណ ន ម


def _splits(syl: _Syl) -> bool:
    """Is ``syl``'s base the final of the syllable before (ន្ទ, ង្គ, ត្ត), not a cluster?"""
    return (
        bool(syl.subs)
        and syl.base in FINALS
        and (syl.base in _NASALS or syl.subs[0] == syl.base or syl.base + syl.subs[0] in _DOUBLES)
    )


_DOUBLES = {
    "\u1780\u1781",
    "\u1782\u1783",
    "\u1785\u1786",
    "\u1787\u1788",
    "\u178f\u1790",
    "\u1791\u1792",
    "\u1794\u1795",
    "\u1796\u1797",
}


def _expand(syls: list[_Syl]) -> list[_Syl]:
    """Cut ន្ទា into ន + ទា wherever a syllable comes before it."""
    out: list[_Syl] = []
    for syl in syls:
        if out and _splits(syl):
            out.append(_Syl(syl.base, "", ""))
            syl = _Syl(syl.subs[0], syl.subs[1:], syl.marks)
        out.append(syl)
    return out


def _bare_run(syls: list[_Syl], i: int) -> int:
    """How many bare consonants from ``i`` on (a bantoc-marked one ends the run)."""
    j = i
    while j < len(syls) and syls[j].is_bare():
        j += 1
        if _closed_by_sign(syls[j - 1]):
            break
    return max(j - i, 1)


def _closed_by_sign(syl: _Syl) -> bool:
    return any(m in _CLOSING_SIGNS for m in syl.marks)


def _pairs(syls: list[_Syl]) -> list[tuple[_Syl, _Syl | None]]:
    """Group syllables into (syllable, final consonant or None).

    A run of bare consonants is read in pairs (inherent vowel + final) up to its end; an odd
    one out closes an open syllable with a written vowel before it, or else is read open.
    """
    syls = _expand(syls)
    out: list[tuple[_Syl, _Syl | None]] = []
    closing = False  # the last syllable is a bare initial waiting for its final
    for i, syl in enumerate(syls):
        prev_open = bool(out) and out[-1][1] is None and _is_open(out[-1][0])
        if syl.is_bare() and syl.base in FINALS and prev_open:
            run = _bare_run(syls, i)
            odd_after_vowel = run % 2 == 1 and not out[-1][0].is_bare()
            if closing or odd_after_vowel or _closed_by_sign(syl) or i == len(syls) - 1:
                out[-1] = (out[-1][0], syl)
                closing = False
                continue
        closing = syl.is_bare() and _bare_run(syls, i) % 2 == 0
        out.append((syl, None))
    return out


def _is_open(syl: _Syl) -> bool:
    """No nasal/visarga/final-bearing vowel already closes the syllable."""
    return not any(m in "\u17c6\u17c7\u17c8" for m in syl.marks)


def transliterate(text: str) -> str:
    """Romanise Khmer script (other characters pass through). Words stay space-separated."""
    words = []
    for word in normalise(text).split(" "):
        if not any("\u1780" <= c <= "\u17ff" for c in word):
            words.append(word)
            continue
        for old, new in _READ_AS:
            word = word.replace(old, new)
        syls = _syllables(word)
        words.append("".join(_read(s, f) for s, f in _pairs(syls)))
    return " ".join(w for w in words if w)


_KHMER = re.compile("[\u1780-\u17ff]")


def is_khmer(text: str) -> bool:
    """True if ``text`` has any Khmer letter."""
    return _KHMER.search(text) is not None


def key(text: str) -> str:
    """Key of a name in either script: Khmer is stripped of prefixes and transliterated."""
    if is_khmer(text):
        text = transliterate(strip_prefixes(text)[0])
    return romanise.key(text)
