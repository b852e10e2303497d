"""Geocoding speed: the gazetteer's load time (from the compiled cache), lookups per second
for exact names, phrases with type words in several languages and near misspellings (each
beside a plain dictionary lookup of the same names, the floor), and rows per second for
geocode + join on a 1M-row log; with --cli, ``incident-mapper geocode`` on a CSV of 100,000
free-text place strings.

Run: python bench/geocode.py [--rows 1000000] [--cli]   (needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
import pandas as pd

from mapper import reference, schema
from mapper.geocode import geocode
from mapper.join import join


def typo(name: str, rng: random.Random) -> str:
    """One edit: drop, double or swap a letter (what hurried typing does)."""
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 2)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1 :]
    if edit == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


PHRASES = ("the border town of {}", "{} district, {} province", "province de {}",
           "huyện {}, tỉnh {}", "Kota {}", "Krong {}", "{} commune", "near {}",
           "village de {}, province de {}")


def phrases(gaz, n: int, rng: random.Random) -> list[str]:
    """Names in the phrases logs and articles put them in, in several languages."""
    rows = gaz.entries[gaz.entries["country"].eq("KH") & gaz.entries["adm1_code"].notna()
                       & gaz.entries["name"].str.isascii()]
    province = gaz.entries.set_index("entry_id")["name"]
    picks = rows.sample(n, replace=True, random_state=rng.randrange(1 << 30))
    return [rng.choice(PHRASES).format(name, province.get(code, code))
            for name, code in zip(picks["name"], picks["adm1_code"], strict=True)]


def plain_per_second(gaz, queries: list[str]) -> float:
    """The floor: a dictionary lookup of the compacted string, nothing else."""
    from mapper.text import compact

    start = time.perf_counter()
    for query in queries:
        gaz.names.get(compact(query))
    return len(queries) / (time.perf_counter() - start)


def lookups_per_second(gaz, queries: list[str]) -> float:
    # The private _lookup skips the per-process memo: every query is really resolved.
    start = time.perf_counter()
    for query in queries:
        gaz._lookup(query, None, None)
    return len(queries) / (time.perf_counter() - start)


def synthetic_log(gaz, rows: int, rng: random.Random) -> pd.DataFrame:
    names = gaz.entries["name"].tolist()
    distinct = names + [typo(n, rng) for n in names]
    np_rng = np.random.default_rng(7)
    places = np_rng.choice(np.array(distinct, dtype=object), size=rows)
    given = np_rng.random(rows) < 0.10
    lat = np.where(given, np_rng.uniform(10.5, 14.5, rows), np.nan)
    lon = np.where(given, np_rng.uniform(102.5, 107.5, rows), np.nan)
    frame = pd.DataFrame({
        "id": [f"r{i}" for i in range(rows)], "status": "ok", "type": "raid",
        "place": places, "latitude": lat, "longitude": lon,
    })
    return schema.conform(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cli", action="store_true", help="also time the geocode verb")
    args = parser.parse_args()
    rng = random.Random(42)

    reference.default().gazetteer  # noqa: B018 (builds the compiled cache if it is cold)
    start = time.perf_counter()
    gaz = reference.Reference().gazetteer
    print(f"gazetteer: {len(gaz.entries):,} entries, {len(gaz.names):,} exact keys, "
          f"loaded from the compiled cache in {time.perf_counter() - start:.2f} s")
    names = gaz.entries["name"].tolist()
    exact = [rng.choice(names) for _ in range(args.queries)]
    phrased = phrases(gaz, args.queries // 5, rng)
    fuzzy = [typo(rng.choice(names), rng) for _ in range(args.queries // 10)]
    for label, queries in (("exact names", exact), ("phrases with type words", phrased),
                           ("one typo each", fuzzy)):
        print(f"{label}: {lookups_per_second(gaz, queries):,.0f} lookups/s "
              f"(plain dict baseline {plain_per_second(gaz, queries):,.0f}/s; "
              f"{len(queries):,} queries)")
    if args.cli:
        cli_geocode(phrases(gaz, 100_000, rng))

    log = synthetic_log(gaz, args.rows, rng)
    distinct = log["place"].nunique()
    start = time.perf_counter()
    geocoded = geocode(log, gazetteer=gaz)
    middle = time.perf_counter()
    joined = join(geocoded)
    end = time.perf_counter()
    counts = joined["status"].value_counts().to_dict()
    print(f"geocode: {args.rows:,} rows ({distinct:,} distinct places) in {middle - start:.2f} s "
          f"= {args.rows / (middle - start):,.0f} rows/s")
    print(f"join:    {args.rows:,} rows in {end - middle:.2f} s "
          f"= {args.rows / (end - middle):,.0f} rows/s")
    print(f"geocode+join: {args.rows / (end - start):,.0f} rows/s; statuses {counts}")


def cli_geocode(strings: list[str]) -> None:
    """``incident-mapper geocode`` on a CSV of free-text place strings, as a user runs it."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "places.csv"
        pd.DataFrame({"place": strings}).to_csv(log, index=False)
        command = [str(Path(sys.executable).parent / "incident-mapper"), "geocode", str(log),
                   "--out", str(Path(tmp) / "placed.csv")]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - start
    print(f"incident-mapper geocode: {len(strings):,} free-text place strings in "
          f"{seconds:.1f} s = {len(strings) / seconds:,.0f} strings/s (whole command)")


if __name__ == "__main__":
    main()
