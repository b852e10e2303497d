"""What a trigger is told with: people counts, nationalities, dates, actors and places.

The readers (:func:`find_counts`, :func:`find_nationalities`, :func:`find_dates`,
:func:`find_actors`; places are read by :mod:`.places`) each take one sentence;
:func:`sentence_events` attaches what they found to the triggers of the sentence, one
:class:`Event` per trigger.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from mapper.extract.kinds import clause_span, event_kind, generic, planned, split_totals
from mapper.extract.lexicon import (
    ActorWords,
    CountWords,
    DateWords,
    Lexicon,
    default_lexicon,
)
from mapper.extract.places import PlaceIndex, PlaceMention, find_places
from mapper.extract.sentences import Sentence, keep_case, light
from mapper.extract.triggers import Cue, count_owner, find_triggers, owner, subsume
from mapper.extract.tunables import (
    DATE_BOUND_BEFORE,
    FUTURE_DAYS,
    NATIONALITY_AFTER,
    PLACE_CONTEXT_BEFORE,
)
from mapper.text import compact

#: The count fields of a row, in order.
COUNT_FIELDS = ("people", "women", "children")


# -- counts and nationalities ----------------------------------------------------------------
@dataclass(frozen=True)
class CountHit:
    start: int
    end: int
    field: str  # people, women or children
    value: int
    flags: tuple[str, ...]
    nationality: str | None
    text: str
    generic: bool = True  # counted with a people noun, not a nationality ("109 Thais")


def _number(m: re.Match[str], lex: CountWords) -> tuple[int | None, tuple[str, ...]]:
    if m["vague"]:
        return lex.vague[m["vague"]], ("lower_bound", "from_words")
    if m["num"]:
        digits = re.sub(r"[ ,.]", "", m["num"])
        return (int(digits) if digits.isdigit() else None), ()
    return lex.numbers.get(m["word"]), ()


def find_counts(text: str, words: CountWords | None = None) -> list[CountHit]:
    """Counts of people, women and children: "42 ressortissants", "six femmes", "more than
    100 people", "des milliers de" (a lower bound, flagged), "109 Thais"."""
    lex = words or default_lexicon().counts
    folded = light(text)
    hits: list[CountHit] = []
    for m in lex.count_re.finditer(folded):
        value, flags = _number(m, lex)
        noun = m["noun"]
        if value is None or (m["word"] in lex.singular and noun in lex.demonyms):
            continue
        if m["num"] and re.fullmatch(r"(?:19|20)\d\d", m["num"]) and noun not in lex.people:
            continue  # a year
        qual = m["qual"] or ""
        if qual in lex.more:
            flags = (*flags, "lower_bound")
        elif qual in lex.about:
            flags = (*flags, "approximate")
        field_name = "people"
        if noun in lex.women:
            field_name = "women"
        elif noun in lex.children:
            field_name = "children"
        elif noun in lex.proxies:
            flags = (*flags, "escape_attempts")
        if noun in lex.parts and not _BOTH_SEXES.match(folded, m.end()):
            continue  # "35 men and 10 women": men are a part, not the whole
        if _plus_one(folded, m):
            value, flags = value + 1, (*flags, "plus_named")
        nationality = lex.demonyms.get(noun) or _nationality_near(folded, m.end(), lex)
        hits.append(CountHit(m.start(), m.end(), field_name, value, tuple(dict.fromkeys(flags)),
                             nationality, text[m.start() : m.end()], noun not in lex.demonyms))
    return hits


#: After "men": "13 men and women" counts everyone.
_BOTH_SEXES = re.compile(r" (?:and|et) (?:women|femmes)\b")
_OTHERS = re.compile(r"\b(?:other|others|autres?)\b")
_WITH_BEFORE = re.compile(r"\b(?:along with|together with|as well as|with|and|ainsi que de|"
                          r"ainsi que|avec|et)\s*$")


