"""Privacy levels (mapper.privacy): what a partner or public build may show, in the table and
on the map."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from mapper import schema
from mapper.errors import IncidentMapperError
from mapper.geocode import geocode
from mapper.join import join
from mapper.privacy import Privacy, PrivacyError, apply_privacy
from mapper.render import MapOptions, write_map

SECRET = "Informant Sokha met the victims at the back gate"


@pytest.fixture(scope="module")
def sensitive_table(reference) -> pd.DataFrame:
    rows = [
        {"id": "s1", "type": "rescue", "place": "safe house", "latitude": 11.23456,
         "longitude": 105.87654, "sensitive": True, "notes": SECRET,
         "actor": "Officer Dara Kim", "date": pd.Timestamp("2026-01-10")},
        {"id": "s2", "type": "raid", "place": "Bavet", "sensitive": False,
         "notes": SECRET, "actor": "Officer Dara Kim", "date": pd.Timestamp("2026-01-11")},
        {"id": "s3", "type": "warning", "province": "Kampot", "sensitive": True,
         "notes": SECRET, "date": pd.Timestamp("2026-01-12")},
    ]
    frame = pd.DataFrame(rows).assign(status="ok", date_precision="day",
                                      source_url="https://example.org/a")
    frame["names"] = "Sokha; Dara"
    return join(geocode(schema.conform(frame), reference=reference), reference)


# -- the levels ----------------------------------------------------------------------------------
def test_privacy_levels_are_validated():
    with pytest.raises(ValueError, match="privacy level"):
        Privacy("secret")
    with pytest.raises(ValueError, match="suppress_below"):
        Privacy("public", suppress_below=2)


@pytest.mark.parametrize(("level", "dropped", "label"), [
    ("internal", (), "Privacy: internal (all fields)"),
    ("partner", ("notes",),
     "Privacy: partner; removed: notes; sensitive rows shown by province only"),
    ("public", ("notes", "actor", "names"),
     "Privacy: public; removed: notes, actor, names; sensitive rows shown by province only; "
     "province counts below 3 not shown"),
])
def test_each_level_says_what_it_removes(level, dropped, label):
    privacy = Privacy(level)
    assert privacy.dropped == dropped
    assert privacy.label() == label


def test_fields_to_drop_add_to_the_level():
    privacy = Privacy("partner", drop=("actor",))
    assert privacy.dropped == ("notes", "actor"), "the level's own fields always go"
    assert "removed: notes, actor;" in privacy.label()
    assert Privacy("public", drop="source_url, notes").dropped == (
        "notes", "actor", "names", "source_url")
    assert Privacy("internal", drop=("actor",)).dropped == ("actor",)


def test_an_unknown_field_to_drop_is_an_error_naming_the_known_ones():
    with pytest.raises(PrivacyError) as caught:
        Privacy("public", drop=("notes", "victims"))
    message = str(caught.value)
    assert "'victims'" in message and "known fields: id," in message and "\n" not in message
    assert isinstance(caught.value, ValueError) and isinstance(caught.value,
                                                               IncidentMapperError)


# -- the table -----------------------------------------------------------------------------------
def test_internal_changes_nothing(sensitive_table, reference):
    out = apply_privacy(sensitive_table, Privacy("internal"), reference)
    pd.testing.assert_frame_equal(pd.DataFrame(out), pd.DataFrame(sensitive_table))


#: Sensitive rows get neutral ids in (province code, month, type) order: s1 is in KH-20 and
#: s3 in KH-7 (codes compare as text).
S1, S3 = "withheld-1", "withheld-2"


def test_partner_generalises_sensitive_rows_and_keeps_the_rest(sensitive_table, reference):
    out = apply_privacy(sensitive_table, Privacy("partner"), reference)
    row = out.set_index("id").loc[S1]
    assert (row["geo_precision"], row["adm1_code"]) == (3, "KH-20")
    assert row["geo_method"] == "generalised"
    assert pd.isna(row["latitude"]) and pd.isna(row["place"]) and pd.isna(row["adm2_name"])
    assert out["notes"].isna().all()
    assert out.set_index("id").loc["s2", "actor"] == "Officer Dara Kim"
    assert out.set_index("id").loc["s2", "place"] == "Bavet", "not sensitive: kept as is"
    assert len(out) == len(sensitive_table)


def test_a_generalised_row_moves_to_its_province_point(sensitive_table, reference):
    out = apply_privacy(sensitive_table, Privacy("partner"), reference).set_index("id")
    point = reference.province_points.loc["KH-20"]
    assert (out.loc[S1, "lat"], out.loc[S1, "lon"]) == (point["lat"], point["lon"])
    assert out.loc[S1].geometry.equals(shapely.Point(point["lon"], point["lat"]))
    svay_rieng = reference.layer("ADM1").set_index("adm1_code").geometry["KH-20"]
    assert svay_rieng.contains(out.loc[S1].geometry)


def test_a_row_already_placed_by_province_is_left_alone(sensitive_table, reference):
    out = apply_privacy(sensitive_table, Privacy("public"), reference).set_index("id")
    before = sensitive_table.set_index("id")
    assert out.loc[S3, "geo_method"] == before.loc["s3", "geo_method"] != "generalised"
    assert out.loc[S3, "adm1_code"] == "KH-7"


def test_public_empties_actor_and_names_everywhere(sensitive_table, reference):
    out = apply_privacy(sensitive_table, Privacy("public"), reference)
    for column in ("notes", "actor", "names"):
        assert out[column].isna().all(), column
    assert out["id"].tolist() == [S1, "s2", S3], "rows are never dropped, ids withheld"
    assert sensitive_table["actor"].notna().any(), "the input is not modified"


def test_public_small_cell_threshold_follows_the_setting(monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_SUPPRESS_BELOW", "5")
    assert Privacy("public").suppress_below == 5


# -- the map -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def public_map(sensitive_table, reference, tmp_path_factory, embedded_assets):
    path = tmp_path_factory.mktemp("public") / "public.html"
    return write_map(sensitive_table, path, MapOptions(offline=True, privacy=Privacy("public")),
                     reference)


def test_public_build_shows_no_dropped_field_and_no_exact_point(public_map):
    html = public_map.read_text(encoding="utf-8")
    for hidden in ("Informant Sokha", "Dara Kim", "safe house", "[11.2346,105.8765"):
        assert hidden not in html, hidden
    assert "Privacy: public" in html


@pytest.mark.browser
def test_public_build_shows_small_cells_as_province_shading_only(public_map, open_page):
    page = open_page(public_map).page
    drawn = page.evaluate("() => Object.keys(window.incidentMapper.layers)")
    assert drawn == [], "both provinces are small cells: no incident of theirs is drawn"
    assert "Privacy: public" in page.inner_text(".im-legend")
    tooltip_texts = page.evaluate(
        "() => { const out = []; window.incidentMapper.map.eachLayer(l => { "
        "const t = l.getTooltip && l.getTooltip(); if (t) out.push(t.getContent().textContent); "
        "}); return out; }"
    )
    assert any("Svay Rieng: fewer than 3 incidents" in t for t in tooltip_texts)
    assert any("Kampot: fewer than 3 incidents" in t for t in tooltip_texts)
