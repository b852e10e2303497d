"""`summarize` at scale: the summary tables, and the whole verb (tables, CSV, XLSX, JSON,
Markdown, charts and report.html), beside plain pandas baselines run in the same process
on the same joined log (issue 16: at 1,000,000 rows, tables within 3x the plain baseline
and the whole verb within 20 s).

* plain baseline: the same tables as plain pandas group-bys, each written the obvious way:
  incidents per province and type, people, women and children summed and counted, the
  nationalities and places per province, first and last dates, the per-month tables (by
  line and type, and by province), the per-district table, the lines and the sorted list
  of rows not placed;
* one group-by: ``joined.groupby(["adm1_code", "type"]).size().unstack()``, the baseline of
  docs/PERFORMANCE.md's first table;
* plain writing: ``to_csv`` of every plain table, ``to_excel`` of the aggregates
  (openpyxl) and ``to_json``.

The joined log is bench/map.py's synthetic mix (geocoded and joined for real: a couple of
minutes at a million rows), kept in /tmp between runs. Times are medians of --repeat runs.

Run: python bench/summarise.py [--rows 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from mapper import reference  # noqa: E402
from mapper.privacy import Privacy, apply_privacy  # noqa: E402
from mapper.report import write_report  # noqa: E402
from mapper.summarise import summarise, write_tables  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "incident-mapper-bench"


def joined_log(rows: int) -> pd.DataFrame:
    """bench/map.py's synthetic log of ``rows`` rows, geocoded and joined (cached)."""
    path = CACHE / f"joined-{rows}.pkl"
    if path.exists():
        return pd.read_pickle(path)
    from map import synthetic

    joined = synthetic(rows)
    CACHE.mkdir(exist_ok=True)
    joined.to_pickle(path)
    return joined


def plain_tables(joined: pd.DataFrame) -> dict[str, pd.DataFrame | pd.Series]:
    """The summary's tables as plain pandas group-bys (period: month)."""
    ok = joined["status"].eq("ok").fillna(False)
    in_province = ok & joined["geo_precision"].le(3).fillna(False) & joined["adm1_code"].notna()
    line = pd.Series(np.where(in_province, "province", np.where(ok, "national",
                                                                 joined["status"])),
                     index=joined.index)
    placed = joined[in_province.to_numpy()]
    month = joined["date"].dt.to_period("M")
    counts = ["people", "women", "children"]
    by_province = placed.groupby("adm1_code")
    out = {
        "types": placed.groupby(["adm1_code", "type"]).size().unstack(fill_value=0),
        "people": by_province[counts].agg(["sum", "count", "size"]),
        "nationalities": placed.groupby(["adm1_code", "nationality"]).size(),
        "places": placed.groupby(["adm1_code", placed["geo_match"].fillna(placed["place"])])
        .size(),
        "dates": by_province["date"].agg(["min", "max"]),
        "lines": joined.groupby(line)["people"].agg(["size", "sum"]),
        "by_month": pd.crosstab(month, line),
        "by_month_type": placed.groupby([month[in_province], "type"]).size().unstack(
            fill_value=0),
        "by_month_people": placed.groupby(month[in_province])["people"].sum(),
        "by_month_province": placed.groupby([month[in_province], "adm1_code"])["people"].agg(
            ["size", "sum"]),
    }
    districts = placed.groupby(["adm1_code", placed["adm2_name"].fillna("(not known)")])
    out["districts"] = districts["type"].value_counts().unstack(fill_value=0)
    out["district_people"] = districts[counts].agg(["sum", "count"])
    out["district_dates"] = districts["date"].agg(["min", "max"])
    listed = joined.loc[~in_province.to_numpy(), ["id", "date", "type", "place", "people",
                                                  "message", "source"]]
    out["listed"] = listed.assign(line=line[~in_province]).sort_values(["line", "date", "id"])
    return out


def plain_write(tables: dict, folder: Path) -> None:
    """Every plain table to CSV, the aggregates to one workbook and to JSON."""
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv")
    aggregates = {k: v for k, v in tables.items() if k != "listed"}
    with pd.ExcelWriter(folder / "plain.xlsx", engine="openpyxl") as writer:
        for name, table in aggregates.items():
            table.to_frame().to_excel(writer, sheet_name=name) if isinstance(
                table, pd.Series) else table.to_excel(writer, sheet_name=name)
    for name, table in aggregates.items():
        table.reset_index().to_json(folder / f"{name}.json", orient="records",
                                    date_format="iso", default_handler=str)


def whole(joined: pd.DataFrame, folder: Path, ref) -> dict[str, float]:
    """What `summarize --period month` does once the log is read: privacy, the tables,
    every table file, the charts and report.html; seconds per step."""
    steps = {}
    start = time.perf_counter()
    shared = apply_privacy(joined, Privacy(), ref)
    summary = summarise(shared, period="month", reference=ref, privacy=Privacy())
    steps["tables"] = time.perf_counter() - start
    start = time.perf_counter()
    write_tables(summary, folder)
    steps["files"] = time.perf_counter() - start
    start = time.perf_counter()
    write_report(summary, folder, ref)
    steps["report"] = time.perf_counter() - start
    steps["whole"] = sum(steps.values())
    return steps


def _median(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _sizes(folder: Path) -> str:
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.name)
    return ", ".join(f"{p.name} {os.path.getsize(p) / 1e6:.2f} MB" for p in files
                     if p.suffix in (".csv", ".parquet", ".xlsx", ".json", ".md", ".html"))


def bench(rows: int, ref, repeat: int) -> None:
    """Print the tables' and the whole verb's times at ``rows`` rows beside the baselines."""
    joined = joined_log(rows)
    tables = _median(lambda: summarise(joined, period="month", reference=ref), repeat)
    plain = _median(lambda: plain_tables(joined), repeat)
    one = _median(lambda: joined.groupby(["adm1_code", "type"]).size().unstack(), repeat)
    print(f"{rows:,} rows: summary tables {tables:.2f} s; plain tables {plain:.2f} s "
          f"(x{tables / plain:.1f}); one group-by {one:.3f} s (x{tables / one:.0f})",
          flush=True)
    runs, plain_files = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(whole(joined, Path(tmp), ref))
            sizes = _sizes(Path(tmp))
        with tempfile.TemporaryDirectory() as tmp:
            made = plain_tables(joined)
            start = time.perf_counter()
            plain_write(made, Path(tmp))
            plain_files.append(time.perf_counter() - start)
    steps = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"{rows:,} rows: whole summarize {steps['whole']:.2f} s (tables "
          f"{steps['tables']:.2f}, files {steps['files']:.2f}, report {steps['report']:.2f}); "
          f"plain writing of the plain tables {statistics.median(plain_files):.2f} s\n"
          f"  {sizes}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ref = reference.default()
    with tempfile.TemporaryDirectory() as tmp:  # reference data and imports before timing
        whole(joined_log(args.rows[0]).head(2000), Path(tmp), ref)
    for rows in args.rows:
        bench(rows, ref, args.repeat)


if __name__ == "__main__":
    main()
