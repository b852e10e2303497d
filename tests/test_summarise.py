"""Province summaries: the tables, their invariants, the population file and the exports."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper import summarise as sm
from mapper.pipeline import write_summary
from mapper.reference import Reference
from mapper.schema import INCIDENT_TYPES, STATUSES

CODES = [f"KH-{i}" for i in range(1, 26)]


# -- the sample ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def joined(reference):
    from mapper.pipeline import SAMPLE, locate

    return locate([SAMPLE], reference=reference)


@pytest.fixture(scope="module")
def summary(joined):
    return sm.summarise(joined, by="district", period="month")


def _row(summary, name):
    table = summary.provinces.set_index("province")
    return table.loc[name]


def test_sample_has_all_25_provinces_in_code_order(summary):
    codes = summary.provinces["adm1_code"].tolist()
    assert codes == CODES
    assert summary.provinces["province"].notna().all()


def test_sample_prey_veng_deportation(summary):
    row = _row(summary, "Prey Veng")
    assert row["incidents"] == 1
    assert row["type_deportation"] == 1
    assert (row["people"], row["women"]) == (42, 6)
    assert row["top_nationalities"] == "Vietnamese (1)"


def test_sample_svay_rieng_has_one_warning(summary):
    assert _row(summary, "Svay Rieng")["type_warning"] == 1


@pytest.mark.parametrize("province", ["Preah Sihanouk", "Kampot"])
def test_sample_disappearances(summary, province):
    row = _row(summary, province)
    assert row["type_disappearance"] == 1
    assert "Chinese" in row["top_nationalities"]


def test_sample_national_rows_are_listed_and_in_no_province(summary, joined):
    lines = summary.lines.set_index("line")["rows"]
    assert lines["national"] == 3
    national = summary.listed["national"]
    assert sorted(national["id"]) == ["seed-05", "seed-06", "seed-07"]
    assert summary.provinces["incidents"].sum() == len(joined) - 3
    assert lines["total"] == len(joined)


def test_sample_per_100k_and_change(summary):
    row = _row(summary, "Svay Rieng")
    assert row["per_100k"] == pytest.approx(2 / row["population_2019"] * 1e5)
    assert (row["current_period"], row["previous_period"]) == ("2026-01", "2025-12")
    assert (row["incidents_current"], row["incidents_previous"], row["change"]) == (2, 0, 2)


def test_sample_period_and_district_tables(summary):
    assert summary.periods["period"].tolist() == ["2026-01"]
    assert summary.periods.loc[0, "total"] == 10
    assert summary.periods.loc[0, "national"] == 3
    districts = summary.districts
    assert "Bavet" in districts["district"].tolist()
    assert districts["incidents"].sum() == summary.provinces["incidents"].sum()


# -- the invariant, for any table ------------------------------------------------------------------
@st.composite
def joined_tables(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    rows = []
    for i in range(n):
        status = draw(st.sampled_from(STATUSES))
        precision = draw(st.sampled_from([None, 1, 2, 3, 4]))
        code = draw(st.sampled_from([None, *CODES]))
        day = draw(st.one_of(st.none(), st.dates(pd.Timestamp("2024-01-01").date(),
                                                  pd.Timestamp("2026-12-31").date())))
        rows.append({
            "id": f"r{i}", "status": status, "geo_precision": precision, "adm1_code": code,
            "type": draw(st.sampled_from([*INCIDENT_TYPES, "smuggling"])),
            "date": None if day is None else pd.Timestamp(day),
            "date_precision": draw(st.sampled_from(["day", "month", "year"])),
            "people": draw(st.one_of(st.none(), st.integers(0, 500))),
            "women": None, "children": None,
            "nationality": draw(st.sampled_from([None, "Chinese", "Thai, Lao", "<b>x</b>"])),
            "place": draw(st.sampled_from([None, "Bavet", "Poipet", "a|b"])),
            "geo_match": None, "adm2_name": None, "message": None, "source": "test",
        })
    frame = pd.DataFrame(rows, columns=["id", "status", "geo_precision", "adm1_code", "type",
                                        "date", "date_precision", "people", "women", "children",
                                        "nationality", "place", "geo_match", "adm2_name",
                                        "message", "source"])
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    frame["people"] = frame["people"].astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=joined_tables(), period=st.sampled_from([None, "month", "quarter", "year"]))
def test_every_row_counted_once_and_per_100k(frame, period):
    summary = sm.summarise(frame, period=period)
    lines = summary.lines.set_index("line")["rows"]
    in_provinces = int(summary.provinces["incidents"].sum())
    others = sum(int(lines[x]) for x in sm.OTHER_LINES)
    assert len(summary.provinces) == 25
    assert in_provinces + others == len(frame)
    assert lines["provinces"] == in_provinces and lines["total"] == len(frame)
    pop = summary.provinces["population_2019"].astype(float)
    expected = summary.provinces["incidents"] / pop * 1e5
    assert summary.provinces["per_100k"].astype(float).tolist() == pytest.approx(
        expected.tolist())
    types = [c for c in summary.provinces.columns if c.startswith("type_")]
    assert (summary.provinces[types].sum(axis=1) == summary.provinces["incidents"]).all()
    if period:
        assert int(summary.periods["total"].sum()) == len(frame)


def test_national_rows_never_reach_a_province():
    frame = pd.DataFrame({
        "status": ["ok", "ok", "ok", "outside", "invalid"],
        "geo_precision": pd.array([4, 3, None, 1, None], dtype="Int64"),
        "adm1_code": ["KH-12", "KH-12", "KH-12", None, "KH-1"],
        "type": ["policy", "raid", "raid", "escape", "raid"],
        "date": pd.to_datetime(["2026-01-01"] * 5),
    })
    summary = sm.summarise(frame)
    lines = summary.lines.set_index("line")["rows"]
    assert summary.provinces.set_index("adm1_code").loc["KH-12", "incidents"] == 1
    assert summary.provinces.set_index("adm1_code").loc["KH-1", "incidents"] == 0
    assert (lines["national"], lines["outside"], lines["invalid"]) == (2, 1, 1)


# -- arguments, periods, dates ---------------------------------------------------------------------
def _tiny():
    return pd.DataFrame({
        "status": ["ok"] * 4, "geo_precision": pd.array([1, 3, 3, 3], dtype="Int64"),
        "adm1_code": ["KH-20", "KH-20", "KH-14", "KH-14"],
        "type": ["raid", "warning", "raid", "raid"],
        "date": pd.to_datetime(["2025-12-05", "2026-01-10", "2026-01-11", "2026-01-01"]),
        "date_precision": ["day", "day", "day", "year"],
    })


@pytest.mark.parametrize(("kwargs", "word"), [
    ({"by": "commune"}, "by"), ({"period": "week"}, "period"),
    ({"date_from": "soon"}, "date_from"), ({"date_to": "32/13/2026"}, "date_to"),
    ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "after"),
])
def test_bad_arguments_name_the_argument(kwargs, word):
    with pytest.raises(sm.SummaryError, match=word):
        sm.summarise(_tiny(), **kwargs)


def test_period_labels_are_honest_about_imprecise_dates():
    frame = _tiny()
    assert sm.period_labels(frame, "month").tolist() == [
        "2025-12", "2026-01", "2026-01", "2026 (month unknown)"]
    assert sm.period_labels(frame, "quarter").tolist()[0] == "2025-Q4"
    assert sm.period_labels(frame, "year").tolist()[-1] == "2026"


def test_change_against_previous_period():
    summary = sm.summarise(_tiny(), period="month")
    row = summary.provinces.set_index("adm1_code").loc["KH-20"]
    assert (row["incidents_current"], row["incidents_previous"], row["change"]) == (1, 1, 0)
    table = summary.period_provinces
    assert table["period"].tolist() == ["2025-12", "2026-01", "2026-01", "2026 (month unknown)"]


def test_date_filter_keeps_dated_rows_within_bounds():
    summary = sm.summarise(_tiny(), date_from="2026-01-01", date_to="2026-01-10")
    assert summary.meta["rows_in"] == 2
    assert summary.meta["rows_left_out_by_dates"] == 2


# -- population -----------------------------------------------------------------------------------
def test_population_file_has_the_25_final_census_figures_with_sources():
    table = Reference().population
    assert table["adm1_code"].tolist() == CODES
    assert (table["population_2019"] > 10_000).all()
    for column in ("source", "source_url", "primary_source", "confirmation"):
        assert table[column].str.strip().ne("").all(), column
    assert set(table["confirmation"]) <= {"confirmed-2", "confirmed-3", "single-source"}
    # The provisional figures of August 2019 are gone (Kampong Chhnang was 525,932).
    assert table.set_index("adm1_code").at["KH-4", "population_2019"] == 527_027


def test_population_sums_to_the_published_national_total():
    assert Reference().population["population_2019"].sum() == sm.CENSUS_2019_TOTAL == 15_552_211


# -- exports -------------------------------------------------------------------------------------
def test_write_summary_outputs_and_xlsx(joined, tmp_path, reference):
    import openpyxl

    paths = write_summary(joined, tmp_path, by="district", period="month",
                             reference=reference)
    names = {p.name for p in paths}
    assert {"provinces.csv", "lines.csv", "by_month.csv", "districts.csv", "summary.xlsx",
            "summary.json", "summary.md", "report.html", "choropleth.png"} <= names
    wb = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert wb.sheetnames == ["Provinces", "Not in a province", "By month",
                             "By month and province", "Districts", "Listed rows", "About"]
    ws = wb["Provinces"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}26"
    header = [c.value for c in ws[1]]
    per = header.index("per_100k") + 1
    assert ws.cell(2, per).number_format == "0.00"
    assert ws.cell(2, header.index("incidents") + 1).number_format == "#,##0"
    about = [row for row in wb["About"].iter_rows(values_only=True)]
    assert any(r and r[0] == "Population" for r in about)
    assert any(r and r[1] == "per_100k" and "100000" in r[2] for r in about)
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(data["tables"]["provinces"]) == 25
    assert "| Prey Veng |" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_outputs_are_byte_identical_across_runs(joined, tmp_path, reference):
    first = write_summary(joined, tmp_path / "a", period="quarter", reference=reference)
    second = write_summary(joined, tmp_path / "b", period="quarter", reference=reference)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(first[[p.name for p in first].index("summary.xlsx")]) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_xlsx_never_writes_formulas(tmp_path):
    import openpyxl

    frame = _tiny().assign(nationality="=HYPERLINK(\"x\")", id=["a", "b", "c", "d"])
    summary = sm.summarise(frame)
    path = Path(tmp_path / "s.xlsx")
    path.write_bytes(sm.xlsx_bytes(summary))
    ws = openpyxl.load_workbook(path)["Provinces"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("=") for v in values)


def test_cli_summarize(tmp_path, geodata_dir):
    from typer.testing import CliRunner

    from mapper.cli import app
    from mapper.pipeline import SAMPLE

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["summarize", str(SAMPLE), "--by", "district", "--period",
                                      "year", "--from", "2026-01-01", "--out", str(out),
                                      "--geodata", str(geodata_dir)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "by_year.csv").is_file()
    bad = CliRunner().invoke(app, ["summarize", str(SAMPLE), "--to", "soon", "--out",
                                   str(out), "--geodata", str(geodata_dir)])
    assert bad.exit_code == 2


def test_markdown_keeps_user_text_as_text():
    from mapper.summarise import markdown_table

    table = pd.DataFrame({"place": ["<img src=x onerror=alert(1)> | `x`"]})
    cell = markdown_table(table).splitlines()[-1]
    assert "<img" not in cell and "&lt;img src=x onerror=alert(1)&gt;" in cell
    assert "\\|" in cell and "\\`x\\`" in cell


# -- large logs: figures per group, row lists cut for people ---------------------------------
def test_first_and_last_dates_and_tops_per_province_as_a_row_by_row_reading_gives():
    frame = pd.DataFrame({
        "status": ["ok"] * 6, "geo_precision": pd.array([1] * 6, dtype="Int64"),
        "adm1_code": ["KH-20", "KH-20", "KH-20", "KH-20", "KH-14", "KH-14"],
        "type": ["raid"] * 6,
        "date": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-03-05", "2026-03-05",
                                None, "2025-07-01"]),
        # The same day twice at each end: the earliest row gives the first date, the
        # latest the last, each as precisely as that row knows it.
        "date_precision": ["month", "day", "day", "year", "day", "year"],
        "nationality": ["Thai, Lao", "lao", "Lao", "Chinese", None, ""],
        "place": ["Bavet", "bavet", "Bavet", "", None, "Poipet"],
    })
    rows = sm.summarise(frame).provinces.set_index("adm1_code")
    assert (rows.at["KH-20", "first_date"], rows.at["KH-20", "last_date"]) == ("2026-01", "2026")
    assert (rows.at["KH-14", "first_date"], rows.at["KH-14", "last_date"]) == ("2025", "2025")
    assert rows.at["KH-20", "top_nationalities"] == "Lao (2); Chinese (1); lao (1)"
    assert rows.at["KH-20", "top_places"] == "Bavet (2); bavet (1)"
    assert (rows.at["KH-14", "top_nationalities"], rows.at["KH-14", "top_places"]) == (
        "", "Poipet (1)")
    assert pd.isna(rows.at["KH-1", "first_date"]) and rows.at["KH-1", "top_places"] == ""


def _unplaced(rows: int) -> pd.DataFrame:
    """``rows`` rows of which all but two are unresolved (listed one by one)."""
    return pd.DataFrame({
        "id": [f"u{i:04d}" for i in range(rows)], "status": ["ok", "ok"] + ["unresolved"] * (
            rows - 2), "geo_precision": pd.array([1, 1] + [None] * (rows - 2), dtype="Int64"),
        "adm1_code": ["KH-20", "KH-20"] + [None] * (rows - 2), "type": "raid",
        "date": pd.Timestamp("2026-01-05"), "date_precision": "day", "place": "=1+1",
        "message": 'field "place": no place found for this name',
    })


def test_a_long_list_of_rows_not_placed_is_whole_in_csv_and_cut_elsewhere(tmp_path):
    import openpyxl

    summary = sm.summarise(_unplaced(252))
    paths = sm.write_tables(summary, tmp_path)
    assert len(pd.read_csv(tmp_path / "listed_rows.csv")) == 250
    assert len(pd.read_parquet(tmp_path / "listed_rows.parquet")) == 250
    assert tmp_path / "listed_rows.parquet" in paths
    note = "\u2026 and 150 more rows: see listed_rows.csv (or listed_rows.parquet)"
    sheet = list(openpyxl.load_workbook(tmp_path / "summary.xlsx")["Listed rows"].values)
    assert len(sheet) == 1 + 100 + 1 and sheet[-1][0] == note
    assert sheet[1][4] == "'=1+1"  # still never a formula
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(data["tables"]["listed_rows"]) == 100
    assert data["more_rows"]["listed_rows"]["more"] == 150
    assert note in (tmp_path / "summary.md").read_text(encoding="utf-8")
    # The provinces and lines are whole: 2 placed, 250 unresolved.
    assert data["tables"]["provinces"][19]["incidents"] == 2
    assert [r["rows"] for r in data["tables"]["lines"] if r["line"] == "unresolved"] == [250]


def test_a_short_list_is_whole_everywhere_and_an_old_parquet_goes(tmp_path):
    sm.write_tables(sm.summarise(_unplaced(252)), tmp_path)
    paths = sm.write_tables(sm.summarise(_unplaced(102)), tmp_path)
    assert not (tmp_path / "listed_rows.parquet").exists()
    assert {p.name for p in paths} == {p.name for p in tmp_path.iterdir()}
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(data["tables"]["listed_rows"]) == 100 and "more_rows" not in data
