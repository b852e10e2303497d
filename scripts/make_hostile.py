"""Write the hostile-input corpus of issue 12 into ``tests/data/hostile/``.

Every file is built here, deterministically (the same bytes on every run, zip timestamps
included), and listed in ``tests/data/hostile/MANIFEST.csv`` with what it tests and the
expected outcome: ``refused`` (the whole file cannot be read: exit 2, one line) or ``read``
(``rows`` rows, each ending in exactly one status). ``tests/test_hostile.py`` runs every file
through every verb.

The limits are lowered in the test's environment (see ``ENV``) so that the zip bomb and the
huge cell stay small on disk.

    python scripts/make_hostile.py [--out tests/data/hostile]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
OUT = HERE / "tests" / "data" / "hostile"

#: Settings the test sets while it reads the corpus.
ENV = {"INCIDENT_MAPPER_MAX_XLSX_MB": "50", "INCIDENT_MAPPER_MAX_CELL_CHARS": "20000"}

#: What a sensitive row holds that no partner or public output may carry.
SECRETS = ("ZZHOSTILE-ID", "ZZHOSTILE-PLACE", "ZZHOSTILE-NOTE", "ZZHOSTILE-ACTOR",
           "Zzhostilian", "zzhostile.example", "ZZHOSTILE-SOURCE", "ZZHOSTILE-DISTRICT",
           "ZZHOSTILE-COMMUNE")

HEADER = ["id", "date", "type", "place", "province", "people", "nationality", "actor",
          "source", "source_url", "notes", "sensitive"]

#: OWASP's CSV-injection payloads and a few more.
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3",
            "\t=1+1", "\r=1+1", "=1+1", "-2+3+cmd|' /C calc'!A0", "+cmd|' /C notepad'!'B1'",
            "@SUM(1+9)*cmd|' /C calc'!A0", "=DDE(\"cmd\";\"/C calc\";\"x\")"]
#: Markup that must stay text in HTML and Markdown.
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
          "javascript:alert(1)", "<svg onload=alert(1)>", '"><script>alert(1)</script>',
          "</script><script>alert(1)</script>", "<a href=\"javascript:alert(1)\">x</a>"]

PLACES = ["Bavet", "Poipet", "Meun Chey", "Sihanoukville", "Bokor", "Phnom Penh", "O'Smach",
          "Kampot", "Siem Reap", "Battambang"]
PROVINCES = ["Svay Rieng", "Banteay Meanchey", "Prey Veng", "Preah Sihanouk", "Kampot",
             "Phnom Penh", "Oddar Meanchey", "Kampot", "Siem Reap", "Battambang"]
TYPES = ["raid", "deportation", "rescue", "arrest", "escape", "warning", "disappearance",
         "extradition", "policy", "other"]

MANIFEST: list[dict[str, str]] = []


# -- helpers ------------------------------------------------------------------------------------
def row(i: int, **extra: object) -> list[object]:
    k = i % len(PLACES)
    values = {"id": f"H-{i}", "date": f"2026-01-{i % 28 + 1:02d}", "type": TYPES[i % 10],
              "place": PLACES[k], "province": PROVINCES[k], "people": i % 40 + 1,
              "nationality": "Vietnamese", "actor": "Police", "source": "Daily News",
              "source_url": f"https://news.example/{i}", "notes": f"note {i}",
              "sensitive": "no"}
    values.update(extra)
    return [values[c] for c in HEADER]


def secret(i: int, **extra: object) -> list[object]:
    """A sensitive row carrying every marker."""
    values = {"id": f"ZZHOSTILE-ID-{i}", "place": f"ZZHOSTILE-PLACE near {PLACES[i % 10]}",
              "nationality": "Zzhostilian", "actor": "ZZHOSTILE-ACTOR",
              "source": "ZZHOSTILE-SOURCE", "source_url": f"https://zzhostile.example/{i}",
              "notes": "ZZHOSTILE-NOTE informant", "sensitive": "yes", **extra}
    return row(i, **values)


def rows(n: int, start: int = 0) -> list[list[object]]:
    return [HEADER] + [row(i) for i in range(start, start + n)]


def csv_text(table: list[list[object]], delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO()
    # csv quotes a bare CR only when it is in the line terminator: quote every cell then.
    quoting = csv.QUOTE_ALL if any("\r" in str(c) for r in table for c in r) else \
        csv.QUOTE_MINIMAL
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting) \
        .writerows(table)
    return buffer.getvalue()


def add(name: str, data: bytes | str, tests: str, outcome: str, n: int | None = None,
        kind: str = "log", sensitive: bool = False, encoding: str = "utf-8") -> None:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    entry(name, tests, outcome, n, kind, sensitive)


def entry(name: str, tests: str, outcome: str, n: int | None = None, kind: str = "log",
          sensitive: bool = False) -> None:
    assert outcome in ("read", "refused") and (n is None) == (outcome == "refused"), name
    MANIFEST.append({"file": name, "kind": kind, "tests": tests, "outcome": outcome,
                     "rows": "" if n is None else str(n), "sensitive": "yes" if sensitive
                     else "no"})


FIXED = (2026, 1, 20, 0, 0, 0)


def zip_bytes(parts: list[tuple[str, bytes]], level: int = 6) -> bytes:
    """A zip of ``parts`` with fixed timestamps (the same bytes on every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def parts_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def workbook(sheets: dict[str, list[list[object]]], merge: str | None = None) -> bytes:
    """An .xlsx of ``sheets`` through openpyxl, its timestamps fixed."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        for line in table:
            sheet.append(line)
        if merge:
            sheet.merge_cells(merge)
    stamp = dt.datetime(2026, 1, 20)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return zip_bytes([(name, _fixed_time(name, data)) for name, data in
                      parts_of(buffer.getvalue())])


def _fixed_time(name: str, data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml: put a fixed one instead."""
    if name == "docProps/core.xml":
        data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-20T00:00:00Z",
                      data)
    return data


