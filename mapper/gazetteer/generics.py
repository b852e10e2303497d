"""Khmer generic words that other languages translate.

Khmer names carry their generic word: Koh (island), Phnom (hill), Wat (pagoda), Boeng
(lake), Prasat (temple). Writers in other languages often translate it into their own type
word and keep only the rest: "pulau Rong", "ロン島", "núi Sampeau", "Sampeau mountain".
(Stung, river, is left out: a river runs through several provinces, and "river Sen" met the
town of Stueng Saen.) :func:`generic_readings` gives the query back with the generic in
place of the type word (in Latin script, or in the kana or Hangul the rest is written in,
so that it is heard as a whole: コ + ロン is "karan", as Koh Rong is); the lookup tries them
when the query itself names nothing.
"""

from __future__ import annotations

import re
from functools import cache

from mapper.text import fold

#: Type words (folded) that translate each generic, in scripts with spaces and without.
GENERIC_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Koh": (("island", "ile", "isle", "pulau", "dao", "isla", "insel"), ("島", "岛", "섬")),
    "Phnom": (("mountain", "mount", "hill", "mont", "montagne", "colline", "nui", "gunung",
               "bukit", "doi"), ("山", "산")),
    "Wat": (("pagoda", "pagode", "chua", "vihara"), ("寺", "절")),
    "Boeng": (("lake", "lac", "ho", "danau", "tasik"), ("湖", "호수", "호")),
    "Prasat": (("temple", "candi", "den"), ("寺院", "遺跡", "사원", "유적")),
}
#: The generic as kana and Hangul writers hear it, to join a name written in their script.
SCRIPT_FORMS: dict[str, tuple[str, str]] = {
    "Koh": ("コ", "코"), "Phnom": ("プノン", "프놈"), "Wat": ("ワット", "왓"),
    "Boeng": ("ブン", "벙"), "Prasat": ("プラサット", "쁘라삿"),
}
#: Type words (folded, Latin script) that translate the English word a landmark's name ends
#: with in the table ("Neak Loeung Bridge", "Orussey Market"): "cầu Neak Loeung" is looked
#: up as "Neak Loeung Bridge".
ENGLISH_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "Bridge": ("cau", "pont", "jembatan", "puente"),
    "Market": ("cho", "marche", "pasar", "psar", "phsar", "mercado"),
    "Beach": ("bai bien", "bai", "plage", "pantai", "playa"),
    "Waterfall": ("thac", "cascade", "cascades", "chute", "chutes", "air terjun", "cascada"),
    "Museum": ("bao tang", "musee", "musee de", "musee du", "muzium", "museo"),
    "Pagoda": ("chua",),
}
_KANA = re.compile(r"^[\u30a0-\u30ff]+$")
_HANGUL = re.compile(r"^[\uac00-\ud7af]+$")
_LATIN = re.compile(r"^[a-z][a-z' -]*[a-z]$")
_JOINERS = re.compile(r"^(?:of|de|d|du|des|the)\s+")


@cache
def _latin_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for generic, (latin, _) in GENERIC_WORDS.items():
        alternation = "|".join(sorted(latin, key=len, reverse=True))
        out.append((generic, re.compile(
            rf"^(?:{alternation})\s+(.+)$|^(.+?)\s+(?:{alternation})$")))
    return out


@cache
def _english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for english, latin in ENGLISH_TYPE_WORDS.items():
        alternation = "|".join(sorted(latin, key=len, reverse=True))
        out.append((english, re.compile(rf"^(?:{alternation})\s+(.+)$")))
    return out


def generic_readings(query: str) -> list[str]:
    """``query`` with a translated generic put back as the Khmer word ("pulau Rong" ->
    "Koh Rong", "ロン島" -> "コロン"), or as the English word landmark names end with
    ("cầu Neak Loeung" -> "Neak Loeung Bridge"); [] when it holds none."""
    text = fold(query).strip()
    out = []
    for english, pattern in _english_patterns():
        match = pattern.match(text)
        rest = _JOINERS.sub("", match.group(1)) if match else ""
        if rest and _LATIN.match(rest):
            out.append(f"{rest} {english}")
    for generic, pattern in _latin_patterns():
        match = pattern.match(text)
        rest = _JOINERS.sub("", (match.group(1) or match.group(2)) if match else "")
        if rest and _LATIN.match(rest) and not rest.startswith(generic.lower() + " "):
            out.append(f"{generic} {rest}")
    for generic, (_, unspaced) in GENERIC_WORDS.items():
        for word in unspaced:
            rest = text.removesuffix(word).strip()
            if rest == text or not rest:
                continue
            kana, hangul = SCRIPT_FORMS[generic]
            if _KANA.match(rest):
                out.append(kana + rest)
            elif _HANGUL.match(rest):
                out.append(hangul + rest)
    return out
