"""The quick ways of reading give what the careful ones give (issue 16: a million rows fast).

CSV files are read by pyarrow unless they need Python's csv module (mapper.ingest.delimited);
columns of text are kept as pyarrow read them and checked once per distinct cell
(mapper.ingest.columns). Each test reads the same file both ways and compares everything
read_incidents returns: the frame, its dtypes, the problems, the warnings, the messages.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_support import write_xlsx

import mapper.ingest.columns as columns
import mapper.ingest.delimited as delimited
from mapper.errors import IncidentMapperError
from mapper.ingest import read_incidents


def _careful(monkeypatch, path: Path, **options):
    """read_incidents with the quick CSV reader and pyarrow's text columns turned off."""
    with monkeypatch.context() as m:
        m.setattr(delimited, "_read_plain_csv", lambda path, label: None)
        m.setattr(columns, "_as_arrow_text", lambda cells: None)
        return _outcome(path, **options)


def _outcome(path: Path, **options):
    try:
        frame = read_incidents(path, **options)
    except IncidentMapperError as err:
        return str(err)
    return frame


def _same(quick, careful) -> None:
    if isinstance(careful, str) or isinstance(quick, str):
        assert quick == careful
        return
    pd.testing.assert_frame_equal(quick, careful, check_exact=True)
    assert [repr(t) for t in quick.dtypes] == [repr(t) for t in careful.dtypes]
    for name in ("problems", "warnings", "files", "ingest_rows"):
        assert quick.attrs[name] == careful.attrs[name], name
    for problem in quick.attrs["problems"]:
        assert type(problem.row) is int


def _quick_was_taken(monkeypatch, path: Path) -> bool:
    taken = []
    read = delimited._read_plain_csv

    def spy(path, label):
        part = read(path, label)
        taken.append(part is not None)
        return part

    with monkeypatch.context() as m:
        m.setattr(delimited, "_read_plain_csv", spy)
        read_incidents(path)
    return taken == [True]


HEADER = "id,date,type,place,latitude,longitude,people,women,children,source_url,notes,keep,x\n"
CASES = {
    "plain": HEADER + "a1,2026-01-20,raid,Poipet,11.5,104.9,3,1,1,https://x.org/a,n,yes,v\n"
    "a2,20/01/2026,Rafle,Bavet,,,1 200,,,,,,\n",
    "quotes as the csv module reads them": HEADER + 'a1,2026,raid,"Po""ipet",,,,,,,"a, b",,'
    '\na2,2026,raid,Po"ipet,,,,,,,"x" y,,"""q"""\na3,2026,raid,"a"b"c",,,,,,, "sp",,\n',
    "crlf and a byte order mark": "\ufeff" + HEADER.replace("\n", "\r\n")
    + "a1,2026,raid,Poipet,,,,,,,,,\r\n\r\n,,,,,,,,,,,,\r\n",
    "lone carriage returns": HEADER.replace("\n", "\r") + "a1,2026,raid,P,,,,,,,,,\r\r",
    "blank lines between and after": HEADER + "\na1,2026,raid,P,,,,,,,,,\n\n\n"
    "a2,2026,raid,Q,,,,,,,,,\n\n\n",
    "blank rows before the header": ",,,\n,,,\nid,date,place,notes\n1,2026,P,x\n",
    "white space of every kind": HEADER + "\x1ca1\x1f,\t2026 ,\x0braid\x0c,\xa0Poipet\u3000,"
    " 11.5 ,104.9,\u20033,,,,\u2028,,\x85\n  ,   ,,,,,,,,,,,\n",
    "accents composed or not, other scripts": HEADER + "a1,2026,raid,Ka\u0301mpo\u0302t,,,,,,,"
    "Kâmpôt,,ខេត្ត\na2,2026,raid,Kâmpôt,,,,,,,Ω\u212b,,\n",
    "markers, bad values, repeated and missing ids": HEADER + "a1,n/a,-,?,95,200,-1,x,,ftp://x,"
    ",no,\na1,2026-13-01,foo,P,11,,2.5,5,7,www.x.org,,non,\n,,,,,,,,,,,,\n,2026,raid,Q,,,,,,,,"
    ",\n,2026,raid,Q,,,,,,,,,\n",
    "NUL bytes in a cell": HEADER + "a1,2026,raid,Po\x00ipet,,,,,,,,,\n",
    "semicolons and decimal commas": HEADER.replace(",", ";")
    + "a1;2026;raid;P;11,5;104,9;;;;;;;\n",
    "tabs": HEADER.replace(",", "\t") + "a1\t2026\traid\tP\t\t\t\t\t\t\t\t\t\n",
    "an unnamed column, empty or not": "id,,place,,\na1,,P,,\na2,,Q,z,\n",
    "a header only": HEADER + "\n\n",
    "rows of different lengths": HEADER + "a1,2026,raid,P\na2,2026,raid,P,,,,,,,,,,spill,\n",
    "a quoted line break": HEADER + 'a1,2026,raid,"Poi\npet",,,,,,,"line\r\nbreak",,\n',
    "a quote never closed": HEADER + 'a1,2026,raid,"Poipet,,,,,,,,,\na2,2026,raid,P,,,,,,,,,\n',
    "a quote closed lines later": HEADER + 'a1,2026,raid,"Poipet,,,,,,,,,\na2,2026,raid,P,,,,,'
    ',,,,\na3,2026,raid,Q",,,,,,,,,\na4,2026,raid,R,,,,,,,,,\n',
}


