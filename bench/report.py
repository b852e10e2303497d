"""Report size and speed: `summarize` (tables, pictures, report.html) and its PDF, for
synthetic joined logs of 2,000 and 200,000 rows (and 2,000 with 500 rows not placed).

Every headline figure of the report is checked against its column's total. Beside each, a
plain baseline measured in the same run: a pandas table of incidents by
province and type, ``DataFrame.to_html`` of it, and WeasyPrint of that page. Issue 14 asks
for at most 3 A4 pages and a report.html under 2 MB.

The logs come from tests/report_support.py (vectorised, no geocoding), which the report
tests use too; it lives with the tests because it is not shipped, and imports no pytest.

Run: python bench/report.py [--rows 2000 200000]   (needs the pdf extra and pypdf)
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from report_support import synthetic_joined  # noqa: E402

from mapper import reference  # noqa: E402
from mapper.pipeline import write_summary  # noqa: E402
from mapper.report.pdf import page_count, write_pdf  # noqa: E402

HEADER = (f"{'rows':>8} {'unplaced':>8}  {'what':<9} {'html s':>7} {'html size':>10} "
          f"{'pdf pages':>9} {'pdf s':>7}")


def _baseline(joined, folder: Path) -> tuple[float, int, int, float]:
    """Province × type counts with pandas, to_html, then WeasyPrint."""
    start = time.perf_counter()
    placed = joined[(joined["status"] == "ok") & joined["adm1_code"].notna()
                    & (joined["geo_precision"] <= 3)]
    table = placed.groupby(["adm1_name", "type"]).size().unstack(fill_value=0)
    html = ("<!doctype html><html><head><meta charset='utf-8'></head><body>"
            f"<h1>Incidents by province and type</h1>{table.to_html()}</body></html>")
    html_s = time.perf_counter() - start
    start = time.perf_counter()
    out = write_pdf(html, folder / "baseline.pdf")
    return html_s, len(html.encode("utf-8")), page_count(out), time.perf_counter() - start


def _check_headlines(html: str) -> None:
    """Every headline figure equals the total row of the ranked table and the sum of its
    column (issue 14); stop the bench if not."""
    def cells(attribute: str, name: str) -> list[int]:
        found = re.findall(rf'{attribute}="{name}">([^<]*)<', html)
        return [int(x.replace(",", "")) for x in found if x.replace(",", "").isdigit()]

    for column in ("incidents", "people", "women", "children"):
        headline, total = cells("data-figure", column), cells("data-total", column)
        if headline != total or total[0] != sum(cells("data-column", column)):
            raise SystemExit(f"headline {column} {headline} is not its column's total {total}")


def _report(joined, folder: Path, ref) -> tuple[float, int, int, float]:
    """write_summary (every table, the pictures and report.html), then its PDF."""
    start = time.perf_counter()
    write_summary(joined, folder, period="month", reference=ref)
    html_s = time.perf_counter() - start
    html = (folder / "report.html").read_text(encoding="utf-8")
    _check_headlines(html)
    start = time.perf_counter()
    out = write_pdf(html, folder / "report.pdf")
    return (html_s, (folder / "report.html").stat().st_size, page_count(out),
            time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 200_000])
    args = parser.parse_args(argv)
    ref = reference.default()
    synthetic_joined(10, reference=ref)  # load the reference tables before timing
    cases = [(n, 0) for n in args.rows]
    if 2000 in args.rows:
        cases.insert(args.rows.index(2000) + 1, (2000, 500))
    print(HEADER)
    for rows, unplaced in cases:
        start = time.perf_counter()
        joined = synthetic_joined(rows, unplaced=unplaced, reference=ref)
        made = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            for what, run in (("report", _report), ("baseline", _baseline)):
                folder = Path(tmp) / what
                folder.mkdir()
                html_s, size, pages, pdf_s = (run(joined, folder, ref) if what == "report"
                                              else run(joined, folder))
                print(f"{rows:>8,} {unplaced:>8,}  {what:<9} {html_s:>7.2f} "
                      f"{size / 1e6:>8.2f}MB {pages:>9} {pdf_s:>7.2f}", flush=True)
        print(f"{'':>19}(log made in {made:.2f} s)")


if __name__ == "__main__":
    main()
