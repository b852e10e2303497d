"""The printable report: escaping, self-containment, pictures, and print in Chromium."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mapper import report
from mapper import summarise as sm
from mapper.pipeline import write_summary


@pytest.fixture(scope="module")
def joined(reference):
    from mapper.pipeline import SAMPLE, locate

    return locate([SAMPLE], reference=reference)


def _hostile():
    return pd.DataFrame({
        "id": ["<script>alert(1)</script>", "x2"],
        "status": ["unresolved", "ok"],
        "geo_precision": pd.array([None, 3], dtype="Int64"),
        "adm1_code": [None, "KH-20"],
        "type": ["raid", "raid"],
        "date": pd.to_datetime(["2026-01-02", "2026-01-03"]),
        "date_precision": ["day", "day"],
        "place": ['<img src=x onerror="alert(2)">', "Bavet"],
        "nationality": [None, "<b>Thai</b>"],
        "message": ["no place & <i>none</i>", None],
        "source": ["<a href='http://evil.example'>s</a>", "ok"],
    })


def test_report_escapes_user_text():
    summary = sm.summarise(_hostile())
    page = report.report_html(summary, {"choropleth": b"", "types": b"", "trend": b""},
                              title="<Title & co>")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Thai" in page and "<b>Thai" not in page
    assert "&lt;Title &amp; co&gt;" in page
    assert "http://evil.example" not in re.findall(r'(?:src|href)="([^"]*)"', page)


def test_report_is_self_contained(joined, tmp_path, reference):
    summary = sm.summarise(joined, period="month")
    paths = report.write_report(summary, tmp_path, reference)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs and all(r.startswith("data:") for r in refs)
    assert page.count("data:image/png;base64,") == 3
    assert "geoBoundaries (Runfola et al. 2020)" in page
    assert "OpenStreetMap contributors, ODbL" in page
    assert [p.name for p in paths] == ["choropleth.png", "report.html"]


def test_choropleth_is_a_png_of_the_25_provinces(joined, reference):
    import io

    from matplotlib import image

    summary = sm.summarise(joined)
    png = report.choropleth_png(summary, reference.layer("ADM1"))
    pixels = image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[0] > 500 and pixels.shape[1] > 700
    assert len(reference.layer("ADM1")) == 25
    assert png == report.choropleth_png(summary, reference.layer("ADM1"))  # stable bytes
    assert b"Software" not in png[:4096]


def test_charts_without_incidents_still_draw():
    frame = _hostile().iloc[:1]
    summary = sm.summarise(frame)
    assert report.type_chart_png(summary).startswith(b"\x89PNG")
    assert report.trend_chart_png(summary).startswith(b"\x89PNG")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.browser
def test_report_renders_and_prints_in_three_pages(joined, tmp_path, reference, open_page):
    write_summary(joined, tmp_path, reference=reference)
    run = open_page(tmp_path / "report.html")
    assert run.console_errors == [] and run.page_errors == []
    assert run.requests == []
    page = run.page
    assert page.locator("table").first.locator("tbody tr").count() == 25
    widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
    assert len(widths) == 3 and all(w > 0 for w in widths)
    pdf = page.pdf(format="A4", print_background=True)
    assert 1 <= _pdf_pages(pdf) <= 3


@pytest.mark.parametrize(("first", "last", "unit"), [
    ("2026-01-05", "2026-03-30", "month"), ("2024-01-01", "2026-12-31", "month"),
    ("2020-01-01", "2026-12-31", "quarter"), ("1970-01-01", "2026-01-20", "year")])
def test_the_trend_chart_keeps_to_a_few_dozen_bars(first, last, unit):
    """One mistyped year must not turn the chart into hundreds of unreadable bars."""
    from mapper.report import _chart_period

    assert _chart_period(pd.to_datetime(pd.Series([first, last])))[0] == unit
