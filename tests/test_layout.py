"""The map on a phone and on a wide screen (issue 15): on a phone the controls start folded and
a marker can be tapped and read; folded, the controls cover little of a wide screen."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / "outputs" / "test-screenshots"


@pytest.fixture
def sized_page(browser):
    contexts = []

    def _open(path: Path, width: int, height: int, phone: bool = False):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      is_mobile=phone, has_touch=phone)
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                   else r.abort())
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.browser
def test_on_a_phone_the_controls_fold_and_a_marker_can_be_tapped(demo_dir, sized_page):
    page = sized_page(demo_dir / "map.html", 390, 844, phone=True)
    assert not page.evaluate("() => document.querySelector('.im-filter').open")
    assert not page.evaluate("() => document.querySelector('.im-legend').open")
    layers = page.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in (layers.get_attribute("class") or "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-390x844.png"))
    page.locator(".leaflet-marker-pane .im-type-deportation").tap()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Meun Chey").first.wait_for()
    page.wait_for_timeout(400)  # the map pans the popup clear of the controls
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # readable: on the screen
    search = page.locator(".im-search").bounding_box()
    assert box["y"] >= search["y"] + search["height"]  # and below the controls
    page.screenshot(path=str(SCREENSHOTS / "phone-popup.png"))
    page.locator(".leaflet-control-layers-toggle").tap()  # the layer list opens on a tap
    assert "leaflet-control-layers-expanded" in layers.get_attribute("class")


@pytest.mark.browser
def test_folded_controls_cover_under_a_quarter_of_a_wide_screen(demo_dir, sized_page):
    page = sized_page(demo_dir / "map.html", 1440, 900)
    for summary in page.query_selector_all("details[open] > summary"):
        summary.click()
    assert page.locator("details[open]").count() == 0
    covered = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.leaflet-control, .im-title-bar'))
        .map(n => n.getBoundingClientRect())
        .reduce((sum, r) => sum + r.width * r.height, 0)""")
    assert covered / (1440 * 900) < 0.25
    page.screenshot(path=str(SCREENSHOTS / "wide-1440x900-folded.png"))


@pytest.mark.browser
def test_a_button_brings_back_the_whole_country(demo_dir, sized_page):
    page = sized_page(demo_dir / "map.html", 1024, 768)
    start = page.evaluate("() => window.incidentMapper.map.getZoom()")
    page.evaluate("() => { window.incidentMapper.map.setView([11.07, 106.16], 12); }")
    page.get_by_role("button", name="Show the whole country").click()
    page.wait_for_function(f"() => window.incidentMapper.map.getZoom() === {start}")
