"""The printed report's three charts, each as PNG and SVG with a one-sentence alt text.

* ``choropleth``: the 25 provinces shaded by incidents (whole-number classes from
  :func:`mapper.style.class_breaks`), each labelled with its official number and named in a
  key beside the map, so no name has to squeeze into a small province;
* ``types``: the provinces with the most incidents, stacked by type;
* ``trend``: incidents per month (quarter or year over long spans), stacked by line.

Every visible word comes from :func:`mapper.words.words` (``chart.*`` keys in
``templates/words_chart.toml``). Figures have fixed sizes, so the report's page layout does
not depend on the log, and are drawn by matplotlib's Agg canvas without pyplot: nothing is
left open and nothing global changes. Saved without dates or software tags, the same summary
gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mapper.constants import METRIC_CRS
from mapper.files import write_with
from mapper.style import (
    CHOROPLETH_COLOURS,
    REPORT_EXTRA_STYLES,
    REPORT_LINE_COLOURS,
    REPORT_TYPE_COLOURS,
    class_breaks,
    colour,
)
from mapper.summarise import NATIONAL, RUNNING_TOTAL, Summary
from mapper.words import number, type_label, words

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

MM = 1 / 25.4
#: Figure sizes in inches: the map with its key fills a page's width, the others half of it.
MAP_SIZE = (180 * MM, 120 * MM)
CHART_SIZE = (90 * MM, 70 * MM)
DPI = 200
NAMES = ("choropleth", "types", "trend")
SUPPRESSED_FILL = "#cccccc"
_RC = {
    "font.family": "DejaVu Sans",  # has every glyph used, U+202F (French thousands) too
    "font.size": 6.5, "axes.titlesize": 8, "axes.labelsize": 6.5, "xtick.labelsize": 6,
    "ytick.labelsize": 6, "legend.fontsize": 6, "hatch.color": "#333333", "hatch.linewidth": 0.6,
    "svg.fonttype": "path",  # the SVG looks the same without the font installed
    "svg.hashsalt": "incident-mapper",  # stable ids, so stable bytes
}


@dataclass(frozen=True)
class Chart:
    """One chart of the report, ready to embed or write."""

    name: str
    png: bytes
    svg: bytes
    alt: str


# -- drawing plumbing ------------------------------------------------------------------------------
@contextmanager
def chart_style() -> Iterator[None]:
    """The charts' matplotlib settings, for drawing and saving (restored afterwards)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        yield


def new_figure(size: tuple[float, float]) -> Figure:
    """An empty figure on the Agg canvas (no pyplot, so nothing to close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def render(fig: Figure) -> tuple[bytes, bytes]:
    """The figure as PNG and SVG bytes, without dates or software tags."""
    with chart_style():
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None})
    return png.getvalue(), svg.getvalue()


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (at least 4.5:1 on any fill)."""
    return max(("#000000", "#ffffff"), key=lambda ink: contrast(ink, fill))


def _integer_axis(axis, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=1))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value, lang)))


def _finish(fig: Figure, notes: list[str], ncols: int) -> None:
    """Notes at the bottom, the legend above them, the plot laid out in what is left (sizes
    measured by the renderer, so nothing overlaps whatever the language)."""
    renderer = fig.canvas.get_renderer()
    bottom = 0.01
    if notes:
        note = fig.text(0.02, bottom, "\n".join(notes), fontsize=5.5, color="#444444",
                        va="bottom")
        bottom += note.get_window_extent(renderer).height / fig.bbox.height + 0.01
    legend = fig.legend(loc="lower center", bbox_to_anchor=(0.5, bottom), ncols=ncols,
                        frameon=False, handlelength=1.2, columnspacing=1.0, borderaxespad=0)
    bottom += legend.get_window_extent(renderer).height / fig.bbox.height + 0.01
    fig.set_layout_engine("constrained", rect=(0, bottom, 1, 1 - bottom), h_pad=0.02,
                          w_pad=0.02)


def _empty(fig: Figure, text: str) -> None:
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=7, color="#444444")


