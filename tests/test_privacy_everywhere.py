"""Privacy is a property of the run (issue 12): a public or partner map and summary built
from a log with sensitive rows and small cells carry none of what they may not show, in any
byte of any file (HTML, CSV, JSON, Markdown, the workbook's XML; pictures excluded)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from mapper import schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.pipeline import write_summary
from mapper.privacy import Privacy, PrivacyError, people_band
from mapper.render import MapOptions, write_map

#: What a sensitive row holds that no partner or public output may carry.
SECRETS = ("ZZID-SECRET", "ZZPLACE-SAFEHOUSE", "ZZNOTE-INFORMANT", "ZZACTOR-OFFICER",
           "Zzlandish", "zzurl.example", "ZZDISTRICT-X", "ZZCOMMUNE-Y", "ZZSOURCE-TIPSTER",
           "ZZUNRESOLVED-VILLAGE", "2026-01-17")
SMALL = {"KH-7": "Kampot", "KH-12": "Phnom Penh"}  # 2 and 1 incidents
SECRET_PEOPLE = 37


def _secret_row(**extra) -> dict:
    return {"type": "rescue", "sensitive": True, "notes": "ZZNOTE-INFORMANT met them",
            "actor": "ZZACTOR-OFFICER", "nationality": "Zzlandish", "people": SECRET_PEOPLE,
            "women": 11, "source": "ZZSOURCE-TIPSTER", "date": pd.Timestamp("2026-01-17"),
            "source_url": "https://zzurl.example/secret", "district": "ZZDISTRICT-X",
            "commune": "ZZCOMMUNE-Y", **extra}


@pytest.fixture(scope="module")
def log(reference) -> pd.DataFrame:
    rows = [{"id": f"r{i}", "type": "raid", "place": "Bavet", "people": 3,
             "nationality": "Thai", "date": pd.Timestamp(f"2026-01-0{i + 1}"),
             "source": "Daily News", "source_url": f"https://news.example/{i}"}
            for i in range(5)]
    rows += [
        # Svay Rieng: 6 incidents, one of them sensitive and placed exactly.
        _secret_row(id="ZZID-SECRET-1", place="ZZPLACE-SAFEHOUSE", latitude=11.08,
                    longitude=106.15),
        # Kampot: 2 incidents (a small cell), one sensitive.
        _secret_row(id="ZZID-SECRET-2", place="ZZPLACE-SAFEHOUSE", latitude=10.61,
                    longitude=104.18),
        {"id": "k1", "type": "raid", "province": "Kampot", "people": 2,
         "date": pd.Timestamp("2026-01-20"), "source": "Daily News"},
        # Phnom Penh: 1 incident (a small cell).
        {"id": "p1", "type": "arrest", "province": "Phnom Penh", "people": 1,
         "date": pd.Timestamp("2026-01-21"), "source": "Daily News"},
        # Sensitive and unresolved: listed, never with its place text.
        _secret_row(id="ZZID-SECRET-3", place="ZZUNRESOLVED-VILLAGE"),
    ]
    frame = pd.DataFrame(rows).assign(status="ok", date_precision="day")
    return join(geocode(schema.conform(frame), reference=reference), reference)


def _build(log, reference, folder: Path, level: str) -> Path:
    privacy = Privacy(level)
    write_map(log, folder / "map.html", MapOptions(offline=True, privacy=privacy), reference)
    write_summary(log, folder / "summary", period="month", by="district",
                  reference=reference, privacy=privacy)
    return folder


@pytest.fixture(scope="module")
def built(log, reference, tmp_path_factory, embedded_assets) -> dict[str, Path]:
    return {level: _build(log, reference, tmp_path_factory.mktemp(level), level)
            for level in ("internal", "partner", "public")}


def _texts(folder: Path) -> dict[str, str]:
    """Every output as text: each file, and each XML part of each workbook."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".png" or not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
                for name in book.namelist():
                    out[f"{path.name}:{name}"] = book.read(name).decode("utf-8")
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


def _map_data(folder: Path) -> dict:
    html = (folder / "map.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json"\s+id="[^"]*_data">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1))


def _map_rows(data: dict) -> pd.DataFrame:
    def column(values):
        if values is None:
            return [None] * len(data["rows"]["type"])
        if isinstance(values, dict):
            return [values["v"][c] if c >= 0 else None for c in values["c"]]
        return values
    return pd.DataFrame({name: column(v) for name, v in data["rows"].items()})


