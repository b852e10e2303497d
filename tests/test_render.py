"""The layered map (mapper.render): what the HTML holds, and what a person sees in headless
Chromium, offline and online."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from mapper import map_page, render, schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.map_page import script_json
from mapper.render import MapOptions, build_map, map_html, write_map

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "outputs" / "test-screenshots"
# A 1x1 PNG, for a tiny MBTiles file.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PAYLOAD = (
    "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    "</script>'\"`${window.__pwned=3}`\\` javascript:window.__pwned=4 &amp; O'Smach"
    " {{ 7*7777 }} {% if %} {#"
)


@pytest.fixture(scope="module")
def sample(sample_joined) -> pd.DataFrame:
    return sample_joined


@pytest.fixture(scope="module")
def demo_map(demo_dir) -> Path:
    """The demo's map: the sample, offline (written once per test run, see conftest)."""
    return demo_dir / "map.html"


@pytest.fixture(scope="module")
def hostile_table(reference) -> pd.DataFrame:
    """Every text field holds the payload. Places still resolve (the last row's place is the
    payload, placed by its province column), and one row's type is the payload: types are
    an open vocabulary and become layer names and legend entries."""
    rows = []
    for i, (kind, place, province) in enumerate([
        ("raid", "Bavet", "Svay Rieng"), ("raid", "Kampot", "Kampot"),
        ("raid", "Cambodia", None), (PAYLOAD, "Poipet", None), ("raid", PAYLOAD, "Takeo"),
    ]):
        rows.append({
            "id": f"x{i}<b>", "date": pd.Timestamp("2026-01-17"), "date_precision": "day",
            "type": kind, "place": place, "province": province, "nationality": PAYLOAD,
            "actor": PAYLOAD, "notes": PAYLOAD, "source": PAYLOAD,
            "source_url": "javascript:window.__pwned=5", "status": "ok",
        })
    return join(geocode(schema.conform(pd.DataFrame(rows)), reference=reference), reference)


