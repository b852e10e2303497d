"""Spreadsheet-safe outputs (issue 12): OWASP's CSV-injection payloads through every writer.

Text a spreadsheet would run as a formula (a first character of = + - @, tab or carriage
return) gets a leading single quote in every CSV and XLSX cell, the XLSX "About" sheet
included; numbers stay numbers; JSON keeps the text as it is; Markdown and HTML show user
text as text, never as markup.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from itertools import cycle, islice
from pathlib import Path

import pandas as pd
import pytest

from mapper import pipeline
from mapper.extract import draft
from mapper.files import FORMULA_STARTS, spreadsheet_safe, spreadsheet_safe_frame
from mapper.summarise import export

#: OWASP's CSV-injection examples and a few more (DDE, tab and CR first, a trailing newline).
PAYLOADS = [
    "=1+1", "+1", "-1+1", "@SUM(1)", '=HYPERLINK("http://x","y")', "\t=1+1", "\r=1+1",
    "=cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!'B1'", "=1+1\n", "\t-1", "\r\n=2",
]
#: Text that must stay text in Markdown and HTML.
MARKUP = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
          "`code` | pipe", "<script>alert(1)</script> & co"]


def _payload_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the payloads and the markup in the user text columns (the rows listed
    in the summaries, the last six, get markup in ``message``), a column of negative
    numbers, and a column whose name is a formula."""
    out = frame.copy()
    columns = {"source": MARKUP + PAYLOADS, "place": PAYLOADS,
               "message": PAYLOADS[10:14] + MARKUP + PAYLOADS,
               "nationality": PAYLOADS[4:] + PAYLOADS, "actor": PAYLOADS[::-1],
               "notes": PAYLOADS[7:] + PAYLOADS}
    for column, texts in columns.items():
        out[column] = pd.array(list(islice(cycle(texts), len(out))), dtype="string")
    out["delta"] = pd.array([-(i + 1) for i in range(len(out))], dtype="Int64")
    out["=SUM(A1:A9)"] = "header payload"
    return out