@pytest.mark.parametrize("name", CASES)
def test_quick_csv_reading_is_the_careful_one(tmp_path, monkeypatch, name):
    path = tmp_path / "log.csv"
    path.write_bytes(CASES[name].encode("utf-8"))
    _same(_outcome(path), _careful(monkeypatch, path))


def test_plain_files_take_the_quick_way_and_line_breaks_the_careful_one(tmp_path, monkeypatch):
    plain = tmp_path / "plain.csv"
    plain.write_text(CASES["plain"] + CASES["white space of every kind"], encoding="utf-8")
    assert _quick_was_taken(monkeypatch, plain)
    broken = tmp_path / "broken.csv"
    broken.write_text(CASES["a quoted line break"], encoding="utf-8")
    assert not _quick_was_taken(monkeypatch, broken)


def test_several_files_in_one_call(tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(CASES["markers, bad values, repeated and missing ids"], encoding="utf-8")
    second.write_text(CASES["plain"], encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(delimited, "_read_plain_csv", lambda path, label: None)
        m.setattr(columns, "_as_arrow_text", lambda cells: None)
        careful = read_incidents([first, second, first])
    _same(read_incidents([first, second, first]), careful)


def test_a_workbook_of_text_reads_as_it_does_cell_by_cell(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "log.xlsx", {"Sheet": [
        ["id", "date", "place", "people", "notes", "extra"],
        ["a1", "2026-01-20", " Poipet ", 3, "x", "Kâmpôt"],
        ["a1", "2026-02", "Bavet", "1 200", None, 1.5],
        [None, None, None, None, None, None],
        ["", "n/a", "Ka\u0301mpo\u0302t", "x", "  ", "ok"],
    ]})  # fmt: skip
    _same(_outcome(path), _careful(monkeypatch, path))


CELL = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab ,;"\t\x1c\xa0é1.-/')), max_size=6),
    st.sampled_from(["", " ", "n/a", "2026-01-20", "raid", "11.5", "1 200", "a1", "Poipet"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    names=st.lists(st.sampled_from(["id", "date", "place", "people", "latitude", "notes",
                                    "longitude", "x", ""]), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, min_size=6, max_size=6), max_size=10),
    delimiter=st.sampled_from([",", ";", "\t"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_plain_table_reads_the_same_both_ways(monkeypatch, names, rows, delimiter, ending):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, delimiter=delimiter, lineterminator=ending)
            writer.writerows([names, *(row[: len(names)] for row in rows)])
        _same(_outcome(path), _careful(monkeypatch, path))


def test_a_file_read_in_many_blocks_reads_as_one(tmp_path, monkeypatch):
    """pyarrow reads a file block by block, the columns of parsed fields as dictionaries of
    their own per block; blank rows around the data span several looks for the header."""
    monkeypatch.setattr(delimited, "_BLOCK", 256)
    lines = [",,,,,,"] * 150 + ["id,date,type,people,women,latitude,notes"]
    lines += [f"a{i},2026-01-{i % 28 + 1:02d},{['raid', 'Rafle', 'x'][i % 3]},{i % 9},{i % 4},"
              f"{'' if i % 5 else 11.5 + i / 1000},n{i % 11}" for i in range(400)]
    lines += [",,,,,,"] * 130
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _quick_was_taken(monkeypatch, path)
    _same(_outcome(path), _careful(monkeypatch, path))


@pytest.mark.parametrize("pad", range(0, 80, 7))
def test_a_quoted_line_break_where_a_block_ends_is_read_carefully(tmp_path, monkeypatch, pad):
    """A quoted value over two lines, its line break at every place of small blocks, the
    second line as wide as a row: pyarrow must never cut the record where a block ends (it
    would read the second line as a row of its own), whatever its options."""
    monkeypatch.setattr(delimited, "_BLOCK", 64)
    rows = [f"a{i},2026,raid,P{i},{i % 7}" for i in range(30)]
    for at in range(3, 30, 6):
        lines = [*rows]
        lines[at] = f'a{at},2026,raid,"{"x" * pad}\n{"y" * (at % 5)},2026,raid,P",1'
        path = tmp_path / f"log{at}.csv"
        path.write_text("id,date,type,place,people\n" + "\n".join(lines) + "\n", encoding="utf-8")
        _same(_outcome(path), _careful(monkeypatch, path))


@pytest.mark.parametrize("texts", [["b", " a", "b", "", "a\tb", "ü "], ["b", None, " ", "b"]])
def test_a_column_read_as_a_dictionary_is_the_column_of_its_text(texts):
    pa = columns.pa
    array = pa.array(texts, type=pa.large_string())
    chunks = pa.chunked_array([array.slice(0, 2).dictionary_encode(),
                               array.slice(2).dictionary_encode()])  # fmt: skip
    coded, plain = columns._Column.of_dictionary(chunks), columns._Column.of_arrow(array)
    for column in (coded, plain):
        assert [column.cell(i) for i in range(len(texts))] == texts
    assert coded.blank().tolist() == plain.blank().tolist()
    assert [coded.texts()[k] for k in coded.codes] == [plain.texts()[k] for k in plain.codes]
    assert (coded.longest(), coded.has_line_break()) == (plain.longest(), plain.has_line_break())