# -- choropleth ------------------------------------------------------------------------------------
def _province_counts(summary: Summary) -> pd.DataFrame:
    """Name, number and count per province; a suppressed cell ("<3", "not shown") is NaN."""
    table = summary.provinces
    codes = table["adm1_code"].astype(str)
    return pd.DataFrame({
        "name": table["province"].astype(str).to_numpy(),
        "number": codes.str.removeprefix("KH-").to_numpy(),
        "count": pd.to_numeric(table["incidents"], errors="coerce").astype(float).to_numpy(),
    }, index=codes.to_numpy())


def _class_texts(breaks: list[float], lang: str) -> list[str]:
    """Legend texts of the classes above zero: "4–10", or "4" for a one-value class."""
    pairs = [(int(lower) + 1, int(upper)) for lower, upper in itertools.pairwise(breaks)]
    return [number(high, lang) if low == high else f"{number(low, lang)}\u2013{number(high, lang)}"
            for low, high in pairs]


def _map_layer(adm1: gpd.GeoDataFrame, counts: pd.DataFrame,
               breaks: list[float]) -> gpd.GeoDataFrame:
    """The provinces in metres, simplified for print, with their fill and label anchor."""
    import shapely
    from shapely.ops import polylabel

    layer = adm1[["adm1_code", "geometry"]].to_crs(METRIC_CRS)
    # 250 m is a twentieth of a millimetre at this scale; shared borders stay shared.
    layer = layer.set_geometry(shapely.coverage_simplify(layer.geometry.values, 250))
    count = layer["adm1_code"].map(counts["count"])
    layer["fill"] = [SUPPRESSED_FILL if pd.isna(v) else colour(v, breaks) for v in count]
    # The label goes to the point farthest inside the largest part: a province's centroid
    # can fall outside it (Kandal, around Phnom Penh) or in the sea (island provinces).
    largest = [max(getattr(g, "geoms", [g]), key=lambda p: p.area) for g in layer.geometry]
    anchors = [polylabel(part, 100) for part in largest]
    layer["x"], layer["y"] = [p.x for p in anchors], [p.y for p in anchors]
    layer["area"] = layer.geometry.area
    layer["number"] = layer["adm1_code"].map(counts["number"])
    return layer


def choropleth_figure(summary: Summary, adm1: gpd.GeoDataFrame,
                      lang: str = "en") -> tuple[Figure, str]:
    """The map of incidents per province with its key, and its alt text."""
    w = words(lang)
    counts = _province_counts(summary)
    breaks = class_breaks(counts["count"].dropna())
    with chart_style():
        fig = new_figure(MAP_SIZE)
        ax = fig.add_axes((0.005, 0.075, 0.63, 0.83))
        layer = _map_layer(adm1, counts, breaks)
        layer.plot(ax=ax, color=layer["fill"], edgecolor="#555555", linewidth=0.4)
        ax.set_axis_off()
        legend = _map_legend(ax, breaks, counts["count"].isna().any(), lang)
        _fit_view(ax, layer, legend)
        obstacles = [legend, _north_arrow(ax, w["chart.north"]), _scale_bar(ax, 100, lang)]
        place_labels(fig, ax, layer, obstacles)
        _province_key(fig, counts, breaks, lang)
        first, last = summary.meta.get("first_date"), summary.meta.get("last_date")
        title = (w["chart.map_title_span"].format(first=first, last=last) if first
                 else w["chart.map_title"])
        fig.text(0.01, 0.975, title, va="top", fontsize=9, fontweight="bold")
        fig.text(0.01, 0.015, _map_footer(summary, lang), va="bottom", fontsize=5.5,
                 color="#444444")
    return fig, _map_alt(counts, lang)


