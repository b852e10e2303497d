"""The printable report: three A4 pages a planner can hand to a donor.

* :mod:`.view`: what the report prints, every headline a column total, sizes capped;
* :mod:`.charts`: the choropleth, the types chart and the trend chart (PNG and SVG);
* :mod:`.page`: the self-contained HTML page and :func:`write_report`;
* :mod:`.pdf`: the same page as an A4 PDF (WeasyPrint, an optional extra).
"""

from mapper.report.charts import Chart, report_charts, write_charts
from mapper.report.page import css_string, report_html, write_report
from mapper.report.view import ReportError, ReportOptions, report_view

__all__ = ["Chart", "ReportError", "ReportOptions", "css_string", "report_charts",
           "report_html", "report_view", "write_charts", "write_report"]