# -- the HTML --------------------------------------------------------------------------------------
def test_script_json_cannot_close_a_script_element():
    text = script_json({"a": "</script><!-- \u2028 & >"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_user_text_is_never_raw_markup_in_the_page(hostile_table, reference, embedded_assets):
    html = map_html(build_map(hostile_table, MapOptions(offline=True, title=PAYLOAD),
                              reference))
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "javascript:window.__pwned" in html  # kept as data...
    assert 'href="javascript:' not in html  # ...never as a link
    # ...nor as a template: folium reads what its elements write as one again, and
    # "{{ 7*7777 }}" showed as 54439 (any Python could have run); "{% if %}" broke the build.
    assert "54439" not in html
    data = json.loads(re.search(r'id="[^"]*_data">(.*?)</script>', html, re.S).group(1))
    assert PAYLOAD in data["rows"]["notes"]["v"] and PAYLOAD in [t["name"] for t in data["types"]]
    assert "&#123;&#123; 7*7777 &#125;&#125;" in html.split("<title>")[1].split("</title>")[0]


# That an offline map holds no remote resource: test_assets.py, test_page_has_no_remote_resource.
def test_online_map_offers_osm_and_carto_tiles(sample, reference, embedded_assets):
    html = map_html(build_map(sample, MapOptions(offline=False), reference))
    assert "tile.openstreetmap.org" in html and "basemaps.cartocdn.com" in html


def test_unknown_layer_or_tiles_are_refused(sample, reference):
    with pytest.raises(ValueError, match="layers"):
        build_map(sample, MapOptions(layers=("types", "volcanoes")), reference)
    with pytest.raises(ValueError, match="tiles"):
        build_map(sample, MapOptions(tiles="google"), reference)


def test_rows_without_a_type_are_drawn_under_their_own_legend_entry(sample, reference):
    """A place-only log, alone or beside a typed one, maps; its rows are not lost."""
    untyped = sample.head(3).assign(type=pd.NA, id=["u1", "u2", "u3"])
    html = map_html(build_map(pd.concat([sample, untyped], ignore_index=True),
                              MapOptions(offline=True), reference))
    assert '"not given"' in html


def test_write_map_replaces_the_file_only_when_complete(sample, reference, tmp_path,
                                                       monkeypatch, embedded_assets):
    path = tmp_path / "map.html"
    path.write_text("the previous map", encoding="utf-8")

    def half_then_crash(page, target):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(page[: len(page) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_page", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        write_map(sample, path, MapOptions(offline=True, title="new"), reference)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "the previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"], "no temporary file left"


def test_write_map_writes_the_page_map_html_gives(sample, reference, tmp_path,
                                                 embedded_assets):
    options = MapOptions(offline=True, title="Kâmpóng Cham — incidents")
    write_map(sample, tmp_path / "map.html", options, reference)
    page = map_html(build_map(sample, options, reference))
    assert (tmp_path / "map.html").read_bytes() == page.encode("utf-8")
    assert '<html lang="en">' in page and "user-scalable=no" not in page


def test_page_edits_change_the_first_html_tag_and_viewport_only(tmp_path):
    """As ``str.replace(..., 1)`` then ``re.sub(..., count=1)`` over the whole page, written
    between slices of its UTF-8 bytes."""
    viewport = "width=device-width,\n initial-scale=1.0, maximum-scale=1.0, user-scalable=no"
    page = (f'<!DOCTYPE html>\n<html>\n<head><title>Kâmpóng ស្វាយរៀង</title><meta content="'
            f'{viewport}"></head><body><p>&lt;html&gt; <html> {viewport}</p></body></html>')
    before = re.sub(r"width=device-width,\s*initial-scale=1\.0, maximum-scale=1\.0, "
                    r"user-scalable=no", "width=device-width, initial-scale=1.0",
                    page.replace("<html>", '<html lang="en">', 1), count=1)
    assert map_page.edited_page(page) == before
    map_page.write_page(page, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_bytes() == before.encode("utf-8")
    assert map_page.edited_page("no tags") == "no tags"


@pytest.mark.parametrize("ids", [
    ["b000123", "b000124", "x7", "b999999", "zz-0001", "x12"],
    ["r1", "r22", "r333", "q0004444"],
    [f"row-{i:07d}" for i in range(0, 3_000_000, 977)],
])
def test_numbered_ids_decode_to_the_ids(ids):
    """What the page's ``numberedIds`` rebuilds (prefix + number padded to the width)."""
    col = map_page.numbered_column(pd.Series(ids, dtype="string"))
    numbers = _typed(col["n"])
    rebuilt = [col["p"][c][0] + str(n).zfill(col["p"][c][1])
               for c, n in zip(_typed(col["c"]), numbers, strict=True)]
    assert rebuilt == ids


def test_numbered_ids_need_digits_at_the_end():
    assert map_page.numbered_column(pd.Series(["a1", "b"], dtype="string")) is None


def _typed(array: dict) -> list[int]:
    import numpy as np

    return np.frombuffer(base64.b64decode(array["b"]), dtype="<" + array["t"]).tolist()


# -- in the browser --------------------------------------------------------------------------------
def visible_ids(page) -> list[str]:
    return page.evaluate(
        """() => { const m = window.incidentMapper; return Object.keys(m.layers)
             .filter(id => m.map.hasLayer(m.layers[id])).sort(); }"""
    )


@pytest.mark.browser
def test_demo_map_opens_with_its_layers_and_loads_nothing(demo_map, open_page):
    run = open_page(demo_map)
    page = run.page
    control = page.inner_text(".leaflet-control-layers")
    for label in ("Deportation", "Disappearance", "Warning", "Escape", "Arrest", "Raid",
                  "Border checkpoints", "Compound hot spots", "Provinces: incidents"):
        assert label in control
    assert page.locator(".leaflet-marker-pane .im-badge").count() >= 3
    assert page.locator(".leaflet-control-layers-overlays label").count() >= 8
    assert page.locator(".im-legend").is_visible()
    for control in (".im-filter", ".im-search", ".leaflet-control-zoom",
                    ".leaflet-control-minimap", ".leaflet-control-scale"):
        assert page.locator(control).count() == 1, control
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demo-map.png"))
    # What might load lazily: popups, hidden layers, the heat map, the minimap, zooming in.
    page.locator(".leaflet-marker-pane .im-type-deportation").click()
    for name in ("Heat map", "District outlines", "Provinces: incidents per 100,000 people"):
        page.locator(".leaflet-control-layers-overlays label", has_text=name).locator(
            "input").check()
    page.locator(".leaflet-control-minimap-toggle-display").click()
    # Zoom in and wait for it to end. (The function must not return the map: setZoom
    # returns it, and Playwright would spend most of a minute serialising it.)
    zoom = page.evaluate(
        "() => new Promise(done => { const m = window.incidentMapper.map; "
        "m.once('zoomend', () => done(m.getZoom())); m.setZoom(10); })"
    )
    assert zoom == 10
    page.wait_for_timeout(300)
    assert run.requests == [], run.requests
    remote_images = page.evaluate(
        "() => Array.from(document.images).map(i => i.src)"
        ".filter(src => !/^(data|file|blob):/.test(src))"
    )
    assert remote_images == [], "every tile (minimap included) is drawn from the page itself"
    assert run.console_errors == [] and run.page_errors == []


@pytest.mark.browser
def test_unticking_a_type_hides_its_markers(demo_map, open_page):
    from playwright.sync_api import expect

    run = open_page(demo_map)
    page = run.page
    expect(page.locator(".leaflet-marker-pane .im-type-deportation")).to_have_count(1)
    # Leaflet may redraw its layer list while it handles the click, so the box is clicked
    # (not checked, which reads the box again) and the markers are awaited, not counted once.
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Deportation")
    shown = ("() => { const m = window.incidentMapper; "
             "return m.map.hasLayer(m.layers['seed-01']); }")
    label.locator("input").click()
    expect(page.locator(".leaflet-marker-pane .im-type-deportation")).to_have_count(0)
    page.wait_for_function(f"() => !({shown})()", timeout=10_000)
    assert "seed-01" not in visible_ids(page)
    label.locator("input").click()
    expect(page.locator(".leaflet-marker-pane .im-type-deportation")).to_have_count(1)
    page.wait_for_function(shown, timeout=10_000)
    assert "seed-01" in visible_ids(page)


@pytest.mark.browser
def test_meun_chey_marker_in_prey_veng_with_its_popup(demo_map, open_page, reference):
    page = open_page(demo_map).page
    lat, lng = page.evaluate(
        "() => { const p = window.incidentMapper.layers['seed-01'].getLatLng(); "
        "return [p.lat, p.lng]; }"
    )
    prey_veng = reference.layer("ADM1").set_index("adm1_code").geometry["KH-14"]
    assert prey_veng.contains(shapely.Point(lng, lat))
    page.locator(".leaflet-marker-pane .im-type-deportation").click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Meun Chey").first.wait_for()  # the popup opens after the click
    text = popup.inner_text()
    assert re.search(r"People:\s*42", text) and re.search(r"Women:\s*6", text)
    assert "Vietnamese" in text and "Meun Chey" in text
    link = popup.locator("a.im-source")
    assert link.get_attribute("href").startswith("https://lepetitjournal.com/")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"


@pytest.mark.browser
def test_province_level_item_is_shading_not_a_pin(demo_map, open_page):
    page = open_page(demo_map).page
    kind = page.evaluate(
        "() => { const l = window.incidentMapper.layers['seed-02']; "
        "return [typeof l.getLatLng, typeof l.getBounds]; }"
    )
    assert kind == ["undefined", "function"]
    assert page.locator("path.im-province-item").count() >= 1


@pytest.mark.browser
def test_approximate_marker_shows_its_district_outline_on_hover(demo_map, open_page):
    page = open_page(demo_map).page
    bokor = page.locator(".leaflet-marker-pane .im-type-disappearance.im-approx")
    assert bokor.count() == 1, "Bokor is a zone: an approximate marker"
    assert page.locator("path.im-hover-outline").count() == 0
    bokor.hover()
    assert page.locator("path.im-hover-outline").count() == 1
    page.mouse.move(5, 700)
    assert page.locator("path.im-hover-outline").count() == 0


@pytest.mark.browser
def test_national_items_are_in_the_panel(demo_map, open_page):
    page = open_page(demo_map).page
    page.click(".im-panel summary")  # folded at 1024 x 768, one line above the scale
    panel = page.inner_text(".im-panel")
    assert "Amnesty International" in panel
    assert "Hun Manet" in panel
    assert "Prince Group" in panel


@pytest.mark.browser
def test_date_filter_keeps_only_the_days_chosen(demo_map, open_page):
    page = open_page(demo_map).page
    assert page.inner_text(".im-shown") == "10 of 10 incidents shown"
    assert page.locator("label[for=im-date-from]").inner_text() == "From"
    legend = page.locator(".im-legend-scale .im-legend-tally")
    assert legend.all_inner_texts() == [" (19 provinces)", " (5 provinces)", " (1 province)"]
    page.fill(".im-date-from", "2026-01-17")
    page.fill(".im-date-to", "2026-01-18")
    page.dispatch_event(".im-date-to", "change")
    assert visible_ids(page) == ["seed-02", "seed-03", "seed-04"]
    hidden = page.evaluate(
        "() => Array.from(document.querySelectorAll('.im-panel .im-item'))"
        ".filter(n => n.style.display !== 'none').length"
    )
    assert hidden == 0, "national items of other days are hidden too"
    assert page.inner_text(".im-shown") == "3 of 10 incidents shown"
    # Siem Reap's one incident (19 January) is filtered out: its province shading follows.
    shade = ("() => { const l = window.incidentMapper.provinces.count['KH-17']; "
             "return [l.options.fillColor, l.getTooltip().getContent().textContent]; }")
    assert page.evaluate(shade) == ["#fff5eb", "Siem Reap: 0 incidents"]
    # The legend counts the provinces in each class under the filter: Svay Rieng (its
    # escape was on the 19th) drops to the "1" class, with Preah Sihanouk and Kampot.
    assert legend.all_inner_texts() == [" (22 provinces)", " (3 provinces)", " (0 provinces)"]
    page.click(".im-reset")
    assert page.evaluate(shade) == ["#fdd0a2", "Siem Reap: 1 incident"]
    assert len(visible_ids(page)) >= 6
    assert page.inner_text(".im-shown") == "10 of 10 incidents shown"


@pytest.mark.browser
def test_hostile_text_shows_as_text_and_runs_nothing(hostile_table, reference, tmp_path,
                                                     open_page, embedded_assets):
    path = write_map(hostile_table, tmp_path / "hostile.html",
                     MapOptions(title=PAYLOAD, offline=True), reference)
    run = open_page(path)
    page = run.page
    assert run.page_errors == []
    assert page.evaluate("() => window.__pwned") is None
    page.locator(".leaflet-marker-pane .im-badge").first.click()
    popup = page.inner_text(".leaflet-popup-content")
    assert "<script>window.__pwned=1</script>" in popup
    assert page.locator(".leaflet-popup-content a").count() == 0, "javascript: is no link"
    page.click(".im-panel summary")
    assert "<img src=x" in page.inner_text(".im-panel")
    assert "<script>" in page.inner_text(".im-title-bar")
    assert "<script>window.__pwned=1" in page.inner_text(".leaflet-control-layers")
    assert "<script>window.__pwned=1" in page.inner_text(".im-legend")
    page.fill(".im-search input", "Poipet")
    page.dispatch_event(".im-search input", "change")
    assert page.evaluate("() => window.__pwned") is None


@pytest.mark.browser
def test_online_map_still_renders_without_a_network(sample, reference, tmp_path, open_page,
                                                    embedded_assets):
    path = write_map(sample, tmp_path / "online.html", MapOptions(offline=False), reference)
    run = open_page(path)
    assert run.page_errors == []
    assert run.page.locator(".leaflet-marker-pane .im-badge").count() >= 3
    hosts = {url.split("/")[2] for url in run.requests}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert hosts and all(host.split(".", 1)[-1] in readme for host in hosts), hosts


@pytest.mark.browser
def test_mbtiles_are_embedded_and_shown_without_requests(sample, reference, tmp_path, open_page,
                                                         embedded_assets):
    tiles = tmp_path / "base.mbtiles"
    with sqlite3.connect(tiles) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, "
                   "tile_data BLOB)")
        db.execute("INSERT INTO metadata VALUES ('format', 'png')")
        # Zoom 7 covers Cambodia with x 99-103 and TMS rows 66-71.
        db.executemany("INSERT INTO tiles VALUES (7, ?, ?, ?)",
                       [(x, y, PIXEL) for x in range(99, 104) for y in range(66, 72)])
    path = write_map(sample, tmp_path / "tiles.html",
                     MapOptions(offline=True, local_tiles=tiles), reference)
    run = open_page(path)
    assert run.page.locator("img[src^='data:image/png']").count() >= 1
    assert run.requests == []


@pytest.mark.browser
def test_province_shading_is_counts_or_per_100k_and_the_legend_follows(demo_map, open_page):
    """Issue 15: two translucent shadings blend into colours no legend explains."""
    from playwright.sync_api import expect

    page = open_page(demo_map).page
    scale = page.locator(".im-legend-scale .im-heading")
    expect(scale).to_have_text(["Provinces (incidents)"])
    label = page.locator(".leaflet-control-layers-overlays label",
                         has_text="Provinces: incidents per 100,000 people")
    label.locator("input").click()
    expect(scale).to_have_text(["Provinces (incidents per 100,000)"])
    counts = page.locator(".leaflet-control-layers-overlays label",
                          has_text="Provinces: incidents").first.locator("input")
    expect(counts).not_to_be_checked()
    label.locator("input").click()  # neither: no scale left in the legend
    expect(scale).to_have_count(0)


@pytest.mark.browser
def test_clusters_wear_their_type_colour_not_the_plugin_palette(reference, tmp_path,
                                                               monkeypatch, open_page,
                                                               embedded_assets):
    """Issue 15: the plugin's green, yellow and orange clashed with the type colours."""
    from tests.report_support import synthetic_joined

    monkeypatch.setenv("INCIDENT_MAPPER_CLUSTER_THRESHOLD", "100")
    frame = synthetic_joined(2_000, reference=reference)
    frame = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(
        frame["lon"].astype(float), frame["lat"].astype(float)), crs="EPSG:4326")
    path = write_map(frame, tmp_path / "map.html", MapOptions(offline=True), reference)
    page = open_page(path).page
    clusters = page.locator(".im-cluster")
    assert clusters.count() > 5
    assert page.locator(".marker-cluster-small, .marker-cluster-medium, "
                        ".marker-cluster-large").count() == 0
    ring = clusters.first.evaluate("e => getComputedStyle(e).borderTopColor")
    assert ring not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "clusters-2000.png"))
    # Clusters are made in the browser from the rows shown: at the country's view they add
    # up to every located row, and a date range leaves only its own.
    located = frame[frame["status"].eq("ok") & frame["geo_precision"].le(2) & frame["lat"].notna()]
    assert page.evaluate(DRAWN_TOTAL) == len(located)
    page.fill(".im-date-from", "2025-03-01")
    page.fill(".im-date-to", "2025-03-31")
    page.dispatch_event(".im-date-to", "change")
    in_march = located["date"].between(pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))
    assert 0 < page.evaluate(DRAWN_TOTAL) == int(in_march.sum())
    zoom = page.evaluate("() => window.incidentMapper.map.getZoom()")
    page.locator(".leaflet-marker-icon:has(.im-cluster)").first.focus()
    page.keyboard.press("Enter")  # a cluster opens by zooming in, from the keyboard too
    page.wait_for_function(f"() => window.incidentMapper.map.getZoom() > {zoom}")