def _fit_view(ax, layer: gpd.GeoDataFrame, legend) -> None:
    """Map limits in the axes' own proportions (so nothing moves when drawn), widened to the
    right, then downwards, until the legend in the lower right corner covers no province."""
    import shapely

    fig = ax.figure
    x0, y0, x1, y1 = layer.total_bounds
    pad = 0.03 * max(x1 - x0, y1 - y0)
    box = ax.get_position()
    ratio = box.width * fig.get_figwidth() / (box.height * fig.get_figheight())
    extent = legend.get_window_extent(fig.canvas.get_renderer())
    for extra in np.arange(0, 0.6, 0.03):
        left, right, bottom, top = x0 - pad, x1 + pad + extra * (x1 - x0), y0 - pad, y1 + pad
        if (right - left) / (top - bottom) < ratio:
            right = left + (top - bottom) * ratio
        else:
            bottom = top - (right - left) / ratio
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
        ax.apply_aspect()
        corners = ax.transData.inverted().transform([extent.p0, extent.p1])
        if not layer.intersects(shapely.box(*corners.ravel())).any():
            break


def _map_footer(summary: Summary, lang: str) -> str:
    """The rows known only nationally (suppressed totals say nothing) and the credit."""
    w, lines = words(lang), summary.lines.set_index("line")["rows"]
    national = pd.to_numeric(pd.Series([lines.get(NATIONAL)]), errors="coerce").iloc[0]
    note = [w["chart.national_note"].format(count=number(national, lang))] \
        if pd.notna(national) and national > 0 else []
    return "  \u00b7  ".join([*note, w["chart.credit"]])


def _map_alt(counts: pd.DataFrame, lang: str) -> str:
    w = words(lang)
    known = counts["count"].fillna(0)
    if not known.gt(0).any():
        return w["chart.alt_map_none"]
    top = known.idxmax()
    return w["chart.alt_map"].format(active=number(int(known.gt(0).sum()), lang),
                                     top=counts.loc[top, "name"],
                                     count=number(known[top], lang))


def _map_legend(ax, breaks: list[float], suppressed: bool, lang: str):
    from matplotlib.patches import Patch

    w = words(lang)
    texts = [w["chart.no_incident"], *_class_texts(breaks, lang)]
    fills = list(CHOROPLETH_COLOURS[:len(texts)])
    if suppressed:
        texts.append(w["chart.not_shown"])
        fills.append(SUPPRESSED_FILL)
    handles = [Patch(facecolor=f, edgecolor="#555555", linewidth=0.4, label=t)
               for t, f in zip(texts, fills, strict=True)]
    legend = ax.legend(handles=handles, title=w["chart.map_legend"], loc="lower right",
                       fontsize=6, title_fontsize=6.5, frameon=False, handlelength=1.4,
                       handleheight=1.0, borderaxespad=0.2, alignment="left")
    return legend


def _north_arrow(ax, letter: str):
    return ax.annotate(letter, xy=(0.05, 0.97), xytext=(0.05, 0.87), xycoords="axes fraction",
                       ha="center", va="center", fontsize=8, fontweight="bold",
                       arrowprops={"facecolor": "black", "width": 2.2, "headwidth": 7,
                                   "headlength": 6, "linewidth": 0})


