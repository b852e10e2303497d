"""How the gazetteer does on a table of real place strings (tests/data/*_places.csv).

Prints the share of Cambodian strings placed in the right province, in a wrong one, and how
strings abroad, ambiguous and national end. ``--misses`` lists the Cambodian strings not
placed right: use it on the tuning set only, never on the blind set (which measures).

Run: python bench/score_places.py tests/data/tuning_places.csv [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from mapper import reference
from mapper.schema import Status


def score(path: Path, gazetteer) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for text in table["string"]:
        match = gazetteer.lookup(text)
        placed = match.status is Status.OK and match.entry is not None
        rows.append({"status": match.status.value, "method": match.method,
                     "got": match.entry.adm1_code if placed else None,
                     "kind": match.entry.kind if match.entry else None,
                     "message": match.message})
    return pd.concat([table, pd.DataFrame(rows)], axis=1)


def summary(result: pd.DataFrame) -> dict[str, float]:
    kh = result[result["expected"].str.startswith("KH-")]
    abroad = result[result["expected"].str.startswith("abroad")]
    ambiguous = result[result["expected"].eq("ambiguous")]
    national = result[result["expected"].eq("national")]
    return {
        "cambodian": len(kh),
        "right": (kh["got"] == kh["expected"]).mean(),
        "wrong": (kh["got"].notna() & (kh["got"] != kh["expected"])).mean(),
        "abroad placed in a province": int(abroad["got"].notna().sum()),
        "abroad": len(abroad),
        "ambiguous placed in a province": int(ambiguous["got"].notna().sum()),
        "ambiguous": len(ambiguous),
        "national right": int((national["status"].eq("ok") & national["got"].isna()).sum()),
        "national": len(national),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path, help="a tests/data/*_places.csv table")
    parser.add_argument("--misses", action="store_true", help="list the strings not placed "
                        "right (tuning sets only)")
    args = parser.parse_args()
    path = args.table
    started = time.perf_counter()
    result = score(path, reference.default().gazetteer)
    figures = summary(result)
    print(f"{path.name}: {figures['cambodian']} Cambodian strings: {figures['right']:.1%} "
          f"right province, {figures['wrong']:.1%} wrong")
    print(f"  abroad placed in a province: {figures['abroad placed in a province']} of "
          f"{figures['abroad']}; ambiguous placed: {figures['ambiguous placed in a province']}"
          f" of {figures['ambiguous']}; national right: {figures['national right']} of "
          f"{figures['national']}  ({time.perf_counter() - started:.1f} s)")
    kh = result[result["expected"].str.startswith("KH-")]
    by_lang = kh.groupby("lang").apply(lambda g: f"{(g['got'] == g['expected']).mean():.0%} "
                                                 f"of {len(g)}")
    print("  by language: " + ", ".join(f"{k} {v}" for k, v in by_lang.items()))
    if args.misses:
        if "blind" in path.name:
            sys.exit("--misses is for the tuning set: the blind set measures, it never teaches")
        misses = kh[kh["got"] != kh["expected"]]
        for row in misses.itertuples():
            print(f"  {row.lang} {row.string!r} -> {row.status} {row.got} (want {row.expected})"
                  f" {row.message[:100]}")
        other = result[~result["expected"].str.startswith("KH-") & result["got"].notna()]
        for row in other.itertuples():
            print(f"  PLACED {row.lang} {row.string!r} -> {row.got} (want {row.expected})")


if __name__ == "__main__":
    main()
