"""Event triggers: the words of a sentence that say something happened ("expulsé",
"raided", "perte de contact"), read with the trigger patterns of the lexicon.

A sentence keeps at most the triggers that speak of distinct events: weak triggers and
statements give way to strong event triggers (:func:`find_triggers`), and a raid absorbs
the arrests said with it (:func:`subsume`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from mapper.extract.lexicon import TriggerWords, default_lexicon
from mapper.extract.tunables import SUBSUME_DISTANCE


@dataclass(frozen=True)
class Cue:
    """A trigger found in a sentence (offsets in the sentence)."""

    type: str
    start: int
    end: int
    text: str
    strong: bool


class _Positioned(Protocol):
    start: int


def find_triggers(folded: str, words: TriggerWords | None = None) -> list[Cue]:
    """The triggers of one light-folded sentence (:func:`mapper.extract.sentences.light`),
    in order, the first pattern to match a stretch of text taking it."""
    lex = words or default_lexicon().triggers
    found: list[Cue] = []
    for pattern, kind, strong in lex.patterns:
        for m in pattern.finditer(folded):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            found.append(Cue(_retyped(kind, m.group(), folded, lex), m.start(), m.end(),
                             m.group(), strong))
    return _prune(sorted(found, key=lambda c: c.start), lex)


def _retyped(kind: str, said: str, folded: str, lex: TriggerWords) -> str:
    """The type a cue takes in its sentence ("repatriated ... victims" is a rescue)."""
    for source, target, cue, context, window in lex.retype:
        if kind != source or not cue.fullmatch(said):
            continue
        start = folded.find(said)
        after = folded[start:start + len(said) + window] if window else folded
        if context.search(after):
            return target
    return kind


def _prune(cues: list[Cue], lex: TriggerWords) -> list[Cue]:
    """One sentence: weak cues and statements give way to strong event cues of other types
    (a weak cue that can absorb a strong one stays, see :func:`subsume`)."""
    events = {c.type for c in cues if c.strong and c.type not in lex.statements}
    strong_types = {c.type for c in cues if c.strong}
    kept = []
    for cue in cues:
        absorbs = any(t in lex.subsumes.get(cue.type, ()) for t in strong_types)
        if not cue.strong and strong_types - {cue.type} and not absorbs:
            continue
        if cue.type in lex.statements and events:
            continue
        kept.append(cue)
    return kept


def subsume(cues: list[Cue], counts: Iterable[_Positioned],
            words: TriggerWords | None = None) -> list[Cue]:
    """A raid absorbs the arrests and rescues said with it, a deportation or an extradition
    the arrest told with it: when the two cues are close and the absorbed one has no count
    of its own, or when the absorbing type takes counts too (a raid: "arrested 1,000 people in
    raids" is one raid of 1,000). ``counts``: anything with a ``start`` offset. The absorbing
    cue counts as strong when either was."""
    lex = words or default_lexicon().triggers
    positions = [c.start for c in counts]
    dropped: set[int] = set()
    promoted: set[int] = set()
    for small in cues:
        # A raid takes the arrests of its sentence wherever they stand ("In one of the
        # latest raids of the campaign, authorities arrested 81 foreigners").
        owners = [c for c in cues if small.type in lex.subsumes.get(c.type, ())
                  and (c.type in lex.absorb_sentence
                       or abs(c.start - small.start) <= SUBSUME_DISTANCE + len(c.text))]
        own_count = any(owner(pos, cues) is small for pos in positions)
        counted_too = any(c.type in lex.absorb_counts for c in owners)
        if owners and (not own_count or counted_too):
            dropped.add(small.start)
            if small.strong:
                promoted.add(owners[0].start)
    return [Cue(c.type, c.start, c.end, c.text, c.strong or c.start in promoted)
            for c in cues if c.start not in dropped]


def owner(pos: int, cues: Sequence[Cue]) -> Cue:
    """The cue a count or a place at ``pos`` belongs to: the closest one before it, else the
    first one after it ("arrested 149 Vietnamese", "215 foreigners ... were rescued")."""
    before = [c for c in cues if c.start <= pos]
    return before[-1] if before else min(cues, key=lambda c: c.start)


#: Between a count and the trigger after it: the count is the subject of that trigger in
#: the passive ("10 Korean nationals have been arrested", "42 ressortissants ont ete
#: expulses"): a few words, then the auxiliary.
_PASSIVE_GAP = re.compile(r"(?:[\s,]+[\w'-]+){0,3}?\s+(?:were|was|have been|has been|had been|"
                          r"are|is|ont ete|a ete|avaient ete|avait ete|sont|ete)"
                          r"(?:\s+(?:then|also|later|reportedly|allegedly|all|egalement|aussi|"
                          r"tous|toutes))?\s+")


def count_owner(start: int, end: int, cues: Sequence[Cue], folded: str) -> Cue:
    """The cue a count at ``start``-``end`` belongs to: the trigger it is the passive
    subject of ("..., and 10 nationals were arrested"), else :func:`owner`."""
    after = next((c for c in cues if c.start >= end), None)
    if after is not None and _PASSIVE_GAP.fullmatch(folded[end:after.start]):
        return after
    return owner(start, cues)