def rewrite(data: bytes, change) -> bytes:
    return zip_bytes([(name, change(name, part)) for name, part in parts_of(data)])


# -- CSV ----------------------------------------------------------------------------------------
def make_csv() -> None:
    text = csv_text(rows(500))
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace("Bavet", '"Bavet', 1)
    add("unclosed_quote_row2_501.csv", "".join(lines),
        "unclosed quote in row 2 of a 501-line CSV swallows the rest", "refused")

    lines = csv_text(rows(20)).splitlines(keepends=True)
    lines[3] = lines[3].replace("Meun Chey", '"Meun Chey', 1)
    lines[9] = lines[9].replace("note 8", 'note 8"', 1)
    add("quote_closed_six_lines_later.csv", "".join(lines),
        "a quote opened on line 4 and closed on line 10: lines 5-10 fold into row 4", "read",
        14)

    text = csv_text(rows(30))
    add("truncated_mid_row.csv", text[: text.index("note 27") + 3],
        "file cut in the middle of the last row (unquoted)", "read", 28)
    table = rows(10)
    table[-1][10] = "a long quoted note, with a comma, that the cut will leave open"
    text = csv_text(table)
    add("truncated_in_quote.csv", text[: text.index("with a comma") + 6],
        "file cut inside a quoted cell of its last row", "read", 10)

    table = rows(12)
    table[3][10] = "Réfugiés à Poipet — “escaped” ½ €"
    table[4][3] = "Kâmpôt"
    add("utf16le_bom.csv", "\ufeff" + csv_text(table), "UTF-16 LE with BOM (Excel export)",
        "read", 12, encoding="utf-16-le")
    add("utf16be_bom.csv", "\ufeff" + csv_text(table), "UTF-16 BE with BOM", "read", 12,
        encoding="utf-16-be")
    latin = rows(12)
    latin[3][10] = "Réfugiés à Poipet, déportés ½"
    add("latin1.csv", csv_text(latin), "Latin-1 accents (only UTF-8, UTF-16 read)",
        "refused",
        encoding="latin-1")
    add("windows1252.csv", csv_text(table), "Windows-1252 smart quotes, dash, euro", "refused",
        encoding="cp1252")
    add("utf8_bom.csv", "\ufeff" + csv_text(table), "UTF-8 with BOM", "read", 12)
    mixed = csv_text(rows(6)).encode() + "H-99,2026-01-20,raid,Poipet,,1,,,,,d\xe9j\xe0,no\n" \
        .encode("latin-1")
    add("mixed_utf8_and_latin1_bytes.csv", mixed, "UTF-8 file with one Latin-1 line", "refused")

    text = csv_text(rows(10))
    text = text.replace("note 3", "note\x003\x00").replace("Poipet", "Poi\x00pet", 1)
    add("nul_bytes.csv", text, "NUL bytes inside cells", "read", 10)
    add("nul_in_header.csv", text.replace("place", "pl\x00ace", 1), "NUL byte in the header",
        "read", 10)
    add("nul_only.csv", b"\x00" * 4096, "only NUL bytes", "refused")

    table = [HEADER]
    scripts = [("បាវិត", "ស្វាយរៀង"), ("柬埔寨西港", "西哈努克省"), ("ปอยเปต", "บันทายมีชัย"),
               ("Cửa khẩu Mộc Bài", "Tây Ninh"), ("Бавет", "Свайриенг"), ("바벳", "스바이리엥"),
               ("Bavet 巴域 បាវិត", "Svay Rieng"), ("ポイペト", ""), ("Phnôm Pênh", "")]
    for i, (place, province) in enumerate(scripts):
        table.append(row(i, place=place, province=province, notes=f"{place} / {province}"))
    table.append(secret(50, notes="ZZHOSTILE-NOTE ស្វាយរៀង"))
    add("mixed_scripts.csv", csv_text(table),
        "Khmer, Chinese, Thai, Vietnamese, Cyrillic, Korean place names; a sensitive row",
        "read", 10, sensitive=True)

    add("crlf.csv", csv_text(rows(15), newline="\r\n"), "CRLF line endings", "read", 15)
    add("cr_only.csv", csv_text(rows(15), newline="\r"), "CR-only line endings (old Mac)",
        "read", 15)
    add("mixed_line_endings.csv",
        "".join(line + ("\r\n", "\r", "\n")[i % 3]
                for i, line in enumerate(csv_text(rows(15)).splitlines())),
        "CRLF, CR and LF in one file", "read", 15)
    add("semicolon.csv", csv_text(rows(15), delimiter=";"), "semicolon-delimited", "read", 15)
    add("tab_delimited.csv", csv_text(rows(15), delimiter="\t"), "tab-delimited, named .csv",
        "read", 15)
    dup = rows(8)
    dup[0] = ["id", "date", "type", "place", "place", "people", "notes", "notes", "source",
              "source_url", "notes", "sensitive"]
    add("duplicated_headers.csv", csv_text(dup), "duplicated column names", "read", 8)
    add("header_only.csv", csv_text([HEADER]), "a header and no rows", "read", 0)
    add("empty.csv", b"", "an empty file (0 bytes)", "refused")
    add("whitespace_only.csv", "  \n\n\t\n   \n", "blank lines only", "refused")

    garbage = bytes((i * 7919 + 13) % 256 for i in range(8192))
    add("binary_garbage.csv", garbage, "random bytes named .csv", "refused")
    add("png_named.csv", b"\x89PNG\r\n\x1a\n" + garbage[:1000], "a PNG named .csv", "refused")
    add("gzip_named.csv", b"\x1f\x8b\x08\x00" + garbage[:500], "a gzip named .csv", "refused")
    add("html_page_named.csv", "<!DOCTYPE html><html><body><script>alert(1)</script>"
        "<table><tr><td>date</td></tr></table></body></html>\n",
        "an HTML page saved as .csv", "read", 0)

    table = [HEADER]
    for i, payload in enumerate(FORMULAS):
        table.append(row(i, place=payload, notes=payload, actor=payload, nationality=payload,
                         id=payload if i % 3 == 0 else f"F-{i}"))
    table.append(secret(60, notes="=HYPERLINK(\"https://zzhostile.example\",\"ZZHOSTILE-NOTE\")"))
    table.append(secret(61, place="ZZHOSTILE-PLACE", actor="@ZZHOSTILE-ACTOR"))
    add("formula_payloads.csv", csv_text(table),
        "OWASP CSV-injection payloads in place, notes, actor, nationality, id; sensitive rows",
        "read", len(table) - 1, sensitive=True)
    table = [HEADER] + [row(i, source='=HYPERLINK("http://evil.example","click")')
                        for i in range(6)]
    table[0] = [*HEADER[:-1], '=HYPERLINK("http://x","sensitive")']
    add("source_named_hyperlink.csv", csv_text(table),
        "a source named =HYPERLINK(...), and a header that is a formula", "read", 6)

    table = [HEADER]
    for i, payload in enumerate(MARKUP):
        table.append(row(i, notes=payload, source=payload, place=f"Bavet {payload}",
                         actor=payload, source_url="javascript:alert(1)" if i % 2 else
                         f"https://news.example/{payload}"))
    table.append(secret(70, notes="<script>alert('ZZHOSTILE-NOTE')</script>"))
    add("html_payloads.csv", csv_text(table),
        "raw HTML and script in notes, source, place, actor; javascript: URLs", "read",
        len(table) - 1, sensitive=True)

    forms = ["2026-01-20", "20/01/2026", "01/20/2026", "20.01.2026", "20 janvier 2026",
             "January 20, 2026", "20 Jan 2026", "2026/01/20", "20260120", "2026-01",
             "janvier 2026", "2026", "Q1 2026", "46042", "2026-01-20T08:30:00Z",
             "20-01-26", "yesterday", "32/13/2026", "0000-00-00", "9999-12-31", "",
             "1/2/3", "2026-02-30", "២០ មករា ២០២៦", "2026年1月20日", "20 tháng 1 năm 2026",
             "mid-January 2026", "late 2025", "1970-01-01", "-2026-01-01"]
    table = [HEADER] + [row(i, date=d) for i, d in enumerate(forms)]
    add("dates_many_forms.csv", csv_text(table), "dates in many forms, some impossible",
        "read", len(forms))

    counts = ["-5", "0", "99999999999999999999", "1e20", "3.5", "12 people", "about 40",
              "40+", "1,000", "1 000", "NaN", "inf", "-0", "0x10", "٣", "២០", "9223372036854775808",
              "", "  7  ", "+3"]
    table = [[*HEADER, "women", "children"]]
    table += [[*row(i, people=c), c, c] for i, c in enumerate(counts)]
    add("counts_negative_huge.csv", csv_text(table), "negative, huge, fractional, text counts",
        "read", len(counts))

    coords = [("11.08", "106.15"), ("NaN", "inf"), ("91", "181"), ("11,08", "106,15"),
              ("-11.08", "-106.15"), ("1e308", "1e308"), ("11°04'N", "106°09'E"),
              ("0", "0"), ("13.65", "100.49"), ("", "106.15")]
    table = [[*HEADER, "latitude", "longitude"]]
    table += [row(i) + list(c) for i, c in enumerate(coords)]
    add("coordinates_hostile.csv", csv_text(table), "coordinates out of range, NaN, commas",
        "read", len(coords))

    table = rows(5)
    table[2][10] = "L" * 15_000
    add("long_line.csv", csv_text(table), "a 15,000-character line under the cell limit",
        "read", 5)
    table = rows(5)
    table[3][10] = "H" * 30_000
    add("huge_cell.csv", csv_text(table),
        "a 30,000-character cell over the lowered limit (20,000): its row invalid", "read", 5)
    add("huge_header_cell.csv", csv_text([["date", "X" * 30_000], ["2026-01-20", "a"]]),
        "a header cell over the cell limit", "refused")

    table = [HEADER]
    bidi = ["\u202eevil.exe\u202c", "Bavet\u202e", "\u200bPoipet\u200b", "\u2066Bokor\u2069",
            "Meun\u00a0Chey", "Ba\u0301vet", "\ufeffKampot", "🔥 Raid 🚔"]
    for i, text in enumerate(bidi):
        table.append(row(i, notes=f"payload {text} end", place=text, source=text))
    table.append(secret(80, notes="\u202eZZHOSTILE-NOTE"))
    add("bidi_and_invisible.csv", csv_text(table),
        "U+202E bidi override, zero-width, BOM inside, combining marks, emoji", "read",
        len(table) - 1, sensitive=True)

    table = rows(10)
    table[2] = table[2] + ["extra", "cells", "beyond"]
    table[4] = table[4][:3]
    table[6] = ["only one cell"]
    add("ragged_rows.csv", csv_text(table), "rows longer and shorter than the header", "read",
        10)
    text = csv_text(rows(10)).replace("\n", "\n\n", 4).replace("\nH-5", "\n,,,,,,,,,,,\nH-5")
    add("blank_rows_between.csv", text,
        "blank lines and empty rows between data rows (each an invalid empty row)",
        "read", 15)
    add("place_only.csv", "Place\nMeun Chey\nBavet\n=1+1\n<script>alert(1)</script>\n",
        "a place column alone, with payloads", "read", 4)
    add("unknown_columns_only.csv", "foo,bar,baz\n1,2,3\n4,5,6\n",
        "no column the tool knows (kept as they are)",
        "read", 2)
    wide = [HEADER + [f"extra_{i}" for i in range(1000)]]
    wide += [row(i) + [str(i)] * 1000 for i in range(3)]
    add("thousand_columns.csv", csv_text(wide), "1,000 extra columns", "read", 3)
    sens = ["yes", "no", "YES", "Y", "1", "0", "true", "FALSE", "maybe", "oui", "", "=TRUE"]
    table = [HEADER] + [secret(i, sensitive=s) if s in ("yes", "YES", "Y", "1", "true")
                        else row(i, sensitive=s) for i, s in enumerate(sens)]
    add("sensitive_values.csv", csv_text(table), "many spellings of the sensitive flag",
        "read", len(sens), sensitive=True)
    table = rows(8)
    for line in table[1:]:
        line[0] = "DUP-1"
    table[3][3] = 'Bavet "East" gate'
    add("duplicate_ids_stray_quotes.csv", csv_text(table).replace('"Bavet ""East"" gate"',
                                                                   'Bavet "East" gate'),
        "every id the same; a stray quote in an unquoted cell", "read", 8)
    add("header_with_spaces_and_case.csv",
        csv_text([["  ID ", "DATE", "Type ", " Place", "PROVINCE"],
                  ["x1", "2026-01-20", "RAID", "bavet", "svay rieng"]]),
        "headers with spaces and odd case", "read", 1)
    add("rows_501_mixed.csv", csv_text(rows(500)),
        "501 lines, every status the gazetteer gives", "read", 500)