# -- the test can see what it looks for --------------------------------------------------------
def test_an_internal_build_carries_the_markers(built, log):
    assert log.set_index("id").loc["ZZID-SECRET-1", "adm1_code"] == "KH-20"
    assert log.set_index("id").loc["ZZID-SECRET-2", "adm1_code"] == "KH-7"
    assert log.set_index("id").loc["ZZID-SECRET-3", "status"] == "unresolved"
    everything = "\n".join(_texts(built["internal"]).values())
    for marker in ("ZZID-SECRET", "ZZNOTE-INFORMANT", "zzurl.example", "ZZUNRESOLVED-VILLAGE",
                   "Zzlandish", "2026-01-17"):
        assert marker in everything, marker


# -- no sensitive field anywhere ------------------------------------------------------------------
@pytest.mark.parametrize("level", ["partner", "public"])
def test_no_output_byte_carries_a_sensitive_field(built, level):
    texts = _texts(built[level])
    assert {"map.html", "provinces.csv", "listed_rows.csv", "districts.csv", "summary.json",
            "summary.md", "report.html"} <= set(texts)
    assert any(name.startswith("summary.xlsx:xl/") for name in texts)
    for name, text in texts.items():
        for secret in SECRETS:
            assert secret.casefold() not in text.casefold(), f"{secret} in {level} {name}"


@pytest.mark.parametrize("level", ["partner", "public"])
def test_sensitive_rows_keep_province_month_type_and_band(built, level):
    rows = _map_rows(_map_data(built[level]))
    withheld = rows[rows["id"].str.startswith("withheld-")]
    if level == "partner":
        assert len(withheld) == 2, "both placed sensitive rows are drawn, by province"
        assert set(withheld["people_band"]) == {people_band(SECRET_PEOPLE)} == {"20+"}
        assert withheld["people"].isna().all() and withheld["date"].eq("2026-01-01").all()
        assert set(withheld["date_label"]) == {"2026-01"}
    for column in ("place", "nationality", "source_url", "source", "notes", "actor",
                   "adm2_name", "adm3_name", "geo_match"):
        assert withheld[column].isna().all(), column
    listed = pd.read_csv(built[level] / "summary" / "listed_rows.csv", dtype=str)
    secret = listed[listed["id"].str.startswith("withheld-")]
    assert len(secret) == 1 and secret["place"].isna().all()
    assert secret["date"].tolist() == ["2026-01"]
    provinces = pd.read_csv(built[level] / "summary" / "provinces.csv", dtype=str)
    svay_rieng = provinces.set_index("adm1_code").loc["KH-20"]
    assert svay_rieng["people"] == "15", "the sensitive row's 37 is not added in"
    assert svay_rieng["top_nationalities"] in ("Thai (5)",)


# -- small cells ----------------------------------------------------------------------------------
def test_public_map_shows_small_cells_only_as_shading(built):
    data = _map_data(built["public"])
    rows = _map_rows(data)
    assert not rows["adm1_code"].isin(list(SMALL)).any(), "no row of a small cell in the page"
    assert all(p[0] not in SMALL for p in data["province_items"])
    assert all(i < len(rows) for m in data["markers"] for i in m[4])
    texts = {f["properties"]["adm1_code"]: f["properties"]["count_text"]
             for f in data["provinces"]["features"]}
    for code in SMALL:
        assert texts[code] == "fewer than 3 incidents"
    assert texts["KH-20"] == "6 incidents"
    per100k = {f["properties"]["adm1_code"]: f["properties"]["per100k_text"]
               for f in data["provinces"]["features"]}
    assert all(per100k[code] == "not shown (few incidents)" for code in SMALL)
    names = [entry[0] for entry in data["search"]]
    assert "ZZPLACE-SAFEHOUSE" not in names


def test_partner_map_still_shows_every_count(built):
    data = _map_data(built["partner"])
    texts = {f["properties"]["adm1_code"]: f["properties"]["count_text"]
             for f in data["provinces"]["features"]}
    assert (texts["KH-7"], texts["KH-12"]) == ("2 incidents", "1 incident")


def _count_cells(table: pd.DataFrame) -> pd.DataFrame:
    skip = ("adm1_code", "province", "population_2019", "current_period", "previous_period",
            "district")
    return table[[c for c in table.columns if c not in skip]]


