"""Merging events into rows: events of one type about the same place (or about no place,
close together in the text) are one incident.

:func:`merge` walks the events in text order; :func:`carry_place` then gives a row still
without a place the place of the next sentence when that sentence has no trigger of its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise

from mapper import settings
from mapper.extract.arguments import CountHit, DateHit, Event
from mapper.extract.lexicon import Lexicon
from mapper.extract.places import PlaceIndex, PlaceMention, Rank, find_places, place_rank
from mapper.extract.sentences import Sentence, light
from mapper.extract.triggers import find_triggers
from mapper.extract.tunables import SUBSUME_SENTENCES


@dataclass
class Row:
    """A draft incident being assembled from events."""

    type: str
    where: str | None  # adm1 code, "outside:<country>", or None (not placed)
    place: PlaceMention | None = None
    sentences: list[Sentence] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    strong: bool = False
    counts: dict[str, CountHit] = field(default_factory=dict)
    date: DateHit | None = None
    nationalities: list[str] = field(default_factory=list)
    actors: list[tuple[int, str, int]] = field(default_factory=list)
    national: bool = False
    last: int = 0
    kind: str = "event"  # or "total", "background": rows of different kinds never merge
    destination: str | None = None  # ISO code of the country people were handed to
    # ``sentences`` as a set: a row of a long article may gather thousands of sentences, and
    # searching the list for each new one made the time grow with the square of the text.
    _known: set[Sentence] = field(default_factory=set, init=False, repr=False, compare=False)

    def _new(self, sentences: Iterable[Sentence]) -> list[Sentence]:
        """Those of ``sentences`` not yet in this row (each once)."""
        if len(self._known) != len(self.sentences):  # the list was edited from outside
            self._known = set(self.sentences)
        out = []
        for sentence in sentences:
            if sentence not in self._known:
                self._known.add(sentence)
                out.append(sentence)
        return out

    def take(self, other: Row) -> None:
        """Fold ``other`` (an arrest told with this raid) into this row."""
        self.sentences += self._new(other.sentences)
        self.sentences.sort(key=lambda s: s.index)
        self.cues += [c for c in other.cues if c not in self.cues]
        self.strong = self.strong or other.strong
        for name, hit in other.counts.items():
            self.counts.setdefault(name, hit)
        self.date = self.date or other.date
        self.nationalities += [n for n in other.nationalities if n not in self.nationalities]
        self.actors += other.actors
        if self.place is None:
            self.where, self.place = other.where, other.place

    def absorb(self, event: Event, place: PlaceMention | None, rank: Rank) -> None:
        """Add ``event`` (about ``place``); ``rank`` orders places, most precise first."""
        self.sentences += self._new([event.sentence])
        if event.cue.text not in self.cues:
            self.cues.append(event.cue.text)
        self.strong = self.strong or event.cue.strong
        if place is not None and (self.place is None or rank(place) < rank(self.place)):
            self.place = place
        for hit in event.counts:
            kept = self.counts.get(hit.field)
            if kept is None or _vague(kept) > _vague(hit) or (
                    _vague(kept) == _vague(hit) and hit.value > kept.value):
                self.counts[hit.field] = hit
        if self.date is None and event.date is not None:
            self.date = event.date
        self.nationalities += [n for n in event.nationalities if n not in self.nationalities]
        self.actors += event.actors
        self.national = self.national or event.national
        self.last = event.sentence.index


def _vague(hit: CountHit) -> bool:
    """A floor read from words ("hundreds of"): any figure of the same field wins over it."""
    return "from_words" in hit.flags


def merge(events: Iterable[Event], lex: Lexicon) -> list[Row]:
    """Rows from the events of one article, in order of their first sentence."""
    rank = partial(place_rank, words=lex.places)
    rows = _Rows()
    latest: dict[tuple[str, str], list[Row]] = {}
    for event in events:
        touched: list[Row] = []
        for where, place in _locations(event, rank):
            touched += _place_event(rows, latest, event, where, place, rank)
        if touched:
            latest[(event.cue.type, event.kind)] = touched
    return _fold_repeats(_fold_subsumed(rows.all, lex.triggers.subsumes,
                                        lex.triggers.absorb_sentence))


def _fold_repeats(rows: list[Row]) -> list[Row]:
    """A row with no count of the same type, kind and place as a row with one is that
    event told again ("extradited Chen ... along with two others" then "the extradition of
    Chen"): it folds into the nearest such row. Rows are grouped by that key first, so the
    work stays linear in the number of rows."""
    groups: dict[tuple[str, str, str | None], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.type, row.kind, row.where), []).append(row)
    folded: set[int] = set()
    for group in groups.values():
        counted = sorted((r.sentences[0].index, i) for i, r in enumerate(group) if r.counts)
        starts = [start for start, _ in counted]
        for row in group:
            if row.counts or not counted:
                continue
            first = row.sentences[0].index
            at = bisect.bisect_left(starts, first)
            near = [counted[j] for j in (at - 1, at) if 0 <= j < len(counted)]
            _, nearest = min(near, key=lambda c: abs(c[0] - first))
            group[nearest].take(row)
            folded.add(id(row))
    return [row for row in rows if id(row) not in folded]



class _Rows:
    """The rows of one article in order of creation, indexed by (type, place) so that an
    event finds the rows of its place without reading every row (which made a long
    article's time grow with the square of its length)."""

    def __init__(self) -> None:
        self.all: list[Row] = []
        self._placed: dict[tuple[str, str, str], list[Row]] = {}
        self._order: dict[int, int] = {}  # id(row) -> its position in ``all``

    def add(self, row: Row) -> None:
        self._order[id(row)] = len(self.all)
        self.all.append(row)
        if row.where is not None:
            self._placed.setdefault((row.type, row.kind, row.where), []).append(row)

    def place(self, row: Row, where: str) -> None:
        """Give an unplaced row its place, keeping the index in order of creation."""
        row.where = where
        bisect.insort(self._placed.setdefault((row.type, row.kind, where), []), row,
                      key=lambda r: self._order[id(r)])

    def last_compatible(self, key: tuple[str, str], where: str, event: Event) -> Row | None:
        """The latest row of this (type, kind) and place whose date ``event`` can share."""
        for row in reversed(self._placed.get((*key, where), ())):
            if _compatible(row, event):
                return row
        return None


def _locations(event: Event, rank: Rank) -> list[tuple[str | None, PlaceMention | None]]:
    """Where an event happened: each province it names in Cambodia, else the best place
    abroad, else nowhere in particular."""
    kh: dict[str, PlaceMention] = {}
    for p in event.places:
        if p.is_cambodia and p.adm1_code and (
            p.adm1_code not in kh or rank(p) < rank(kh[p.adm1_code])
        ):
            kh[p.adm1_code] = p
    if len(kh) > 1 and event.kind == "total":
        return [(None, None)]  # a running total over several provinces: one national figure
    if len(kh) > 1 and event.counts and not _listed(event.sentence.text, list(kh.values())):
        # One figure with provinces in different roles is one event told with its route or
        # its people's origins ("65 Vietnamese held in Siem Reap were sent back at Trapeang
        # Sre"); provinces listed together ("in Phnom Penh and Kampot") stay one row each.
        code, place = min(kh.items(), key=lambda item: (rank(item[1]), item[1].start))
        return [(code, place)]
    if kh:
        return list(kh.items())
    foreign = [p for p in event.places if not p.is_cambodia]
    if foreign:
        best = min(foreign, key=rank)
        return [(f"outside:{best.country}", best)]
    return [(None, None)]


def _fold_subsumed(rows: list[Row], subsumes: Mapping[str, frozenset[str]],
                   sited: Collection[str] = ()) -> list[Row]:
    """Across sentences: an arrest or rescue row about the place of a raid (or, with no
    place, told within two sentences of it) is that raid ("The raid ... 2 044 étrangers ont
    été détenus").

    Each row, in order, goes into the nearest row (by first sentence; the earlier row on a
    tie) that may take it. Only the rows that can qualify are looked at: those of its place,
    or those starting within two sentences of it (:class:`_FoldIndex`).
    """
    index = _FoldIndex(rows, sited)
    taken: set[int] = set()
    for pos, small in enumerate(rows):
        index.remove(pos)  # a row never folds into itself
        bigs = {big for big, smalls in subsumes.items() if small.type in smalls}
        big_pos = index.nearest(pos, bigs) if bigs else None
        if big_pos is None:
            index.add(pos)
            continue
        big = rows[big_pos]
        index.remove(big_pos)
        big.take(small)  # may move the big row's first sentence earlier
        index.add(big_pos)
        taken.add(pos)
    return [row for pos, row in enumerate(rows) if pos not in taken]


def _folds_into(small: Row, big: Row, gap: int, sited: Collection[str] = ()) -> bool:
    """Whether ``small`` (of a type ``big``'s type subsumes) is the incident of ``big``,
    ``gap`` sentences from it. Two unplaced cues of one sentence were already weighed by
    ``triggers.subsume``."""
    same_figure = "people" in small.counts and "people" in big.counts and \
        small.counts["people"].value == big.counts["people"].value
    if same_figure and gap <= SUBSUME_SENTENCES:
        return True  # the arrests of a raid told with the raid's own figure
    if small.where is not None:
        # An unplaced raid told just after placed arrests ("111 people were detained in
        # Phnom Penh. The operation ... dismantled a centre") is where they were made (only
        # a raid: people are deported from elsewhere than where they were arrested).
        return small.where == big.where or (big.where is None and big.type in sited
                                            and 0 < gap <= SUBSUME_SENTENCES)
    return gap <= SUBSUME_SENTENCES and (gap > 0 or big.where is not None)


class _FoldIndex:
    """The rows still open to take another, by (type, place) sorted by first sentence, and
    by first sentence: the nearest candidate is found with a binary search."""

    def __init__(self, rows: list[Row], sited: Collection[str] = ()) -> None:
        self.rows = rows
        self.sited = sited  # types whose row takes the place of the arrests told with it
        self._placed: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._starting: dict[int, set[int]] = {}
        self._first: dict[int, int] = {}
        for pos in range(len(rows)):
            self.add(pos)

    def add(self, pos: int) -> None:
        row = self.rows[pos]
        first = self._first[pos] = row.sentences[0].index
        self._starting.setdefault(first, set()).add(pos)
        if row.where is not None:
            bisect.insort(self._placed.setdefault((row.type, row.where), []), (first, pos))

    def remove(self, pos: int) -> None:
        row, first = self.rows[pos], self._first.pop(pos)
        self._starting[first].discard(pos)
        if row.where is not None:
            entries = self._placed[(row.type, row.where)]
            del entries[bisect.bisect_left(entries, (first, pos))]

    def nearest(self, pos: int, types: set[str]) -> int | None:
        """The open row of one of ``types`` nearest to row ``pos`` that may take it."""
        small = self.rows[pos]
        first = small.sentences[0].index
        found: list[tuple[int, int]] = []  # (gap, position)
        if small.where is not None:
            for kind in types:
                found += _nearest_entries(self._placed.get((kind, small.where), []), first)
        for start in range(first - SUBSUME_SENTENCES, first + SUBSUME_SENTENCES + 1):
            found += [(abs(start - first), p) for p in self._starting.get(start, ())
                      if self.rows[p].type in types and (small.where is None or (
                          self.rows[p].where is None and self.rows[p].type in self.sited))]
        found = [(gap, p) for gap, p in found if _folds_into(small, self.rows[p], gap, self.sited)
                 and self.rows[p].kind == small.kind]
        return min(found)[1] if found else None


def _nearest_entries(entries: list[tuple[int, int]], first: int) -> list[tuple[int, int]]:
    """(gap, position) of the earliest-made entry nearest ``first`` on either side, from
    entries sorted by (first sentence, position)."""
    out = []
    i = bisect.bisect_left(entries, (first, -1))
    if i < len(entries):
        out.append((entries[i][0] - first, entries[i][1]))
    if i > 0:
        before = entries[i - 1][0]
        j = bisect.bisect_left(entries, (before, -1))
        out.append((first - before, entries[j][1]))
    return out


_LIST_GAP = re.compile(r"^(?:\W|provinces?|province de|provinces de|and|et|as well as|ainsi que|"
                       r"the|la|le|les|de|du|of)*$", re.IGNORECASE)


def _listed(text: str, places: list[PlaceMention]) -> bool:
    """Whether the places stand in one list ("in Kandal and Stung Treng provinces")."""
    ordered = sorted(places, key=lambda p: p.start)
    return all(_LIST_GAP.match(text[a.end:b.start]) for a, b in pairwise(ordered))


def _compatible(row: Row, event: Event) -> bool:
    """Two full dates that differ are two incidents; a month and a day may be one; the same
    figure told again is the same incident whatever the dates (a lead dated by the day it
    was confirmed, then the body dated by the day it happened)."""
    if row.date is None or event.date is None or event.date.date == row.date.date:
        return True
    said = row.counts.get("people")
    if said is not None and any(h.field == "people" and h.value == said.value
                                for h in event.counts):
        return True
    return len(row.date.date) != 10 or len(event.date.date) != 10


def _place_event(rows: _Rows, latest: dict[tuple[str, str], list[Row]], event: Event,
                 where: str | None, place: PlaceMention | None, rank: Rank) -> list[Row]:
    key, index, window = (event.cue.type, event.kind), event.sentence.index, \
        settings.merge_window()
    recent = [r for r in latest.get(key, []) if index - r.last <= window
              and _compatible(r, event)]
    if where is None:
        if recent:
            for row in recent:
                row.absorb(event, None, rank)
            return recent
    else:
        same = rows.last_compatible(key, where, event)
        if same is not None:
            same.absorb(event, place, rank)
            return [same]
        open_rows = [r for r in recent if r.where is None]
        if open_rows:
            rows.place(open_rows[-1], where)
            open_rows[-1].absorb(event, place, rank)
            return [open_rows[-1]]
    if not event.cue.strong and where is None and event.date is None and not event.counts:
        return []
    row = Row(event.cue.type, where, kind=event.kind)
    row.absorb(event, place, rank)
    rows.add(row)
    return [row]


def carry_place(rows: list[Row], sentences: list[Sentence], index: PlaceIndex,
                lex: Lexicon) -> None:
    """A row still without a place takes the place of the next sentence of its paragraph
    when that sentence has no trigger of its own ("... fled. The site, in Takeo Province,
    ...")."""
    by_index = {s.index: s for s in sentences}
    for row in rows:
        if row.where is not None or not row.sentences:
            continue
        nxt = by_index.get(row.sentences[-1].index + 1)
        if nxt is None or nxt.paragraph != row.sentences[-1].paragraph or find_triggers(
                light(nxt.text), lex.triggers):
            continue
        kh = [p for p in find_places(nxt.text, index, lex.places)
              if p.is_cambodia and p.adm1_code]
        if len({p.adm1_code for p in kh}) == 1:
            row.where = kh[0].adm1_code
            row.place = min(kh, key=partial(place_rank, words=lex.places))
            row.sentences.append(nxt)
