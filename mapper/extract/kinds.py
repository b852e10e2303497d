"""What a trigger reports: the article's event, a running total, or an earlier event.

A running total ("since June, 3,000 people have been arrested") counts many events; its row
has kind ``total`` and is never counted as an incident. An earlier event told in passing
("last year the same compound was raided") has kind ``background``. The words are in the
lexicon's ``[kinds]`` table; they are looked for in the trigger's clause only, so that
"police detained 80 people on Monday, bringing the total since July to 3,000" gives one
event and one total.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mapper.extract.arguments import DateHit
    from mapper.extract.lexicon import KindWords
    from mapper.extract.triggers import Cue

EVENT, TOTAL, BACKGROUND = "event", "total", "background"


def clause_span(folded: str, position: int, words: KindWords) -> tuple[int, int]:
    """The clause of a light-folded sentence around ``position``: from the last clause
    break before it to the next one after it."""
    start, end = 0, len(folded)
    for m in words.clause_re.finditer(folded):
        if m.end() <= position:
            start = m.end()
        elif m.start() > position:
            end = m.start()
            break
    return start, end


def _last_day(iso: str) -> dt.date:
    """The last day of an ISO day or month."""
    if len(iso) == 10:
        return dt.date.fromisoformat(iso)
    year, month = int(iso[:4]), int(iso[5:7])
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def event_kind(folded: str, cue: Cue, date: DateHit | None, published: dt.date | None,
               words: KindWords, placed: bool = False) -> str:
    """``event``, ``total`` or ``background`` for one trigger of one light-folded sentence;
    ``date`` is the date attached to the trigger, ``placed`` whether its clause names a
    place."""
    start, end = clause_span(folded, cue.start, words)
    clause = folded[start:end]
    if words.total_re.search(clause):
        return TOTAL
    if words.total_weak_re.search(clause) and date is None and not placed:
        return TOTAL
    if words.background_re.search(clause):
        return BACKGROUND
    # A month without its year is read as the latest such month, so "in March" in a July
    # article is four months back: an earlier event.
    dated = date is not None and published is not None and date.date
    if dated and _last_day(date.date) < published - dt.timedelta(days=words.background_days):
        return BACKGROUND
    return EVENT


def split_totals(folded: str, cue: Cue, hits: list, words: KindWords) -> tuple[list, list]:
    """The counts of a trigger in clauses of their own that are running totals ("...,
    bringing the total since July to 3,000") apart from the others: (event's, total's)."""
    own = clause_span(folded, cue.start, words)
    event, total = [], []
    for hit in hits:
        span = clause_span(folded, hit.start, words)
        clause = folded[span[0]:span[1]]
        elsewhere = span != own and (words.total_re.search(clause)
                                     or words.total_weak_re.search(clause))
        (total if elsewhere else event).append(hit)
    return event, total


def continue_totals(per_sentence: list[list], words: KindWords) -> list:
    """The events of an article in order, where a sentence that opens by pointing back
    ("These resulted in 2,322 foreigners being deported") after a sentence of running totals
    reports totals too."""
    out, previous = [], []
    for events in per_sentence:
        if events and previous and all(e.kind == TOTAL for e in previous) and \
                words.continues_re.search(light_start(events[0].sentence.text)):
            for event in events:
                if event.date is None:
                    event.kind = TOTAL
        out += events
        previous = events
    return out


def light_start(text: str) -> str:
    """The first words of a sentence, lower case (enough for :data:`continues`)."""
    return text[:40].lower()
