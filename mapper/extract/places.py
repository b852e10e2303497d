"""Place mentions: every name the gazetteer knows, found in a sentence.

A :class:`PlaceIndex` is built once from a gazetteer (passed in: nothing is cached behind
the caller's back) and scans each sentence left to right, taking the longest name that
starts at each word. :func:`find_places` then drops mentions that only look like places.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mapper.extract.lexicon import PlaceWords, default_lexicon
from mapper.extract.sentences import light
from mapper.extract.tunables import (
    PLACE_CONTEXT_AFTER,
    PLACE_CONTEXT_BEFORE,
    UNIT_WORD_CONTEXT,
)
from mapper.gazetteer import Gazetteer
from mapper.schema import Status
from mapper.text import compact


@dataclass(frozen=True)
class PlaceMention:
    """A gazetteer name found in a sentence, resolved to one entry."""

    start: int
    end: int
    text: str
    entry_id: str
    name: str
    kind: str
    country: str
    adm1_code: str | None
    precision: int

    @property
    def is_cambodia(self) -> bool:
        return self.country == "KH"


#: A sort key for place mentions (see :func:`place_rank`).
Rank = Callable[[PlaceMention], tuple[int, int]]


def place_rank(p: PlaceMention, words: PlaceWords) -> tuple[int, int]:
    """Sort key: the most precise mention first; at equal precision, by kind (lexicon)."""
    return (p.precision, words.kind_order.get(p.kind, 9))


_TOKEN = re.compile(
    r"[\u1780-\u17ff\u19e0-\u19ff\u200b]+"  # Khmer (no spaces between words)
    r"|[\u3400-\u9fff\uf900-\ufaff]+"  # Chinese
    r"|(?:(?<![\w'’])(?:[ldjnsmtc]|qu)['’](?=\w))?[^\W_]+(?:['’][^\W_]+)*"
)
_ELISION = re.compile(r"^(?:[ldjnsmtc]|qu)['’](?=\w)", re.IGNORECASE)
_JOINERS = frozenset(" -‐‑–'’\u00a0")
_SCRIPT = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class _Token:
    key: str
    start: int
    end: int
    script: bool  # a Khmer or Chinese character: matches may start and end anywhere


class PlaceIndex:
    """Every compact gazetteer key, and every prefix of one, built once per gazetteer.

    A scan walks the tokens of a sentence; at each token it extends the match one token (or,
    in Khmer and Chinese, one character) at a time while the concatenation is a prefix of a
    key, and keeps the longest full key. That is a trie walk over the names, with no loop
    over the names per sentence. The index also knows the keys that name a province (for
    "Kampot provincial authorities") and remembers what each name resolved to.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.keys: frozenset[str] = gazetteer.scan_keys()
        prefixes: set[str] = set()
        for key in self.keys:
            prefixes.update(key[:i] for i in range(1, len(key) + 1))
        self.prefixes = frozenset(prefixes)
        entries = gazetteer.entries
        provinces = set(entries.loc[entries["kind"] == "province", "entry_id"])
        self.province_keys: frozenset[str] = frozenset(
            k for k, ids in gazetteer.names.items() if any(eid in provinces for eid, _ in ids))
        self._resolved: dict[tuple[str, str | None], PlaceMention | None] = {}
        self.border_pairs = _border_pairs(entries)

    def cambodian_side(self, places: list[PlaceMention]) -> list[PlaceMention]:
        """``places`` of a handover or a flight across a border, seen from Cambodia: a border
        gate abroad becomes its Cambodian counterpart (Moc Bai -> Bavet), and other places
        abroad are where people arrived (Tay Ninh, Jakarta), never the incident's place."""
        out = []
        for p in places:
            if p.is_cambodia:
                out.append(p)
                continue
            pair = self.border_pairs.get(p.entry_id)
            if pair is None:
                continue
            entry = self.gazetteer.entry(pair)
            out.append(PlaceMention(p.start, p.end, p.text, pair, str(entry["name"]),
                                    str(entry["kind"]), "KH", str(entry["adm1_code"]),
                                    p.precision))
        return out

    def clear(self) -> None:
        """Forget what names resolved to (the next scans resolve them afresh)."""
        self._resolved.clear()

    def tokens(self, text: str) -> list[_Token]:
        out: list[_Token] = []
        for m in _TOKEN.finditer(text):
            word, start = m.group(), m.start()
            if _SCRIPT.match(word):
                out.extend(_Token(c, start + i, start + i + 1, True)
                           for i, c in enumerate(word) if compact(c))
                continue
            if elision := _ELISION.match(word):
                start += elision.end()
                word = word[elision.end():]
            if word[-2:] in ("'s", "’s"):
                word = word[:-2]
            key = compact(word)
            if key:
                out.append(_Token(key, start, start + len(word), False))
        return out

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each longest match, left to right, not overlapping."""
        toks = self.tokens(text)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(toks):
            best = self._longest(text, toks, i)
            if best is None:
                i += 1
                continue
            spans.append((i, best))
            i = best + 1
        return [(toks[a].start, toks[b].end) for a, b in spans]

    def _longest(self, text: str, toks: list[_Token], i: int) -> int | None:
        key, best = "", None
        for j in range(i, len(toks)):
            if j > i and not _joined(text, toks[j - 1], toks[j]):
                break
            key += toks[j].key
            if key not in self.prefixes:
                break
            if key in self.keys:
                best = j
        return best

    def resolve(self, surface: str, kind: str | None) -> PlaceMention | None:
        """The entry a name denotes (None when the gazetteer cannot say which one)."""
        memo = (surface, kind)
        if memo not in self._resolved:
            self._resolved[memo] = self._resolve(surface, kind)
        return self._resolved[memo]

    def _resolve(self, surface: str, kind: str | None) -> PlaceMention | None:
        match = self.gazetteer.lookup(surface, kind=kind)
        if match.entry is None and kind is not None:
            match = self.gazetteer.lookup(surface)
        entry = match.entry
        if entry is None or match.status not in (Status.OK, Status.OUTSIDE):
            return None
        if "fuzzy" in match.method:
            return None
        return PlaceMention(0, 0, surface, entry.entry_id, entry.name, entry.kind,
                            entry.country, entry.adm1_code, int(match.precision or 4))


def _border_pairs(entries) -> dict[str, str]:
    """{entry id of a border gate abroad: entry id of its Cambodian counterpart}, from the
    curated places' ``counterpart`` columns (each side names the other)."""
    posts = entries[entries["kind"] == "border_post"]
    cambodian = posts[posts["country"] == "KH"]
    by_name = {compact(str(n)): eid for eid, n in zip(cambodian["entry_id"], cambodian["name"],
                                                       strict=True)}
    pairs = {}
    for eid, country, other, other_country in zip(
            posts["entry_id"], posts["country"], posts["counterpart"],
            posts["counterpart_country"], strict=True):
        if country == "KH" or other_country != "KH" or not isinstance(other, str):
            continue
        key = compact(other)
        match = [kh for name, kh in by_name.items() if name.startswith(key)]
        if len(match) == 1:
            pairs[eid] = match[0]
    return pairs


