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
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mapper.extract.arguments import DateHit
    from mapper.extract.lexicon import KindWords
    from mapper.extract.triggers import Cue

EVENT, TOTAL, BACKGROUND = "event", "total", "background"
#: Characters before a trigger read for "will be", "plans to", "en vue de" (kinds.planned).
PLANNED_BEFORE = 60
#: A sentence continues the running totals of the last sentence with events at most this
#: many sentences back (continue_totals).
CONTINUE_SENTENCES = 2


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
    if words.total_re.search(clause) or period_days(clause, published, words) > words.period_days:
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


def period_days(text: str, published: dt.date | None, words: KindWords) -> int:
    """The length in days of the longest period between two dates in ``text`` ("between
    Jan 1 and 18": 17), 0 if none. A side without a day spans its whole month; a side
    without a month or a year takes the other side's (else the publication's year)."""
    longest = 0
    for m in words.period_re.finditer(text):
        m1, m2 = m["m1"] or m["m1b"], m["m2"] or m["m2b"]
        if not (m1 or m2):
            continue
        y2 = int(m["y2"] or m["y1"] or (published.year if published else 2000))
        y1 = int(m["y1"] or y2)
        first, last = words.months[m1 or m2], words.months[m2 or m1]
        d1, d2 = m["d1"] or m["d1b"], m["d2"] or m["d2b"]
        try:
            start = dt.date(y1, first, int(d1) if d1 else 1)
            end = dt.date(y2, last, int(d2)) if d2 else _last_day(f"{y2:04d}-{last:02d}")
        except ValueError:
            continue
        longest = max(longest, (end - start).days)
    return longest


def planned(folded: str, cue: Cue, words: KindWords) -> bool:
    """Whether a trigger tells an announced or planned happening ("will be sent home",
    "plans to repatriate", "en vue de leur expulsion"): not an incident (docs/EXTRACT.md
    section 8). The words must stand right before the trigger."""
    return bool(words.planned_re.search(folded[max(0, cue.start - PLANNED_BEFORE):cue.start]))


def generic(folded: str, cue: Cue, words: KindWords) -> bool:
    """Whether an uncounted, unplaced trigger names a kind of crime or a trend, not a
    happening ("recent cases involving missing nationals", "sanctioned over kidnappings")."""
    return cue.text in words.generic_nouns or bool(
        words.generic_re.search(folded[max(0, cue.start - PLANNED_BEFORE):cue.start]))


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


def continue_totals(per_sentence: list[list], words: KindWords,
                    subsumes: Mapping[str, Collection[str]] | None = None) -> list:
    """The events of an article in order, where a sentence that follows a sentence of running
    totals (the last sentence with events, at most :data:`CONTINUE_SENTENCES` back) reports
    totals too: when it opens by pointing back ("These resulted in 2,322 foreigners being
    deported"), or, for its events with no date and no place of their own, when they are
    of a type the totals count or take in ("From June to July, authorities raided 58
    sites. In the course of the raids, 3,075 suspects were arrested")."""
    subsumes = subsumes or {}
    out, previous, gap = [], [], 0
    for events in per_sentence:
        gap += 1
        if events and previous and gap <= CONTINUE_SENTENCES and \
                all(e.kind == TOTAL for e in previous):
            counted = {e.cue.type for e in previous}
            counted |= {t for c in counted for t in subsumes.get(c, ())}
            points_back = bool(words.continues_re.search(light_start(events[0].sentence.text)))
            for event in events:
                if event.date is None and (points_back or (
                        not event.places and event.cue.type in counted)):
                    event.kind = TOTAL
        out += events
        if events:
            previous, gap = events, 0
    return out


def light_start(text: str) -> str:
    """The first words of a sentence, lower case (enough for :data:`continues`)."""
    return text[:40].lower()
