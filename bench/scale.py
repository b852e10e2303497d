"""Each stage at growing sizes beside a plain baseline measured in the same process, and the
whole chain through the CLI as a user runs it.

For N rows of a synthetic log (bench/map.py's mix: 70 % known place names, 20 % own
coordinates, 10 % province only), prints seconds, the ratio to the baseline and peak memory:

| stage | this project | plain baseline |
| --- | --- | --- |
| read + validate CSV | ``ingest.read_incidents`` | ``pandas.read_csv`` |
| read + validate XLSX (<= 100k) | ``ingest.read_incidents`` | ``read_excel``, calamine |
| geocode + join | ``geocode`` then ``join`` | dict lookup + ``geopandas.sjoin`` |
| write CSV | ``pipeline.write_table`` | ``DataFrame.to_csv`` |
| write GeoParquet | ``pipeline.write_table`` | ``GeoDataFrame.to_parquet`` |
| summary tables | ``summarise.summarise`` | the tables as plain groupbys (summarise.py) |
| summarize (all files) | ``pipeline.write_summary`` | the plain tables written to CSV |
| map build | ``render.write_map`` | folium ``FastMarkerCluster`` (N <= 200,000) |
| CLI ``run`` | ``incident-mapper run log.csv`` in a child process | the baselines' sum |

"peak MB" is the process's peak resident memory so far, except for the CLI row: the peak
of the child process alone (the memory a user's run needs). ``incident-mapper --help`` is
timed once at the start.

With ``--big``, 10,000,000 rows go through ``--engine dask`` (bench/dask_scale.py): they do
not fit one process's memory on this machine.

Run: python bench/scale.py [--sizes 10000 100000 1000000] [--big]
(needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mapper import reference
from mapper.geocode import geocode
from mapper.ingest import read_incidents
from mapper.join import join
from mapper.pipeline import write_summary, write_table
from mapper.render import MapOptions, write_map
from mapper.summarise import summarise

TYPES = ["deportation", "raid", "rescue", "arrest", "escape", "disappearance", "warning"]
XLSX_MAX = 100_000
FAST_MARKER_MAX = 200_000
CLI = Path(sys.executable).with_name("incident-mapper")


def synthetic_log(rows: int, ref, seed: int = 1) -> pd.DataFrame:
    """A raw log as a person keeps it (bench/map.py's mix), made without the project."""
    rng = np.random.default_rng(seed)
    gaz = ref.gazetteer.entries
    kh = gaz[(gaz["country"] == "KH") & (gaz["kind"] != "country")]
    places = rng.choice(kh["name"].to_numpy(dtype=object), rows)
    provinces = rng.choice(kh.loc[kh["kind"] == "province", "name"].to_numpy(dtype=object),
                           rows)
    share = rng.random(rows)
    given = (share >= 0.7) & (share < 0.9)
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 400, rows), "D")
    return pd.DataFrame({
        "id": [f"b{i:07d}" for i in range(rows)],
        "date": days.strftime("%Y-%m-%d"),
        "type": rng.choice(TYPES, rows),
        "place": np.where(share < 0.7, places, None),
        "province": np.where(share >= 0.9, provinces, None),
        "latitude": np.where(given, rng.uniform(10.6, 14.2, rows).round(5), np.nan),
        "longitude": np.where(given, rng.uniform(103.0, 107.0, rows).round(5), np.nan),
        "people": rng.integers(1, 60, rows), "women": rng.integers(0, 10, rows),
        "nationality": rng.choice(["Vietnamese", "Chinese", "Indonesian", "Thai"], rows),
        "source": rng.choice(["Khmer Times", "CamboJA News", "VOD English"], rows),
        "source_url": [f"https://example.org/report/{i % 5000}" for i in range(rows)],
        "notes": [f"Synthetic incident {i % 997} for the benchmark." for i in range(rows)],
    })


def _timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline_geocode(raw: pd.DataFrame, ref) -> gpd.GeoDataFrame:
    """A dict from each gazetteer name to its point, then a spatial join to provinces."""
    gaz = ref.gazetteer.entries
    points = dict(zip(gaz["name"], zip(gaz["lon"], gaz["lat"], strict=True), strict=True))
    found = raw["place"].map(points)
    xs = [p[0] if isinstance(p, tuple) else None for p in found]
    ys = [p[1] if isinstance(p, tuple) else None for p in found]
    frame = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326")
    return gpd.sjoin(frame, ref.layer("ADM1")[["adm1_code", "geometry"]], how="left")


def _plain_tables(joined: pd.DataFrame):
    """The summary tables as plain groupbys (bench/summarise.py), or one groupby."""
    try:
        from summarise import plain_tables
    except ImportError:
        return joined.groupby(["adm1_code", "type"]).size().unstack()
    return plain_tables(joined)