def _plus_one(folded: str, m: re.Match[str]) -> bool:
    """"Chen, along with two other Chinese nationals": the two others and the one named."""
    return bool(_OTHERS.search(m.group()) and _WITH_BEFORE.search(
        folded[max(0, m.start() - 30):m.start()]))


def _nationality_near(folded: str, end: int, lex: CountWords) -> str | None:
    for word in folded[end : end + NATIONALITY_AFTER].split()[:2]:
        word = word.strip(",.;:()")
        if word in lex.demonyms:
            return lex.demonyms[word]
    return None


def find_nationalities(text: str, words: CountWords | None = None) -> list[str]:
    """Nationalities named next to a people noun ("ressortissants vietnamiens", "Chinese
    nationals") or counted ("109 Thais"); adjectives elsewhere ("sanctions américaines")
    are not nationalities of the people concerned."""
    lex = words or default_lexicon().counts
    folded = light(text)
    seen: list[str] = []
    for m in lex.nationality_re.finditer(folded):
        for word in m.group().split():
            if word in lex.demonyms and lex.demonyms[word] not in seen:
                seen.append(lex.demonyms[word])
    for hit in find_counts(text, lex):
        if hit.nationality and hit.nationality not in seen:
            seen.append(hit.nationality)
    return seen


# -- dates -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    date: str  # ISO day "2026-01-12" or month "2026-01"
    end_date: str | None
    text: str
    relative: bool


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, min(day, 28)) > published + dt.timedelta(days=FUTURE_DAYS):
            year -= 1
    except ValueError:
        return None
    return year


def _iso_day(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str, published: dt.date | None = None,
               words: DateWords | None = None) -> list[DateHit]:
    """Dates in a sentence, absolute or relative to ``published``: "le 12 janvier",
    "January 12, 2026", "on Saturday", "last week" (a range), "en janvier" (a month).

    A date after "since"/"depuis"/"until" bounds a period rather than dating an event and
    is left out. Without ``published`` a date with no year cannot be placed and is left out.
    """
    lex = words or default_lexicon().dates
    folded = light(text)
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in lex.patterns:
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if lex.bound_re.search(folded[max(0, m.start() - DATE_BOUND_BEFORE) : m.start()]):
                taken.append(m.span())
                continue
            hit = _date_hit(kind, m, published, text, lex)
            if hit is not None:
                hits.append(hit)
                taken.append(m.span())
    return sorted(hits, key=lambda h: h.start)


def _date_hit(kind: str, m: re.Match[str], published: dt.date | None, text: str,
              lex: DateWords) -> DateHit | None:
    start, end, said = m.start(), m.end(), text[m.start() : m.end()]
    if kind in ("dmy", "mdy", "iso"):
        month = int(m["m"]) if kind == "iso" else lex.months[m["m"]]
        day = int(m["d"])
        year = int(m["y"]) if m["y"] else _year_for(month, day, published)
        iso = _iso_day(year, month, day)
        return DateHit(start, end, iso, None, said, not m["y"]) if iso else None
    if kind == "month":
        if m["m"] in lex.ambiguous_months and not m["y"]:
            return None  # short forms alone are ordinary words too often ("mai", "may")
        month = lex.months[m["m"]]
        year = int(m["y"]) if m["y"] else _year_for(month, 1, published)
        if year is None:
            return None
        return DateHit(start, end, f"{year:04d}-{month:02d}", None, said, not m["y"])
    if published is None:
        return None
    if kind == "weekday":
        back = (published.weekday() - lex.weekdays[m["w"]]) % 7
        if back == 0 and (m["last"] or m["last2"]):
            back = 7
        day = published - dt.timedelta(days=back)
        return DateHit(start, end, day.isoformat(), None, said, True)
    first, last = _relative(m, published, lex)
    return DateHit(start, end, first, last, said, True)


