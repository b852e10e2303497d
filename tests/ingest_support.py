"""Helpers shared by the tests of mapper.ingest (tests/test_ingest*.py): files to read."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from mapper.ingest import validation_report

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad_incidents.csv"


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ",", bom: bool = False):
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def problems_of(frame: pd.DataFrame) -> set[tuple[int, str | None]]:
    return {(p["row"], p["field"]) for p in validation_report(frame)["problems"]}