#: Incidents the markers and clusters in the map's view stand for.
DRAWN_TOTAL = """() => { let n = 0; window.incidentMapper.map.eachLayer(l => {
    if (l.imCluster !== undefined) n += l.imCount;
    else if (l.imRows && l.getLatLng) n += l.imRows.length; });
    return n; }"""


@pytest.mark.browser
def test_a_marker_has_a_name_and_opens_with_enter(demo_map, open_page):
    """Issue 15: a keyboard user reaches a marker by its name and opens it with Enter."""
    from playwright.sync_api import expect

    page = open_page(demo_map).page
    marker = page.locator(".leaflet-marker-pane .im-marker[title^='Deportation, ']")
    expect(marker).to_have_count(1)
    assert re.fullmatch(r"Deportation, Meun Chey.*, 2026-01-20, 42 people",
                        marker.get_attribute("title"))
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("42")


@pytest.mark.browser
def test_the_dates_chosen_live_in_the_address_so_a_view_can_be_shared(demo_map, open_page):
    page = open_page(demo_map).page
    page.fill(".im-date-from", "2026-01-17")
    page.fill(".im-date-to", "2026-01-18")
    page.dispatch_event(".im-date-to", "change")
    assert page.evaluate("() => location.hash") == "#from=2026-01-17&to=2026-01-18"
    page.goto(demo_map.resolve().as_uri() + "#from=2026-01-17&to=2026-01-18")
    page.reload()
    assert page.inner_text(".im-shown") == "3 of 10 incidents shown"
    assert page.input_value(".im-date-from") == "2026-01-17"
