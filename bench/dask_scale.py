"""``--engine dask`` at scale: rows, seconds and peak memory of the client and of each worker
for a partitioned Parquet log of 1,000,000 rows (with ``--big``, 10,000,000 too).

The log is written file by file (one file of ``--file-rows`` rows at a time, never the whole
log in memory), with what real logs hold: 88 % of rows name a place of the gazetteer (3 % of
these a name it finds ambiguous), 8 % give their own coordinates (GPS near a place; one in
twenty anywhere around the country, some across the border), 2 % name only a province, 1 % a
name nobody knows, 1 % no place at all; dates to the day, some only to the
month or the year, a few undated; counts, nationalities, sources, notes; a few rows that
break a rule (an unknown type, a negative count, a latitude without a longitude).

The run goes on a ``LocalCluster`` of 2 worker processes with 1 thread each (this machine's
2 cores); peak memory is each process's peak resident set (``ru_maxrss``).

Run: python bench/dask_scale.py [--rows 1000000] [--big] [--file-rows N] [--no-tables]
[--keep FOLDER]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mapper import reference, schema
from mapper.geocode import geocode

TYPES = ["deportation", "raid", "rescue", "arrest", "escape", "disappearance", "warning",
         "Raid", "Police raid", "xyz"]
TYPE_SHARE = [0.18, 0.2, 0.14, 0.2, 0.1, 0.05, 0.1, 0.02, 0.009, 0.001]
#: Kinds of gazetteer entries a log names: mostly unique names, communes sometimes shared.
PLACE_KINDS = ("province", "district", "city", "commune", "site", "landmark", "border_post",
               "zone")
NATIONALITIES = ["Vietnamese", "Chinese", "Indonesian", "Thai", "Chinese, Vietnamese",
                 "Filipino and Malaysian", None]
SOURCES = ["Khmer Times", "CamboJA News", "VOD English", "Radio Free Asia", None]


def place_names() -> tuple[np.ndarray, ...]:
    """Names a synthetic log uses: (places the gazetteer places, places it finds ambiguous,
    province names, points of places as [[lat, lon]...])."""
    ref = reference.default()
    entries = ref.gazetteer.entries
    kh = entries[entries["country"].eq("KH") & entries["kind"].isin(PLACE_KINDS)]
    names = np.sort(kh["name"].dropna().unique().astype(object))
    found = geocode(schema.conform(pd.DataFrame({"place": names, "status": "ok"})),
                    reference=ref)["status"].to_numpy(dtype=object)
    provinces = np.sort(kh.loc[kh["kind"].eq("province"), "name"].unique().astype(object))
    points = kh[["lat", "lon"]].dropna().to_numpy(dtype=float)
    return names[found == "ok"], names[found == "ambiguous"], provinces, points


def synthetic_piece(rows: int, start: int, seed: int, names) -> pd.DataFrame:
    """``rows`` rows of a log, ids from ``start`` (one row in ten has none: it gets a content
    id); every column drawn at once (no row loop)."""
    rng = np.random.default_rng([seed, start])
    places, ambiguous, provinces, points = names
    share = rng.random(rows)
    given = (share >= 0.88) & (share < 0.96)
    lat, lon = _coordinates(rng, rows, points)
    return pd.DataFrame({
        "id": pd.Series(np.arange(start, start + rows)).map("s{:09d}".format)
                .where(np.arange(start, start + rows) % 10 != 7),
        "date": _dates(rng, rows),
        "type": rng.choice(TYPES, rows, p=TYPE_SHARE),
        "place": _places(rng, share, places, ambiguous),
        "province": np.where((share >= 0.96) & (share < 0.98),
                             rng.choice(provinces, rows), None),
        "latitude": np.where(given, lat, np.nan),
        "longitude": np.where(given | (share < 0.0005), lon, np.nan),
        "people": _counts(rng, rows, 60, missing=0.1, negative=0.0005),
        "women": _counts(rng, rows, 10, missing=0.5),
        "children": _counts(rng, rows, 10, missing=0.7),
        "nationality": rng.choice(np.array(NATIONALITIES, dtype=object), rows),
        "source": rng.choice(np.array(SOURCES, dtype=object), rows),
        "notes": pd.Series(rng.integers(0, 997, rows)).map("Synthetic incident {}.".format),
        "sensitive": rng.random(rows) < 0.02,
        "kind": rng.choice(np.array([None, "total", "background"], dtype=object), rows,
                           p=[0.97, 0.01, 0.02]),
    })


def _dates(rng, rows: int) -> pd.Series:
    """Text dates as a log gives them: mostly days, some months or years, a few blank."""
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, rows), "D")
    text = pd.Series(days.strftime("%Y-%m-%d"), dtype=object)
    precision = rng.random(rows)
    text[precision < 0.04] = text[precision < 0.04].str[:7]
    text[precision < 0.01] = text[precision < 0.01].str[:4]
    text[precision > 0.995] = None
    return text


def _places(rng, share: np.ndarray, places: np.ndarray, ambiguous: np.ndarray) -> np.ndarray:
    named = np.where(rng.random(len(share)) < 0.03, rng.choice(ambiguous, len(share)),
                     rng.choice(places, len(share)))
    unknown = pd.Series(rng.integers(0, 500, len(share))).map("Nowhere {}".format).to_numpy()
    out = np.where(share < 0.88, named, None)
    return np.where((share >= 0.98) & (share < 0.99), unknown, out)


def _coordinates(rng, rows: int, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GPS readings within a kilometre or so of a known place; one in twenty anywhere in
    the box around Cambodia (some of those abroad or at sea)."""
    near = points[rng.integers(0, len(points), rows)] + rng.normal(0, 0.01, (rows, 2))
    anywhere = rng.random(rows) < 0.05
    lat = np.where(anywhere, rng.uniform(10.3, 14.8, rows), near[:, 0])
    lon = np.where(anywhere, rng.uniform(102.2, 107.8, rows), near[:, 1])
    return lat, lon


