"""The fixed facts the stages share."""

from __future__ import annotations

from mapper import constants


def test_province_codes_are_the_25_iso_codes_in_official_order():
    assert constants.PROVINCE_CODES[0] == "KH-1" and constants.PROVINCE_CODES[-1] == "KH-25"
    assert len(set(constants.PROVINCE_CODES)) == 25


def test_every_province_point_lies_in_the_bounding_box(reference):
    lon_min, lat_min, lon_max, lat_max = constants.CAMBODIA_BBOX
    points = reference.province_points
    assert points["lat"].between(lat_min, lat_max).all()
    assert points["lon"].between(lon_min, lon_max).all()


def test_the_metric_crs_measures_in_metres(reference):
    metric = reference.layer("ADM0").to_crs(constants.METRIC_CRS)
    assert 170_000e6 < metric.area.sum() < 190_000e6  # Cambodia: about 181,000 km2
