"""Text normalisation shared by the gazetteer, ingest and extract.

Latin script is folded (case, accents, punctuation); Khmer and CJK are kept as written, since
their combining marks carry meaning.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that stand for an apostrophe, and for a hyphen, in names copied from the web.
APOSTROPHES = "'’‘`´ʼʻ′"
DASHES = "-‐‑‒–—"
_SEPARATORS = DASHES + "_./·"
_FOLD = str.maketrans(
    {**{c: "" for c in APOSTROPHES}, **{c: " " for c in _SEPARATORS}, "đ": "d", "ð": "d"}
)
# Zero-width characters are common inside Khmer words copied from the web.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"\s+")


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


def strip_latin_accents(text: str) -> str:
    """Remove combining marks that sit on Latin letters; keep those of other scripts."""
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold(text: str) -> str:
    """NFKC, casefold, Latin accents removed, apostrophes dropped, dashes to spaces.

    >>> fold("Poste-frontière  d’O'Smach")
    'poste frontiere dosmach'
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE).casefold()
    text = strip_latin_accents(text).translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """The matching key: :func:`fold` without spaces ("Mondul Kiri" == "Mondulkiri")."""
    return fold(text).replace(" ", "")