def _relative(m: re.Match[str], published: dt.date, lex: DateWords) -> tuple[str, str | None]:
    """(date, end date) of "hier", "last week", "il y a trois jours"..."""
    if m["n"] or m["n2"]:
        n = m["n"] or m["n2"]
        back = int(n) if n.isdigit() else lex.small[n]
        return (published - dt.timedelta(days=back)).isoformat(), None
    span = lex.relative[m["rel"]]
    if span.startswith("day "):
        return (published - dt.timedelta(days=int(span[4:]))).isoformat(), None
    if span == "last week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    if span == "this week":
        monday = published - dt.timedelta(days=published.weekday())
        return monday.isoformat(), published.isoformat()
    if span == "last month":
        prev = published.replace(day=1) - dt.timedelta(days=1)
        return f"{prev.year:04d}-{prev.month:02d}", None
    if span == "this month":
        return f"{published.year:04d}-{published.month:02d}", None
    raise ValueError(f"lexicon: unknown relative date {span!r} for {m['rel']!r}")


# -- actors ----------------------------------------------------------------------------------
def find_actors(text: str, provinces: Collection[str] = (),
                words: ActorWords | None = None) -> list[tuple[int, str, int]]:
    """(position, actor, rank) for the authorities and organisations a sentence names.

    ``provinces``: the compact names of provinces (:attr:`PlaceIndex.province_keys`); "X
    provincial authorities" is an actor only when X is one of them.
    """
    lex = words or default_lexicon().actors
    cased = keep_case(text)
    found: list[tuple[int, str, int]] = []
    for pattern, template, rank in lex.patterns:
        for m in pattern.finditer(cased):
            actor = _actor_name(template, m, provinces, lex)
            if actor:
                found.append((m.start(), actor, rank))
    return sorted(found)


def _actor_name(template: str, m: re.Match[str], provinces: Collection[str],
                lex: ActorWords) -> str | None:
    groups = m.groupdict()
    if "{country}" in template:
        key = (groups.get("place") or groups.get("adj") or "").lower()
        return template.format(country=lex.countries.get(key, key.title()))
    if "{kh}" in template:
        place = groups.get("kh") or ""
        if compact(place) not in provinces:
            return None
        what = "police" if "police" in m.group().lower() else "authorities"
        return template.format(kh=place, what=what)
    if "{name}" in template:
        return template.format(name=groups.get("name") or "").strip()
    return template


# -- attaching arguments to triggers ---------------------------------------------------------
@dataclass
class Event:
    """One trigger of one sentence with what the sentence tells about it."""

    sentence: Sentence
    cue: Cue
    places: list[PlaceMention]
    national: bool
    counts: list[CountHit]
    date: DateHit | None
    nationalities: list[str]
    actors: list[tuple[int, str, int]]
    kind: str = "event"  # or "total", "background" (mapper.extract.kinds)


def sentence_events(sentence: Sentence, index: PlaceIndex, lex: Lexicon,
                    published: dt.date | None) -> list[Event]:
    """The events of one sentence: one per trigger type, each with the places and counts
    that belong to it (:func:`mapper.extract.triggers.owner`), the closest date, and the
    sentence's nationalities and actors."""
    folded = light(sentence.text)
    cues = find_triggers(folded, lex.triggers)
    if not cues:
        return []
    places = find_places(sentence.text, index, lex.places)
    counts = find_counts(sentence.text, lex.counts)
    # An announced or planned happening is no incident, but it keeps its counts and places
    # and absorbs nothing ("detained 25 people, who will be deported").
    held = [c for c in cues if planned(folded, c, lex.kinds)]
    cues = subsume([c for c in cues if c not in held], counts, lex.triggers)
    dates = find_dates(sentence.text, published, lex.dates)
    nationalities = find_nationalities(sentence.text, lex.counts)
    actors = find_actors(sentence.text, index.province_keys, lex.actors)
    national = any(p.kind == "country" and p.country == "KH" for p in places)
    scene = _scene([p for p in places if p.kind != "country"], folded, lex)
    by_type: dict[str, Cue] = {}
    for cue in cues:
        by_type.setdefault(cue.type, cue)
    chosen = sorted([*by_type.values(), *held], key=lambda c: c.start)
    events = []
    for cue in by_type.values():
        date = min(dates, key=lambda d: abs(d.start - cue.start), default=None)
        mine, totals = split_totals(
            folded, cue, [h for h in counts if count_owner(h.start, h.end, chosen, folded) is cue],
            lex.kinds)
        places = _places_for(cue, chosen, scene)
        if cue.type in lex.destinations.border_types:
            places = index.cambodian_side(places)
        if not mine and not places and generic(folded, cue, lex.kinds):
            continue  # "cases of kidnapping": a kind of crime, not a happening
        events.append(Event(sentence, cue, places, national, _event_counts(mine), date,
                            nationalities, actors,
                            event_kind(folded, cue, date, published, lex.kinds, bool(places))))
        totals = totals or _bare_total(folded, cue, lex)
        if totals:  # "..., bringing the total since July to 3,000": a total of this type
            events.append(Event(sentence, cue, [], national, _event_counts(totals), None,
                                nationalities, actors, "total"))
    return events


