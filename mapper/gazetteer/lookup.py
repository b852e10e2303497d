"""The lookup: a query string -> a :class:`Match` (ok, outside, ambiguous or unresolved).

The names in the query are found first (:mod:`mapper.gazetteer.mentions`): "Krong Bavet",
"Bokor, Kampot", "ស្រុកស្វាយទាប ខេត្តស្វាយរៀង", "柬埔寨西哈努克省". Then the candidates of every
name must agree on one province ("X, Y province" resolves X inside Y); the most specific
name is placed, the others are its context. When they disagree, or a name fits places in
several provinces with nothing to choose between them, the answer is ``ambiguous`` and lists
the candidates: the lookup never picks one silently. Names not found exactly are matched
fuzzily on their romanisation key, inside the row's province when it gives one.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
from rapidfuzz import fuzz, process

from mapper import settings
from mapper.gazetteer.choose import (
    _SETTLEMENTS,
    _ambiguous,
    _common_words,
    _contradiction,
    _country_match,
    _inside,
    _listing,
    _method,
    _qualified,
    _weak_readings,
    _with_message,
    _within_countries,
)
from mapper.gazetteer.contractions import contractible, expand_contractions
from mapper.gazetteer.generics import generic_readings
from mapper.gazetteer.index import NameIndex, bridge_key, roman_key
from mapper.gazetteer.kinds import HINT_FITS, KIND_CLASS, KIND_RANK, STRICT_HINTS
from mapper.gazetteer.mentions import Mention, Parsed, normalise_query, parse
from mapper.gazetteer.model import Candidate, Match, _Reading
from mapper.gazetteer.relations import without_reference_points
from mapper.names import romanise, scripts, words
from mapper.schema import Status
from mapper.text import compact

#: Words for a casino or gambling, in the languages of the border's reporting.
_GAMBLING = re.compile(r"casino|kasino|casinò|sòng bạc|song bac|gambling|賭場|赌场|カジノ|카지노|"
                       r"คาสิโน|บ่อน", re.IGNORECASE)
#: Settlements too small and too many to stand for a landmark named like them.
_HAMLETS = {"village", "locality"}
#: Two fuzzy candidates in different provinces closer than this are reported as ambiguous.
FUZZY_MARGIN = 4.0
#: Keys shorter than this are never matched fuzzily ("Kep" must not become "Kap", nor
#: "R'kiri" a district of Battambang).
FUZZY_MIN_LENGTH = 6
#: Fuzzy threshold for names in Korean, Japanese, Thai and Chinese met through their
#: phonetic reading (:mod:`mapper.names.scripts`): writers of those scripts spell Khmer
#: names by ear, so the readings differ more than romanisations do.
BRIDGE_THRESHOLD = 85.0
#: Below :data:`BRIDGE_THRESHOLD`, a reading still meets a name when their consonants are
#: the same and only the vowels differ, down to this score: Khmer vowels are what writers by
#: ear disagree on most (씨엠립 "semrip" for Siem Reap "semrep"), its consonants the least.
BRIDGE_SKELETON_THRESHOLD = 75.0
#: A Latin name this close to a province's name is that province ("Prek Vihear", "Siam
#: Reap"): there are only 25, and they are far apart (bench/fuzzy_threshold.py); after a
#: common word the rest must be as close ("Kampong Thmey", a village, is no Kampong Thom).
PROVINCE_THRESHOLD = 84.0
#: With no province known, close spellings are only matched to these kinds: district,
#: commune, village and border-post names are too like one another ("Trapeang ...") for a
#: near spelling to say which (bench/fuzzy_threshold.py).
FUZZY_BROAD_KINDS = {"province", "city", "site", "zone", "feature"}
#: After a shared common word ("Kampong ..."), how alike the rest of two names must be
#: (Kampong Trach / Kampong Thom: 57; Banteay Meanchey written by ear in Korean: 67 and up).
REST_THRESHOLD = 65.0


__all__ = ["Candidate", "Gazetteer", "Match"]


class Gazetteer:
    """Entries (one row each) and the index of the names that lead to them.

    ``entries`` columns: entry_id, name, kind, country, adm1_code, adm2_name, lat, lon,
    precision, source (and, for curated places, counterpart, counterpart_country ...).
    """

    def __init__(self, entries: pd.DataFrame, index: NameIndex) -> None:
        self.entries = entries
        self.index = index
        self.names = index.exact  # compact name -> [(entry_id, flagged)]
        self._by_id = entries.set_index("entry_id", drop=False)
        adm1 = entries["adm1_code"].astype(object).where(entries["adm1_code"].notna())
        self._facts = {
            eid: (name, kind, country, None if pd.isna(code) else code, int(precision),
                  None if pd.isna(lat) else float(lat), None if pd.isna(lon) else float(lon))
            for eid, name, kind, country, code, precision, lat, lon in zip(
                entries["entry_id"], entries["name"], entries["kind"], entries["country"],
                adm1, entries["precision"], entries["lat"], entries["lon"], strict=True)
        }
        # Close spellings are measured on the names themselves (compact), not on their
        # romanisation keys: the keys already merge variants, and a typo on a key reaches
        # too far (bench/fuzzy_threshold.py).
        self._fuzzy_keys_broad = [k for k, ids in index.exact.items()
                                  if len(k) >= FUZZY_MIN_LENGTH and self._broad(ids)]
        # The 25 provinces' names, near-spelt more loosely: few names, far apart.
        self._province_keys_any = [k for k, ids in index.exact.items()
                                   if len(k) >= FUZZY_MIN_LENGTH and k not in index.wordy
                                   and any(self._facts[e][1] == "province"
                                           and self._facts[e][2] == "KH" for e, _ in ids)]
        self._bridge_keys_broad = [k for k, ids in index.bridge.items()
                                   if len(k) >= FUZZY_MIN_LENGTH
                                   and self._broad([(eid, False) for eid in ids], by_ear=True)]
        # Inside a known province, close spellings are sought among its own names only.
        self._province_keys = _keys_by_province(
            ((k, [e for e, _ in ids]) for k, ids in index.exact.items()), self._facts)
        self._province_bridge_keys = _keys_by_province(index.bridge.items(), self._facts)
        self._province_of = {code: eid for eid, (_, kind, country, code, *_) in
                             self._facts.items() if kind == "province" and country == "KH"}
        self._memo: dict[tuple[str, str | None, str | None], Match] = {}
        self._candidates: dict[str, Candidate] = {}
        self._common = _common_words(entries["name"])
        # The common words as they start exact keys and bridge keys, longest first.
        self._common_prefixes = sorted(
            {k for w in self._common if len(w) >= 4
             for k in (w, scripts.merged(romanise.key(w))) if len(k) >= 4},
            key=len, reverse=True)

    def _broad(self, ids, by_ear: bool = False) -> bool:
        """Whether a name may be matched fuzzily with no province known: a Cambodian
        province, town, curated place or feature (places abroad are not guessed at); read by
        ear, a landmark too (ベンメリア, Beng Mealea), whose Latin names are too alike to
        be near-spelt ("Wat Ek Phnom" is not Wat Phnom)."""
        kinds = FUZZY_BROAD_KINDS | {"landmark"} if by_ear else FUZZY_BROAD_KINDS
        return any(self._facts[eid][1] in kinds and self._facts[eid][2] == "KH"
                   for eid, _ in ids)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items()
                if k not in ("_memo", "_candidates", "_contractible", "_facing")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _memo={}, _candidates={})

    # -- public -------------------------------------------------------------------------
    def lookup(
        self, text: str | None, province: str | None = None, kind: str | None = None
    ) -> Match:
        """Resolve ``text``; ``province`` (an ``adm1_code``) narrows the candidates and
        ``kind`` ("district", "commune", ...) says what the text is known to name."""
        query = "" if text is None else str(text)
        if "'" in query or "’" in query:  # "R'kiri": Ratanakiri (before the apostrophe goes)
            query = expand_contractions(query, self._contraction_names())
        # Keyed on the text as written, not its folded form: a match quotes its query in
        # its message, so "Ou" must not get the answer (and the words) of an earlier "ou".
        memo_key = (query, province, kind)
        if memo_key not in self._memo:
            match = self._lookup(query, province, kind)
            if match.status is Status.UNRESOLVED:
                match = self._with_khmer_generic(query, province, kind) or match
            if match.status is Status.OUTSIDE and _GAMBLING.search(query):
                match = self._casino_across_the_border(match) or match
            self._memo[memo_key] = match
        return self._memo[memo_key]

    def _with_khmer_generic(self, query: str, province: str | None,
                            kind: str | None) -> Match | None:
        """A name whose Khmer generic was translated ("pulau Rong", "ロン島"): looked up with
        the generic put back ("Koh Rong"). Only a place in Cambodia is taken, and no village
        or hamlet: dozens are named "Boeng ..." or "Koh ...", and "lake X" is not one."""
        for alternative in generic_readings(query):
            if parse(alternative, self.index).leftover:
                continue  # the whole must be a name: "pulau Kon Tm" is no "Koh Kon(g)" + "tm"
            match = self.lookup(alternative, province, kind)
            if match.status is Status.OK and match.entry is not None \
                    and match.entry.country == "KH" and match.entry.kind not in _HAMLETS:
                note = f"'{query}' read as '{alternative}', its type word translated"
                return dataclasses.replace(match, query=query, message="; ".join(
                    x for x in (match.message, note) if x))
        return None

    def _facing_posts(self) -> list[tuple[str, str]]:
        """Cambodian checkpoints and the compact name of the post facing each; made once."""
        if "_facing" not in self.__dict__:
            posts = self.entries[self.entries["kind"].eq("border_post")
                                 & self.entries["country"].eq("KH")
                                 & self.entries["counterpart"].notna()]
            self._facing = [(eid, compact(str(other))) for eid, other in
                            zip(posts["entry_id"], posts["counterpart"], strict=True)
                            if compact(str(other))]
        return self._facing

    def _contraction_names(self) -> list[tuple[str, str]]:
        """Cambodian provinces and towns, which the press contracts ("S'ville"); made once."""
        if "_contractible" not in self.__dict__:
            self._contractible = contractible(
                name for name, kind, country, *_ in self._facts.values()
                if country == "KH" and kind in ("province", "city"))
        return self._contractible

    def _casino_across_the_border(self, match: Match) -> Match | None:
        """A casino named after a border gate or town abroad stands on the Cambodian side:
        gambling is barred to Thais and Vietnamese at home, so "Kasino Mocbai" is in Bavet
        and "Aranyaprathet casino" in Poipet. The Cambodian checkpoint facing it is given, as
        near that place (precision 2)."""
        gate = match.entry
        if gate is None or gate.kind not in ("border_post", "city"):
            return None
        name = compact(gate.name)
        # the gate's name holds the counterpart's ("Moc Bai International Border Gate"), or
        # a town's name is in it ("Ban Khlong Luek (Aranyaprathet)")
        ids = [eid for eid, other in self._facing_posts()
               if other in name or name in other]
        if len(ids) != 1:
            return None
        cand = self._candidate(ids[0], 100.0)
        note = (f"a casino by the {gate.name} ({gate.country}) stands on the Cambodian side, "
                f"at {cand.name}")
        return Match(match.query, Status.OK, match.method, cand, 2, (cand,), note)

    def scan_keys(self) -> frozenset[str]:
        """Exact keys for finding places in running text: names of provinces, districts,
        communes, towns, curated places and countries, admin units without their type words
        (villages and hamlets are left out: their names are too often ordinary words)."""
        def kinds(ids) -> set[str]:
            return {self._facts[eid][1] for eid, _ in ids}

        admin = {"province", "district", "commune"}
        return frozenset(
            key for key, ids in self.index.exact.items()
            if kinds(ids) - {"village", "locality"}
            # "province de Prey Veng" is found as "Prey Veng"; a checkpoint keeps its full name
            and not (key in self.index.wordy and kinds(ids) <= admin))

    def clear(self) -> None:
        """Forget memoised answers (after a setting such as the fuzzy threshold changed)."""
        self._memo.clear()

    def province_code(self, text: str | None) -> str | None:
        """The ``adm1_code`` a province name denotes, or None when it is not clearly one."""
        match = self.lookup(text, kind="province")
        if match.status is Status.OK and match.entry and match.entry.kind == "province":
            return match.entry.adm1_code
        return None

    def entry(self, entry_id: str) -> pd.Series:
        return self._by_id.loc[entry_id]

    def suggestions(self, text: str, limit: int = 3) -> list[Candidate]:
        """The ``limit`` best fuzzy candidates, whatever their score."""
        key = compact(words.strip(normalise_query(text))[0])
        if not key:
            return []
        hits = process.extract(key, self._fuzzy_keys_broad, scorer=fuzz.ratio,
                               limit=limit * 4)
        seen: dict[str, Candidate] = {}
        for name_key, score, _ in hits:
            for entry_id in self._exact_ids(name_key, broad=True):
                seen.setdefault(entry_id, self._candidate(entry_id, score))
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

    def keys(self, text: str) -> tuple[str, str]:
        """The exact and romanisation keys a text is looked up by (for ``places search``)."""
        core = words.strip(normalise_query(text))[0]
        return compact(core), roman_key(core) or bridge_key(core)

    # -- the lookup -----------------------------------------------------------------------
    def _lookup(self, query: str, province: str | None, kind: str | None) -> Match:
        reduced = without_reference_points(query)
        if reduced:  # "Mondulkiri, 300 km from Phnom Penh": the capital is a yardstick
            match = self._lookup(reduced, province, kind)
            if match.status is Status.OK and match.entry is not None:
                note = f"'{query}' read without its reference points, as '{reduced}'"
                return dataclasses.replace(match, query=query, message="; ".join(
                    x for x in (match.message, note) if x))
        parsed = parse(query, self.index)
        solo_kind = kind if len(parsed.mentions) == 1 else None
        readings = []
        for mention in parsed.mentions:
            reading = self._reading(mention, solo_kind)
            if reading.cands:
                readings.append(reading)
            else:  # a type word ruled out every entry of that name: not a place we know
                parsed.leftover.append(mention.text)
                parsed.ruled_out[mention.text] = mention.hint or solo_kind
        countries = [r for r in readings if r.areas == {None}]
        places = [r for r in readings if r.areas != {None}]
        weak = _weak_readings(places, self._common) if province is None else []
        if len(weak) < len(places):  # weak names only count where nothing else is
            parsed.leftover.extend(r.mention.text for r in weak)
            readings = [r for r in readings if r not in weak]
        elif not readings or places or parsed.leftover:
            # nothing placeable found, or only a country ("캄보디아 씨엠립"): the rest may be
            # a near spelling
            parsed.leftover.extend(r.mention.text for r in places)
            # in the order written, so that two neighbours can be joined into one name
            # ("반떼이 민쩨이주": Banteay, a village, then Meanchey)
            text = normalise_query(query)
            parsed.leftover.sort(key=lambda word: text.find(word))
            return self._fuzzy(query, parsed, province, kind, found=countries)
        match = self._resolve(query, readings, province, parsed.listed)
        finer = self._finer(query, match, parsed, readings)
        return _qualified(finer or match, parsed, readings)

    def _finer(self, query: str, match: Match, parsed: Parsed,
               readings: list[_Reading]) -> Match | None:
        """Inside the province or district found, the words that named nothing may be a near
        spelling of a place there ("캄폿주 따뗀마을": 따뗀 in Kampot): matched fuzzily, but only
        among that province's places."""
        entry = match.entry
        if (match.status is not Status.OK or entry is None or not parsed.leftover
                or entry.kind not in ("province", "district") or not entry.adm1_code):
            return None
        for part in _parts(parsed.leftover):
            reading = self._fuzzy_reading(part, entry.adm1_code, None)
            if reading:
                reading.cands = [c for c in reading.cands if c.area == entry.adm1_code]
            if reading and reading.cands:
                finer = self._resolve(query, [*readings, reading], entry.adm1_code)
                if finer.status is not Status.OK:  # the names set aside before disagree
                    return None
                parsed.leftover = [w for w in parsed.leftover if w not in part.split()]
                return finer
        return None

    def _reading(self, mention: Mention, kind: str | None) -> _Reading:
        """The candidates of a mention that fit its type word (or the column's kind); when
        none of its exact names fits, the names that meet its romanisation key."""
        hint = mention.hint or kind
        strict = not mention.loose_hint
        cands = self._fitting([c for c, _ in mention.ids], hint, strict)
        if not cands and mention.method != "gazetteer_fuzzy":
            by_key = self.index.find_by_key(mention.text, hinted=hint in STRICT_HINTS,
                                            every=True)
            if by_key:
                mention = dataclasses.replace(mention, ids=by_key[0], method=by_key[1])
                cands = self._fitting([c for c, _ in mention.ids], hint, strict)
        elif (not mention.text.isascii() and all(c.kind in _SETTLEMENTS for c in cands)
              and bridge_key(mention.text)):
            cands = self._heard_there_too(mention, cands, hint, strict)
        flagged = any(flag for _, flag in mention.ids)
        if mention.hint and not any(c.kind in HINT_FITS.get(mention.hint, {mention.hint})
                                    for c in cands):
            # The type word fits none of the name's bearers ("chùa Wat Phnom": a pagoda, not
            # the hamlet of that name): it vouches for nothing. A landmark named after a
            # commune or town is by it ("Ream national park"), and so is one whose name
            # several hamlets of one province share ("pulau Koh Rong": the island's
            # villages); one named after a single hamlet ("chùa Wat Phnom", not the village
            # "Vott Phnum") may be anywhere, or a place we do not know.
            hamlet = len(cands) < 2 and all(c.kind in _HAMLETS for c in cands)
            mention = dataclasses.replace(mention, hint=None, near=True,
                                          touched=mention.touched or hamlet)
        return _Reading(mention, cands, flagged)

    def _heard_there_too(self, mention: Mention, cands: list[Candidate], hint: str | None,
                         strict: bool) -> list[Candidate]:
        """A name that Who's On First gives a village in Korean or Japanese ("포이펫", Paoy
        Pet) may be heard as the town of that province too (Poipet): add what its reading by
        ear meets in the same provinces, never elsewhere."""
        heard = self.index.find_by_key(mention.text, every=True)
        areas = {c.area for c in cands}
        more = [c for c in self._fitting([e for e, _ in heard[0]], hint, strict)
                if c.area in areas and c not in cands] if heard else []
        return cands + more

    def _fitting(self, entry_ids: list[str], hint: str | None,
                 strict: bool = True) -> list[Candidate]:
        cands = [self._candidate(eid, 100.0) for eid in dict.fromkeys(entry_ids)]
        if not hint:
            return cands
        # a village of the national list and a populated place of Who's On First are alike
        exact = [c for c in cands if c.kind == hint
                 or (hint == "village" and c.kind in HINT_FITS["village"])]
        if not exact and hint == "province":
            # "Sihanoukville province", "시하눅빌주": the province of the town so named
            exact = [self._candidate(self._province_of[c.area], 100.0) for c in cands
                     if c.kind == "city" and c.area in self._province_of]
        if exact:
            return list(dict.fromkeys(exact))
        if strict and hint in STRICT_HINTS:  # a district's seat is its town (Anlong Veng)
            return [c for c in cands if c.kind in HINT_FITS[hint]]
        if not strict:  # a type word inside the name only picks among its bearers
            return cands
        return [c for c in cands if c.kind in HINT_FITS.get(hint, {hint})] or cands

    def _resolve(self, query: str, readings: list[_Reading], province: str | None,
                 listed: bool = False) -> Match:
        places = [r for r in readings if r.areas != {None}]
        countries = [r for r in readings if r.areas == {None}]
        if not places:
            return _country_match(query, countries)
        places = _within_countries(places, countries)
        common = set.intersection(*(r.areas for r in places))
        if province and all(c.country == "KH" for r in places for c in r.cands):
            if province not in common:
                cands = tuple(c for r in places for c in r.cands)
                return Match(query, Status.AMBIGUOUS, _method(places), candidates=cands,
                             message=f"'{query}' is not in the given province {province}: "
                             f"{_listing(cands)}")
            common = {province}
        if not common and len(places) > 1:
            return _contradiction(query, places, listed)
        if _features_only(places):
            return _ambiguous(query, _method(places), [c for r in places for c in r.cands],
                              "lakes, rivers or ranges through several provinces")
        if len(common) == 1:
            return _inside(query, places, common.pop(), self._candidate)
        return self._prefer(query, places, common)

    def _prefer(self, query: str, places: list[_Reading], common: set) -> Match:
        """Several provinces fit every name: take one only when it stands out."""
        cands = [c for r in places for c in r.cands if c.area in common]
        method = _method(places)
        if all(c.country != "KH" for c in cands):  # abroad, wherever exactly
            best = min(cands, key=lambda c: (KIND_CLASS[c.kind], KIND_RANK[c.kind]))
            return _with_message(_inside(query, places, best.area, self._candidate),
                                 "also the name of " + _listing([c for c in cands
                                                                 if c.area != best.area]))
        if any(r.flagged for r in places):
            return _ambiguous(query, method, cands, "the name is used for several places")
        if len({c.country for c in cands}) > 1:
            return _ambiguous(query, method, cands, "the name exists on both sides of the "
                              "border")
        provinces = [c for c in cands if c.kind == "province"]
        if len({c.area for c in provinces}) == 1 and not places[0].mention.hint:
            return _inside(query, places, provinces[0].area, self._candidate)
        top = min(KIND_CLASS[c.kind] for c in cands)
        best = {c.area for c in cands if KIND_CLASS[c.kind] == top}
        # A commune or village name that other provinces' villages share is never chosen.
        if len(best) == 1 and top < KIND_CLASS["commune"]:
            area = best.pop()
            others = [c for c in cands if c.area != area]
            note = "also the name of " + "; ".join(c.describe() for c in others[:3])
            return _with_message(_inside(query, places, area, self._candidate), note)
        return _ambiguous(query, method, cands, "the name fits places in several provinces")

    def _fuzzy(self, query: str, parsed: Parsed, province: str | None,
               kind: str | None, found: list[_Reading] = ()) -> Match:
        """Close spellings: of the whole query, else of each part that named nothing (a
        country or province already found stays as context)."""
        core, hint = words.strip(normalise_query(query))
        if not core:
            return Match(query, Status.UNRESOLVED, "unresolved", message="no place name given")
        readings = [r for r in (self._fuzzy_reading(core, province, kind or hint),) if r]
        if not readings and (bridge_key(core) or found):
            # Word by word and two by two: Korean and the like, or any words said to be in a
            # country ("tỉnh Prek Vihear, Campuchia"); a Latin name alone is too like others.
            # A name its type word ruled out keeps that type word: "ต.สายตะกู" (a tambon) is
            # no near spelling of the Sai Taku resort.
            readings = [r for part in _parts(parsed.leftover)
                        if (r := self._fuzzy_reading(part, province,
                                                     parsed.ruled_out.get(part)))]
        if not readings and parsed.hinted:  # "... in Siem Rea province": the named words alone
            readings = [r for core, hint in parsed.hinted
                        if (r := self._fuzzy_reading(core, province, hint))]
        named = {c.country for r in found for c in r.cands}
        if named and "KH" not in named:
            # a near spelling is no reason to place in Cambodia what is said to be abroad
            readings = [r for r in readings if any(c.country in named for c in r.cands)]
        if not readings and not found:
            return self._unresolved(query, core)
        return self._resolve(query, [*found, *readings], province, parsed.listed)

    def _fuzzy_reading(self, core: str, province: str | None, kind: str | None):
        core, hint = words.strip(core)
        kind = kind or hint
        cands = self._fuzzy_candidates(core, province)
        if not cands:
            return None
        cands = [c for c in cands if cands[0].score - c.score < FUZZY_MARGIN]
        mention = Mention(core, [(c.entry_id, False) for c in cands], "gazetteer_fuzzy")
        reading = self._reading(mention, kind)
        kept = {x.entry_id for x in reading.cands}
        reading.cands = [c for c in cands if c.entry_id in kept]
        return reading if reading.cands else None

    def _fuzzy_candidates(self, core: str, province: str | None) -> list[Candidate]:
        """Entries whose key is close to ``core``'s: the romanisation key for Latin and
        Khmer, the bridge key for Korean, Japanese, Thai and Chinese (which are read by ear,
        so a lower threshold, :data:`BRIDGE_THRESHOLD`)."""
        key, cutoff = compact(core), settings.fuzzy_threshold()
        keys = self._province_keys.get(province, []) if province else self._fuzzy_keys_broad
        table = self.index.exact
        if bridge_key(core):
            key, cutoff, table = bridge_key(core), BRIDGE_THRESHOLD, self.index.bridge
            keys = (self._province_bridge_keys.get(province, []) if province
                    else self._bridge_keys_broad)
        if len(key) < FUZZY_MIN_LENGTH:
            return []
        by_ear = table is self.index.bridge

        def ids_of(name_key: str) -> list[str]:
            """The entries of a key a near spelling may reach: of the province, or broad."""
            ids = [i if isinstance(i, str) else i[0] for i in table[name_key]]
            if province:
                return [e for e in ids if self._facts[e][3] == province]
            return [e for e in ids if self._broad([(e, False)], by_ear)]
        close = self._close_keys(key, keys, cutoff, by_ear)
        if not close and not by_ear and not province:
            close = self._close_keys(key, self._province_keys_any, PROVINCE_THRESHOLD, False,
                                     rest=PROVINCE_THRESHOLD)
        best: dict[str, Candidate] = {}
        for name_key, score in close:
            for entry_id in ids_of(name_key):
                if entry_id not in best or best[entry_id].score < score:
                    best[entry_id] = self._candidate(entry_id, score)
        return sorted(best.values(), key=lambda c: -c.score)

    def _close_keys(self, key: str, keys: list[str], cutoff: float, by_ear: bool,
                    rest: float = REST_THRESHOLD) -> list[tuple[str, float]]:
        """The name keys close to ``key``; for a reading by ear, if none is, those with
        the same consonants down to :data:`BRIDGE_SKELETON_THRESHOLD`."""
        floor = BRIDGE_SKELETON_THRESHOLD if by_ear else cutoff
        close = [(name_key, score) for name_key, score, _ in process.extract(
                     key, keys, scorer=fuzz.ratio, limit=8, score_cutoff=floor)
                 if self._distinct_enough(key, name_key, rest)]
        above = [(k, score) for k, score in close if score >= cutoff]
        if above or not by_ear:
            return above
        return [(k, score) for k, score in close if _consonants(k) == _consonants(key)]

    def _distinct_enough(self, key: str, name_key: str, rest_threshold: float) -> bool:
        """Names that begin with the same common word ("Kampong", "Banteay", "Trapeang") are
        alike for that word alone: what follows it must be close too, to ``rest_threshold``
        (캄퐁트락, Kampong Trach, is not Kampong Thom)."""
        for prefix in self._common_prefixes:
            if key.startswith(prefix) and name_key.startswith(prefix):
                rest, name_rest = key[len(prefix):], name_key[len(prefix):]
                # the distinctive word must start alike and be close ("ruang" is no "chhnang")
                return (rest[:1] == name_rest[:1]
                        and fuzz.ratio(rest, name_rest) >= rest_threshold)
        return True

    def _exact_ids(self, key: str, broad: bool = False) -> list[str]:
        """The entries of an exact key (``broad``: only those a near spelling may reach
        with no province known)."""
        return [entry_id for entry_id, _ in self.index.exact[key]
                if not broad or self._broad([(entry_id, False)])]

    def _unresolved(self, query: str, core: str) -> Match:
        sugg = tuple(self.suggestions(core or query))
        hint = f"; closest: {_listing(sugg)}" if sugg else ""
        return Match(query, Status.UNRESOLVED, "unresolved", candidates=sugg,
                     message=f"no place named '{query}' in the gazetteer{hint}")

    def _candidate(self, entry_id: str, score: float) -> Candidate:
        cand = self._candidates.get(entry_id)
        if cand is None:
            cand = self._candidates[entry_id] = Candidate(
                entry_id, *self._facts[entry_id][:4], 100.0, *self._facts[entry_id][4:])
        if score == 100.0:
            return cand
        facts = self._facts[entry_id]
        return Candidate(entry_id, *facts[:4], float(score), *facts[4:])


def _keys_by_province(items, facts) -> dict[str, list[str]]:
    """Keys long enough to match fuzzily, listed under every province one of their entries
    is in."""
    by_province: dict[str, list[str]] = {}
    for key, ids in items:
        if len(key) < FUZZY_MIN_LENGTH:
            continue
        for code in {facts[eid][3] for eid in ids if facts[eid][3]}:
            by_province.setdefault(code, []).append(key)
    return by_province


def _features_only(places: list[_Reading]) -> bool:
    """Whether several names are all lakes, rivers, ranges or roads: where two of them meet
    ("the Tonle Sap river" and "the Tonle Sap lake") says nothing of where the row is."""
    return len(places) > 1 and all(c.kind == "feature" for r in places for c in r.cands)


def _parts(leftover: list[str]) -> list[str]:
    """The words that named nothing, one by one and, for Korean and the like written in
    separate words, two by two joined."""
    pairs = ["".join(leftover[i:i + 2]) for i in range(len(leftover) - 1)]
    return [*pairs, *leftover]


def _consonants(key: str) -> str:
    """A key without its vowels."""
    return key.translate(_NO_VOWELS)


_NO_VOWELS = str.maketrans("", "", "aeiouy")
