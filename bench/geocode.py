"""Geocoding speed: gazetteer lookups per second (exact and fuzzy, 100k queries each), and
rows per second for geocode + join on a 1M-row log.

Run: python bench/geocode.py [--rows 1000000]   (needs INCIDENT_MAPPER_GEODATA or the cache)
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
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(42)

    start = time.perf_counter()
    gaz = reference.default().gazetteer
    print(f"gazetteer: {len(gaz.entries):,} entries, {len(gaz.names):,} names, "
          f"built in {time.perf_counter() - start:.2f} s")
    names = gaz.entries["name"].tolist()
    exact = [rng.choice(names) for _ in range(args.queries)]
    fuzzy = [typo(rng.choice(names), rng) for _ in range(args.queries)]
    print(f"exact lookups: {lookups_per_second(gaz, exact):,.0f} names/s "
          f"({args.queries:,} queries)")
    print(f"fuzzy lookups: {lookups_per_second(gaz, fuzzy):,.0f} names/s "
          f"({args.queries:,} queries with one typo each)")

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


if __name__ == "__main__":
    main()