def _fast_marker_cluster(joined: pd.DataFrame, path: Path) -> None:
    """The plain folium way: every located point in one FastMarkerCluster."""
    import folium
    from folium import plugins

    fmap = folium.Map(location=[12.6, 104.9], zoom_start=7, tiles=None)
    plugins.FastMarkerCluster(joined[["lat", "lon"]].dropna().astype(float)
                              .to_numpy().tolist()).add_to(fmap)
    fmap.save(str(path))


#: Runs the command given as its arguments and prints the peak memory of that child alone.
#: The wrapper is needed: a child forked from this process starts with its memory high-water
#: mark (Linux keeps it across exec), so it would report this process's peak.
_PEAK_OF_CHILD = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
                  "stdout=subprocess.DEVNULL); "
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def cli_run(log: Path, out: Path) -> tuple[float, float]:
    """Seconds and the child's peak MB of ``incident-mapper run`` on ``log``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_OF_CHILD, str(CLI), "--quiet", "run",
                           str(log), "--out", str(out)], env=os.environ, check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def measure(rows: int, ref, folder: Path) -> list[tuple[str, float, float | None, float]]:
    """(stage, this project's seconds, baseline seconds, peak MB) at ``rows`` rows."""
    log = folder / f"log{rows}.csv"
    synthetic_log(rows, ref).to_csv(log, index=False)
    out = _in_process(rows, log, ref, folder)  # its tables are freed before the CLI runs
    seconds, peak = cli_run(log, folder / "run")
    base = sum(b for name, _, b, _ in out if b and name != "read + validate XLSX")
    out.append(("CLI run (child process)", seconds, base, peak))
    print(_line(rows, *out[-1]), flush=True)
    shutil.rmtree(folder / "run", ignore_errors=True)
    return out


def _in_process(rows: int, log: Path, ref, folder: Path) -> list:
    """Each stage in this process beside its baseline, printed as it ends."""
    out: list[tuple[str, float, float | None, float]] = []

    def stage(name, ours, base):
        ours_s, result = _timed(ours)
        base_s = _timed(base)[0] if base else None
        out.append((name, ours_s, base_s, _peak_mb()))
        print(_line(rows, *out[-1]), flush=True)
        return result

    incidents = stage("read + validate CSV", lambda: read_incidents([log]),
                      lambda: pd.read_csv(log))
    if rows <= XLSX_MAX:
        book = folder / f"log{rows}.xlsx"
        pd.read_csv(log).to_excel(book, index=False)
        stage("read + validate XLSX", lambda: read_incidents([book]),
              lambda: pd.read_excel(book, engine="calamine"))
    raw = pd.read_csv(log)
    joined = stage("geocode + join", lambda: join(geocode(incidents, reference=ref), ref),
                   lambda: _baseline_geocode(raw, ref))
    stage("write CSV", lambda: write_table(joined, folder / "out.csv"),
          lambda: raw.to_csv(folder / "plain.csv", index=False))
    stage("write GeoParquet", lambda: write_table(joined, folder / "out.parquet"),
          lambda: gpd.GeoDataFrame(joined).to_parquet(folder / "plain.parquet"))
    stage("summary tables", lambda: summarise(joined, period="month", reference=ref),
          lambda: _plain_tables(joined))
    stage("summarize (all files)",
          lambda: write_summary(joined, folder / "summary", period="month", reference=ref),
          lambda: [t.to_csv(folder / f"plain{i}.csv") for i, t in
                   enumerate(_as_list(_plain_tables(joined)))])
    stage("map build", lambda: write_map(joined, folder / "map.html", MapOptions(), ref),
          (lambda: _fast_marker_cluster(joined, folder / "plain.html"))
          if rows <= FAST_MARKER_MAX else None)
    return out


def _as_list(tables) -> list[pd.DataFrame]:
    return list(tables.values()) if isinstance(tables, dict) else [tables]


def _line(rows: int, stage: str, ours: float, base: float | None, peak: float) -> str:
    ratio = f"{ours / base:>6.1f}" if base else f"{'-':>6}"
    shown = f"{base:>10.2f}" if base is not None else f"{'-':>10}"
    return f"{rows:>10,}  {stage:<28} {ours:>9.2f} {shown} {ratio} {peak:>8.0f}"


def _help_seconds() -> float:
    return _timed(lambda: subprocess.run([str(CLI), "--help"], check=True,
                                         capture_output=True))[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--big", action="store_true",
                        help="also 10,000,000 rows with --engine dask (bench/dask_scale.py)")
    args = parser.parse_args(argv)
    ref = reference.default()
    ref.gazetteer  # noqa: B018  (load before timing)
    print(f"incident-mapper --help: {sorted(_help_seconds() for _ in range(3))[1]:.2f} s "
          "(median of 3)")
    print(f"{'rows':>10}  {'stage':<28} {'project s':>9} {'baseline s':>10} {'ratio':>6}"
          f" {'peak MB':>8}")
    for rows in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            measure(rows, ref, Path(tmp))
    if args.big:
        subprocess.run([sys.executable, str(Path(__file__).with_name("dask_scale.py")),
                        "--big"], check=True)


if __name__ == "__main__":
    main()