def _counts(rng, rows: int, high: int, missing: float, negative: float = 0.0) -> pd.Series:
    values = pd.Series(rng.integers(0, high, rows), dtype="Int64")
    draw = rng.random(rows)
    values[draw < negative] = -1
    return values.mask(draw > 1 - missing)


def write_dataset(folder: Path, rows: int, *, file_rows: int = 250_000, seed: int = 1,
                  names=None) -> Path:
    """Write a synthetic log of ``rows`` rows as ``folder/part-NNNNN.parquet`` files of at
    most ``file_rows`` rows (one row group each); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = names if names is not None else place_names()
    for number, start in enumerate(range(0, rows, file_rows)):
        piece = synthetic_piece(min(file_rows, rows - start), start, seed, names)
        table = pa.Table.from_pandas(piece, preserve_index=False)
        pq.write_table(table, folder / f"part-{number:05d}.parquet", row_group_size=file_rows)
    return folder


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(rows: int, folder: Path, file_rows: int = 250_000, tables: bool = True) -> dict:
    """Write the log, run it on a 2-worker LocalCluster; seconds and peak memory."""
    from distributed import Client

    from mapper.engine_dask import local_cluster, run_dask

    start = time.perf_counter()
    # In a child process: this process's peak memory is then the run's alone.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.apply(write_dataset, (folder / "log", rows), {"file_rows": file_rows})
    written_s = time.perf_counter() - start
    with local_cluster(2) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        result = run_dask(folder / "log", folder / "out", client=client, period="month",
                          by="district", write_summary=tables)
        run_s = time.perf_counter() - start
        # Each worker's own peak (resource's struct pickles; a function of this file would
        # not import on the workers).
        peaks = client.run(resource.getrusage, resource.RUSAGE_SELF)
    workers = [usage.ru_maxrss / 1024 for usage in peaks.values()]
    return {"rows": result.rows, "write_s": written_s, "run_s": run_s,
            "client_mb": _peak_mb(), "worker_mb": sorted(workers),
            "by_status": result.by_status, "phases": result.seconds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--big", action="store_true", help="add 10,000,000 rows")
    parser.add_argument("--file-rows", type=int, default=250_000,
                        help="rows per file of the log (one row group each)")
    parser.add_argument("--keep", type=Path, help="write the logs and outputs here")
    parser.add_argument("--no-tables", action="store_true",
                        help="do not write out/summary/ (the run's own peak memory)")
    args = parser.parse_args(argv)
    sizes = [*args.rows, *([10_000_000] if args.big else [])]
    print(f"{'rows':>12} {'write log s':>11} {'run s':>8} {'client MB':>9} "
          f"{'worker MB':>14}  by status", flush=True)
    for rows in sizes:
        folder = Path(tempfile.mkdtemp(dir=args.keep)) if args.keep else Path(tempfile.mkdtemp())
        try:
            m = measure(rows, folder, args.file_rows, tables=not args.no_tables)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        workers = " / ".join(f"{mb:.0f}" for mb in m["worker_mb"])
        statuses = ", ".join(f"{n:,} {s}" for s, n in m["by_status"].items() if n)
        print(f"{m['rows']:>12,} {m['write_s']:>11.1f} {m['run_s']:>8.1f} "
              f"{m['client_mb']:>9.0f} {workers:>14}  {statuses}", flush=True)
        print("             " + "; ".join(f"{k} {v:.1f} s" for k, v in m["phases"].items()),
              flush=True)


if __name__ == "__main__":
    main()