def _read(path: Path) -> str:
    """A file's text with every carriage return kept (as a spreadsheet reads it)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                float(cell)  # only a real number may start with + or -
    return rows


def _cells(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row}


@pytest.fixture(scope="module")
def payload_joined(sample_joined):
    frame = _payload_frame(sample_joined)
    # Rows that are not placed are listed by line in the summaries, with their text.
    frame.loc[frame.index[-3:], "status"] = "unresolved"
    return frame


# -- the function -----------------------------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS)
def test_spreadsheet_safe_quotes_formula_text_and_keeps_it_otherwise(payload):
    assert spreadsheet_safe(payload) == "'" + payload
    assert spreadsheet_safe("'" + payload) == "'" + payload, "a quoted value is left alone"


@pytest.mark.parametrize("value", [-1, -2.5, 0, 3, None, True, "Prey Veng", "", "a=b",
                                   "'=1", " =1", pd.NA, pd.Timestamp("2026-01-20")])
def test_spreadsheet_safe_leaves_numbers_and_plain_text(value):
    assert spreadsheet_safe(value) is value


def test_spreadsheet_safe_frame_touches_only_text_and_keeps_numbers_numeric():
    frame = pd.DataFrame({
        "text": pd.array(["=1+1", "ok", None], dtype="string"), "obj": ["@x", 5, -1.5],
        "num": [-1, 2, -3], "nullable": pd.array([-1, None, 2], dtype="Int64"),
        "cat": pd.Categorical(["+1", "a", "a"]), "-x": [0.5, -0.5, 1.0],
    })
    safe = spreadsheet_safe_frame(frame)
    assert safe["text"].tolist()[:2] == ["'=1+1", "ok"] and pd.isna(safe["text"].iloc[2])
    assert safe["obj"].tolist() == ["'@x", 5, -1.5]
    assert safe["num"].dtype == frame["num"].dtype and safe["num"].tolist() == [-1, 2, -3]
    assert safe["nullable"].dtype == "Int64"
    assert safe["cat"].tolist() == ["'+1", "a", "a"]
    assert list(safe.columns)[-1] == "'-x"
    assert frame["text"].iloc[0] == "=1+1" and "-x" in frame, "the input is not changed"


# -- table CSV (geocode, demo) ---------------------------------------------------------------
def test_table_csv_quotes_every_payload_and_keeps_numbers(payload_joined, tmp_path):
    path = pipeline.write_table(payload_joined, tmp_path / "placed.csv")
    rows = _assert_csv_safe(_read(path))
    cells = _cells(rows)
    assert {"'" + p for p in PAYLOADS} <= cells
    assert "'=SUM(A1:A9)" in rows[0]
    delta = rows[0].index("delta")
    assert [r[delta] for r in rows[1:]] == [str(-(i + 1)) for i in range(len(rows) - 1)]


def test_table_geojson_keeps_the_text_as_it_is(payload_joined, tmp_path):
    import geopandas as gpd

    path = pipeline.write_table(payload_joined, tmp_path / "placed.geojson")
    back = gpd.read_file(path)
    assert back["source"].tolist() == payload_joined["source"].tolist()


# -- summary CSV, XLSX, JSON, Markdown, HTML --------------------------------------------------
@pytest.fixture(scope="module")
def summary_dir(payload_joined, reference, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("summary")
    pipeline.write_summary(payload_joined, out, by="district", period="month",
                           reference=reference)
    return out


def test_summary_csvs_quote_every_formula(summary_dir):
    cells: set[str] = set()
    for path in sorted(summary_dir.glob("*.csv")):
        cells |= _cells(_assert_csv_safe(_read(path)))
    listed = _cells(list(csv.reader(io.StringIO(
        _read(summary_dir / "listed_rows.csv"), newline=""))))
    assert any(c.startswith("'") and c[1:] in PAYLOADS for c in listed)
    assert not any(c in PAYLOADS for c in cells)


def test_xlsx_has_no_formula_anywhere_the_about_sheet_included(summary_dir):
    import openpyxl

    path = summary_dir / "summary.xlsx"
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"formula element in {name}"
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
                    texts.append(cell.value)
    about = [r for r in wb["About"].iter_rows(values_only=True) if r and r[0] == "Incidents"]
    assert '=HYPERLINK("http://x","y")' in about[0][2] and about[0][2].startswith("'")
    assert any(t.startswith("'") and t[1:] in PAYLOADS for t in texts)


def test_xlsx_about_sheet_quotes_a_source_that_is_a_formula():
    import openpyxl

    from mapper import summarise as sm

    frame = pd.DataFrame({
        "status": ["ok", "ok"], "geo_precision": pd.array([1, 1], dtype="Int64"),
        "adm1_code": ["KH-20", "KH-14"], "type": ["raid", "raid"],
        "date": pd.to_datetime(["2026-01-10", "2026-01-11"]), "date_precision": ["day"] * 2,
        "source": ['=HYPERLINK("http://x","y")', "@SUM(1)"],
    })
    wb = openpyxl.load_workbook(io.BytesIO(sm.xlsx_bytes(sm.summarise(frame))))
    incidents = [r for r in wb["About"].iter_rows(values_only=True) if r and r[0] == "Incidents"]
    assert incidents[0][2] == "'" + '=HYPERLINK("http://x","y"), @SUM(1)'


def test_xlsx_holds_control_characters_as_a_visible_mark():
    """A NUL pasted into a log would stop openpyxl; the workbook is written, marked."""
    import openpyxl
    from openpyxl import Workbook

    ws = Workbook().active
    export._fill_sheet(ws, pd.DataFrame({"place": ["Bavet\x00gate", "Poi\x1bpet"]}))
    buffer = io.BytesIO()
    ws.parent.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in back["A"]][1:] == ["Bavet\ufffdgate", "Poi\ufffdpet"]


def test_xlsx_negative_numbers_stay_numbers():
    import openpyxl
    from openpyxl import Workbook

    ws = Workbook().active
    export._fill_sheet(ws, pd.DataFrame({"change": pd.array([-3, 2], dtype="Int64"),
                                         "note": ["-3", "=1"]}))
    buffer = io.BytesIO()
    ws.parent.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in back["A"]][1:] == [-3, 2]
    assert [c.value for c in back["B"]][1:] == ["'-3", "'=1"]


def test_summary_json_keeps_the_text_as_it_is(summary_dir):
    data = json.loads((summary_dir / "summary.json").read_text(encoding="utf-8"))
    assert set(PAYLOADS) & set(data["meta"]["sources"])


def test_markdown_has_no_raw_html_link_or_code(summary_dir):
    text = (summary_dir / "summary.md").read_text(encoding="utf-8")
    assert not re.search(r"<[A-Za-z/!?]", text), "raw HTML"
    assert "[click](" not in text and "\\[click\\](javascript:alert(1))" in text
    assert "&lt;script&gt;" in text and "&amp; co" in text
    assert not re.search(r"(?<!\\)`", text), "an unescaped backtick"
    sources = text.split("## Sources", 1)[1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in sources


def test_report_html_escapes_user_text(summary_dir):
    page = (summary_dir / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- draft CSV and JSON (extract) ------------------------------------------------------------
def _draft_frame() -> pd.DataFrame:
    records = [{"id": f"draft-{i}", "date": "2026-01-20", "type": "raid", "place": p,
                "evidence": p, "source": p, "notes": p, "status": "draft", "people": i,
                "confidence": 0.5} for i, p in enumerate(PAYLOADS)]
    return draft.draft_table(records)


def test_draft_csv_quotes_every_payload(tmp_path):
    path = draft.write_draft(_draft_frame(), tmp_path / "draft.csv")
    rows = _assert_csv_safe(_read(path))
    place = rows[0].index("place")
    assert [r[place] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    people = rows[0].index("people")
    assert [r[people] for r in rows[1:]] == [str(i) for i in range(len(PAYLOADS))]


def test_draft_json_keeps_the_text_as_it_is(tmp_path):
    path = draft.write_draft(_draft_frame(), tmp_path / "draft.json")
    records = json.loads(_read(path))
    assert [r["place"] for r in records] == PAYLOADS
