"""Province summaries for planners: tables per province, per period and per district
(:mod:`.tables`), and their exports as CSV, XLSX, JSON and Markdown (:mod:`.export`).

Input: the joined table (:func:`mapper.pipeline.locate`); every row ends in exactly one line
of the summary, so the counts always add up (see :mod:`mapper.summarise.tables`).
"""

from mapper.summarise.export import (
    markdown_table,
    records,
    to_json,
    to_markdown,
    write_tables,
    xlsx_bytes,
)
from mapper.summarise.tables import *  # noqa: F403  (the tables' public names)
from mapper.summarise.tables import __all__ as _table_names

__all__ = [*_table_names, "markdown_table", "records", "to_json", "to_markdown",
           "write_tables", "xlsx_bytes"]
