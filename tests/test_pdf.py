"""The PDF report (mapper/pdf.py): Khmer glyphs in an embedded font, nothing fetched but
``data:`` URIs, one plain line when WeasyPrint is missing, and the current report drawn.

WeasyPrint is in the test extra, so these tests run everywhere and are never skipped.
"""

from __future__ import annotations

import importlib.abc
import logging
import socket
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from mapper.errors import IncidentMapperError
from mapper.report import ReportOptions, pdf

KHMER = "ខេត្តស្វាយរៀង"
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
A4 = (595.28, 841.89)


def _page(body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}</head>'
            f'<body style="font-family: \'DejaVu Sans\', sans-serif">{body}</body></html>')


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Each font the PDF's pages use (``/BaseFont``), and whether its file is embedded."""
    fonts = {}
    for page in PdfReader(path).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            descriptors = [p["/FontDescriptor"].get_object() for p in parts
                           if "/FontDescriptor" in p]
            fonts[str(font["/BaseFont"])] = any(
                key in d for d in descriptors for key in ("/FontFile", "/FontFile2",
                                                          "/FontFile3"))
    return fonts


def test_khmer_is_drawn_in_an_embedded_khmer_font(tmp_path: Path) -> None:
    html = _page(f"<h1>Svay Rieng {KHMER}</h1><p>Latin text beside Khmer: {KHMER}.</p>")
    out = pdf.write_pdf(html, tmp_path / "khmer.pdf")
    fonts = embedded_fonts(out)
    assert any("Khmer" in name and embedded for name, embedded in fonts.items()), fonts
    assert all(fonts.values()), fonts  # every font embedded (as a subset), Latin's too
    reader = PdfReader(out)
    assert pdf.page_count(out) == 1
    assert tuple(round(float(v), 2) for v in reader.pages[0].mediabox[2:]) == A4
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
    again = pdf.write_pdf(html, tmp_path / "again.pdf")
    assert again.read_bytes() == out.read_bytes()  # same HTML, same bytes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_only_data_uris_are_loaded(tmp_path, monkeypatch, caplog) -> None:
    """Links to the web and to local files are refused by the fetcher itself: no socket is
    opened, no file read, and the PDF is still written, with one warning naming them."""
    import weasyprint.urls

    def no_network(*args, **kwargs):
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    reached, fetchers = [], []
    parent_fetch = weasyprint.urls.URLFetcher.fetch
    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch",
                        lambda self, url, headers=None: reached.append(url)
                        or parent_fetch(self, url, headers))
    make = pdf.data_only_fetcher
    monkeypatch.setattr(pdf, "data_only_fetcher",
                        lambda module: fetchers.append(make(module)) or fetchers[-1])
    links = ["http://example.invalid/x.png", "file:///etc/passwd",
             "http://example.invalid/style.css", "file:///etc/hostname"]
    html = _page(f'<p>{KHMER}</p><img src="{links[0]}"><img src="{links[1]}">'
                 f'<img src="{PIXEL}">',
                 f'<link rel="stylesheet" href="{links[2]}">'
                 f'<style>@import url("{links[3]}");</style>')
    with caplog.at_level(logging.WARNING):
        out = pdf.write_pdf(html, tmp_path / "links.pdf")
    assert pdf.page_count(out) == 1
    assert sorted(fetchers[0].refused) == sorted(links)
    assert reached and all(url.startswith("data:") for url in reached)  # the pixel only
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in warnings] == ["mapper.report.pdf"]  # WeasyPrint's own are silenced
    assert all(link in warnings[0].getMessage() for link in links)
    assert "/XObject" in PdfReader(out).pages[0]["/Resources"]  # the data: image is drawn


class _Refuse(importlib.abc.MetaPathFinder):
    """Import weasyprint as a machine without it (ImportError) or without Pango (OSError)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise self.error
        return None


@pytest.mark.parametrize("error", [
    ModuleNotFoundError("No module named 'weasyprint'"),
    OSError("cannot load library 'libgobject-2.0-0': libgobject-2.0-0: cannot open shared "
            "object file\nAdditionally, ctypes.util.find_library() did not manage to locate "
            "a library called 'libgobject-2.0-0'"),
], ids=["not-installed", "no-pango"])
def test_missing_weasyprint_is_one_plain_line(tmp_path, monkeypatch, error) -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_Refuse(error), *sys.meta_path])
    with pytest.raises(pdf.PdfError):
        pdf.check_weasyprint()
    with pytest.raises(pdf.PdfError):  # summarize --pdf says so before reading the log
        ReportOptions(pdf=True)
    with pytest.raises(pdf.PdfError) as caught:
        pdf.write_pdf(_page("<p>x</p>"), tmp_path / "report.pdf")
    message = str(caught.value)
    assert isinstance(caught.value, IncidentMapperError)
    assert "\n" not in message
    assert message.startswith("--pdf needs WeasyPrint: pip install 'incident-mapper[pdf]' "
                              "and the Debian packages ")
    assert "fonts-khmeros" in message and "libpango-1.0-0" in message
    assert list(tmp_path.iterdir()) == []


def test_the_sample_report_becomes_a_pdf(tmp_path, sample_joined, reference) -> None:
    """The current report.html of the sample, as `summarize` writes it, drawn as A4 pages."""
    from mapper.pipeline import write_summary

    write_summary(sample_joined, tmp_path, reference=reference)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    out = pdf.write_pdf(html, tmp_path / "report.pdf")
    assert pdf.page_count(out) >= 1
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4


def test_synthetic_log_has_the_columns_of_locate(sample_joined, reference) -> None:
    """tests/report_support.py makes what locate makes (less the geometry), hostile text
    and Khmer included, so report tests and bench/report.py measure the real thing."""
    from report_support import HOSTILE, synthetic_joined

    made = synthetic_joined(2000, unplaced=500, reference=reference)
    real = pd.DataFrame(sample_joined).drop(columns="geometry")
    assert list(made.columns) == list(real.columns)
    assert made.dtypes.astype(str).to_dict() == real.dtypes.astype(str).to_dict()
    assert len(made) == 2000 and (made["status"] != "ok").sum() == 500
    text = pd.concat([made[c].astype("string") for c in ("place", "geo_match", "source")])
    assert set(HOSTILE) <= set(text.dropna())
    assert made.equals(synthetic_joined(2000, unplaced=500, reference=reference))
