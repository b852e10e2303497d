"""The timeline under the date boxes (issue 15): incidents per week as bars, a range over the
weeks that drives the filter, and playback that steps the range to the end."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / "outputs" / "test-screenshots"


def _set_range(page, which: str, value: int) -> None:
    page.evaluate(f"""() => {{ const r = document.querySelector('.im-period-{which}');
        r.value = {value}; r.dispatchEvent(new Event('input')); }}""")


@pytest.mark.browser
def test_the_timeline_counts_weeks_and_its_range_filters(demo_dir, open_page):
    run = open_page(demo_dir / "map.html")
    page = run.page
    chart = page.locator(".im-timeline svg")
    # the sample runs from 1 to 20 January 2026: four weeks from Monday 29 December; the
    # rows dated only "2026-01" count on the 1st
    assert chart.get_attribute("aria-label") == (
        "Incidents per week: 2025-12-29: 3, 2026-01-05: 0, 2026-01-12: 5, 2026-01-19: 2")
    _set_range(page, "from", 2)
    _set_range(page, "to", 2)  # the week of 12 to 18 January
    assert page.input_value(".im-date-from") == "2026-01-12"
    assert page.input_value(".im-date-to") == "2026-01-18"
    assert page.locator(".im-shown").inner_text() == "5 of 10 incidents shown"
    assert page.evaluate("() => location.hash") == "#from=2026-01-12&to=2026-01-18"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "timeline.png"))
    page.click(".im-play")  # a one-week window, from this week to the last
    page.wait_for_function("() => document.querySelector('.im-play').textContent === 'Play'",
                           timeout=10_000)
    assert page.input_value(".im-date-from") == "2026-01-19"
    assert page.locator(".im-shown").inner_text() == "2 of 10 incidents shown"
    assert not run.page_errors and not run.console_errors


@pytest.mark.browser
def test_a_shared_address_sets_the_timeline_range(demo_dir, open_page):
    page = open_page(demo_dir / "map.html").page
    page.goto((demo_dir / "map.html").resolve().as_uri() + "#from=2026-01-12&to=2026-01-18")
    page.reload()  # a new address that differs only after "#" does not load the page again
    assert page.evaluate("() => document.querySelector('.im-period-from').value") == "2"
    assert page.evaluate("() => document.querySelector('.im-period-to').value") == "2"
