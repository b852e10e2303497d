"""Each stage at growing sizes beside a plain baseline measured in the same process.

For N rows of a synthetic log (bench/map.py's mix: 70 % known place names, 20 % own
coordinates, 10 % province only), prints seconds and peak memory growth of:

| stage | this project | plain baseline |
| --- | --- | --- |
| read + validate CSV | ``ingest.read_incidents`` | ``pandas.read_csv`` |
| geocode + join | ``geocode`` then ``join`` | dict lookup + ``geopandas.sjoin`` |
| write CSV | ``pipeline.write_table`` | ``DataFrame.to_csv`` |
| summary tables | ``summarise.summarise`` | ``groupby`` of province x type |
| whole ``run`` | ``pipeline.run_all`` | (the sum of the baselines) |

Run: python bench/scale.py [--sizes 10000 100000] [--big]   (--big adds 1,000,000)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from map import synthetic

from mapper import reference
from mapper.geocode import geocode
from mapper.ingest import read_incidents
from mapper.join import join
from mapper.pipeline import RunOptions, run_all, write_table
from mapper.summarise import summarise


def _timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline_geocode(raw: pd.DataFrame, ref) -> pd.DataFrame:
    """A dict from each gazetteer name to its point, then a spatial join to provinces."""
    gaz = ref.gazetteer.entries
    points = dict(zip(gaz["name"], zip(gaz["lon"], gaz["lat"], strict=True), strict=True))
    found = raw["place"].map(points)
    xs = [p[0] if isinstance(p, tuple) else None for p in found]
    ys = [p[1] if isinstance(p, tuple) else None for p in found]
    frame = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326")
    return gpd.sjoin(frame, ref.layer("ADM1")[["adm1_code", "geometry"]], how="left")


def measure(rows: int, ref, folder: Path) -> list[tuple[str, float, float]]:
    """(stage, this project's seconds, baseline seconds) at ``rows`` rows."""
    log = folder / f"log{rows}.csv"
    synthetic(rows).to_csv(log, index=False)
    read_s, incidents = _timed(lambda: read_incidents([log]))
    base_read_s, raw = _timed(lambda: pd.read_csv(log))
    geo_s, joined = _timed(lambda: join(geocode(incidents, reference=ref), ref))
    base_geo_s, _ = _timed(lambda: _baseline_geocode(raw, ref))
    write_s, _ = _timed(lambda: write_table(joined, folder / "out.csv"))
    base_write_s, _ = _timed(lambda: raw.to_csv(folder / "plain.csv", index=False))
    sum_s, _ = _timed(lambda: summarise(joined, period="month", reference=ref))
    base_sum_s, _ = _timed(lambda: raw.groupby(["province", "type"]).size().unstack())
    run_s, _ = _timed(lambda: run_all([log], folder / "run", RunOptions(period="month"),
                                      reference=ref))
    base_total = base_read_s + base_geo_s + base_write_s + base_sum_s
    return [("read + validate CSV", read_s, base_read_s), ("geocode + join", geo_s, base_geo_s),
            ("write CSV", write_s, base_write_s), ("summary tables", sum_s, base_sum_s),
            ("whole run (map, report...)", run_s, base_total)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--big", action="store_true", help="add 1,000,000 rows")
    args = parser.parse_args(argv)
    sizes = [*args.sizes, *([1_000_000] if args.big else [])]
    ref = reference.default()
    ref.gazetteer  # noqa: B018  (load before timing)
    print(f"{'rows':>10}  {'stage':<28} {'project s':>9} {'baseline s':>10} {'ratio':>6}"
          f" {'peak MB':>8}")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            for stage, ours, base in measure(rows, ref, Path(tmp)):
                print(f"{rows:>10,}  {stage:<28} {ours:>9.2f} {base:>10.2f} "
                      f"{ours / base if base else float('nan'):>6.1f} {_peak_mb():>8.0f}",
                      flush=True)


if __name__ == "__main__":
    main()
