"""The lookup: a query string -> a :class:`Match` (ok, outside, ambiguous or unresolved).

A query is folded (:mod:`mapper.text`), cut into parts ("zone de Bokor, à Kampot" ->
"Bokor" and "Kampot"), stripped of type words ("province de", "khaet", "省" ...), then
matched exactly, then fuzzily. When the answer is not clear the lookup says so
(``ambiguous``) and lists the candidates; it never picks one silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz, process

from mapper import settings
from mapper.gazetteer.kinds import KIND_PRECISION, KIND_RANK, PLACE_KINDS
from mapper.gazetteer.words import split_parts, strip_generic, strip_near
from mapper.schema import GeoPrecision, Status
from mapper.text import compact, fold

#: Two fuzzy candidates in different provinces closer than this are reported as ambiguous.
FUZZY_MARGIN = 4.0
#: Keys shorter than this are never matched fuzzily ("Kep" must not become "Kap").
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry offered for a query."""

    entry_id: str
    name: str
    kind: str
    country: str
    adm1_code: str | None
    score: float

    def describe(self) -> str:
        where = self.adm1_code or self.country
        return f"{self.name} ({self.kind}, {where}, score {self.score:.0f})"


@dataclass(frozen=True)
class Match:
    """The answer to one query: a status, the chosen entry (if any) and the alternatives."""

    query: str
    status: Status
    method: str
    entry: Candidate | None = None
    precision: int | None = None
    candidates: tuple[Candidate, ...] = ()
    message: str = ""


@dataclass
class _Part:
    key: str
    kind_hint: str | None = None
    near: bool = False
    text: str = ""


