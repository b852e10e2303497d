"""The map for keyboards and screen readers (issue 15): axe-core finds nothing serious or
critical, a skip link leads to the controls, and an incident marker is reached and opened
from the keyboard in a few presses."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# axe-core from the npm registry (`make axe`), injected into the page by the test only
AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_script() -> Path:
    assert AXE.is_file(), f"{AXE} is missing: run `make axe` (npm install of axe-core)"
    return AXE


def _violations(page, axe_script: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))""")


@pytest.mark.browser
def test_axe_finds_nothing_serious_on_the_demo_map(demo_dir, open_page, axe_script):
    page = open_page(demo_dir / "map.html").page
    serious = [v for v in _violations(page, axe_script) if v["impact"] in ("serious", "critical")]
    assert not serious
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: folded controls
    page.reload()
    page.wait_for_function("() => window.incidentMapper !== undefined")
    serious = [v for v in _violations(page, axe_script) if v["impact"] in ("serious", "critical")]
    assert not serious, "on a phone"


@pytest.mark.browser
def test_axe_finds_nothing_serious_with_a_province_panel_open(demo_dir, open_page, axe_script):
    page = open_page(demo_dir / "map.html").page
    page.evaluate("() => { window.incidentMapper.provinces.count['KH-20'].fire('click'); }")
    serious = [v for v in _violations(page, axe_script) if v["impact"] in ("serious", "critical")]
    assert not serious


@pytest.mark.browser
def test_the_keyboard_reaches_and_opens_a_marker_in_a_few_presses(demo_dir, open_page):
    page = open_page(demo_dir / "map.html").page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "im-skip"
    for _ in range(9):
        page.keyboard.press("Tab")
        if "im-marker" in page.evaluate("() => document.activeElement.className"):
            break
    else:
        pytest.fail("no incident marker within 9 Tab presses after the skip link")
    # a marker says what it is ("Deportation, Meun Chey ..., 42 people")
    assert page.evaluate("() => document.activeElement.getAttribute('title')")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()


@pytest.mark.browser
def test_the_skip_link_leads_to_the_date_controls(demo_dir, open_page):
    page = open_page(demo_dir / "map.html").page
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "im-date-from"


def test_the_page_has_a_title_a_language_and_lets_phones_zoom(demo_dir):
    text = (demo_dir / "map.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in text
    assert "<title>" in text
    assert "user-scalable=no" not in text
