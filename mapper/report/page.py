"""The report as one self-contained HTML page (three A4 pages in print), its charts as
files, and optionally a PDF.

All user text is escaped by Jinja2's autoescape; text that goes into CSS (the running
header and footer) is escaped for CSS by :func:`css_string`. Pictures are ``data:`` URIs,
so the page makes no request.
"""

from __future__ import annotations

import base64
import logging
from functools import cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from mapper.files import write_text_atomic
from mapper.reference import Reference, resolve
from mapper.report.charts import Chart, report_charts, write_charts
from mapper.report.view import TOP_PROVINCES, ReportOptions, report_view
from mapper.summarise import Summary

log = logging.getLogger(__name__)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string in which every character that is not an ASCII letter
    or digit is a six-digit escape: nothing a user writes can end the string or the
    ``<style>`` element. (A space is escaped too: CSS swallows one after an escape.)"""
    body = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}"
                   for ch in str(text))
    return Markup(f'"{body}"')


@cache
def _template():
    import jinja2

    text = resources.files("mapper").joinpath("templates", "report_page.html.j2").read_text(
        encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env.from_string(text)


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_html(summary: Summary, charts: dict[str, Chart],
                options: ReportOptions | None = None) -> str:
    """The report as one HTML string; ``charts`` from :func:`report_charts`."""
    view = report_view(summary, options)
    header = " \u00b7 ".join(x for x in (view["title"], view["dated"], view["as_of"]) if x)
    pictures = {name: {"uri": _uri(chart.png), "alt": chart.alt}
                for name, chart in charts.items()}
    return _template().render(v=view, charts=pictures, header=header,
                              footer=view["organisation"] or view["t"]["made_with"])


def write_report(summary: Summary, out_dir: Path | str, reference: Reference | None = None,
                 options: ReportOptions | None = None) -> list[Path]:
    """Write ``charts/*.png|svg``, ``report.html`` and, when ``options.pdf``, ``report.pdf``
    into ``out_dir``; return the paths written."""
    options = options or ReportOptions()
    out_dir = Path(out_dir)
    charts = report_charts(summary, resolve(reference).layer("ADM1"), lang=options.lang,
                           top=TOP_PROVINCES)
    written = write_charts(charts, out_dir)
    html = report_html(summary, charts, options)
    written.append(write_text_atomic(out_dir / "report.html", html))
    if options.pdf:
        from mapper.report.pdf import write_pdf

        written.append(write_pdf(html, out_dir / "report.pdf"))
    return written
