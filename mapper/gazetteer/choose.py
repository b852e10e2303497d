"""Choosing among the readings of a query: the province every name fits, the most
specific name inside it, and the honest answers when they do not agree (used by
:mod:`mapper.gazetteer.lookup`)."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from mapper.gazetteer.kinds import HINT_FITS, KIND_CLASS, KIND_RANK
from mapper.gazetteer.mentions import Parsed
from mapper.gazetteer.model import Candidate, Match, _Reading
from mapper.schema import GeoPrecision, Status
from mapper.text import fold

#: Two entries of one kind and name this close are one place named by two sources.
SAME_PLACE_M = 3000.0
_NOT_SETTLEMENTS = {"country", "province", "district", "commune", "city", "border_post", "site",
                    "zone", "landmark"}
#: A word inside at least this many multi-word names is a common word (see _common_words).
COMMON_WORD_NAMES = 25

_SETTLEMENTS = {"commune", "village", "locality"}


def _inside(query: str, places: list[_Reading], area: str, candidate=None) -> Match:
    """Place the most specific name inside ``area``; the other names are its context. When
    no name there is one place (two villages of that name in one province), the province
    itself is the honest answer (``candidate`` makes its entry)."""
    best: list[tuple[_Reading, list[Candidate]]] = []
    for reading in places:
        here = [c for c in reading.cands if c.area == area]
        top = min(KIND_RANK[c.kind] for c in here)
        best.append((reading, _distinct([c for c in here if KIND_RANK[c.kind] == top])))
    best.sort(key=lambda item: item[1][0].precision)
    for reading, cands in best:
        if len(cands) == 1:
            note = "" if reading is best[0][0] else _several(best[0][1], area)
            return _ok(query, reading, cands[0], note)
    cands = [c for _, cs in best for c in cs]
    if candidate is not None and area.startswith("KH-"):
        province = candidate(area, 100.0)
        return _ok(query, best[0][0], province, _several(best[0][1], area))
    return _ambiguous(query, _method(places), cands, "several places of that name in one "
                      "province")


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    """Candidates of one kind that lie within :data:`SAME_PLACE_M` of the first are one
    place named by two sources (a curated site and the registry's entry for it)."""
    first = cands[0]
    if first.lat is None or all(c.entry_id == first.entry_id for c in cands):
        return cands[:1] if len({c.entry_id for c in cands}) == 1 else cands
    near = [c for c in cands if c.lat is not None
            and _metres(first, c) <= SAME_PLACE_M]
    return cands[:1] if len(near) == len(cands) else cands


def _metres(a: Candidate, b: Candidate) -> float:
    """Distance in metres, equirectangular (exact enough at a few kilometres)."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6_371_000 * math.hypot(x, y)


def _ok(query: str, reading: _Reading, cand: Candidate, note: str = "") -> Match:
    precision = cand.precision
    if reading.mention.near and precision == GeoPrecision.PLACE:
        precision = int(GeoPrecision.DISTRICT)
    if cand.country == "KH":
        return Match(query, Status.OK, reading.mention.method, cand, precision, (cand,), note)
    return Match(query, Status.OUTSIDE, reading.mention.method, cand, precision, (cand,),
                 f"outside Cambodia: {cand.name} ({cand.country})")


def _country_match(query: str, countries: list[_Reading]) -> Match:
    cands = [c for r in countries for c in r.cands]
    if len({c.country for c in cands}) > 1:
        return _ambiguous(query, _method(countries), cands, "several countries")
    cand = cands[0]
    status = Status.OK if cand.country == "KH" else Status.OUTSIDE
    message = "" if status is Status.OK else f"outside Cambodia: {cand.name}"
    return Match(query, status, countries[0].mention.method, cand, int(GeoPrecision.COUNTRY),
                 (cand,), message)


def _within_countries(places: list[_Reading], countries: list[_Reading]) -> list[_Reading]:
    """"Poipet, Cambodia" or "Attapeu (Laos)": a country named beside a place keeps that
    place's candidates in that country, where it has some. A place with none there keeps its
    own: "Anlong Veng, the border town with Thailand" is in Cambodia."""
    named = {c.country for r in countries for c in r.cands}
    kept = []
    for reading in places:
        there = [c for c in reading.cands if c.country in named]
        kept.append(_Reading(reading.mention, there, reading.flagged) if there else reading)
    return kept


def _common_words(names: pd.Series) -> frozenset[str]:
    """Words that stand inside many place names ("Kandal", middle; "Thmei", new): a name
    made of one of them, touched by another word, is likely part of some other name."""
    counts = Counter(word for name in names.dropna() for word in set(fold(name).split())
                     if len(fold(name).split()) > 1)
    return frozenset(word for word, n in counts.items() if n >= COMMON_WORD_NAMES)


def _weak_readings(places: list[_Reading], common: frozenset[str]) -> list[_Reading]:
    """The weak readings (:func:`_weak`), and those a weak one touches: when "Snao" in
    "Samraong Snao" is too weak to stand, "Samraong" is touched by a word of another name."""
    weak = [r for r in places if _weak(r, common)]
    while True:
        spans = {r.mention.span for r in weak if r.mention.span}
        more = [r for r in places if r not in weak and r.mention.span and not r.mention.hint
                and any(_adjacent(r.mention.span, other) for other in spans)]
        if not more:
            return weak
        weak += more


def _adjacent(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and (a[2] == b[1] or b[2] == a[1])


def _weak(reading: _Reading, common: frozenset[str] = frozenset()) -> bool:
    """A name that only communes and villages bear, scanned out of a longer phrase or met
    only by its lossy romanisation key, with no type word: too often a common word, the stem
    of another village's name ("Rovieng" in "Rovieng Ta Tum"), or another village's spelling,
    to place a row by it."""
    provinces = any(c.kind in ("province", "country") for c in reading.cands)
    if reading.mention.touched and not reading.mention.hint and (
            not provinces or reading.mention.text in common):
        # "Samraong Snao" is a village, not Samraong district; "Reay Pay Kandal" no
        # province. A province named beside other words still is one ("Kampot sont...").
        return True
    if reading.mention.beside_unknown and all(c.kind == "landmark" for c in reading.cands):
        return True  # "Wat Phnom Yat" is not Wat Phnom
    found_loosely = not reading.mention.whole or reading.mention.method != "gazetteer_exact"
    return (found_loosely and not reading.mention.hint
            and all(c.kind in _SETTLEMENTS for c in reading.cands))


def _contradiction(query: str, places: list[_Reading], listed: bool) -> Match:
    """Names that fit no one province: in an address, leave out names that only name
    villages or hamlets (village names repeat across the country, and a log's village may be
    one we do not know) when the others agree; a list of places, or names that disagree
    anyway (a commune named in another province than the one given), are reported."""
    for keep in () if listed else (_NOT_SETTLEMENTS, None):
        # first names of more than villages; then names found as written, over names met
        # only by a lossy key ("Chrey Thom commune, Koh Thom district, Kandal province": the
        # Chrey Thum that the key meets is in Svay Rieng)
        if keep is None and any(c.country != "KH" for r in places for c in r.cands):
            break  # a name abroad is no lossy reading to set aside
        strong = [r for r in places if (any(c.kind in keep for c in r.cands) if keep
                                        else r.mention.method == "gazetteer_exact")]
        if strong and len(strong) < len(places):
            common = set.intersection(*(r.areas for r in strong))
            if len(common) == 1:
                match = _inside(query, strong, common.pop())
                left = ", ".join(f"'{r.mention.text}'" for r in places if r not in strong)
                return _with_message(match, f"{left} not found there")
    cands = [c for r in places for c in r.cands]
    parts = "; ".join(f"'{r.mention.text}': {_listing(r.cands)}" for r in places)
    return Match(query, Status.AMBIGUOUS, _method(places), candidates=tuple(cands),
                 message=f"'{query}' names places that do not fit together: {parts}")


def _qualified(match: Match, parsed: Parsed, readings: list[_Reading]) -> Match:
    """A match found inside a longer phrase says so, and is not precise to the point when
    the phrase named something more (an unknown compound in a known town)."""
    if match.status not in (Status.OK, Status.OUTSIDE) or match.entry is None:
        return match
    unplaced = parsed.leftover + [h for h in parsed.hints
                                  if match.entry.kind not in HINT_FITS.get(h, {h})]
    if not unplaced:
        return match
    precision = max(match.precision or 0, int(GeoPrecision.DISTRICT))
    if match.precision == GeoPrecision.COUNTRY or match.entry.kind == "province":
        precision = match.precision
    found = " and ".join(f"'{r.mention.text}'" for r in readings)
    note = f"placed by {found}; '{' '.join(unplaced)}' not found"
    message = "; ".join(x for x in (match.message, note) if x)
    return Match(match.query, match.status, match.method, match.entry, precision,
                 match.candidates, message)


def _several(cands: list[Candidate], area: str) -> str:
    return (f"{len(cands)} places named '{cands[0].name}' in {area}; placed by the wider "
            f"name")


def _method(readings: list[_Reading]) -> str:
    order = ("gazetteer_fuzzy", "gazetteer_romanised", "gazetteer_exact")
    methods = {r.mention.method for r in readings}
    return next(m for m in order if m in methods)


def _ambiguous(text: str, method: str, cands: list[Candidate], why: str) -> Match:
    # Provinces, towns and curated places first: they are what the message must show.
    cands = sorted(cands, key=lambda c: (KIND_CLASS[c.kind], -c.score, c.adm1_code or c.country,
                                         c.name))
    return Match(text, Status.AMBIGUOUS, method, candidates=tuple(cands),
                 message=f"'{text}' is ambiguous ({why}): {_listing(cands)}")


def _listing(cands) -> str:
    return "; ".join(c.describe() for c in list(cands)[:5])


def _with_message(match: Match, message: str) -> Match:
    joined = "; ".join(x for x in (match.message, message) if x)
    return Match(match.query, match.status, match.method, match.entry, match.precision,
                 match.candidates, joined)
