"""The printable report: one source for every figure, three A4 pages whatever the log,
French with no English left, escaping, self-containment, and print in Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from mapper import report
from mapper import summarise as sm
from mapper.pipeline import write_summary
from mapper.privacy import Privacy
from mapper.report import ReportOptions
from mapper.report.view import ReportError, report_view
from mapper.words import words
from tests.report_support import synthetic_joined


@pytest.fixture(scope="module")
def joined(reference):
    from mapper.pipeline import SAMPLE, locate

    return locate([SAMPLE], reference=reference)


@pytest.fixture(scope="module")
def realistic(reference):
    """2,000 rows over 18 months, as a planner's log looks."""
    return synthetic_joined(2_000, reference=reference)


@pytest.fixture(scope="module")
def charts(realistic, reference):
    summary = sm.summarise(realistic, period="month", reference=reference)
    return report.report_charts(summary, reference.layer("ADM1"))


class _Text(HTMLParser):
    """The visible text of a page (no style, no attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.parts


def _cells(page: str, attribute: str, name: str) -> list[str]:
    return re.findall(rf'{attribute}="{name}">([^<]*)<', page)


def _number(text: str) -> int:
    return int(text.replace(",", "").replace("\u202f", ""))


def _html(frame, reference, charts, **options) -> str:
    summary = sm.summarise(frame, period="month", reference=reference,
                           privacy=options.pop("privacy", None))
    return report.report_html(summary, charts, ReportOptions(**options))


# -- one source of truth ---------------------------------------------------------------------
def test_every_headline_figure_is_the_total_of_its_column(realistic, reference, charts):
    page = _html(realistic, reference, charts)
    for column in ("incidents", "people", "women", "children"):
        (headline,) = _cells(page, "data-figure", column)
        (total,) = _cells(page, "data-total", column)
        assert headline == total
        assert _number(total) == sum(_number(c) for c in _cells(page, "data-column", column))
    lines = sm.summarise(realistic, reference=reference).lines.set_index("line")["rows"]
    assert _number(_cells(page, "data-figure", "incidents")[0]) == lines["provinces"]
    assert _number(_cells(page, "data-figure", "rows_in")[0]) == 2_000


def test_counts_nobody_gave_print_as_not_given_with_how_many(realistic, reference, charts):
    frame = realistic.assign(women=pd.array([pd.NA] * len(realistic), dtype="Int64"))
    page = _html(frame, reference, charts)
    (women,) = _cells(page, "data-figure", "women")
    assert women == "not given"
    placed = (sm.assign_lines(frame) == "province").sum()
    assert f"not given in {placed:,} incidents" in page
    assert "not given" in _cells(page, "data-column", "women")


def test_month_only_dates_print_as_months(reference, charts):
    frame = synthetic_joined(40, reference=reference)
    frame["date"] = pd.Timestamp("2026-01-01")
    frame["date_precision"] = "month"
    page = _html(frame, reference, charts)
    assert "2026-01-01" not in page
    assert "Incidents dated 2026-01 to 2026-01" in page
    assert "<td>2026-01</td>" in page


def test_the_period_table_drops_empty_columns_and_shows_the_change(realistic, reference):
    summary = sm.summarise(realistic, period="month", reference=reference)
    view = report_view(summary)
    periods = view["periods"]
    assert len(periods["rows"]) == 8
    assert "Policy" not in periods["columns"] or summary.periods["type_policy"].tail(8).sum()
    assert all(re.fullmatch(r"(\u25b2 \+|\u25bc \u2212|= )[\d,]+", r["change"])
               for r in periods["rows"])


def test_provinces_are_ranked_and_the_rest_pooled(realistic, reference):
    view = report_view(sm.summarise(realistic, reference=reference))
    counts = [_number(r["incidents"]) for r in view["ranked"]["rows"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == 10
    assert view["ranked"]["other"]["name"] == "Other 13 provinces"


# -- three pages, any log ----------------------------------------------------------------------
def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.browser
@pytest.mark.parametrize(("rows", "unplaced", "by"), [(2_000, 0, "province"),
                                                       (2_000, 500, "district")])
def test_a_realistic_log_prints_on_three_a4_pages_with_nothing_cut(
        rows, unplaced, by, reference, tmp_path, open_page):
    frame = synthetic_joined(rows, unplaced=unplaced, reference=reference)
    write_summary(frame, tmp_path, by=by, period="month", reference=reference)
    html = tmp_path / "report.html"
    assert html.stat().st_size < 2_000_000
    run = open_page(html)
    assert run.requests == [] and run.console_errors == [] and run.page_errors == []
    page = run.page
    page.emulate_media(media="print")
    cut = page.eval_on_selector_all(
        ".page", "els => els.map(e => e.scrollHeight - e.clientHeight)")
    assert cut == [0, 0, 0], "content runs past the bottom of a page"
    assert _pages(page.pdf(format="A4", print_background=True)) == 3


def test_the_sample_report_prints_on_three_pages_as_pdf(joined, reference, tmp_path):
    from pypdf import PdfReader

    paths = write_summary(joined, tmp_path, reference=reference,
                          report=ReportOptions(pdf=True))
    pdf = tmp_path / "report.pdf"
    assert pdf in paths
    reader = PdfReader(pdf)
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210, 297)
    assert "Page 1 of 3" in reader.pages[0].extract_text()


# -- options -------------------------------------------------------------------------------------
def test_title_organisation_and_as_of_head_every_page(realistic, reference, charts):
    page = _html(realistic, reference, charts, title="Scam compounds: Q1 brief",
                 organisation="Hope & Co.", as_of="2026-02-15")
    assert "<h1>Scam compounds: Q1 brief</h1>" in page
    assert "Prepared by Hope &amp; Co." in page
    assert "as of 2026-02-15" in page
    header = re.search(r"@top-left \{ content: (\"[^\"]*\")", page)[1]
    assert "\\00003a" in header  # the colon of the title, escaped for CSS


def test_bad_options_are_refused_in_one_line():
    with pytest.raises(ReportError, match="--lang: expected one of en, fr"):
        ReportOptions(lang="de")
    with pytest.raises(ReportError, match="--as-of"):
        ReportOptions(as_of="31/02/2026")
    assert ReportOptions(as_of="2026-03").as_of == "2026-03"


#: English phrases a French reader must never meet (besides the report's own word table).
ENGLISH = ("Incidents by", "Provinces ranked", "people affected", "not given", "Other",
           "Rows not placed", "Known only", "Boundaries", "of", "as of", "and", "the",
           "Deportation", "Arrest", "Warning", "Unresolved", "Outside Cambodia", "Key message",
           "Sources and method", "Made with", "month", "Share", "Children", "Women")


#: Names that stay as they are in any language.
PROPER_NAMES = r"Who's On First|geoBoundaries|OpenStreetMap|Open Development Cambodia|GeoNames"


def test_lang_fr_leaves_no_english_sentence(reference, tmp_path):
    frame = synthetic_joined(2_000, unplaced=200, reference=reference)
    write_summary(frame, tmp_path, by="district", period="month", reference=reference,
                  privacy=Privacy("public"), report=ReportOptions(lang="fr"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    cells = [*frame.astype(str).stack(), *sm.summarise(frame).provinces["province"]]
    user_text = {c for c in cells if isinstance(c, str)}
    text = [t for t in visible_text(page) if t not in user_text]
    english = {v for k, v in words("en").items() if v != words("fr")[k] and len(v) > 4}
    patterns = [re.compile(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)")
                for phrase in (*ENGLISH, *english)]
    left = [(t, p.pattern) for t in text for p in patterns
            if p.search(re.sub(PROPER_NAMES, "", t))]
    assert left == []
    assert 'lang="fr"' in page and "Incidents par province" in page


# -- safety ----------------------------------------------------------------------------------------
def test_report_escapes_user_text_in_html_and_css(reference, charts):
    frame = synthetic_joined(60, unplaced=20, reference=reference)
    frame.loc[frame.index[:3], "source"] = "</style><script>alert(1)</script>"
    page = _html(frame, reference, charts, title='"; } body { display:none } </style>',
                 organisation="<b>Org</b>")
    assert "<script>alert" not in page and "</style><script>" not in page
    assert page.count("</style>") == 1 and "<b>Org" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_is_self_contained(joined, tmp_path, reference):
    paths = write_summary(joined, tmp_path, reference=reference)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs and all(r.startswith("data:") for r in refs)
    assert page.count("data:image/png;base64,") == 3
    assert page.count("geoBoundaries (Runfola et al. 2020)") == 1  # printed once
    for name in ("choropleth", "types", "trend"):
        assert tmp_path / "charts" / f"{name}.png" in paths
        assert tmp_path / "charts" / f"{name}.svg" in paths


def test_public_report_shows_no_small_count(reference, charts):
    frame = synthetic_joined(300, reference=reference)
    summary = sm.summarise(frame, reference=reference, privacy=Privacy("public"))
    small = summary.provinces[summary.provinces["incidents"].astype(str).str.startswith("<")]
    assert len(small)
    page = report.report_html(summary, charts)
    for name in small["province"]:
        row = re.search(rf"<td>{re.escape(name)}</td>(.*?)</tr>", page, re.S)
        if row:  # a small province may only be pooled into "Other N provinces"
            assert re.findall(r'data-column="incidents">([^<]*)<', row[1]) == ["&lt;3"]
