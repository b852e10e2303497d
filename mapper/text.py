"""The one text fold of the project, shared by the gazetteer, names, ingest and extract.

Latin script is folded (case, accents, ligatures, apostrophes, dashes); Khmer, CJK and Thai
are kept as written, since their combining marks carry meaning.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that stand for an apostrophe, and for a hyphen, in names copied from the web.
APOSTROPHES = "'’‘`´ʼʻ′"
DASHES = "-‐‑‒–—"
_SEPARATORS = DASHES + "_./·"
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i"}
# Zero-width characters are common inside Khmer words copied from the web.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = re.compile(r"\s+")


def _accent_table(lower: bool) -> dict[int, str | None]:
    """Every Latin letter with marks -> its base letters (lower case if ``lower``), and
    stray combining marks removed: marks left uncomposed by NFKC sit on Latin letters here,
    since Khmer, Thai and CJK marks live in their own blocks."""
    table: dict[int, str | None] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code).lower() if lower else chr(code)
        base = _SPECIAL.get(char.lower())
        if base is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        elif not lower and char.isupper():
            base = base.capitalize()
        if base and base != chr(code):
            table[code] = base
    table.update(dict.fromkeys(range(0x300, 0x370)))
    return table


_ACCENTS = _accent_table(lower=False)
_FOLD = _accent_table(lower=True)
_FOLD.update(dict.fromkeys(map(ord, APOSTROPHES + _INVISIBLE)))
_FOLD.update({ord(c): " " for c in _SEPARATORS})


def strip_latin_accents(text: str) -> str:
    """Latin letters without their marks, case kept; other scripts untouched ("Kâmpôt" ->
    "Kampot", "ខេត្ត" unchanged)."""
    return unicodedata.normalize("NFC", text).translate(_ACCENTS)


def fold(text: str) -> str:
    """NFKC, casefold, Latin accents removed, apostrophes dropped, dashes to spaces.

    >>> fold("Poste-frontière  d’O'Smach")
    'poste frontiere dosmach'
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """The matching key: :func:`fold` without spaces ("Mondul Kiri" == "Mondulkiri")."""
    return fold(text).replace(" ", "")
