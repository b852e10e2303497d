"""The spatial join against the real ADM1-ADM3 layers."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper import schema
from mapper.join import join


def placed(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{"geo_precision": 1, **row} for row in rows])
    frame["id"] = [f"r{i}" for i in range(len(frame))]
    frame["status"] = "ok"
    return schema.conform(frame, schema.GEOCODED_COLUMNS)


@pytest.fixture(scope="module")
def joined(reference):
    return join(placed([
        {"lat": 11.5564, "lon": 104.9282},  # central Phnom Penh
        {"lat": 11.0650, "lon": 106.1450},  # Bavet town
        {"lat": 10.4862, "lon": 104.3439},  # 950 m off the Kep coast
        {"lat": 13.7000, "lon": 101.0000},  # Chachoengsao, Thailand
        {"lat": 10.9612, "lon": 103.8599, "geo_precision": 3, "adm1_code": "KH-18"},
        {"lat": None, "lon": None, "geo_precision": 4},
    ]), reference)


def test_point_in_phnom_penh(joined):
    row = joined.iloc[0]
    assert (row["adm1_code"], row["adm1_name"]) == ("KH-12", "Phnom Penh")
    assert pd.notna(row["adm2_name"]) and pd.notna(row["adm3_name"])


def test_point_in_bavet(joined):
    row = joined.iloc[1]
    assert (row["adm1_code"], row["adm2_name"], row["adm3_name"]) == ("KH-20", "Bavet", "Bavet")


def test_point_just_offshore_takes_the_nearest_province_and_is_flagged(joined):
    row = joined.iloc[2]
    assert row["status"] == "ok"
    assert row["adm1_code"] == "KH-23"
    assert "nearest" in row["message"]


def test_point_in_thailand_is_outside(joined):
    row = joined.iloc[3]
    assert row["status"] == "outside"
    assert pd.isna(row["adm1_code"])
    assert "outside Cambodia" in row["message"]


def test_province_level_rows_keep_their_province_and_no_district(joined):
    row = joined.iloc[4]
    assert (row["adm1_code"], row["adm1_name"]) == ("KH-18", "Preah Sihanouk")
    assert pd.isna(row["adm2_name"]) and pd.isna(row["adm3_name"])


def test_country_only_rows_get_no_admin_unit_and_no_geometry(joined):
    row = joined.iloc[5]
    assert pd.isna(row["adm1_code"])
    assert row.geometry is None


def test_rows_are_never_dropped_and_keep_their_order(joined):
    assert joined["id"].tolist() == [f"r{i}" for i in range(6)]
    assert joined.crs.to_epsg() == 4326


def test_a_declared_province_wins_over_a_point_just_across_the_line(reference):
    # A checkpoint on the Prey Veng / Svay Rieng line, declared in Prey Veng.
    out = join(placed([{"lat": 11.5960, "lon": 105.8060, "adm1_code": "KH-14"}]), reference)
    assert out.loc[0, "adm1_code"] == "KH-14"
    assert "declared province is kept" in out.loc[0, "message"]


def test_negative_tolerance_is_refused():
    with pytest.raises(ValueError, match="tolerance_m"):
        join(placed([{"lat": 11.5, "lon": 104.9}]), tolerance_m=-1)
