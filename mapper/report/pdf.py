"""The report as an A4 PDF, drawn by WeasyPrint from the report's HTML.

WeasyPrint is an optional extra (``pip install 'incident-mapper[pdf]'``); it needs Pango and,
for Khmer names, a Khmer font from the system (:data:`DEBIAN_PACKAGES`). Only ``data:`` URIs
are loaded, so drawing the PDF never reaches the network or reads a local file. Fonts are
embedded as subsets, and the file carries no date or random identifier: the same HTML and
the same WeasyPrint give the same bytes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from mapper.errors import IncidentMapperError
from mapper.files import write_with

log = logging.getLogger(__name__)

#: What WeasyPrint needs from Debian: Pango, a font for Khmer, and fonts for Latin text.
DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-khmeros", "fonts-dejavu-core")
#: A default page; the report's own ``@page`` rule wins over it.
PAGE_CSS = "@page { size: A4 }"
_REFUSED = "not loaded: a report loads only data: URIs"


class PdfError(IncidentMapperError, RuntimeError):
    """The PDF cannot be drawn: WeasyPrint or its system libraries are missing."""


def _weasyprint():
    """The weasyprint module, or a one-line :class:`PdfError` saying how to install it."""
    try:
        import weasyprint
    except (ImportError, OSError) as err:
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:160]
        raise PdfError(f"--pdf needs WeasyPrint: pip install 'incident-mapper[pdf]' and the "
                       f"Debian packages {' '.join(DEBIAN_PACKAGES)} ({reason})") from None
    return weasyprint


def check_weasyprint() -> None:
    """Raise :class:`PdfError` now if WeasyPrint cannot be used (``--pdf``, before any work)."""
    with _quiet_logs():
        _weasyprint()


def data_only_fetcher(weasyprint):
    """A WeasyPrint URL fetcher that loads ``data:`` URIs and refuses everything else; the
    URLs it refused are in its ``refused`` list."""

    class DataOnlyFetcher(weasyprint.urls.URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url[:5].lower() != "data:":
                self.refused.append(url)
                raise ValueError(f"{url[:80]}: {_REFUSED}")
            return super().fetch(url, headers)

    return DataOnlyFetcher()


class _Quiet(logging.Filter):
    """Keeps WeasyPrint's errors, less those about the URLs refused on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR and _REFUSED not in record.getMessage()


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Silence WeasyPrint's warnings (unknown CSS, font subsetting) while drawing."""
    quiet = _Quiet()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "weasyprint.progress")]
    font_tools = logging.getLogger("fontTools")
    level = font_tools.level
    for logger in loggers:
        logger.addFilter(quiet)
    font_tools.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
        font_tools.setLevel(level)


def write_pdf(html: str, path: Path | str) -> Path:
    """Draw ``html`` as an A4 PDF at ``path`` (written atomically) and return ``path``.

    Anything the page links to that is not a ``data:`` URI is left out, with a warning.
    Raises :class:`PdfError` when WeasyPrint or its system libraries are missing.
    """
    with _quiet_logs():
        weasyprint = _weasyprint()
        fetcher = data_only_fetcher(weasyprint)
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(
            stylesheets=[weasyprint.CSS(string=PAGE_CSS, url_fetcher=fetcher)])
        path = write_with(Path(path), lambda tmp: document.write_pdf(
            tmp, pdf_identifier=False))
    if fetcher.refused:
        shown = ", ".join(url[:80] for url in dict.fromkeys(fetcher.refused))
        log.warning("%s: left out %s linked file(s) (a report loads only data: URIs): %s",
                    path, len(fetcher.refused), shown)
    return path


def page_count(path: Path | str) -> int:
    """The number of pages of the PDF at ``path`` (read with pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)
