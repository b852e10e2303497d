"""The printable report: one self-contained HTML page (A4), and its pictures.

* :func:`choropleth_png`: the provinces shaded by incidents (geopandas + matplotlib), with a
  legend, a north arrow, a scale bar and the boundaries' attribution;
* :func:`type_chart_png`: incidents by province and type (stacked bars);
* :func:`trend_chart_png`: incidents per month, split by line (province, national, other);
* :func:`report_html`: headline figures, the pictures (``data:`` URIs, so the page makes no
  request), the tables and the lists of rows that are not in a province. All user text is
  escaped by Jinja2's autoescape.

Pictures are drawn with matplotlib's Agg backend and saved without the software tag, so the
same summary gives the same bytes.
"""

from __future__ import annotations

import base64
import io
import logging
import textwrap
from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mapper.constants import METRIC_CRS
from mapper.files import write_text_atomic, write_with
from mapper.reference import Reference, resolve
from mapper.style import (
    BOUNDARY_ATTRIBUTION,
    CHOROPLETH_COLOURS,
    NAMES_ATTRIBUTION,
    TYPE_STYLES,
    class_breaks,
    class_labels,
    colour,
)
from mapper.summarise import (
    LINE_LABELS,
    OTHER_LINES,
    Summary,
    assign_lines,
)

log = logging.getLogger(__name__)

PNG_METADATA = {"Software": None}
DPI = 150
_EXTRA = ("#8c564b", "#17becf", "#bcbd22", "#1b9e77", "#e7298a", "#66a61e")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    plt.close(fig)
    return buffer.getvalue()


def _type_colours(types: list[str]) -> dict[str, str]:
    extra = iter(_EXTRA * 10)
    return {t: TYPE_STYLES[t][0] if t in TYPE_STYLES else next(extra) for t in types}