def _scene(places: list[PlaceMention], folded: str, lex: Lexicon) -> list[PlaceMention]:
    """The places where things happened: those people were taken or went to ("reached
    Phnom Penh") and landmarks the scene is near ("on the outskirts of Phnom Penh") are left
    out, unless the sentence names no other place."""
    words = lex.places
    where = [p for p in places if not any(
        pattern.search(folded[max(0, p.start - PLACE_CONTEXT_BEFORE):p.start])
        for pattern in (words.destination_before, words.reference_before))]
    return where or places


_BARE_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ ,.]\d{3})+|\d{2,})(?![\w.,]\d)")


def _bare_total(folded: str, cue: Cue, lex: Lexicon) -> list[CountHit]:
    """A figure with no noun in another clause that is a running total ("bringing the
    total since July to 3,000"): the total of the trigger's type."""
    own = clause_span(folded, cue.start, lex.kinds)
    for m in _BARE_NUMBER.finditer(folded):
        span = clause_span(folded, m.start(), lex.kinds)
        clause = folded[span[0]:span[1]]
        if span != own and lex.kinds.total_re.search(clause) and not re.fullmatch(
                r"(?:19|20)\d\d", m[1]):
            value = int(re.sub(r"\D", "", m[1]))
            return [CountHit(m.start(), m.end(), "people", value, ("total",), None, m[1],
                             True)]
    return []


def _places_for(cue: Cue, cues: list[Cue], places: list[PlaceMention]) -> list[PlaceMention]:
    """Places go to the closest cue before them (else the first cue after them); a cue with
    places after it ignores those before it ("auprès de Phnom Penh ... disparitions ... à
    Kampot" is about Kampot)."""
    mine = [p for p in places if owner(p.start, cues) is cue]
    after = [p for p in mine if p.start > cue.start]
    return after or mine


def _event_counts(hits: list[CountHit]) -> list[CountHit]:
    """One count per field: the largest, except that people counted only by nationality
    ("149 Vietnamiens, trois Chinois et 85 Cambodgiens") add up."""
    out = []
    for name in COUNT_FIELDS:
        mine = [h for h in hits if h.field == name]
        if not mine:
            continue
        if name == "people" and not any(h.generic for h in mine) and len(mine) > 1:
            flags = (*tuple(dict.fromkeys(f for h in mine for f in h.flags)), "sum")
            out.append(CountHit(mine[0].start, mine[-1].end, name, sum(h.value for h in mine),
                                flags, None, "; ".join(h.text for h in mine), False))
        else:
            out.append(max(mine, key=count_rank))
    return out


def count_rank(hit: CountHit) -> tuple[bool, bool, int]:
    """Which of two counts of one field to keep: a figure over a vague quantity ("73 people"
    over "hundreds of people", which is a floor read from words), then a count of people
    over a count by nationality, then the larger."""
    return ("from_words" not in hit.flags, hit.generic, hit.value)
