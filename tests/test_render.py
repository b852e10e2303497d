"""The layered map: what the HTML holds, and what a person sees in headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import shapely

from mapper import boundaries, pipeline, schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.render import MapOptions, build_map, map_html, script_json, write_map

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "outputs" / "test-screenshots"
PAYLOAD = (
    "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    "</script>'\"`${window.__pwned=3}`\\` javascript:window.__pwned=4 &amp; O'Smach"
)


@pytest.fixture(scope="module")
def sample(geodata_dir) -> pd.DataFrame:
    return pipeline.locate([pipeline.SAMPLE])


@pytest.fixture(scope="module")
def demo_map(sample, tmp_path_factory, embedded_assets) -> Path:
    path = tmp_path_factory.mktemp("map") / "map.html"
    return write_map(sample, path, MapOptions(title="Demo", offline=True))


def hostile_table() -> pd.DataFrame:
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
    return join(geocode(schema.conform(pd.DataFrame(rows))))


# -- the HTML --------------------------------------------------------------------------------------
def test_script_json_cannot_close_a_script_element():
    text = script_json({"a": "</script><!-- \u2028 & >"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_user_text_is_never_raw_markup_in_the_page(embedded_assets):
    html = map_html(build_map(hostile_table(), MapOptions(offline=True)))
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "javascript:window.__pwned" in html  # kept as data...
    assert 'href="javascript:' not in html  # ...never as a link


def test_offline_map_has_no_tile_layer_and_no_remote_script(sample, embedded_assets):
    html = map_html(build_map(sample, MapOptions(offline=True)))
    assert "tile.openstreetmap.org" not in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)


def test_online_map_offers_osm_and_carto_tiles(sample, embedded_assets):
    html = map_html(build_map(sample, MapOptions(offline=False)))
    assert "tile.openstreetmap.org" in html and "basemaps.cartocdn.com" in html


def test_unknown_layer_or_tiles_are_refused(sample):
    with pytest.raises(ValueError, match="layers"):
        build_map(sample, MapOptions(layers=("types", "volcanoes")))
    with pytest.raises(ValueError, match="tiles"):
        build_map(sample, MapOptions(tiles="google"))


# -- in the browser --------------------------------------------------------------------------------
def visible_ids(page) -> list[str]:
    return page.evaluate(
        """() => { const m = window.incidentMapper; return Object.keys(m.layers)
             .filter(id => m.map.hasLayer(m.layers[id])).sort(); }"""
    )


@pytest.mark.browser
def test_demo_map_opens_with_layers_and_no_errors(demo_map, open_page):
    run = open_page(demo_map)
    assert run.console_errors == [] and run.page_errors == []
    assert run.requests == []
    control = run.page.inner_text(".leaflet-control-layers")
    for label in ("Deportation", "Disappearance", "Warning", "Escape", "Arrest", "Raid",
                  "Border checkpoints", "Compound hot spots", "Provinces: incidents"):
        assert label in control
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    run.page.screenshot(path=str(SCREENSHOTS / "demo-map.png"))


@pytest.mark.browser
def test_unticking_a_type_hides_its_markers(demo_map, open_page):
    run = open_page(demo_map)
    page = run.page
    assert page.locator(".leaflet-marker-pane .im-type-deportation").count() == 1
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Deportation")
    label.locator("input").uncheck()
    assert page.locator(".leaflet-marker-pane .im-type-deportation").count() == 0
    assert "seed-01" not in visible_ids(page)
    label.locator("input").check()
    assert "seed-01" in visible_ids(page)


@pytest.mark.browser
def test_meun_chey_marker_in_prey_veng_with_its_popup(demo_map, open_page, geodata_dir):
    page = open_page(demo_map).page
    lat, lng = page.evaluate(
        "() => { const p = window.incidentMapper.layers['seed-01'].getLatLng(); "
        "return [p.lat, p.lng]; }"
    )
    prey_veng = boundaries.load_layer("ADM1").set_index("adm1_code").geometry["KH-14"]
    assert prey_veng.contains(shapely.Point(lng, lat))
    page.locator(".leaflet-marker-pane .im-type-deportation").click()
    popup = page.locator(".leaflet-popup-content")
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


def test_offline_can_be_the_default(sample, monkeypatch, embedded_assets):
    monkeypatch.setenv("INCIDENT_MAPPER_OFFLINE", "1")
    assert "tile.openstreetmap.org" not in map_html(build_map(sample))
    monkeypatch.setenv("INCIDENT_MAPPER_OFFLINE", "0")
    assert "tile.openstreetmap.org" in map_html(build_map(sample))


@pytest.mark.browser
def test_national_items_are_in_the_panel(demo_map, open_page):
    panel = open_page(demo_map).page.inner_text(".im-panel")
    assert "Amnesty International" in panel
    assert "Hun Manet" in panel
    assert "Prince Group" in panel


@pytest.mark.browser
def test_date_filter_keeps_only_the_days_chosen(demo_map, open_page):
    page = open_page(demo_map).page
    page.fill(".im-date-from", "2026-01-17")
    page.fill(".im-date-to", "2026-01-18")
    page.dispatch_event(".im-date-to", "change")
    assert visible_ids(page) == ["seed-02", "seed-03", "seed-04"]
    hidden = page.evaluate(
        "() => Array.from(document.querySelectorAll('.im-panel .im-item'))"
        ".filter(n => n.style.display !== 'none').length"
    )
    assert hidden == 0, "national items of other days are hidden too"
    page.click(".im-reset")
    assert len(visible_ids(page)) >= 6


@pytest.mark.browser
def test_hostile_text_shows_as_text_and_runs_nothing(tmp_path, open_page, embedded_assets):
    path = write_map(hostile_table(), tmp_path / "hostile.html",
                     MapOptions(title=PAYLOAD, offline=True))
    run = open_page(path)
    page = run.page
    assert run.page_errors == []
    assert page.evaluate("() => window.__pwned") is None
    page.locator(".leaflet-marker-pane .im-badge").first.click()
    popup = page.inner_text(".leaflet-popup-content")
    assert "<script>window.__pwned=1</script>" in popup
    assert page.locator(".leaflet-popup-content a").count() == 0, "javascript: is no link"
    assert "<img src=x" in page.inner_text(".im-panel")
    assert "<script>" in page.inner_text(".im-title-bar")
    assert "<script>window.__pwned=1" in page.inner_text(".leaflet-control-layers")
    assert "<script>window.__pwned=1" in page.inner_text(".im-legend")
    page.fill(".im-search input", "Poipet")
    page.dispatch_event(".im-search input", "change")
    assert page.evaluate("() => window.__pwned") is None
