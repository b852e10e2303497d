"""Merging events into rows: events of one type about the same place (or about no place,
close together in the text) are one incident.

:func:`merge` walks the events in text order; :func:`carry_place` then gives a row still
without a place the place of the next sentence when that sentence has no trigger of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

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

    def take(self, other: Row) -> None:
        """Fold ``other`` (an arrest told with this raid) into this row."""
        self.sentences += [s for s in other.sentences if s not in self.sentences]
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
        if event.sentence not in self.sentences:
            self.sentences.append(event.sentence)
        if event.cue.text not in self.cues:
            self.cues.append(event.cue.text)
        self.strong = self.strong or event.cue.strong
        if place is not None and (self.place is None or rank(place) < rank(self.place)):
            self.place = place
        for hit in event.counts:
            kept = self.counts.get(hit.field)
            if kept is None or hit.value > kept.value:
                self.counts[hit.field] = hit
        if self.date is None and event.date is not None:
            self.date = event.date
        self.nationalities += [n for n in event.nationalities if n not in self.nationalities]
        self.actors += event.actors
        self.national = self.national or event.national
        self.last = event.sentence.index


def merge(events: Iterable[Event], lex: Lexicon) -> list[Row]:
    """Rows from the events of one article, in order of their first sentence."""
    rank = partial(place_rank, words=lex.places)
    rows: list[Row] = []
    latest: dict[str, list[Row]] = {}
    for event in events:
        touched: list[Row] = []
        for where, place in _locations(event, rank):
            touched += _place_event(rows, latest, event, where, place, rank)
        if touched:
            latest[event.cue.type] = touched
    return _fold_subsumed(rows, lex.triggers.subsumes)


def _locations(event: Event, rank: Rank) -> list[tuple[str | None, PlaceMention | None]]:
    """Where an event happened: each province it names in Cambodia, else the best place
    abroad, else nowhere in particular."""
    kh: dict[str, PlaceMention] = {}
    for p in event.places:
        if p.is_cambodia and p.adm1_code and (
            p.adm1_code not in kh or rank(p) < rank(kh[p.adm1_code])
        ):
            kh[p.adm1_code] = p
    if kh:
        return list(kh.items())
    foreign = [p for p in event.places if not p.is_cambodia]
    if foreign:
        best = min(foreign, key=rank)
        return [(f"outside:{best.country}", best)]
    return [(None, None)]


def _fold_subsumed(rows: list[Row], subsumes: Mapping[str, frozenset[str]]) -> list[Row]:
    """Across sentences: an arrest or rescue row about the place of a raid (or, with no
    place, told within two sentences of it) is that raid ("The raid ... 2 044 étrangers ont
    été détenus")."""
    kept = list(rows)
    for small in rows:
        first = small.sentences[0].index
        for big in sorted(rows, key=lambda r: abs(r.sentences[0].index - first)):
            if big is small or small.type not in subsumes.get(big.type, ()) or big not in kept:
                continue
            gap = abs(big.sentences[0].index - first)
            # two unplaced cues of one sentence were already weighed by triggers.subsume
            if (small.where is not None and small.where == big.where) or (
                    small.where is None and gap <= SUBSUME_SENTENCES
                    and (gap > 0 or big.where is not None)):
                big.take(small)
                kept.remove(small)
                break
    return kept


def _compatible(row: Row, event: Event) -> bool:
    """Two full dates that differ are two incidents; a month and a day may be one."""
    if row.date is None or event.date is None or event.date.date == row.date.date:
        return True
    return len(row.date.date) != 10 or len(event.date.date) != 10


def _place_event(rows: list[Row], latest: dict[str, list[Row]], event: Event,
                 where: str | None, place: PlaceMention | None, rank: Rank) -> list[Row]:
    kind, index = event.cue.type, event.sentence.index
    recent = [r for r in latest.get(kind, []) if index - r.last <= settings.merge_window()
              and _compatible(r, event)]
    if where is None:
        if recent:
            for row in recent:
                row.absorb(event, None, rank)
            return recent
    else:
        same = [r for r in rows if r.type == kind and r.where == where and _compatible(r, event)]
        if same:
            same[-1].absorb(event, place, rank)
            return [same[-1]]
        open_rows = [r for r in recent if r.where is None]
        if open_rows:
            open_rows[-1].where = where
            open_rows[-1].absorb(event, place, rank)
            return [open_rows[-1]]
    if not event.cue.strong and where is None and event.date is None and not event.counts:
        return []
    row = Row(kind, where)
    row.absorb(event, place, rank)
    rows.append(row)
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
