"""Articles, sentences and the folded view of a sentence the readers match against.

Paragraphs are lines; a sentence ends with . ! ? (not after an abbreviation), ។ or 。. The
readers match patterns against :func:`light`, the project's text fold
(:func:`mapper.text.fold`) applied one character at a time so that every offset in the
folded text is an offset in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mapper.extract.lexicon import SentenceWords, default_lexicon
from mapper.extract.tunables import HEADING_MAX_WORDS, LANGUAGE_SAMPLE_CHARS
from mapper.text import APOSTROPHES, DASHES, fold, strip_latin_accents

#: Code points folded by :func:`light` and :func:`keep_case`: Latin-1 to Latin Extended-B,
#: and Latin Extended Additional (Vietnamese).
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]


def _one_to_one(convert) -> dict[int, str]:
    """The characters ``convert`` turns into one other character, as a translation table."""
    table: dict[int, str] = {}
    for code in _LATIN:
        out = convert(chr(code))
        if len(out) == 1 and out != chr(code):
            table[code] = out
    return table


_LIGHT = _one_to_one(fold)
_LIGHT.update({ord(q): "'" for q in APOSTROPHES})
_LIGHT.update({ord(d): "-" for d in DASHES})
_LIGHT.update({0xA0: " ", 0x202F: " ", 0x2009: " "})
_KEEP_CASE = _one_to_one(strip_latin_accents)
_KEEP_CASE.update({ord(q): "'" for q in APOSTROPHES})


def light(text: str) -> str:
    """Lower case, Latin accents and curly quotes folded, *same length* as ``text``.

    Each character is folded as :func:`mapper.text.fold` folds it, where that gives one
    character; apostrophes become ``'`` and dashes ``-`` (``fold`` drops them).
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_LIGHT)


def keep_case(text: str) -> str:
    """Latin accents and curly quotes folded, capitals kept, same length as ``text``."""
    return text.translate(_KEEP_CASE)


@dataclass(frozen=True)
class Article:
    """One text to extract from, with what is known about it."""

    text: str
    lang: str | None = None  # "fr", "en" or None (detected)
    published: dt.date | None = None
    source: str | None = None
    source_url: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence: its number in the article, its paragraph, its text, and whether it is a
    heading (a short line without final punctuation)."""

    index: int
    paragraph: int
    text: str
    heading: bool


_SENT_END = re.compile(r"(?<=[.!?…»\"”\]])\s+(?=[«\"“(\[]?[A-ZÀ-ÖØ-Þ0-9.])"
                       r"|(?<=[។。！？])")
_FINAL = (".", "!", "?", "»", "。", "។")


def split_sentences(text: str, words: SentenceWords | None = None) -> list[Sentence]:
    """Paragraphs are lines; sentences end with . ! ? (not after an abbreviation), ។ or 。.

    A short line without final punctuation is a heading (it stays a sentence of its own).
    """
    abbreviation = (words or default_lexicon().sentences).abbreviation_re
    out: list[Sentence] = []
    for para_no, line in enumerate(p.strip() for p in text.splitlines()):
        if not line:
            continue
        heading = len(line.split()) <= HEADING_MAX_WORDS and not line.endswith(_FINAL)
        start = 0
        pieces: list[str] = []
        for m in _SENT_END.finditer(line):
            candidate = line[start : m.start()].strip()
            if abbreviation.search(candidate):
                continue
            pieces.append(candidate)
            start = m.end()
        pieces.append(line[start:].strip())
        for piece in pieces:
            if any(c.isalnum() for c in piece):  # "[...]" between quoted sentences
                out.append(Sentence(len(out), para_no, piece, heading))
    return out


def detect_language(text: str, words: SentenceWords | None = None) -> str:
    """"fr" or "en", from a count of frequent short words (ties go to English)."""
    lex = words or default_lexicon().sentences
    found = re.findall(r"[a-zéèàù]+", text[:LANGUAGE_SAMPLE_CHARS].lower())
    fr = sum(w in lex.fr_words for w in found)
    en = sum(w in lex.en_words for w in found)
    return "fr" if fr > en else "en"