# -- XLSX ---------------------------------------------------------------------------------------
def make_xlsx() -> None:
    def understate(name: str, data: bytes) -> bytes:
        if name.endswith("sheet1.xml"):
            head, tail = data.split(b'<dimension ref="', 1)
            data = head + b'<dimension ref="A1:B2' + tail[tail.index(b'"'):]
        return data

    add("dimension_understated.xlsx", rewrite(workbook({"log": rows(100)}), understate),
        "<dimension> says A1:B2; the sheet has 101 rows", "read", 100)
    add("merged_cells.xlsx", workbook({"log": rows(6)}, merge="D3:D5"),
        "merged cells over the place column", "read", 6)

    table = [["date", "people", "women", "children", "place"],
             ["2026-01-20", "=C2+D2", 3, 4, "Bavet"], ["2026-01-21", "=C3+D3", 1, 1, "Poipet"],
             ["2026-01-22", 5, 1, 1, "=CONCATENATE(\"Ba\",\"vet\")"]]
    add("formula_without_cache.xlsx", workbook({"log": table}),
        "formula cells saved without a result", "read", 3)

    table = [HEADER] + [row(i, place=p, notes=p, source=p) for i, p in enumerate(FORMULAS)]
    table.append(secret(90))
    table.append(secret(91, notes="<script>alert('ZZHOSTILE-NOTE')</script>"))
    book = workbook({"log": table})
    add("formula_strings.xlsx", book,
        "OWASP payloads as cells (openpyxl stores = text as formulas); sensitive rows",
        "read", len(table) - 1, sensitive=True)

    base = parts_of(workbook({"log": rows(3)}))
    base = [(n, d) for n, d in base if n != "xl/sharedStrings.xml"] + \
        [("xl/sharedStrings.xml", b" " * 64_000_000)]
    add("zip_bomb.xlsx", zip_bytes(base, level=9),
        "a small file unpacking to 64 MB (limit lowered to 50 MB)", "refused")
    add("empty_first_sheet.xlsx", workbook({"Notes": [], "2026": rows(4)}),
        "the first sheet is empty, the second has rows", "refused")
    add("all_sheets_empty.xlsx", workbook({"Notes": [], "Other": []}), "no sheet has a row",
        "refused")
    whole = workbook({"log": rows(50)})
    add("truncated.xlsx", whole[: len(whole) // 2], "a workbook cut in half", "refused")
    add("zip_not_xlsx.xlsx", zip_bytes([("readme.txt", b"hello")]),
        "a zip that is no workbook", "refused")
    table = rows(4)
    table[2][10] = "W" * 30_000
    add("huge_cell.xlsx", workbook({"log": table}), "a cell over the lowered limit", "read", 4)
    add("xlsx_renamed.csv", workbook({"log": rows(3)}), "a workbook renamed .csv", "refused")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2040)
    add("old_excel.xls", ole, "an old Excel .xls (OLE2)", "refused")
    add("old_excel_renamed.csv", ole, "an old .xls renamed .csv", "refused")
    add("old_excel_renamed.xlsx", ole, "an old .xls renamed .xlsx", "refused")
    add("csv_renamed.xlsx", csv_text(rows(3)), "a CSV renamed .xlsx", "refused")
    table = [HEADER]
    for i, (place, province) in enumerate([("បាវិត", "ស្វាយរៀង"), ("西港", "西哈努克"),
                                           ("ปอยเปต", ""), ("Mộc Bài", "Tây Ninh")]):
        table.append(row(i, place=place, province=province))
    table.append(secret(95))
    add("mixed_scripts.xlsx", workbook({"log": table}), "mixed scripts in a workbook", "read",
        5, sensitive=True)
    table = [[None], [None, None], HEADER, *rows(3)[1:]]
    add("header_not_first.xlsx", workbook({"log": table}),
        "two blank rows above the header", "read", 3)


# -- JSON and GeoJSON ---------------------------------------------------------------------------
def records(n: int) -> list[dict[str, object]]:
    return [dict(zip(HEADER, row(i), strict=True)) for i in range(n)]


def feature(record: dict, coordinates: object) -> dict:
    geometry = None if coordinates is None else {"type": "Point", "coordinates": coordinates}
    return {"type": "Feature", "properties": record, "geometry": geometry}


def make_json() -> None:
    text = json.dumps(records(10), ensure_ascii=False, indent=1)
    add("truncated.json", text[: len(text) // 2], "JSON cut in half", "refused")
    add("trailing_comma.json", text[:-2] + ",\n]", "JSON with a trailing comma", "refused")
    add("deep_nesting.json", "[" * 100_000 + "]" * 100_000, "100,000 nested lists",
        "refused")
    deep = '[{"date": "2026-01-20", "place": "Bavet", "notes": ' + "[" * 50_000 \
        + "]" * 50_000 + "}]"
    add("deep_value.json", deep, "a record whose notes nest 50,000 deep",
        "refused")
    add("scalar.json", "42", "a JSON number, not a list of records", "refused")
    add("empty.json", b"", "an empty .json", "refused")
    add("not_records.json", json.dumps([1, "x", None, [2], {"date": "2026-01-20",
                                                             "place": "Bavet"}]),
        "a list holding non-objects", "refused")
    payloads = [dict(r, place=p, notes=p, source=p) for r, p in
                zip(records(len(FORMULAS + MARKUP)), FORMULAS + MARKUP, strict=True)]
    payloads.append(dict(zip(HEADER, secret(100), strict=True)))
    payloads.append({"date": "2026-01-20", "place": "Bavet\u0000gate", "notes": "nul\u0000"})
    add("payloads.json", json.dumps(payloads, ensure_ascii=True),
        "formula and markup payloads, a NUL escape, a sensitive record", "read",
        len(payloads), sensitive=True)
    add("utf16.json", "\ufeff" + json.dumps(records(4)), "JSON in UTF-16 with BOM", "read", 4,
        encoding="utf-16-le")
    odd = [dict(r) for r in records(5)]
    odd[0]["people"] = {"nested": [1, 2]}
    odd[1]["people"] = 1e308
    odd[2]["place"] = ["Bavet", "Poipet"]
    odd[3]["date"] = 20260120
    odd[4]["sensitive"] = "yes"
    odd[4].update(dict(zip(HEADER, secret(101), strict=True)))
    add("odd_types.json", json.dumps(odd), "objects, lists and huge numbers in cells", "read", 5,
        sensitive=True)

    features = [feature(r, [106.15, 11.08]) for r in records(6)]
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection)
    add("truncated.geojson", text[: len(text) * 2 // 3], "GeoJSON cut short", "refused")
    add("not_a_collection.geojson", json.dumps({"type": "Point", "coordinates": [1, 2]}),
        "a bare geometry", "refused")
    hostile = [feature(records(1)[0], None), feature(dict(records(2)[1], place="=1+1"),
                                                     [999, 999]),
               feature(dict(records(3)[2], notes="<script>alert(1)</script>"), ["a", "b"]),
               feature(dict(zip(HEADER, secret(102), strict=True)), [104.18, 10.61]),
               {"type": "Feature", "properties": None, "geometry": None},
               feature(records(6)[5], [[106.15, 11.08]])]
    add("hostile_features.geojson", json.dumps({"type": "FeatureCollection",
                                                "features": hostile}),
        "null, out-of-range, text and nested coordinates; null properties; a sensitive row",
        "read", 6, sensitive=True)
    nested = '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ' \
        '{"date": "2026-01-20", "place": "Bavet"}, "geometry": {"type": "Polygon", ' \
        '"coordinates": ' + "[" * 20_000 + "]" * 20_000 + "}}]}"
    add("deep_geometry.geojson", nested, "a geometry nested 20,000 deep", "refused")
    add("geojson_named.json", text, "a FeatureCollection in a .json file", "read", 6)


# -- folder and articles ------------------------------------------------------------------------
def make_other() -> None:
    folder = OUT / "folder_as_log.csv"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inside.txt").write_text("a folder named like a log\n", encoding="utf-8")
    entry("folder_as_log.csv", "a folder passed as a log", "refused")

    story = ("Phnom Penh, 20 January 2026. Police raided a compound in Bavet on Saturday and "
             "rescued 40 Vietnamese nationals. ")
    add("articles/nul_bytes.txt", story.replace("raided", "rai\x00ded") + "\x00" * 100,
        "an article with NUL bytes", "read", 0, kind="article")
    add("articles/huge_line.txt", (story * 800).replace("\n", " "),
        "one line of about 100,000 characters", "read", 0, kind="article")
    add("articles/html_payload.txt",
        "<html><script>alert(1)</script><img src=x onerror=alert(1)>" + story
        + '<a href="javascript:alert(1)">more</a> =HYPERLINK("http://x","y") deported '
          "12 people through =cmd|' /C calc'!A0 checkpoint.\n",
        "an article of HTML and formula payloads", "read", 0, kind="article")
    add("articles/mixed_scripts.txt",
        "ប៉ូលិសបានវាយឆ្មក់ នៅបាវិត។ 警方在西港突袭诈骗园区。 ตำรวจบุกค้นที่ปอยเปต. "
        "Công an trục xuất 42 người qua cửa khẩu Mộc Bài. " + story,
        "Khmer, Chinese, Thai, Vietnamese text", "read", 0, kind="article")
    add("articles/empty.txt", b"", "an empty article", "read", 0, kind="article")
    add("articles/binary.txt", bytes((i * 31 + 7) % 256 for i in range(4096)),
        "binary garbage named .txt", "refused", kind="article")
    add("articles/latin1.txt", "Publié le 20 janvier 2026. La police a arrêté 12 "
        "ressortissants chinois à Sihanoukville, déportés vers la Chine.\n",
        "a French article in Latin-1", "refused", kind="article",
        encoding="latin-1")
    add("articles/bidi.txt", "\u202e" + story + "\u202c Police arrested 3 people in Poipet.",
        "an article with a bidi override", "read", 0, kind="article")


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    OUT = parser.parse_args().out
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    make_csv()
    make_xlsx()
    make_json()
    make_other()
    with (OUT / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["file", "kind", "tests", "outcome", "rows",
                                         "sensitive"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(MANIFEST, key=lambda m: m["file"]))
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(MANIFEST)} entries, {size:,} bytes in {OUT}")


if __name__ == "__main__":
    main()
