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


def _latin_table() -> dict[int, str | None]:
    """Every Latin letter with marks -> its base letters; apostrophes dropped, dashes and
    other separators to spaces, invisible characters and stray combining marks removed."""
    table: dict[int, str | None] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code).lower()
        base = _SPECIAL.get(char)
        if base is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        if base and base != chr(code):
            table[code] = base
    table.update(dict.fromkeys(map(ord, APOSTROPHES + _INVISIBLE)))
    table.update({ord(c): " " for c in _SEPARATORS})
    # Marks left uncomposed by NFKC sit on Latin letters here: Khmer, Thai and CJK marks
    # live in their own blocks.
    table.update(dict.fromkeys(range(0x300, 0x370)))
    return table


_FOLD = _latin_table()


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
