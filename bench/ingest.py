"""Ingest speed (issue 16): read + validate beside pandas reading the same file, in one process.

For the synthetic log of bench/map.py (the geocoded table written as CSV: 39 columns, ids
given), prints, for CSV at 10k, 100k and 1M rows and XLSX at 100k rows, the median of three
runs of ``read_incidents`` and of the plain baseline, measured side by side (each baseline
run right before the project's), and their ratio:

| input | this project | plain baseline | issue 16 asks |
| --- | --- | --- | --- |
| CSV | ``ingest.read_incidents`` | ``pandas.read_csv(path)`` | at most 5x at 1M rows |
| XLSX | ``ingest.read_incidents`` | ``pandas.read_excel(path, engine="calamine")`` | 1.5x |

The logs are made once and kept in ``--dir`` (a few minutes for the 1M log: geocoding and
writing a workbook take time; making them needs the reference data, as bench/map.py does).
``--module`` times another copy of the ingest package, e.g. an older one put on
``PYTHONPATH`` under another name, to compare before and after.
"peak MB" is the peak resident memory of a fresh process that imports the package and reads
the file once (measured apart: in this process the baseline's memory would count too; Linux).

Run: python bench/ingest.py [--sizes 10000 100000 1000000] [--xlsx 100000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))


def logs(folder: Path, sizes: list[int], xlsx: int) -> dict[str, Path]:
    """The CSV logs (the largest made once, the others its first rows) and the workbook."""
    folder.mkdir(parents=True, exist_ok=True)
    largest = max([*sizes, xlsx])
    paths = {f"csv {n:,}": folder / f"log{n}.csv" for n in sizes}
    source = folder / f"log{largest}.csv"
    if not source.exists():
        from map import synthetic  # bench/map.py: geocoded rows (needs the reference data)

        print(f"making {source} ...", flush=True)
        synthetic(largest).to_csv(source, index=False)
    for n in {*sizes, *([xlsx] if xlsx else [])}:
        path = folder / f"log{n}.csv"
        if not path.exists():
            pd.read_csv(source, nrows=n, dtype=str, keep_default_na=False).to_csv(path,
                                                                                  index=False)
    if xlsx:
        book = folder / f"log{xlsx}.xlsx"
        if not book.exists():
            print(f"making {book} ...", flush=True)
            pd.read_csv(folder / f"log{xlsx}.csv").to_excel(book, index=False, engine="openpyxl")
        paths[f"xlsx {xlsx:,}"] = book
    return paths


def timed(run) -> float:
    gc.collect()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    del result
    return seconds


def measure(path: Path, read_incidents, repeat: int) -> tuple[float, float]:
    """Medians of ``repeat`` runs: (baseline, project), each baseline right before."""
    if path.suffix == ".csv":
        def baseline():
            return pd.read_csv(path)
    else:
        def baseline():
            return pd.read_excel(path, engine="calamine")
    base, ours = [], []
    for _ in range(repeat):
        base.append(timed(baseline))
        ours.append(timed(lambda: read_incidents(path)))
    return statistics.median(base), statistics.median(ours)


PEAK = """
import sys
from importlib import import_module
import_module(sys.argv[1]).read_incidents(sys.argv[2])
with open("/proc/self/status") as status:  # VmHWM: this process's peak since it started
    print(next(line.split()[1] for line in status if line.startswith("VmHWM")))
"""


def peak_mb(module: str, path: Path) -> float:
    """The peak resident memory (MB) of a process reading ``path`` with ``module``."""
    found = subprocess.run([sys.executable, "-c", PEAK, module, str(path)], check=True,
                           capture_output=True, text=True)
    return float(found.stdout.split()[-1]) / 1024  # kB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--xlsx", type=int, default=100_000, help="rows of the workbook (0: none)")
    parser.add_argument("--dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "incident-mapper-bench-ingest")
    parser.add_argument("--module", default="mapper.ingest", help="the ingest package to time")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    read_incidents = importlib.import_module(args.module).read_incidents
    paths = logs(args.dir, args.sizes, args.xlsx)
    print(f"{args.module}, medians of {args.repeat}")
    print("| input | rows | project s | baseline s | ratio | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, path in paths.items():
        base, ours = measure(path, read_incidents, args.repeat)
        peak = peak_mb(args.module, path)
        kind, rows = name.split(" ")
        print(f"| {kind} | {rows} | {ours:.2f} | {base:.2f} | {ours / base:.1f}x | {peak:,.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