def _joined(text: str, left: _Token, right: _Token) -> bool:
    if left.script and right.script:
        return right.start == left.end
    gap = text[left.end : right.start]
    return len(gap) <= 3 and all(c in _JOINERS for c in gap)


def find_places(text: str, index: PlaceIndex,
                words: PlaceWords | None = None) -> list[PlaceMention]:
    """Place mentions in one sentence, longest first, with look-alikes skipped.

    Skipped: a name written in lower case (Latin script) unless it names a country; a name
    next to "village"/"hamlet"/"phum" (a village sharing a province's name is not that
    province); a name followed by "Post", "Times", "Group"... (a newspaper or a company); a
    name after "north of", "au sud de"... (a reference point, not the scene) or after
    "auprès de", "urged" (the government, not the place); a commune or district named by one
    word, unless "commune", "district"... stands next to it or the sentence also names its
    province (single-word commune names are often ordinary words or people's names).
    """
    lex = words or default_lexicon().places
    folded = light(text)
    found: list[PlaceMention] = []
    for start, end in index.scan(text):
        surface = text[start:end]
        before = folded[max(0, start - PLACE_CONTEXT_BEFORE) : start]
        after_words = folded[end : end + PLACE_CONTEXT_AFTER].split()
        before_words = before.split()
        kind = _kind_hint(before_words, after_words, lex)
        mention = index.resolve(surface, kind)
        if mention is None or _looks_like_place_only(surface, mention, before, after_words, lex):
            continue
        if lex.government_after.match(folded[end:end + PLACE_CONTEXT_AFTER]):
            continue  # "Phnom Penh announced": the government speaking, not the scene
        if start <= 2 and surface.isupper() and folded[end : end + 3].strip()[:1] in "-(:,":
            continue  # a dateline ("TÂY NINH — ", "PHNOM PENH: "): where the reporter filed from
        found.append(PlaceMention(start, end, surface, mention.entry_id, mention.name,
                                  mention.kind, mention.country, mention.adm1_code,
                                  mention.precision))
    provinces = {m.adm1_code for m in found if m.kind in ("province", "city")}
    return [m for m in found if not _lone_minor(m, provinces, folded, lex)]


def _kind_hint(before: list[str], after: list[str], lex: PlaceWords) -> str | None:
    for word in (*before[-2:][::-1], *after[:1]):
        word = word.strip(",.;:()")
        if word in lex.kind_words:
            return lex.kind_words[word]
    return None


def _looks_like_place_only(surface: str, mention: PlaceMention, before: str,
                           after_words: list[str], lex: PlaceWords) -> bool:
    if not _SCRIPT.search(surface) and not surface[:1].isupper() and mention.kind != "country":
        return True
    first_after = after_words[0].strip(",.;:)") if after_words else ""
    if first_after in lex.village or lex.village_before.search(before):
        return True
    if first_after in lex.organisation_after:
        return True
    return bool(lex.direction_before.search(before) or (mention.adm1_code == "KH-12"
                                                        and lex.government_before.search(before)))


def _lone_minor(m: PlaceMention, provinces: set[str | None], folded: str,
                lex: PlaceWords) -> bool:
    if m.kind not in ("commune", "district") or " " in m.text.strip() or _SCRIPT.search(m.text):
        return False
    near = folded[max(0, m.start - UNIT_WORD_CONTEXT) : m.end + UNIT_WORD_CONTEXT]
    if any(w in near for w in lex.unit_words):
        return False
    return m.adm1_code not in provinces
