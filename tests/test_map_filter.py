"""Issue 15: one filter state drives every layer of the map (types, facets, dates), lives in
the address, and opens panels for provinces and districts. Browser tests on the demo map."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_render import SCREENSHOTS

pytestmark = pytest.mark.browser

SHOWN = ".im-shown"
LEGEND_TALLY = ("() => Array.from(document.querySelectorAll('.im-legend-scale .im-legend-row'))"
                ".map(r => r.textContent)")
HEAT_POINTS = "() => window.incidentMapper.heat._latlngs.length"
TYPE_BOX = ".leaflet-control-layers-overlays label:has-text('Disappearance') input"


@pytest.fixture(scope="module")
def demo_map(demo_dir) -> Path:
    return demo_dir / "map.html"


def test_facets_and_types_filter_every_layer_and_the_address_keeps_them(demo_map, open_page):
    from playwright.sync_api import expect

    page = open_page(demo_map).page
    nationality = page.locator(".im-facet-nationality")
    assert "Chinese (2)" in nationality.locator("option").all_inner_texts()
    legend_before = page.evaluate(LEGEND_TALLY)
    heat_before = page.evaluate(HEAT_POINTS)

    nationality.select_option("Chinese")
    expect(page.locator(SHOWN)).to_have_text("2 of 10 incidents shown")
    # Siem Reap's one incident is not Chinese: its shading, the legend and the heat map follow.
    tooltip = ("() => window.incidentMapper.provinces.count['KH-17']"
               ".getTooltip().getContent().textContent")
    assert page.evaluate(tooltip) == "Siem Reap: 0 incidents"
    assert page.evaluate(LEGEND_TALLY) != legend_before
    assert page.evaluate(HEAT_POINTS) < heat_before
    national = page.evaluate("() => Array.from(document.querySelectorAll('.im-panel .im-item'))"
                             ".filter(n => n.style.display !== 'none').length")
    assert national == 0, "no national item is Chinese"

    page.locator(TYPE_BOX).uncheck()  # both Chinese rows are disappearances
    expect(page.locator(SHOWN)).to_have_text("0 of 10 incidents shown")
    assert page.evaluate("() => location.hash") == "#hide=disappearance&nationality=Chinese"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "filter-facets.png"))

    page.reload()  # a shared address restores the whole filter
    expect(page.locator(SHOWN)).to_have_text("0 of 10 incidents shown")
    assert page.locator(".im-facet-nationality").input_value() == "Chinese"
    assert not page.locator(TYPE_BOX).is_checked()

    page.click(".im-reset")
    expect(page.locator(SHOWN)).to_have_text("10 of 10 incidents shown")
    assert page.locator(TYPE_BOX).is_checked()
    assert page.locator(".im-facet-nationality").input_value() == ""
    assert page.evaluate("() => location.hash") in ("", "#")


def test_search_opens_a_province_and_a_click_opens_a_district(demo_map, open_page,
                                                              sample_joined):
    from playwright.sync_api import expect

    page = open_page(demo_map).page
    search = page.locator(".im-search input")
    search.fill("Siem Reap")
    search.press("Enter")
    panel = page.locator(".im-province-panel")
    expect(panel.locator(".im-heading").first).to_have_text("Siem Reap\u00d7")
    expect(panel.locator(".im-province-count")).to_have_text("1 incident shown")

    row = sample_joined.set_index("id").loc["ext-01"]
    page.locator(".leaflet-control-layers-overlays label:has-text('District outlines') input"
                 ).check()
    opened = page.evaluate("""([code, name]) => { let hit = null;
        window.incidentMapper.map.eachLayer(l => { const p = l.feature && l.feature.properties;
          if (p && p.district && p.adm1_code === code && p.name === name) hit = l; });
        if (hit) hit.fire('click'); return !!hit; }""", [row["adm1_code"], row["adm2_name"]])
    assert opened, "the district of ext-01 is drawn"
    expect(panel.locator(".im-heading").first).to_have_text(
        f"{row['adm2_name']} (Siem Reap)\u00d7")
    expect(panel.locator(".im-province-count")).to_have_text("1 incident shown")
    assert "Arrest: 1" in panel.inner_text()
