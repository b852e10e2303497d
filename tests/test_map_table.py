"""The map's table view (issue 15): the incidents the filter shows, as rows a person can read,
and each row leads to its incident on the map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / "outputs" / "test-screenshots"


@pytest.fixture(scope="module")
def demo_map(demo_dir) -> Path:
    """The demo's map: the sample, offline (written once per test run, see conftest)."""
    return demo_dir / "map.html"


def table_ids(page) -> list[str]:
    return page.eval_on_selector_all(".im-table tbody tr", "rows => rows.map(r => r.dataset.id)")


@pytest.mark.browser
def test_the_table_lists_the_incidents_shown_and_follows_the_date_filter(demo_map, open_page):
    from playwright.sync_api import expect

    run = open_page(demo_map)
    page = run.page
    summary = page.locator(".im-table > summary")
    expect(summary).to_have_text("Table (10 shown)")
    assert page.locator(".im-table tbody tr").count() == 0, "no rows are built while closed"
    summary.click()
    table = page.locator(".im-table table")
    expect(table.locator("caption")).to_contain_text("Incidents shown")
    assert table.locator("th[scope=col]").all_inner_texts() == [
        "Date", "Type", "Place", "Province", "People", "Source"]
    ids = table_ids(page)
    demo_ids = [f"seed-0{n}" for n in range(1, 8)] + ["ext-01", "ext-02", "ext-03"]
    assert sorted(ids) == sorted(demo_ids)
    dates = table.locator("tbody td:first-child").all_inner_texts()
    assert dates == sorted(dates), "by date"
    meun_chey = table.locator("tr[data-id=seed-01]").inner_text()
    for text in ("2026-01-20", "Deportation", "Meun Chey", "Prey Veng", "42", "Lepetitjournal"):
        assert text in meun_chey
    page.fill(".im-date-from", "2026-01-17")
    page.fill(".im-date-to", "2026-01-18")
    page.dispatch_event(".im-date-to", "change")
    expect(summary).to_have_text("Table (3 shown)")
    assert table_ids(page) == ["seed-02", "seed-03", "seed-04"], "in date order"
    assert page.locator(".im-table-more").inner_text() == ""
    assert run.console_errors == [] and run.page_errors == []


@pytest.mark.browser
def test_enter_on_a_row_shows_its_incident_on_the_map(demo_map, open_page):
    from playwright.sync_api import expect

    page = open_page(demo_map).page
    # The map's opening fit, and the minimap following it, end first: a move during them
    # leaves the minimap plugin out of step, and it swings the map back to the country.
    page.wait_for_timeout(700)
    page.click(".im-table > summary")
    date = page.locator(".im-table tr[data-id=seed-01] .im-table-go")
    date.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Meun Chey")
    assert re.search(r"People:\s*42", popup.inner_text())
    assert page.evaluate("() => window.incidentMapper.map.getZoom()") >= 11
    # The popup opens above the table, not under it.
    table_top = page.locator(".im-table-body").bounding_box()["y"]
    box = popup.bounding_box()
    assert box["y"] + box["height"] <= table_top
    page.wait_for_timeout(300)  # the popup fades in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "table-view.png"))
    # A province-level row (no pin): a click fits its province and names it.
    page.locator(".im-table tr[data-id=seed-02] td").nth(2).click()
    expect(popup.filter(has_text="Somewhere in Preah Sihanouk")).to_be_visible()