def test_public_summary_tables_show_no_small_count(built):
    folder = built["public"] / "summary"
    provinces = pd.read_csv(folder / "provinces.csv", dtype=str).set_index("adm1_code")
    for code in SMALL:
        cells = _count_cells(provinces.loc[[code]].reset_index()).iloc[0]
        assert cells["incidents"] == "<3"
        assert cells.drop("incidents").isna().all(), cells.dropna().to_dict()
    assert provinces.loc["KH-20", "incidents"] == "6"
    by_province = pd.read_csv(folder / "by_month_province.csv", dtype=str)
    assert not by_province["adm1_code"].isin(list(SMALL)).any()
    districts = pd.read_csv(folder / "districts.csv", dtype=str)
    assert not districts["adm1_code"].isin(list(SMALL)).any()
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    for row in summary["tables"]["provinces"]:
        if row["adm1_code"] in SMALL:
            assert row["incidents"] == "<3" and row["type_raid"] is None
            assert row["people"] is None and row["first_date"] is None
    assert "fewer than 3" in summary["meta"]["suppression"]
    assert summary["meta"]["privacy"].startswith("Privacy: public")
    markdown = (folder / "summary.md").read_text(encoding="utf-8")
    for name in SMALL.values():
        line = next(x for x in markdown.splitlines() if f"| {name} |" in x)
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[2] == "&lt;3" and not any(c.isdigit() and int(c) < 3 for c in cells[3:])


def test_public_report_shows_no_small_count(built):
    html = (built["public"] / "summary" / "report.html").read_text(encoding="utf-8")
    rows = {name: re.search(rf"<td>{name}</td>(.*?)</tr>", html, re.S)
            for name in SMALL.values()}
    assert all(rows.values()), "the ranked table lists the small provinces, as <3"
    for row in rows.values():
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        assert cells[0] == "&lt;3"
        assert all(c.strip() in ("", "&lt;3") for c in cells[1:]), cells
    assert "Privacy: public" in html


# -- the policy ------------------------------------------------------------------------------------
def test_drop_adds_to_the_level_and_unknown_fields_are_errors():
    assert Privacy("public", drop=("source_url",)).dropped == (
        "notes", "actor", "names", "source_url")
    with pytest.raises(PrivacyError, match=r"unknown field 'victim_notes'; known fields: "):
        Privacy("partner", drop="victim_notes")


def test_a_dropped_field_reaches_no_output(log, reference, tmp_path, embedded_assets):
    privacy = Privacy("partner", drop=("source_url",))
    write_map(log, tmp_path / "map.html", MapOptions(offline=True, privacy=privacy), reference)
    write_summary(log, tmp_path / "summary", reference=reference, privacy=privacy)
    for name, text in _texts(tmp_path).items():
        assert "news.example" not in text, name


@pytest.mark.parametrize(("counts", "small", "secondary", "totals_hidden"), [
    ({"KH-1": 10, "KH-2": 2, "KH-3": 1}, ("KH-2", "KH-3"), (), False),
    ({"KH-1": 10, "KH-2": 2}, ("KH-2",), ("KH-1",), False),
    ({"KH-1": 10, "KH-2": 1, "KH-3": 1}, ("KH-2", "KH-3"), ("KH-1",), False),
    ({"KH-1": 3, "KH-2": 1}, ("KH-2",), ("KH-1",), True),
    ({"KH-1": 2}, ("KH-1",), (), True),
    ({"KH-1": 10, "KH-2": 0}, (), (), False),
])
def test_small_cells_cannot_be_worked_out_from_the_totals(counts, small, secondary,
                                                          totals_hidden):
    cells = Privacy("public").small_cells(pd.Series(counts))
    assert (cells.small, cells.secondary, cells.totals_hidden) == (
        small, secondary, totals_hidden)
    assert Privacy("partner").small_cells(pd.Series(counts)).hidden == frozenset()


@pytest.mark.parametrize(("n", "band"), [(1, "1-4"), (4, "1-4"), (5, "5-19"), (19, "5-19"),
                                         (20, "20+"), (37, "20+"), (None, None)])
def test_people_bands(n, band):
    assert people_band(n) == band


def test_a_public_row_table_leaves_out_small_cells(log, reference):
    from mapper.privacy import apply_privacy, withhold_small_cells

    public = Privacy("public")
    rows = withhold_small_cells(apply_privacy(log, public, reference), public)
    assert not rows["adm1_code"].isin(list(SMALL)).any()
    assert len(withhold_small_cells(log, Privacy("partner"))) == len(log)
