"""Map and report styling (mapper.style): type colours and glyphs, choropleth classes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mapper import style
from mapper.schema import INCIDENT_TYPES


def test_every_incident_type_has_its_own_colour_and_glyph():
    assert set(style.TYPE_STYLES) == set(INCIDENT_TYPES)
    colours = [c for c, _ in style.TYPE_STYLES.values()]
    glyphs = [g for _, g in style.TYPE_STYLES.values()]
    assert len(set(colours)) == len(colours) and len(set(glyphs)) == len(glyphs)
    assert not set(colours) & set(style.EXTRA_COLOURS), "types named by a log look different"
    assert all(len(g) == 1 for g in glyphs)
    for colour in [*colours, *style.EXTRA_COLOURS, *style.CHOROPLETH_COLOURS]:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour


def test_few_distinct_values_get_a_class_each_and_zero_its_own():
    breaks = style.class_breaks(pd.Series([0, 0, 1, 2, 2]))
    assert breaks == [0.0, 1.0, 2.0]
    assert style.class_labels(breaks) == [["0", "#fff5eb"], ["1", "#fdd0a2"], ["2", "#fd8d3c"]]
    assert [style.colour(v, breaks) for v in (0, 1, 2)] == list(style.CHOROPLETH_COLOURS[:3])


def test_many_counts_get_four_natural_classes_with_whole_limits_above_zero():
    breaks = style.class_breaks(pd.Series(range(11)))
    assert breaks == [0.0, 2.0, 4.0, 7.0, 10.0]
    labels = style.class_labels(breaks)
    assert [text for text, _ in labels] == ["0", "1\u20132", "3\u20134", "5\u20137", "8\u201310"]
    assert [fill for _, fill in labels] == list(style.CHOROPLETH_COLOURS)


def test_skewed_counts_keep_whole_limits_and_every_value_in_a_class():
    counts = pd.Series([0, 1, 2, 3, 5, 8, 13, 40, 120, 3, 4, 4, 7, 7, 9, 1250, 17, 0])
    breaks = style.class_breaks(counts)
    assert breaks[0] == 0.0 and breaks[-1] == 1250.0 and len(breaks) <= 5
    assert all(float(b).is_integer() for b in breaks)
    assert "1,250" in style.class_labels(breaks)[-1][0]  # never "1.25e+03"


def test_rates_keep_two_decimals():
    breaks = style.class_breaks(pd.Series([0, 0.37, 1.2, 3.4, 5.55, 0.01, 2.2]))
    assert breaks == [0.0, 0.37, 2.2, 3.4, 5.55]
    assert style.class_labels(breaks)[1][0] == "over 0 to 0.37"


def test_whole_number_classes_read_as_ranges():
    assert style.class_labels([0.0, 2.0, 5.0]) == [
        ["0", "#fff5eb"], ["1\u20132", "#fdd0a2"], ["3\u20135", "#fd8d3c"]]


@pytest.mark.parametrize(("value", "fill"), [(0, 0), (0.1, 1), (3.25, 1), (3.3, 2), (10, 4),
                                             (99, 4)])
def test_colour_takes_the_first_class_the_value_fits(value, fill):
    breaks = [0.0, 3.25, 5.5, 7.75, 10.0]
    assert style.colour(value, breaks) == style.CHOROPLETH_COLOURS[fill]


def test_no_incidents_at_all_is_one_class():
    breaks = style.class_breaks(pd.Series([0, 0, 0]))
    assert breaks == [0.0]
    assert style.class_labels(breaks) == [["0", "#fff5eb"]]


def test_boundary_attribution_names_sources_and_licences():
    for words in ("geoBoundaries", "OpenStreetMap", "ODbL", "Open Development Cambodia",
                  "CC BY 4.0"):
        assert words in style.BOUNDARY_ATTRIBUTION