# -- pictures ------------------------------------------------------------------------------------
def choropleth_png(summary: Summary, adm1: gpd.GeoDataFrame) -> bytes:
    """The 25 provinces shaded by incidents, with legend, north arrow, scale and attribution."""
    plt = _pyplot()
    from matplotlib.patches import Patch

    layer = adm1.to_crs(METRIC_CRS)
    shown = summary.provinces.set_index("adm1_code")["incidents"]
    counts = pd.to_numeric(shown, errors="coerce")  # a suppressed cell is text: "<3"
    names = summary.provinces.set_index("adm1_code")["province"]
    layer = layer.assign(count=layer["adm1_code"].map(counts).fillna(0).astype(int),
                         text=layer["adm1_code"].map(shown.map(str)))
    breaks = class_breaks(layer["count"])
    layer["colour"] = layer["count"].map(lambda v: colour(v, breaks)).where(
        layer["adm1_code"].map(counts).notna(), "#cccccc")
    fig, ax = plt.subplots(figsize=(7.0, 5.6))
    layer.plot(ax=ax, color=layer["colour"], edgecolor="#555555", linewidth=0.5)
    for row in layer.itertuples():
        point = row.geometry.representative_point()
        label = f"{names.get(row.adm1_code, row.adm1_code)}"
        active = row.text not in ("0", "nan")
        if active:
            label += f"\n{row.text}"
        ax.annotate(label, (point.x, point.y), ha="center", va="center",
                    fontsize=5.5 if not active else 6.5,
                    fontweight="bold" if active else "normal", color="#222222")
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = [Patch(facecolor=colour, edgecolor="#555555",
                     label="no incident" if text == "0" else text)
               for text, colour in class_labels(breaks)]
    ax.legend(handles=handles, title="Incidents", loc="lower right", fontsize=7,
              title_fontsize=7.5, frameon=True)
    _north_arrow(ax)
    _scale_bar(ax, 100_000)
    national = int(summary.lines.set_index("line").loc["national", "rows"])
    title = "Incidents per province"
    if summary.meta.get("first_date"):
        title += f", {summary.meta['first_date']} to {summary.meta['last_date']}"
    ax.set_title(title, fontsize=10)
    note = f"{national} incidents known only nationally are not shown on the map. " \
        if national else ""
    fig.text(0.01, 0.01, textwrap.fill(note + BOUNDARY_ATTRIBUTION, 150), fontsize=6,
             color="#444444", va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return _png(fig)


def _north_arrow(ax) -> None:
    ax.annotate("N", xy=(0.06, 0.95), xytext=(0.06, 0.83), xycoords="axes fraction",
                ha="center", va="center", fontsize=10, fontweight="bold",
                arrowprops={"facecolor": "black", "width": 3, "headwidth": 9,
                            "headlength": 9})


def _scale_bar(ax, length_m: float) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    ax.plot([left, left + length_m], [bottom, bottom], color="black", linewidth=3,
            solid_capstyle="butt")
    ax.plot([left, left + length_m / 2], [bottom, bottom], color="white", linewidth=1.2,
            solid_capstyle="butt")
    ax.text(left + length_m / 2, bottom + (y1 - y0) * 0.015, f"{length_m / 1000:g} km",
            ha="center", va="bottom", fontsize=7)


def type_chart_png(summary: Summary) -> bytes:
    """Horizontal stacked bars: incidents by province (those with any) and type."""
    plt = _pyplot()
    counts = pd.to_numeric(summary.provinces["incidents"], errors="coerce")
    table = summary.provinces[counts.gt(0).to_numpy()]  # suppressed cells left out
    type_columns = [c for c in summary.provinces.columns if c.startswith("type_")
                    and pd.to_numeric(table[c], errors="coerce").sum() > 0]
    height = 1.2 + 0.22 * max(len(table), 1)
    fig, ax = plt.subplots(figsize=(4.6, height))
    if not len(table):
        ax.text(0.5, 0.5, "No incident placed in a province", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    table = table.iloc[::-1]  # first code on top
    colours = _type_colours([c[5:] for c in type_columns])
    left = pd.Series(0, index=table.index)
    for column in type_columns:
        values = table[column]
        ax.barh(table["province"], values.astype(int), left=left, color=colours[column[5:]],
                label=column[5:].capitalize(), edgecolor="white", linewidth=0.5)
        left = left + values
    ax.set_xlabel("Incidents", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Incidents by province and type", fontsize=9)
    fig.tight_layout()
    return _png(fig)


def _chart_period(dates: pd.Series) -> tuple[str, str, str]:
    """Months, quarters or years, so the chart keeps at most about three dozen bars: a log
    spanning decades (or one mistyped year) would otherwise draw hundreds of them."""
    first, last = dates.min(), dates.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 36:
        return "month", "M", "%Y-%m"
    if months <= 36 * 3:
        return "quarter", "Q", "%Y-Q%q"
    return "year", "Y", "%Y"


def trend_chart_png(summary: Summary) -> bytes:
    """Incidents per month, stacked by line: in a province, known only nationally, other."""
    plt = _pyplot()
    frame = summary.frame
    lines = assign_lines(frame)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    fig, ax = plt.subplots(figsize=(4.6, 2.6))
    if not dates.notna().any():
        ax.text(0.5, 0.5, "No dated rows", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    unit, freq, fmt = _chart_period(dates)
    months = dates.dt.to_period(freq)
    span = pd.period_range(months.min(), months.max(), freq=freq)
    groups = {"In a province": lines.eq("province"), "Known only nationally":
              lines.eq("national"), "Not placed (other lines)": ~lines.isin(
                  ["province", "national"])}
    colours = {"In a province": "#d94801", "Known only nationally": "#6a51a3",
               "Not placed (other lines)": "#999999"}
    labels = [p.strftime(fmt) for p in span]
    bottom = pd.Series(0, index=span)
    for name, mask in groups.items():
        counts = months[mask.to_numpy()].value_counts().reindex(span, fill_value=0)
        if counts.sum():
            ax.bar(labels, counts.values, bottom=bottom.values, color=colours[name],
                   label=name, width=0.6)
            bottom = bottom + counts.values
    step = -(-len(labels) // 12)  # at most 12 labels, so they never overlap
    ax.set_xticks(range(0, len(labels), step), labels[::step])
    ax.set_ylabel("Incidents", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15),
              ncol=3)
    ax.set_title(f"Incidents per {unit} (undated rows left out)", fontsize=9)
    fig.tight_layout()
    return _png(fig)


# -- the page -------------------------------------------------------------------------------------
@cache
def _template():
    import jinja2

    text = resources.files("mapper").joinpath("templates", "report.html.j2").read_text(
        encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _num
    env.filters["date"] = _date
    return env.from_string(text)


def _num(value, digits: int = 0) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):  # a suppressed cell: "<3", "not shown"
        return value
    if digits:
        return f"{float(value):,.{digits}f}"
    return f"{int(value):,}"


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _types_text(row: pd.Series, columns: list[str]) -> str:
    return ", ".join(f"{c[5:]} {int(row[c])}" for c in columns if row[c])


def report_html(summary: Summary, pictures: dict[str, bytes],
                title: str = "Incidents by province") -> str:
    """The report as one HTML string; ``pictures`` maps choropleth/types/trend to PNG bytes."""
    provinces = summary.provinces
    type_columns = [c for c in provinces.columns if c.startswith("type_")]
    rows = []
    for _, row in provinces.iterrows():
        rows.append({
            "code": row["adm1_code"], "name": row["province"], "incidents": row["incidents"],
            "types": _types_text(row, type_columns), "people": row["people"],
            "women": row["women"], "children": row["children"],
            "nationalities": row["top_nationalities"], "places": row["top_places"],
            "first": row["first_date"], "last": row["last_date"],
            "per100k": row["per_100k"], "population": row["population_2019"],
            "change": row.get("change"), "active": row["incidents"] != 0,
        })
    lines = summary.lines.set_index("line")
    headline = [
        ("rows in", summary.meta["rows_in"]),
        ("in a province", lines.loc["provinces", "rows"]),
        ("provinces with incidents", int((provinces["incidents"] != 0).sum())),
        ("people affected (where given)", lines.loc["provinces", "people"]),
        ("known only nationally", int(lines.loc["national", "rows"])),
        ("not placed", int(sum(int(lines.loc[x, "rows"]) for x in OTHER_LINES
                               if x != "national"))),
    ]
    listed = [{"line": line, "label": LINE_LABELS[line],
               "rows": table.to_dict("records")}
              for line, table in summary.listed.items()]
    current = provinces["current_period"].iloc[0] if "current_period" in provinces else None
    previous = provinces["previous_period"].iloc[0] if "previous_period" in provinces else None
    return _template().render(
        title=title, meta=summary.meta, headline=headline, provinces=rows,
        lines=summary.lines.to_dict("records"), listed=listed,
        periods=None if summary.periods is None else summary.periods.to_dict("records"),
        period_columns=[] if summary.periods is None else list(summary.periods.columns),
        districts=None if summary.districts is None else summary.districts.to_dict("records"),
        current=current, previous=previous,
        pictures={k: _data_uri(v) for k, v in pictures.items()},
        attribution=f"{BOUNDARY_ATTRIBUTION}. {NAMES_ATTRIBUTION}", colours=CHOROPLETH_COLOURS,
    )


def pictures(summary: Summary, reference: Reference | None = None) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by name."""
    adm1 = resolve(reference).layer("ADM1")
    return {"choropleth": choropleth_png(summary, adm1), "types": type_chart_png(summary),
            "trend": trend_chart_png(summary)}


def write_report(summary: Summary, out_dir: Path | str, reference: Reference | None = None,
                 title: str = "Incidents by province") -> list[Path]:
    """Write ``choropleth.png`` and the self-contained ``report.html`` into ``out_dir``."""
    out_dir = Path(out_dir)
    images = pictures(summary, reference)
    written = [write_with(out_dir / "choropleth.png",
                          lambda tmp: tmp.write_bytes(images["choropleth"]))]
    written.append(write_text_atomic(out_dir / "report.html",
                                     report_html(summary, images, title)))
    return written
