"""Map size and speed: HTML size, build time, first frame and time to idle in headless
Chromium for 1k, 10k and 100k incidents (or any sizes, up to a million and beyond).

The synthetic log mixes what real logs hold: 70 % of rows name a place the gazetteer knows,
20 % carry their own coordinates, 10 % name only a province. Every row has a date, a type,
counts, a nationality, a source and a short note.

The build time is the median of three builds (``build_map`` and ``map_html``). First frame
and time to idle are medians of three page loads, from navigation start: to the first
animation frame after the incident script ran (the map and its markers are drawn in it), and
to the first idle callback after that. Main-thread blocking is measured with the Long Tasks
API while the page zooms in, zooms out, searches a place, fits the whole country, filters
and turns layers on.

A synthetic log is kept as a pickle in the temporary folder (a million rows take a minute to
geocode and join), so later runs start at once.

Run: python bench/map.py [--sizes 2000 50000 200000 1000000]   (Debian chromium at
/usr/bin/chromium; past 100,000 incidents the page is compact, see mapper/render.py)
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from mapper import reference, schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.render import MapOptions, build_map, map_html

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
TYPES = ["deportation", "raid", "rescue", "arrest", "escape", "disappearance", "warning"]


def synthetic(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gaz = reference.default().gazetteer
    kh = gaz.entries[(gaz.entries["country"] == "KH") & (gaz.entries["kind"] != "country")]
    places = rng.choice(kh["name"].to_numpy(dtype=object), rows)
    provinces = rng.choice(kh.loc[kh["kind"] == "province", "name"].to_numpy(dtype=object), rows)
    share = rng.random(rows)
    given = (share >= 0.7) & (share < 0.9)
    frame = pd.DataFrame({
        "id": [f"b{i:06d}" for i in range(rows)],
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 400, rows), "D"),
        "date_precision": "day",
        "type": rng.choice(TYPES, rows),
        "place": np.where(share < 0.7, places, np.where(given, "coordinates", None)),
        "province": np.where(share >= 0.9, provinces, None),
        "latitude": np.where(given, rng.uniform(10.6, 14.2, rows), np.nan),
        "longitude": np.where(given, rng.uniform(103.0, 107.0, rows), np.nan),
        "people": rng.integers(1, 60, rows), "women": rng.integers(0, 10, rows),
        "nationality": rng.choice(["Vietnamese", "Chinese", "Indonesian", "Thai"], rows),
        "source": rng.choice(["Khmer Times", "CamboJA News", "VOD English"], rows),
        "source_url": [f"https://example.org/report/{i % 5000}" for i in range(rows)],
        "notes": [f"Synthetic incident {i % 997} for the benchmark." for i in range(rows)],
        "status": "ok",
    })
    return join(geocode(schema.conform(frame), gazetteer=gaz))


def cached_synthetic(rows: int, seed: int = 1) -> pd.DataFrame:
    """:func:`synthetic`, read back from the temporary folder when an earlier run made it."""
    path = Path(tempfile.gettempdir()) / "incident-mapper-bench" / f"synthetic-{rows}-{seed}.pkl"
    if path.exists():
        return pd.read_pickle(path)
    frame = synthetic(rows, seed)
    path.parent.mkdir(exist_ok=True)
    frame.to_pickle(path)
    return frame


#: Notes, in each animation frame until the incident script has run, the time of the first
#: frame after it: the first one to show the map with its incidents.
FIRST_FRAME = """(function tick() {
  if (window.incidentMapper) { window.__firstFrame = performance.now(); return; }
  requestAnimationFrame(tick); })();"""


@contextlib.contextmanager
def loaded(path: Path):
    """A headless Chromium page with the map at ``path`` loaded (its incident script run)
    and nothing but ``file:`` reachable; yields the page and the seconds that took."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS,
                                    headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(FIRST_FRAME)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else r.abort())
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function("() => window.incidentMapper !== undefined", timeout=120_000)
        yield page, time.perf_counter() - start
        browser.close()


def first_frame_and_idle(path: Path) -> tuple[float, float]:
    """Seconds from navigation start to the map's first frame, and to the first idle moment
    after the incident script ran."""
    with loaded(path) as (page, _):
        page.wait_for_function("() => window.__firstFrame !== undefined", timeout=120_000)
        first, idle = page.evaluate("""() => new Promise(r => requestIdleCallback(
            () => r([window.__firstFrame, performance.now()]), {timeout: 60000}))""")
        return first / 1000, idle / 1000


def _tick(label: str) -> str:
    """A click on the layer list's box for ``label`` (it turns the layer on or off)."""
    return ("() => Array.from(document.querySelectorAll('.leaflet-control-layers-overlays "
            f"label')).find(l => l.textContent.trim() === '{label}').querySelector('input')"
            ".click()")


def _dates(start: str, end: str) -> str:
    return ("() => { const f = document.querySelector('.im-date-from'), "
            "t = document.querySelector('.im-date-to'); "
            f"f.value = '{start}'; t.value = '{end}'; t.dispatchEvent(new Event('change')); }}")


