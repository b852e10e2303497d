"""The name index: every name of every entry under the keys a query can meet it by.

* ``exact``: the compact fold of the name (:func:`mapper.text.compact`; Khmer normalised by
  :func:`mapper.names.khmer.normalise`), and the same with its type words removed
  ("Bavet International Border Checkpoint" is also "bavet");
* ``roman``: the romanisation key (:mod:`mapper.names.romanise`) of a Latin name, and of a
  Khmer name's transliteration (:mod:`mapper.names.khmer`), so "Kompong Som", "Kampong
  Saom" and "កំពង់សោម" meet;
* ``bridge``: the romanisation keys again, with the sounds Korean, Japanese and Thai
  writers merge merged (v/b, l/r), and the phonetic readings of names written in those
  scripts, for queries in those scripts read phonetically;
* ``script``: for names in other scripts (Chinese, Japanese, Korean, Thai), the key of their
  transliteration by anyascii, so spellings of one name in one script meet ("實居" and
  "实居" are both "ShiJu"; "ปอยแปต" and "ปอยเปต" both "payept"). These keys meet only
  each other: a transliteration of Korean is no romanisation of Khmer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from anyascii import anyascii

from mapper.names import khmer, romanise, scripts, words
from mapper.text import compact, fold

_LATIN_LETTER = re.compile(r"[a-z]")

#: Keys shorter than this are not indexed at all.
MIN_KEY = 4
#: The shortest key of each kind a lookup uses (too many names share shorter ones); a name
#: with a type word that says what it is ("セサン郡", district) may use keys of MIN_KEY.
MIN_LOOKUP = {"roman": 5, "script": 6, "bridge": 5}


def exact_keys(name: str) -> tuple[str, str]:
    """The exact keys of a name: as written, and without its type words ("" when that is
    the same, or nothing but a type word: "Mountain Province" is no name for "province")."""
    if khmer.is_khmer(name):
        name = khmer.normalise(name)
    full = compact(name)
    core = words.strip(name)[0]
    stripped = compact(core)
    if stripped == full or words.is_type_word(core):
        stripped = ""
    return full, stripped


def roman_key(name: str) -> str:
    """The romanisation key of a Latin or Khmer name ("" when it has none)."""
    if khmer.is_khmer(name):
        key = khmer.key(name)
    else:
        core = romanise.fold(words.strip(name)[0])
        if not core or len(core) < len(compact(name)) / 2:
            return ""  # mostly another script: no Latin key
        key = romanise.key(core)
    return key if len(key) >= MIN_KEY else ""


def script_key(name: str) -> str:
    """The transliteration key of a name in a script other than Latin and Khmer ("" for
    those two)."""
    core = words.strip(name)[0]
    if not core or khmer.is_khmer(core) or _LATIN_LETTER.search(core):
        return ""
    key = romanise.key(anyascii(core))
    return key if len(key) >= MIN_KEY else ""


def bridge_key(text: str) -> str:
    """For Korean, Japanese, Thai or Chinese text: the key that meets Latin names
    (:mod:`mapper.names.scripts`); "" otherwise."""
    core = words.strip(text)[0]
    if not core or khmer.is_khmer(core) or not scripts.has_bridge(core):
        return ""
    key = scripts.key(core)
    return key if len(key) >= MIN_KEY else ""


@dataclass
class NameIndex:
    """Names -> entry ids. ``exact`` values carry whether the alias is marked ambiguous."""

    exact: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    roman: dict[str, list[str]] = field(default_factory=dict)
    script: dict[str, list[str]] = field(default_factory=dict)
    bridge: dict[str, list[str]] = field(default_factory=dict)
    #: Full keys of names that hold a type word ("provincedepreyveng"): a scanner of running
    #: text finds the shorter name inside them instead.
    wordy: frozenset[str] = frozenset()
    #: The words Cambodian place names are made of ("kandal", "snao", "trapeang"), type words
    #: aside: a word of these next to a name may make it part of a longer name.
    name_words: frozenset[str] = frozenset()
    #: The same words as heard (their bridge keys): a Korean or Japanese word next to a name
    #: that sounds like one of them may be part of a longer name.
    name_word_keys: frozenset[str] = frozenset()

    @classmethod
    def build(cls, names: list[tuple[str, str, bool, bool]],
              keyless: frozenset[str] = frozenset(),
              by_ear_only: frozenset[str] = frozenset()) -> NameIndex:
        """From ``(name, entry_id, flagged, primary)``; each name is keyed once. A variant
        name (``primary`` false) is left out where it is another entry's primary name: Who's
        On First lists "Phnom Penh" as a variant of Kandal and of four of the capital's
        districts, which must not make "Phnom Penh" ambiguous. Entries in ``keyless`` (towns
        and countries abroad) are found by their exact names only: the keys are for Khmer
        names and their renderings, and a lossy key of "Bouvet Island" must not meet Bavet.
        Entries in ``by_ear_only`` (landmarks) have no romanisation key of their own, only its
        bridge form ("Ta Proem", a village, must not meet Ta Prohm by a lossy key, but 타프롬
        should), and no short form without their type words (a "Japanese Bridge" is not
        "Japanese")."""
        exact: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        roman: dict[str, list[str]] = defaultdict(list)
        heard: dict[str, list[str]] = defaultdict(list)  # keys of by_ear_only entries
        script: dict[str, list[str]] = defaultdict(list)
        bridge: dict[str, list[str]] = defaultdict(list)
        wordy: set[str] = set()
        taken: dict[str, set[str]] = defaultdict(set)  # full keys -> entries
        for name, entry_id, _, primary in names:
            if primary and isinstance(name, str):
                taken[exact_keys(name)[0]].add(entry_id)
        seen: set[tuple[str, str]] = set()
        for name, entry_id, flagged, primary in names:
            if not isinstance(name, str) or (name, entry_id) in seen:
                continue
            if not primary and entry_id not in taken.get(exact_keys(name)[0], {entry_id}):
                continue
            seen.add((name, entry_id))
            full, stripped = exact_keys(name)
            if entry_id in by_ear_only:
                stripped = ""  # "Japanese Bridge" is not to be found as "Japanese"
            if stripped:
                wordy.add(full)
            # A name's short form ("Moc Bai" of "Moc Bai Casino") yields to the full names
            # of other places.
            for key in (full, stripped if entry_id in taken.get(stripped, {entry_id}) else ""):
                if key and (entry_id, flagged) not in exact[key]:
                    exact[key].append((entry_id, flagged))
            for keyf, table in ((roman_key, heard if entry_id in by_ear_only else roman),
                                (script_key, script), (bridge_key, bridge)):
                if entry_id in keyless:
                    continue
                key = keyf(name)
                if key and entry_id not in table[key]:
                    table[key].append(entry_id)
        for key, ids in (*roman.items(), *heard.items()):
            by_ear = scripts.merged(key)
            # A final l reads as a final r, which romanisation keys drop (Bokor, ボコール):
            # kana write Bavel as バベル "baber", so its key is also "babe".
            for variant in {by_ear, by_ear.removesuffix("r")}:
                if len(variant) >= MIN_KEY:
                    merged = bridge[variant]
                    merged.extend(i for i in ids if i not in merged)
        name_words = frozenset(
            word for name, entry_id, _, _ in names
            if isinstance(name, str) and entry_id not in keyless
            for word in fold(name).split() if not words.is_type_word(word))
        heard_words = {scripts.merged(romanise.key(word)) for word in name_words}
        return cls(dict(exact), dict(roman), dict(script), dict(bridge),
                   frozenset(wordy - {k for k in exact if k not in wordy}), name_words,
                   frozenset(k for k in heard_words if len(k) >= 3))

    def find(self, text: str, hinted: bool = False) -> tuple[list[tuple[str, bool]], str] | None:
        """The entries a folded text (:func:`mapper.gazetteer.mentions.normalise_query`)
        names exactly or by its keys, and how (``hinted``: a type word says what the text
        names, so shorter keys may be used)."""
        hits = self.exact.get(text.replace(" ", ""))
        if hits:
            return hits, "gazetteer_exact"
        return self.find_by_key(text, hinted)

    def find_by_key(self, text: str, hinted: bool = False,
                    every: bool = False) -> tuple[list[tuple[str, bool]], str] | None:
        """The entries a text meets by its romanisation or transliteration key: by the
        first key that meets any, or (``every``) by all of them together, for when a type
        word rules out what the first key found ("อำเภอบาราย": the Thai spelling meets
        villages called Baray, the reading by ear also Baray district)."""
        found: list[str] = []
        for kind, keyf, table in (("roman", roman_key, self.roman),
                                  ("script", script_key, self.script),
                                  ("bridge", bridge_key, self.bridge)):
            key = keyf(text)
            if len(key) < (MIN_KEY if hinted else MIN_LOOKUP[kind]):
                continue
            found.extend(i for i in table.get(key, ()) if i not in found)
            if found and not every:
                break
        return ([(entry_id, False) for entry_id in found], "gazetteer_romanised") \
            if found else None