def _scale_bar(ax, km: int, lang: str):
    """A black-and-white bar of ``km`` kilometres; its label."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # In the Gulf of Thailand, clear of the islands off the south-west coast.
    left, bottom = x0 + (x1 - x0) * 0.32, y0 + (y1 - y0) * 0.05
    length = km * 1000
    ax.plot([left, left + length], [bottom, bottom], color="black", linewidth=3,
            solid_capstyle="butt")
    ax.plot([left + length / 2, left + length], [bottom, bottom], color="white",
            linewidth=1.6, solid_capstyle="butt")
    return ax.text(left + length / 2, bottom + (y1 - y0) * 0.015,
                   words(lang)["chart.scale"].format(km=number(km, lang)), ha="center",
                   va="bottom", fontsize=6)


def _province_key(fig: Figure, counts: pd.DataFrame, breaks: list[float], lang: str) -> None:
    """The key beside the map: official number, a swatch, the name and the count."""
    from matplotlib.patches import Rectangle

    w = words(lang)
    top, bottom = 0.885, 0.085
    step = (top - bottom) / len(counts)
    columns = {"number": 0.672, "swatch": 0.682, "name": 0.702, "count": 0.985}
    header = top + 0.012
    bold = {"fontsize": 6, "fontweight": "bold", "va": "bottom"}
    for column, key, align in (("number", "number", "right"), ("name", "province", "left"),
                               ("count", "incidents", "right")):
        fig.text(columns[column], header, w[f"chart.key_{key}"], ha=align, **bold)
    for i, row in enumerate(counts.itertuples()):  # 25 provinces, not the rows of the log
        y = top - (i + 0.5) * step
        known = not pd.isna(row.count)
        fill = colour(row.count, breaks) if known else SUPPRESSED_FILL
        fig.patches.append(Rectangle((columns["swatch"], y - 0.009), 0.014, 0.018,
                                     transform=fig.transFigure, facecolor=fill,
                                     edgecolor="#555555", linewidth=0.4))
        fig.text(columns["number"], y, row.number, ha="right", va="center", fontsize=6,
                 fontweight="bold")
        fig.text(columns["name"], y, row.name, ha="left", va="center", fontsize=6)
        fig.text(columns["count"], y, number(row.count, lang) if known else "\u2013",
                 ha="right", va="center", fontsize=6)


# -- map labels without collisions ---------------------------------------------------------------
def _overlaps(box, others) -> bool:
    return any(box.overlaps(other) for other in others)


def place_labels(fig: Figure, ax, layer: gpd.GeoDataFrame, obstacles: list) -> None:
    """Label each province with its number. A label that does not fit inside its province
    (Phnom Penh, Kep) or would touch another label is moved out on a white tag with a
    leader line; larger provinces are placed first, so smaller ones give way.

    Overlaps are measured with the renderer's own text extents, so what is checked is what
    is drawn. Ink is black or white by the fill's luminance, with a halo of the fill, so the
    number stays readable where it nears a border.
    """
    import shapely
    from matplotlib.patheffects import withStroke

    renderer = fig.canvas.get_renderer()
    halo = 1.2 * DPI / 72  # the halo's half-width, in pixels
    to_data = ax.transData.inverted()
    texts, boxes, fits = {}, {}, {}
    for row in layer.sort_values("area", ascending=False).itertuples():
        text = ax.text(row.x, row.y, row.number, ha="center", va="center", fontsize=6.5,
                       fontweight="bold", color=ink_on(row.fill), zorder=5,
                       gid=f"label-{row.adm1_code}",
                       path_effects=[withStroke(linewidth=2.4, foreground=row.fill)])
        glyphs = text.get_window_extent(renderer)
        corners = to_data.transform([(glyphs.x0, glyphs.y0), (glyphs.x1, glyphs.y1)])
        fits[row.adm1_code] = row.geometry.contains(shapely.box(*corners.ravel()))
        texts[row.adm1_code], boxes[row.adm1_code] = text, glyphs.padded(halo)
    taken = [o.get_window_extent(renderer).padded(2) for o in obstacles]
    frame = ax.get_window_extent(renderer)
    codes = list(texts)  # largest province first
    for i, code in enumerate(codes):
        box = boxes[code]
        if not fits[code] or _overlaps(box, taken):
            box = _move_out(ax, texts[code], box, taken, [boxes[c] for c in codes[i + 1:]],
                            frame)
        taken.append(box)


def _move_out(ax, text, box, taken: list, pending: list, frame):
    """Put ``text`` on a white tag near its place where it touches nothing, preferring the
    direction away from what it hit (or from the map's centre), with a leader line back."""
    anchor = ax.transData.transform(text.get_position())
    hit = next((other for other in taken if box.overlaps(other)), frame)
    away = math.atan2(anchor[1] - (hit.y0 + hit.y1) / 2, anchor[0] - (hit.x0 + hit.x1) / 2)
    angles = sorted((math.radians(a) for a in range(0, 360, 30)),
                    key=lambda a: abs(math.remainder(a - away, math.tau)))
    tag = box.padded(2.5)  # the white tag's margin

    def spots(avoid: list):
        for radius in (9, 13, 18, 24, 32, 42):  # points beyond the label's own size
            r = radius * DPI / 72 + max(box.width, box.height) / 2
            for angle in angles:
                moved = tag.translated(r * math.cos(angle), r * math.sin(angle))
                if frame.contains(*moved.p0) and frame.contains(*moved.p1) \
                        and not _overlaps(moved, avoid):
                    yield moved

    # First keep clear of the labels still to place, then only of those placed.
    best = next(spots(taken + pending), None) or next(spots(taken), None) \
        or tag.translated(0, 60 * DPI / 72)
    centre = ax.transData.inverted().transform(best.get_points().mean(axis=0))
    text.set(position=centre, color="#000000", path_effects=[])
    text.set_bbox({"boxstyle": "round,pad=0.25", "facecolor": "#ffffff",
                   "edgecolor": "#555555", "linewidth": 0.4})
    start = ax.transData.inverted().transform(anchor)
    ax.plot([start[0], centre[0]], [start[1], centre[1]], color="#222222", linewidth=0.5,
            zorder=4)
    ax.plot([start[0]], [start[1]], marker="o", markersize=2, color="#222222",
            markeredgecolor="#ffffff", markeredgewidth=0.4, zorder=4)
    return best


# -- incidents by province and type ---------------------------------------------------------------
def _type_styles(kinds: list[str]) -> dict[str, tuple[str, str]]:
    """(fill, hatch) per type: the report palette, then greys with hatching in turn."""
    extra = iter(REPORT_EXTRA_STYLES * (len(kinds) // len(REPORT_EXTRA_STYLES) + 1))
    return {k: REPORT_TYPE_COLOURS[k] if k in REPORT_TYPE_COLOURS else next(extra)
            for k in kinds}


def _type_table(summary: Summary, top: int, lang: str) -> tuple[pd.DataFrame, int]:
    """Bars to draw, largest first: the ``top`` provinces, then one bar for the others;
    columns are the types drawn (and "not shown" for counts suppressed by type). Also the
    number of provinces whose count is suppressed."""
    table, top = summary.provinces, max(top, 1)
    incidents = pd.to_numeric(table["incidents"], errors="coerce")
    kinds = [c for c in table.columns if c.startswith("type_")]
    values = table[kinds].apply(pd.to_numeric, errors="coerce").fillna(0).set_axis(
        [c.removeprefix("type_") for c in kinds], axis=1).set_axis(table["province"], axis=0)
    values["_hidden"] = (incidents.to_numpy() - values.sum(axis=1).to_numpy()).clip(0)
    values["_total"] = incidents.to_numpy()
    placed = values[values["_total"].gt(0).to_numpy()]
    placed = placed.sort_values("_total", ascending=False, kind="stable")
    if len(placed) > top + 1:  # one province left over is drawn as itself
        rest = placed.iloc[top:].sum().to_frame().T
        rest.index = [words(lang)["chart.other_provinces"].format(
            count=number(len(placed) - top, lang))]
        placed = pd.concat([placed.iloc[:top], rest])
    drawn = [c for c in values.columns[:-2] if placed[c].sum() > 0]
    if placed["_hidden"].sum() > 0:
        drawn.append("_hidden")
    return placed[[*drawn, "_total"]], int(incidents.isna().sum())


def types_figure(summary: Summary, lang: str = "en", top: int = 12) -> tuple[Figure, str]:
    """Horizontal bars of the provinces with most incidents, stacked by type; alt text."""
    w = words(lang)
    bars, hidden = _type_table(summary, top, lang)
    with chart_style():
        fig = new_figure(CHART_SIZE)
        fig.suptitle(w["chart.types_title"], x=0.02, ha="left", fontsize=8, fontweight="bold")
        if not len(bars):
            _empty(fig, w["chart.no_placed"])
            return fig, w["chart.alt_types_none"]
        kinds = list(bars.columns[:-1])
        styles = _type_styles([k for k in kinds if k != "_hidden"])
        styles["_hidden"] = (SUPPRESSED_FILL, "")
        ax = fig.add_subplot()
        y = np.arange(len(bars))
        left = np.zeros(len(bars))
        for kind in kinds:
            fill, hatch = styles[kind]
            label = w["chart.not_shown"] if kind == "_hidden" else type_label(kind, lang)
            ax.barh(y, bars[kind].to_numpy(), left=left, height=0.72, color=fill, hatch=hatch,
                    edgecolor="white", linewidth=0.4, label=label)
            left += bars[kind].to_numpy()
        for pos, total in zip(y, bars["_total"], strict=True):
            ax.annotate(number(total, lang), (total, pos), xytext=(2, 0), fontsize=5.5,
                        textcoords="offset points", va="center", ha="left")
        ax.set_yticks(y, bars.index)
        ax.invert_yaxis()  # the largest on top
        ax.set_xlim(0, bars["_total"].max() * 1.16)  # room for the value labels
        _integer_axis(ax.xaxis, lang)
        ax.set_xlabel(w["chart.types_axis"])
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        notes = [w["chart.types_not_shown"].format(count=number(hidden, lang))] if hidden else []
        _finish(fig, notes, ncols=3)
    first = bars.drop(index=bars.index[-1]) if len(bars) > top else bars
    alt = w["chart.alt_types"].format(top=first["_total"].idxmax(),
                                      count=number(first["_total"].max(), lang),
                                      total=number(bars["_total"].sum(), lang))
    return fig, alt


# -- incidents over time ------------------------------------------------------------------------
#: Period -> the steps between labelled ticks, from which the smallest that keeps the axis
#: at :data:`MAX_TICKS` labels is taken (steps that divide a year keep ticks on January).
TICK_STEPS = {"month": (1, 2, 3, 4, 6, 12), "quarter": (1, 2, 4, 8),  # up to 36 bars
              "year": (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)}  # pandas: 1677-2262
MAX_TICKS = 10
_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


def chart_period(months: int) -> str:
    """Months, quarters or years, so the chart keeps at most about three dozen bars: a log
    spanning decades (or one mistyped year) would otherwise draw hundreds of them."""
    return "month" if months <= 36 else "quarter" if months <= 36 * 3 else "year"


def _trend_counts(frame: pd.DataFrame | None, lines: pd.Series | None) -> dict:
    """Counts per period and line, vectorised (a million rows); ``lines``: each row's line."""
    if frame is not None and "kind" in frame:  # running totals are not incidents
        keep = (lines != RUNNING_TOTAL).to_numpy()
        frame, lines = frame.loc[keep, frame.columns.isin(["date", "date_precision"])], lines[keep]
    if frame is None or not len(frame):
        return {"unit": None, "year_only": 0, "undated": 0}
    dates = pd.to_datetime(frame["date"], errors="coerce")
    precision = frame["date_precision"].astype("string") if "date_precision" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    dated = dates.notna().to_numpy()
    year_only = dated & precision.eq("year").fillna(False).to_numpy()
    exact = dated & ~year_only
    year, month = dates.dt.year.to_numpy(), dates.dt.month.to_numpy()
    span = year[exact] * 12 + month[exact]
    # Rows dated only by year are drawn only in a chart by year.
    unit = chart_period(int(span.max() - span.min()) + 1) if exact.any() else \
        "year" if year_only.any() else None
    undated = int((~dated).sum())
    if unit is None:
        return {"unit": None, "year_only": int(year_only.sum()), "undated": undated}
    drawn = exact | year_only if unit == "year" else exact
    index = (year * _PER_YEAR[unit] + (month - 1) * _PER_YEAR[unit] // 12)[drawn].astype(int)
    lines = lines.to_numpy()[drawn]
    group = np.where(lines == "province", 0, np.where(lines == NATIONAL, 1, 2))
    start, n = int(index.min()), int(index.max() - index.min()) + 1
    counts = np.bincount(group * n + (index - start), minlength=3 * n).reshape(3, n)
    return {"unit": unit, "start": start, "counts": counts, "undated": undated,
            "year_only": int(year_only.sum()) if unit != "year" else 0}


def _period_text(unit: str, value: int, lang: str, with_year: bool = True,
                 sep: str = " ") -> str:
    """One period as the axis and alt text write it: "Mar 2025", "Q1 2025", "2025"."""
    if unit == "year":
        return str(value)
    year, part = divmod(value, _PER_YEAR[unit])
    name = words(lang)["chart.months"].split()[part] if unit == "month" else \
        words(lang)["chart.quarter"].format(q=part + 1)
    return f"{name}{sep}{year}" if with_year else name


def period_ticks(unit: str, start: int, n: int, lang: str) -> tuple[list[int], list[str]]:
    """Positions and labels of at most :data:`MAX_TICKS` ticks; the year is written under
    the first tick and wherever it changes, never repeated."""
    step = next(s for s in TICK_STEPS[unit] if -(-n // s) <= MAX_TICKS)
    positions = [i for i in range(n) if (start + i) % step == 0] or [0]
    labels, last_year = [], None
    for i in positions:
        year = (start + i) // _PER_YEAR[unit]
        labels.append(_period_text(unit, start + i, lang, with_year=year != last_year,
                                   sep="\n"))
        last_year = year
    return positions, labels


def trend_figure(summary: Summary, lang: str = "en") -> tuple[Figure, str]:
    """Incidents per month (quarter, year), stacked by line, with notes on what is not
    drawn; and the alt text."""
    w = words(lang)
    data = _trend_counts(summary.frame, summary.lines_of_rows())
    notes = [w[f"chart.note_{key}"].format(count=number(data[key], lang))
             for key in ("year_only", "undated") if data[key]]
    with chart_style():
        fig = new_figure(CHART_SIZE)
        unit = data["unit"]
        title = w["chart.trend_title"].format(unit=w[f"chart.unit_{unit or 'month'}"])
        fig.suptitle(title, x=0.02, ha="left", fontsize=8, fontweight="bold")
        if unit is None:
            _empty(fig, "\n".join([w["chart.no_dated"], *notes]))
            return fig, w["chart.alt_trend_none"]
        counts, start = data["counts"], data["start"]
        ax = fig.add_subplot()
        x, bottom = np.arange(counts.shape[1]), np.zeros(counts.shape[1])
        for row, line in enumerate(("province", NATIONAL, "other")):
            if counts[row].any():
                ax.bar(x, counts[row], bottom=bottom, width=0.8, linewidth=0,
                       color=REPORT_LINE_COLOURS[line], label=w[f"chart.line_{line}"])
                bottom += counts[row]
        ax.set_xticks(*period_ticks(unit, start, len(x), lang))
        ax.set_xlim(-0.6, len(x) - 0.4)
        _integer_axis(ax.yaxis, lang)
        ax.set_ylabel(w["chart.trend_axis"])
        ax.spines[["top", "right"]].set_visible(False)
        _finish(fig, notes, ncols=2)
    total = counts.sum(axis=0)
    alt = w["chart.alt_trend"].format(
        unit=w[f"chart.unit_{unit}"], first=_period_text(unit, start, lang),
        last=_period_text(unit, start + len(x) - 1, lang),
        peak=_period_text(unit, start + int(total.argmax()), lang),
        count=number(int(total.max()), lang))
    return fig, alt


# -- the report's charts ---------------------------------------------------------------------------
def report_charts(summary: Summary, adm1: gpd.GeoDataFrame, lang: str = "en",
                  top: int = 12) -> dict[str, Chart]:
    """The choropleth, the types chart and the trend chart, by name (see :data:`NAMES`)."""
    figures = {"choropleth": choropleth_figure(summary, adm1, lang),
               "types": types_figure(summary, lang, top),
               "trend": trend_figure(summary, lang)}
    return {name: Chart(name, *render(fig), alt) for name, (fig, alt) in figures.items()}


def write_charts(charts: dict[str, Chart], folder: Path) -> list[Path]:
    """Write ``folder/charts/<name>.png`` and ``.svg`` atomically; the paths, in the order
    of :data:`NAMES` (then any other chart by name), PNG before SVG."""
    order = [n for n in NAMES if n in charts] + sorted(set(charts) - set(NAMES))
    written = []
    for name in order:
        for suffix, data in (("png", charts[name].png), ("svg", charts[name].svg)):
            written.append(write_with(Path(folder) / "charts" / f"{name}.{suffix}",
                                      lambda tmp, data=data: tmp.write_bytes(data)))
    return written