#: What the page is asked to do while its long tasks are counted (issue 15: each under 1 s),
#: in this order: the view, then the filter, then the heavy layers on.
ACTIONS = {
    "zoom in": "() => window.incidentMapper.map.zoomIn()",
    "zoom out": "() => window.incidentMapper.map.zoomOut()",
    "search": """() => { const i = document.querySelector('.im-search input');
        i.value = 'Poipet'; i.dispatchEvent(new Event('change')); }""",
    "fit to the country":
        "() => window.incidentMapper.map.fitBounds([[10.3, 102.3], [14.7, 107.7]])",
    "one month": _dates("2025-03-01", "2025-03-31"),
    "all dates": _dates("", ""),
    "a type off": _tick("Raid"),
    "districts on": _tick("District outlines"),
    "zoom in, districts on": "() => window.incidentMapper.map.zoomIn()",
    "heat map on": _tick("Heat map"),
    "zoom out, heat map on": "() => window.incidentMapper.map.zoomOut()",
}


def blocking(path: Path, actions: dict[str, str] = ACTIONS) -> dict[str, float]:
    """Milliseconds of main-thread blocking (the Long Tasks API: each task's time beyond
    50 ms) while the page carries out each of ``actions``, one after the other."""
    with loaded(path) as (page, _):
        page.evaluate("""() => { window.__long = [];
            new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(e)))
                .observe({type: 'longtask', buffered: true}); }""")
        idle = ("() => new Promise(r => setTimeout("
                "() => requestIdleCallback(() => r(), {timeout: 60000}), 300))")
        page.evaluate(idle)
        out = {}
        for name, action in actions.items():
            start = page.evaluate("() => performance.now()")
            page.evaluate(f"() => {{ ({action})(); }}")  # its result is not sent back
            page.evaluate(idle)
            out[name] = page.evaluate(f"""() => window.__long.filter(e => e.startTime >= {start})
                .reduce((sum, e) => sum + Math.max(0, e.duration - 50), 0)""")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"{'incidents':>10} {'markers':>8} {'HTML MB':>8} {'build s':>8} {'frame s':>8} "
          f"{'idle s':>7}  (markers: one per type and place, clustered above 1,500; frame: "
          "from navigation to the first frame with the map drawn; idle: to the first idle "
          "moment after it)")
    build_map(cached_synthetic(1_000), MapOptions(offline=True))  # imports and caches warm
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            joined = cached_synthetic(size)
            builds = []
            for _ in range(3):
                start = time.perf_counter()
                html = map_html(build_map(joined, MapOptions(offline=True)))
                builds.append(time.perf_counter() - start)
            build = statistics.median(builds)
            path = Path(tmp) / f"map-{size}.html"
            path.write_text(html, encoding="utf-8")
            del html  # a million rows: the browser wants the memory
            loads = [first_frame_and_idle(path) for _ in range(3)]
            frame = statistics.median(f for f, _ in loads)
            idle = statistics.median(i for _, i in loads)
            page = path.read_text(encoding="utf-8")
            print(f"{size:>10,} {_marker_count(page):>8,} {len(page.encode()) / 1e6:>8.2f} "
                  f"{build:>8.2f} {frame:>8.2f} {idle:>7.2f}")
            print("           main-thread blocking, ms: " + ", ".join(
                f"{name} {ms:,.0f}" for name, ms in blocking(path).items()))
            if size <= BASELINE_MAX:
                print(f"           plain baseline, folium FastMarkerCluster: {_baseline(joined)}")


#: The baseline writes every point as a JavaScript literal: past this size it takes minutes.
BASELINE_MAX = 200_000


def _baseline(joined: pd.DataFrame) -> str:
    """The plain way to show many points with folium: every located row in one
    FastMarkerCluster (Leaflet.markercluster), embedded, with no filter, panel or legend."""
    import folium
    from folium import plugins

    from mapper.assets import embed_assets

    start = time.perf_counter()
    fmap = folium.Map(location=[12.6, 104.9], zoom_start=7, tiles=None, maxZoom=18)
    points = joined[["lat", "lon"]].dropna().astype(float).to_numpy().tolist()
    plugins.FastMarkerCluster(points).add_to(fmap)
    fmap.get_root().html.add_child(folium.Element(
        "<script>window.addEventListener('load', () => { window.incidentMapper = "
        f"{{ map: {fmap.get_name()} }}; }});</script>"))
    embed_assets(fmap)
    html = fmap.get_root().render()
    build = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline.html"
        path.write_text(html, encoding="utf-8")
        _, idle = first_frame_and_idle(path)
        view = {k: ACTIONS[k] for k in ("zoom in", "zoom out", "fit to the country")}
        ms = blocking(path, view)
    return (f"HTML {len(html.encode()) / 1e6:.2f} MB, build {build:.2f} s, idle {idle:.2f} s; "
            "blocking, ms: " + ", ".join(f"{name} {v:,.0f}" for name, v in ms.items()))


def _marker_count(html: str) -> int:
    """Markers in the page: a list of them, or (a compact page) their count."""
    import json
    import re

    compact = re.search(r'"markers":\{"count":(\d+)', html)
    if compact:
        return int(compact.group(1))
    found = re.search(r'"markers":(\[.*?\]\]),"province_items"', html)
    return len(json.loads(found.group(1))) if found else 0


if __name__ == "__main__":
    main()
