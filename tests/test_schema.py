"""The incident table (mapper.schema): columns, dtypes, vocabularies and date labels."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper import schema
from mapper.schema import GeoPrecision, IncidentType, Status


def test_conform_adds_missing_columns_empty_in_schema_order_with_extras_after():
    frame = pd.DataFrame({"zz_extra": ["x"], "place": ["Bavet"], "id": ["a"]})
    out = schema.conform(frame)
    assert list(out.columns) == [*schema.INCIDENT_COLUMNS, "zz_extra"]
    for name, dtype in schema.INCIDENT_COLUMNS.items():
        assert str(out[name].dtype) == str(dtype), name
    assert out.loc[0, "place"] == "Bavet" and out.loc[0, "zz_extra"] == "x"
    assert out["people"].isna().all()


def test_conform_casts_to_the_schema_dtypes_and_leaves_its_input_alone():
    frame = pd.DataFrame({"people": [42.0, None], "sensitive": [True, False],
                          "latitude": ["11.5", "12"]})
    out = schema.conform(frame)
    assert out["people"].tolist()[0] == 42 and pd.isna(out.loc[1, "people"])
    assert str(out["people"].dtype) == "Int64"
    assert out["latitude"].tolist() == [11.5, 12.0]
    assert str(frame["people"].dtype) == "float64", "the caller's frame is not modified"


def test_conform_to_the_geocoded_columns():
    out = schema.conform(pd.DataFrame({"id": ["a"]}), schema.GEOCODED_COLUMNS)
    assert list(out.columns) == list(schema.GEOCODED_COLUMNS)
    assert set(schema.GEO_COLUMNS) <= set(out.columns)
    assert str(out["geo_precision"].dtype) == "Int64"


def test_the_column_groups_do_not_overlap():
    groups = [schema.INPUT_COLUMNS, schema.INGEST_COLUMNS, schema.GEO_COLUMNS]
    names = [name for group in groups for name in group]
    assert len(names) == len(set(names))
    assert set(schema.COUNT_COLUMNS) <= set(schema.INPUT_COLUMNS)


def test_vocabularies():
    assert tuple(t.value for t in IncidentType) == schema.INCIDENT_TYPES
    assert "deportation" in schema.INCIDENT_TYPES and schema.INCIDENT_TYPES[-1] == "other"
    assert schema.STATUSES[0] == Status.OK == "ok"
    assert "draft" in schema.STATUSES
    # Smaller is more precise; only countries are never put on the map.
    assert GeoPrecision.PLACE < GeoPrecision.DISTRICT < GeoPrecision.PROVINCE
    assert max(GeoPrecision) == GeoPrecision.COUNTRY


@pytest.mark.parametrize(("precision", "label"), [
    ("day", "2026-01-20"), ("month", "2026-01"), ("year", "2026"), (None, "2026-01-20"),
])
def test_date_labels_are_as_precise_as_the_date(precision, label):
    dates = pd.Series([pd.Timestamp("2026-01-20"), pd.NaT])
    labels = schema.date_labels(dates, pd.Series([precision, "day"], dtype=object))
    assert labels.tolist() == [label, None]
