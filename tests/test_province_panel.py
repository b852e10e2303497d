"""The province panel (issue 15): a click on a shaded province lists what the date filter
shows there: counts by type, people, a monthly trend, the incidents, and the rows placed only
somewhere in the province apart."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / "outputs" / "test-screenshots"


def _click_province(page, code: str) -> None:
    # in braces: fire() returns the layer, which Playwright would copy out, map and all
    page.evaluate(f"() => {{ window.incidentMapper.provinces.count['{code}'].fire('click'); }}")


@pytest.mark.browser
def test_a_province_click_opens_its_panel_with_the_filtered_counts(demo_dir, open_page):
    run = open_page(demo_dir / "map.html")
    page = run.page
    panel = page.locator(".im-province-panel")
    assert not panel.is_visible()
    _click_province(page, "KH-20")  # Svay Rieng: a warning (the 18th) and an escape (the 19th)
    assert panel.is_visible()
    assert panel.locator(".im-heading").first.inner_text().startswith("Svay Rieng")
    assert panel.locator(".im-province-count").inner_text() == "2 incidents shown"
    facts = panel.locator(".im-province-facts").inner_text()
    assert "Warning: 1" in facts and "Escape: 1" in facts
    assert "People: 1 (not given in 1)" in facts
    assert panel.locator("svg.im-trend").get_attribute("aria-label") == (
        "Incidents per month: 2026-01: 2")
    # the warning was placed only at the province: listed apart
    assert "Somewhere in the province (1)" in panel.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "province-panel.png"))
    page.fill(".im-date-from", "2026-01-19")
    page.dispatch_event(".im-date-from", "change")
    page.wait_for_function("() => document.querySelector('.im-province-count').textContent"
                           " === '1 incident shown'")
    assert "Somewhere in the province" not in panel.inner_text()
    panel.locator(".im-close").click()
    assert not panel.is_visible()
    assert not run.page_errors and not run.console_errors


@pytest.mark.browser
def test_a_source_link_in_a_panel_reads_as_text(demo_dir, open_page):
    """Leaflet draws links inside a .leaflet-bar as 30 px buttons; the national panel's source
    links ran over the next incident."""
    page = open_page(demo_dir / "map.html").page
    page.click(".im-panel summary")
    link = page.locator(".im-panel a.im-source").first
    box = link.bounding_box()
    assert box["width"] > 60 and box["height"] < 24
