"""Flows: deportations and extraditions drawn from where they happened to the country people
were taken to (issue 15: the seed's 42 people through Meun Chey to Viet Nam is the first)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapper.flows import flow_lines

SCREENSHOTS = Path(__file__).resolve().parent.parent / "outputs" / "test-screenshots"


def test_the_seed_deportation_flows_from_meun_chey_to_viet_nam(sample_joined, reference):
    shown = sample_joined.reset_index(drop=True)
    flows = flow_lines(shown, reference)
    seed = shown.index[shown["id"].eq("seed-01")][0]
    first = next(f for f in flows if seed in f["rows"])
    assert first["type"] == "deportation" and first["country"] == "Vietnam"
    assert first["from"] == pytest.approx([11.6009, 105.8013], abs=1e-3)  # the checkpoint
    lat, lon = first["to"]
    assert 8.5 < lat < 23.5 and 102 < lon < 110  # somewhere in Viet Nam


def test_a_given_destination_wins_and_cambodia_is_no_destination(sample_joined, reference):
    shown = sample_joined.reset_index(drop=True).copy()
    seed = shown.index[shown["id"].eq("seed-01")][0]
    shown.loc[seed, "destination"] = "TH"
    assert {f["country"] for f in flow_lines(shown, reference) if seed in f["rows"]} == {
        "Thailand"}
    shown.loc[seed, "destination"] = "KH"
    assert not [f for f in flow_lines(shown, reference) if seed in f["rows"]]


def test_rows_that_take_no_one_across_make_no_flow(sample_joined, reference):
    shown = sample_joined.reset_index(drop=True).copy()
    shown["type"] = pd.array(["raid"] * len(shown), dtype="string")
    assert flow_lines(shown, reference) == []


@pytest.mark.browser
def test_the_flow_layer_shows_the_seed_arc_and_follows_the_dates(demo_dir, open_page):
    run = open_page(demo_dir / "map.html")
    page = run.page
    toggle = page.locator(".leaflet-control-layers-overlays label",
                          has_text="Flows: people taken across a border")
    assert toggle.locator("input").is_checked()
    arc = page.locator("path.im-flow")
    assert arc.count() == 1
    # the middle of the curve, not of its box (which a bowed line does not pass through)
    x, y = page.evaluate("""() => { const p = document.querySelector('path.im-flow');
        const pt = p.getPointAtLength(p.getTotalLength() / 2).matrixTransform(p.getScreenCTM());
        return [pt.x, pt.y]; }""")
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip", has_text="Deportation to Vietnam")
    tooltip.wait_for()
    assert "1 incident, 42 people" in tooltip.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "flows.png"))
    page.fill(".im-date-from", "2026-02-01")  # after the seed deportation
    page.dispatch_event(".im-date-from", "change")
    page.wait_for_function("() => document.querySelectorAll('path.im-flow').length === 0")
    assert not run.page_errors and not run.console_errors


def test_dropping_nationality_drops_the_destination_read_from_it(sample_joined, reference):
    from mapper.privacy import Privacy, apply_privacy

    shown = sample_joined.reset_index(drop=True).copy()
    shown["destination"] = pd.array(["TH"] * len(shown), dtype="string")
    private = apply_privacy(shown, Privacy(drop=("nationality",)), reference)
    assert private["destination"].isna().all()
