"""Press contractions of long names: an initial, an apostrophe and the name's end.

Cambodian English-language papers shorten the longest provinces and towns this way:
"R'kiri" (Ratanakiri), "M'kiri" (Mondulkiri), "S'ville" (Sihanoukville), "B'bang"
(Battambang), "K'Cham" (Kampong Cham). :func:`expand_contractions` writes such a word out
when exactly one province or town name starts with its initial and ends with its end; the
apostrophe is what says it is a contraction, so "Bang" or "Kcham" alone are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mapper.text import compact

# An initial, an apostrophe, then at least four letters: "R'kiri", "K’Cham" (three, such as
# "K'ang", end too many names by chance).
_CONTRACTION = re.compile(r"(?<![\w'’])([^\W\d_])['’]([^\W\d_]{4,})\b")
_BRACKETED = re.compile(r"\s*\(.*?\)")


def contractible(names: Iterable[str]) -> list[tuple[str, str]]:
    """``(compact key, name)`` of the names a contraction may stand for, each without its
    bracketed other name ("Sihanoukville (Krong Preah Sihanouk)")."""
    plain = (_BRACKETED.sub("", name).strip() for name in names)
    return sorted({(compact(name), name) for name in plain if len(compact(name)) >= 6})


def expand_contractions(text: str, names: list[tuple[str, str]]) -> str:
    """``text`` with each contraction that fits exactly one of ``names`` written out."""
    if "'" not in text and "’" not in text:
        return text

    def written_out(match: re.Match) -> str:
        initial, end = compact(match.group(1)), compact(match.group(2))
        fits = {name for key, name in names
                if key.startswith(initial) and key.endswith(end) and len(key) > len(end) + 1}
        return fits.pop() if len(fits) == 1 else match.group(0)

    return _CONTRACTION.sub(written_out, text)