@dataclass
class Gazetteer:
    """Entries (one row each) and the names that lead to them.

    ``entries`` columns: entry_id, name, kind, country, adm1_code, adm2_name, lat, lon,
    precision, counterpart, counterpart_country, source. ``shapes`` maps admin entry ids to
    polygons (provinces, districts, communes).
    """

    entries: pd.DataFrame
    names: dict[str, list[tuple[str, bool]]]
    shapes: gpd.GeoSeries = field(repr=False)

    def __post_init__(self) -> None:
        self._by_id = self.entries.set_index("entry_id", drop=False)
        adm1 = self.entries["adm1_code"].astype(object).where(self.entries["adm1_code"].notna())
        self._facts = {
            eid: (name, kind, country, None if pd.isna(code) else code)
            for eid, name, kind, country, code in zip(
                self.entries["entry_id"], self.entries["name"], self.entries["kind"],
                self.entries["country"], adm1, strict=True)
        }
        self._fuzzy_keys = [k for k in self.names if len(k) >= FUZZY_MIN_LENGTH]
        communes = set(self.entries.loc[self.entries["kind"] == "commune", "entry_id"])
        self._fuzzy_keys_broad = [
            k for k in self._fuzzy_keys if any(eid not in communes for eid, _ in self.names[k])
        ]
        self._memo: dict[tuple[str, str | None, str | None], Match] = {}
        broad = self.entries[~self.entries["kind"].isin(["district", "commune"])]
        self._word_index = [
            (eid, f" {fold(name)} ") for eid, name in zip(broad["entry_id"], broad["name"],
                                                          strict=True)
        ]

    # -- public -------------------------------------------------------------------------
    def lookup(
        self, text: str | None, province: str | None = None, kind: str | None = None
    ) -> Match:
        """Resolve ``text``; ``province`` (an ``adm1_code``) narrows the candidates and
        ``kind`` ("district", "commune", ...) says what the text is known to name."""
        query = "" if text is None else str(text)
        memo_key = (fold(query), province, kind)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._lookup(query, province, kind)
        return self._memo[memo_key]

    def province_code(self, text: str | None) -> str | None:
        """The ``adm1_code`` a province name denotes, or None when it is not clearly one."""
        match = self.lookup(text)
        if match.status is Status.OK and match.entry and match.entry.kind == "province":
            return match.entry.adm1_code
        return None

    def entry(self, entry_id: str) -> pd.Series:
        return self._by_id.loc[entry_id]

    def suggestions(self, text: str, limit: int = 3) -> list[Candidate]:
        """The ``limit`` best fuzzy candidates, whatever their score."""
        key = compact(strip_generic(fold(text))[0] or text)
        if not key:
            return []
        hits = process.extract(key, list(self.names), scorer=fuzz.ratio, limit=limit * 4)
        seen: dict[str, Candidate] = {}
        for name_key, score, _ in hits:
            for entry_id, _ambiguous in self.names[name_key]:
                if entry_id not in seen:
                    seen[entry_id] = self._candidate(entry_id, score)
        return sorted(seen.values(), key=lambda c: -c.score)[:limit]

    def search(self, text: str, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for ``text``: exact hits first (score 100), then fuzzy."""
        match = self.lookup(text)
        ranked = {c.entry_id: c for c in match.candidates}
        if match.entry:
            ranked.setdefault(match.entry.entry_id, match.entry)
        for cand in self.suggestions(text, limit):
            ranked.setdefault(cand.entry_id, cand)
        return sorted(ranked.values(), key=lambda c: -c.score)[:limit]

    # -- the lookup -----------------------------------------------------------------------
    def _lookup(self, query: str, province: str | None, kind: str | None) -> Match:
        parts = self._parts(query)
        if not parts:
            return Match(query, Status.UNRESOLVED, "unresolved", message="no place name given")
        head, rest = parts[0], parts[1:]
        head.kind_hint = kind or head.kind_hint
        context = [m for m in (self._resolve_part(p, None) for p in rest) if _placed(m)]
        codes = {m.entry.adm1_code for m in context if m.entry.adm1_code}
        if province:
            codes.add(province)
        if len(codes) > 1:
            cands = tuple(m.entry for m in context)
            return Match(query, Status.AMBIGUOUS, "gazetteer_exact", candidates=cands,
                         message=f"'{query}' names places in different provinces: "
                         f"{_listing(cands)}")
        match = self._resolve_part(head, next(iter(codes), None))
        if match.status is Status.UNRESOLVED and context:
            best = min(context, key=lambda m: m.precision)
            return _with_query(best, query, f"'{head.text}' not found; placed by "
                                            f"'{best.query}'")
        if match.status is Status.UNRESOLVED:
            return self._unresolved(query, head)
        return _with_query(match, query, match.message)

    def _parts(self, query: str) -> list[_Part]:
        """Cut ``query`` into parts, most specific first, each stripped of generic words
        unless the whole part is itself a known name ("Tinh Bien" keeps its "Tinh")."""
        parts = []
        for piece in split_parts(fold(query)):
            piece, near = strip_near(piece)
            if compact(piece) in self.names:
                stripped, hint = piece, None
            else:
                stripped, hint = strip_generic(piece)
            if compact(stripped):
                parts.append(_Part(compact(stripped), hint, near, stripped))
        return parts

    def _resolve_part(self, part: _Part, province: str | None) -> Match:
        hits = self.names.get(part.key)
        method = "gazetteer_exact"
        if hits:
            cands = [self._candidate(eid, 100.0) for eid, _ in hits]
            flagged = any(ambiguous for _, ambiguous in hits)
        else:
            shared = self._sharing_word(part.text)
            if len({c.adm1_code or c.country for c in shared}) > 1:
                return _ambiguous(part.text, method, shared, "a word shared by several names")
            cands, flagged = self._fuzzy(part.key, province), False
            method = "gazetteer_fuzzy"
        if not cands:
            return Match(part.text, Status.UNRESOLVED, "unresolved")
        return self._choose(part, cands, province, method, flagged)

    def _sharing_word(self, text: str) -> list[Candidate]:
        """Provinces and curated places whose name holds ``text`` as whole words."""
        pattern = f" {text} "
        named = self._word_index
        return [self._candidate(eid, 100.0) for eid, name in named if pattern in name]

    def _fuzzy(self, key: str, province: str | None) -> list[Candidate]:
        """Close spellings. Commune names (village-like, repeated across the country) are
        only matched fuzzily inside a known province: bench/fuzzy_threshold.py shows that
        without one they send one village name in ten to another province."""
        if len(key) < FUZZY_MIN_LENGTH:
            return []
        keys = self._fuzzy_keys if province else self._fuzzy_keys_broad
        hits = process.extract(
            key, keys, scorer=fuzz.ratio, limit=8, score_cutoff=settings.fuzzy_threshold()
        )
        best: dict[str, Candidate] = {}
        for name_key, score, _ in hits:
            for entry_id, _ambiguous in self.names[name_key]:
                if entry_id not in best or best[entry_id].score < score:
                    best[entry_id] = self._candidate(entry_id, score)
        return sorted(best.values(), key=lambda c: -c.score)

    def _choose(
        self, part: _Part, cands: list[Candidate], province: str | None, method: str,
        flagged: bool,
    ) -> Match:
        if part.kind_hint:
            exact = [c for c in cands if c.kind == part.kind_hint]
            loose = [c for c in cands if _kind_fits(c.kind, part.kind_hint)]
            cands = exact or loose or cands
        if province:
            inside = [c for c in cands if c.adm1_code == province or c.kind == "country"]
            if not inside and all(c.country == "KH" for c in cands):
                return Match(
                    part.text, Status.AMBIGUOUS, method, candidates=tuple(cands),
                    message=f"'{part.text}' is not in the given province {province}: "
                    f"{_listing(cands)}",
                )
            cands = inside or cands
        if method == "gazetteer_fuzzy":
            cands = _close_to_best(cands)
        if flagged and len({c.adm1_code or c.country for c in cands}) > 1:
            return _ambiguous(part.text, method, cands, "the name is used for several places")
        return self._pick(part, cands, method)

    def _pick(self, part: _Part, cands: list[Candidate], method: str) -> Match:
        countries = {c.country for c in cands}
        if len(countries) > 1:
            return _ambiguous(part.text, method, cands, "the name exists on both sides of "
                              "the border")
        provinces = [c for c in cands if c.kind == "province"]
        if len(provinces) == 1 and not part.kind_hint:
            return self._ok(part, provinces[0], method)
        cands, note = _prefer_curated(cands)
        areas = {c.adm1_code for c in cands}
        if len(areas) > 1:
            return _ambiguous(part.text, method, cands, "the name fits places in several "
                              "provinces")
        best = min(cands, key=lambda c: (KIND_RANK[c.kind], -c.score))
        return self._ok(part, best, method, note)

    def _ok(self, part: _Part, cand: Candidate, method: str, note: str = "") -> Match:
        precision = int(KIND_PRECISION[cand.kind])
        if part.near and precision == GeoPrecision.PLACE:
            precision = int(GeoPrecision.DISTRICT)
        status = Status.OK if cand.country == "KH" else Status.OUTSIDE
        message = note if status is Status.OK else f"outside Cambodia: {cand.name} ({cand.country})"
        return Match(part.text, status, method, cand, precision, (cand,), message)

    def _unresolved(self, query: str, part: _Part) -> Match:
        sugg = tuple(self.suggestions(part.text or query))
        hint = f"; closest: {_listing(sugg)}" if sugg else ""
        return Match(query, Status.UNRESOLVED, "unresolved", candidates=sugg,
                     message=f"no place named '{query}' in the gazetteer{hint}")

    def _candidate(self, entry_id: str, score: float) -> Candidate:
        name, kind, country, adm1_code = self._facts[entry_id]
        return Candidate(entry_id, name, kind, country, adm1_code, float(score))


def _prefer_curated(cands: list[Candidate]) -> tuple[list[Candidate], str]:
    """A curated place (checkpoint, compound, town) outranks same-named districts and
    communes of other provinces: news names the checkpoint, not the village. The message
    keeps the others in view."""
    curated = [c for c in cands if c.kind in PLACE_KINDS]
    if len({c.adm1_code for c in curated}) != 1:
        return cands, ""
    home = curated[0].adm1_code
    others = [c for c in cands if c.kind in ("district", "commune") and c.adm1_code != home]
    if not others:
        return cands, ""
    kept = [c for c in cands if c not in others]
    return kept, "also the name of " + "; ".join(c.describe() for c in others[:3])


def _kind_fits(kind: str, hint: str) -> bool:
    if hint == "city":
        return kind in {"city", "district"}
    if hint == "zone":
        return kind in {"zone", "site"}
    if hint == "district":
        return kind in {"district", "city"}
    return kind == hint


def _close_to_best(cands: list[Candidate]) -> list[Candidate]:
    top = cands[0].score
    return [c for c in cands if top - c.score < FUZZY_MARGIN]


def _ambiguous(text: str, method: str, cands: list[Candidate], why: str) -> Match:
    cands = sorted(cands, key=lambda c: (-c.score, c.adm1_code or c.country, c.name))
    return Match(text, Status.AMBIGUOUS, method, candidates=tuple(cands),
                 message=f"'{text}' is ambiguous ({why}): {_listing(cands)}")


def _listing(cands) -> str:
    return "; ".join(c.describe() for c in list(cands)[:5])


def _placed(match: Match) -> bool:
    return match.status is Status.OK and match.entry is not None


def _with_query(match: Match, query: str, message: str) -> Match:
    return Match(query, match.status, match.method, match.entry, match.precision,
                 match.candidates, message)
