"""The map page's "Download shown rows (CSV)": the rows the date filter shows, escaped as the
project's CSV writers escape (text a spreadsheet would run as a formula starts with a quote)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from mapper.render import MapOptions, write_map


@pytest.fixture(scope="module")
def hostile_map(sample_joined, reference, tmp_path_factory):
    joined = sample_joined.copy()
    first = joined.index[joined["id"].eq("seed-01")][0]
    joined.loc[first, "notes"] = '=HYPERLINK("http://x"), "quoted", and a comma'
    joined.loc[first, "source"] = "@SUM(A1)"
    path = tmp_path_factory.mktemp("map") / "map.html"
    write_map(joined, path, MapOptions(offline=True), reference=reference)
    return path


def _download(page) -> list[dict]:
    with page.expect_download() as info:
        page.click(".im-download")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.browser
def test_the_shown_rows_download_as_safe_csv(hostile_map, open_page, sample_joined):
    run = open_page(hostile_map)
    page = run.page
    rows = _download(page)
    assert len(rows) == 10  # every row of the sample is drawn somewhere
    seed = next(r for r in rows if r["id"] == "seed-01")
    assert seed["notes"] == "'" + '=HYPERLINK("http://x"), "quoted", and a comma'
    assert seed["source"] == "'@SUM(A1)"
    assert seed["type"] == "deportation" and seed["province"] == "Prey Veng"
    assert seed["people"] == "42"
    page.fill(".im-date-from", "2026-01-19")
    page.dispatch_event(".im-date-from", "change")
    shown = _download(page)
    dates = pd.to_datetime(sample_joined["date"])
    expected = set(sample_joined.loc[dates.ge("2026-01-19").fillna(False).to_numpy(), "id"])
    assert {r["id"] for r in shown} == expected
    assert not run.page_errors and not run.console_errors
