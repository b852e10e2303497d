"""The report's charts (mapper.report.charts): what a reader of the printed report would notice.

Summaries are built directly from a synthetic log (an 18-month log of 200,000 rows for the
timing, smaller ones for the rest), so the file stays fast.
"""

from __future__ import annotations

import itertools
import re
import time
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from mapper.constants import PROVINCE_CODES
from mapper.report import charts
from mapper.style import CHOROPLETH_COLOURS, class_breaks
from mapper.summarise import Summary, assign_lines
from mapper.words import words

TYPES = ("deportation", "raid", "rescue", "arrest", "extradition", "escape", "disappearance",
         "warning", "policy", "other")


def synthetic_log(rows: int, months: int = 18, seed: int = 7) -> pd.DataFrame:
    """A log skewed like the real ones: Phnom Penh and a few border provinces lead."""
    rng = np.random.default_rng(seed)
    weights = rng.gamma(0.6, 1.0, 25)
    weights[[11, 17, 7]] *= (6, 4, 2)  # Phnom Penh, Preah Sihanouk, Kandal
    weights[3] = 0  # one province without incidents
    status = rng.choice(["ok"] * 6 + ["unresolved", "ambiguous"], rows)
    frame = pd.DataFrame({
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(
            rng.integers(0, int(months * 30.4), rows), unit="D"),
        "date_precision": pd.array(rng.choice(["day", "month", "year"], rows,
                                              p=[0.9, 0.08, 0.02]), dtype="string"),
        "status": pd.array(status, dtype="string"),
        "geo_precision": pd.array(rng.choice([1, 2, 3, 4], rows, p=[.4, .3, .2, .1]),
                                  dtype="Int64"),
        "adm1_code": pd.array(np.where(status == "ok", rng.choice(
            PROVINCE_CODES, rows, p=weights / weights.sum()), None), dtype="string"),
        "type": pd.array(rng.choice(TYPES, rows, p=[.25, .2, .15, .12, .05, .05, .05, .05,
                                                    .04, .04]), dtype="string"),
    })
    undated = rng.random(rows) < 0.01
    frame.loc[undated, "date"] = pd.NaT
    frame.loc[undated, "date_precision"] = pd.NA
    return frame


def summary_of(frame: pd.DataFrame, names: pd.Series) -> Summary:
    """The parts of a Summary the charts read, computed in bulk."""
    lines = assign_lines(frame)
    placed = frame[(lines == "province").to_numpy()]
    code = pd.Categorical(placed["adm1_code"], categories=PROVINCE_CODES).codes.astype(int)
    kind = pd.Categorical(placed["type"], categories=TYPES).codes
    types = np.bincount(code * len(TYPES) + kind, minlength=25 * len(TYPES)).reshape(25, -1)
    provinces = pd.DataFrame({"adm1_code": PROVINCE_CODES,
                              "province": names.reindex(PROVINCE_CODES).to_numpy(),
                              "incidents": types.sum(axis=1)})
    for i, name in enumerate(TYPES):
        provinces[f"type_{name}"] = types[:, i]
    counted = lines.value_counts()
    table = pd.DataFrame({"line": ["national", "unresolved"],
                          "rows": [int(counted.get("national", 0)),
                                   int(counted.get("unresolved", 0))]})
    dates = frame["date"].dropna()
    meta = {"first_date": f"{dates.min():%Y-%m-%d}" if len(dates) else None,
            "last_date": f"{dates.max():%Y-%m-%d}" if len(dates) else None}
    return Summary(provinces=provinces, lines=table, frame=frame, meta=meta)


@pytest.fixture(scope="module")
def adm1(reference):
    return reference.layer("ADM1")


@pytest.fixture(scope="module")
def names(reference):
    return reference.province_names


@pytest.fixture(scope="module")
def big(names):
    """18 months, 200,000 rows."""
    return summary_of(synthetic_log(200_000), names)


@pytest.fixture(scope="module")
def log_summary(names):
    """A realistic log: 2,000 rows over 18 months."""
    return summary_of(synthetic_log(2_000), names)


@pytest.fixture(scope="module")
def drawn(big, adm1):
    """The three charts of the big summary, and how long drawing them took."""
    charts.render(charts.new_figure((1, 1)))  # the imports are not timed
    class_breaks(pd.Series(range(9)))
    start = time.perf_counter()
    result = charts.report_charts(big, adm1)
    return result, time.perf_counter() - start


@pytest.fixture(scope="module")
def map_figure(log_summary, adm1):
    """The map of the realistic log, drawn."""
    fig, _ = charts.choropleth_figure(log_summary, adm1)
    fig.canvas.draw()
    return fig


def _drawn_texts(fig, draw: bool = True) -> list:
    """The figure's visible texts; tick labels are made when it is drawn (the map has none)."""
    from matplotlib.text import Text

    if draw:
        fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _label_boxes(fig) -> dict:
    """The province labels' boxes as drawn, white tag included."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    boxes = {}
    for text in fig.findobj(Text):
        if (text.get_gid() or "").startswith("label-"):
            box = text.get_window_extent(renderer)
            if text.get_bbox_patch() is not None:
                box = Bbox.union([box, text.get_bbox_patch().get_window_extent(renderer)])
            boxes[text.get_gid()[6:]] = (text, box)
    return boxes


def _contrast(a, b) -> float:
    def luminance(rgb):
        rgb = np.asarray(rgb[:3], dtype=float)
        rgb = rgb / 255 if rgb.max() > 1 else rgb
        linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# -- the map ---------------------------------------------------------------------------------------
def test_class_limits_and_legend_are_whole_numbers(log_summary, map_figure):
    counts = pd.to_numeric(log_summary.provinces["incidents"])
    breaks = class_breaks(counts)
    assert all(float(b).is_integer() for b in breaks) and len(breaks) <= 5
    legend = map_figure.axes[0].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[0] == "No incident"
    assert all(re.fullmatch(r"[\d,]+(\u2013[\d,]+)?", t) for t in texts[1:]), texts
    assert texts[-1].endswith(f"{int(counts.max()):,}")


def test_map_labels_do_not_overlap_and_small_provinces_get_a_leader(map_figure):
    fig = map_figure
    boxes = _label_boxes(fig)
    assert sorted(boxes) == sorted(PROVINCE_CODES)
    assert {code: t.get_text() for code, (t, _) in boxes.items()}["KH-12"] == "12"
    for (a, (_, box_a)), (b, (_, box_b)) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), f"labels {a} and {b} overlap"
    legend = fig.axes[0].get_legend().get_window_extent(fig.canvas.get_renderer())
    assert not any(box.overlaps(legend) for _, box in boxes.values())
    # Phnom Penh is smaller than its number: the number sits on a tag, with a leader line.
    assert boxes["KH-12"][0].get_bbox_patch() is not None
    # The key beside the map names every province with its number and count.
    texts = [t.get_text() for t in _drawn_texts(fig)]
    assert "Phnom Penh" in texts and "Tbong Khmum" in texts


def test_label_ink_contrasts_with_what_is_under_it(map_figure):
    from matplotlib.colors import to_rgb

    fig = map_figure
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    height = pixels.shape[0]
    for code, (text, box) in _label_boxes(fig).items():
        area = pixels[int(height - box.y1):int(height - box.y0), int(box.x0):int(box.x1)]
        colours, counts = np.unique(area.reshape(-1, 3), axis=0, return_counts=True)
        background = colours[counts.argmax()]  # the fill, halo or tag around the glyphs
        ratio = _contrast(np.array(to_rgb(text.get_color())) * 255, background)
        assert ratio >= 4.5, f"{code}: {text.get_color()} on {background} is {ratio:.2f}:1"
    for fill in (*CHOROPLETH_COLOURS, charts.SUPPRESSED_FILL):
        assert charts.contrast(charts.ink_on(fill), fill) >= 4.5


def test_suppressed_provinces_are_grey_without_a_number(log_summary, adm1):
    summary = Summary(provinces=log_summary.provinces.astype(object), lines=log_summary.lines,
                      frame=log_summary.frame, meta=log_summary.meta)
    summary.provinces.loc[[22, 23], "incidents"] = "<3"
    summary.provinces.loc[10, "incidents"] = "not shown"
    type_columns = [c for c in summary.provinces if c.startswith("type_")]
    summary.provinces.loc[[10, 22, 23], type_columns] = None
    fig, _ = charts.choropleth_figure(summary, adm1)
    texts = [t.get_text() for t in _drawn_texts(fig, draw=False)]
    assert "Not shown (few incidents)" in texts
    assert not {"<3", "not shown"} & set(texts)
    fig, _ = charts.types_figure(summary)
    texts = [t.get_text() for t in _drawn_texts(fig)]
    assert "Kep" not in texts and "Provinces not shown (few incidents): 3" in texts


# -- the bars --------------------------------------------------------------------------------------
def test_types_chart_ranks_the_top_provinces_then_the_others(log_summary):
    fig, alt = charts.types_figure(log_summary, top=12)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    active = pd.to_numeric(log_summary.provinces["incidents"]).gt(0).sum()
    assert len(labels) == 13 and labels[-1] == f"{active - 12} other provinces"
    assert labels[0] == "Phnom Penh" and "Phnom Penh" in alt
    totals = [int(t.get_text().replace(",", "")) for t in ax.texts]
    assert totals[:12] == sorted(totals[:12], reverse=True)
    assert sum(totals) == pd.to_numeric(log_summary.provinces["incidents"]).sum()


def test_month_axis_of_an_18_month_log_is_legible(log_summary):
    fig, alt = charts.trend_figure(log_summary)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 6 <= len(ticks) <= 12
    boxes = [t.get_window_extent(renderer) for t in ticks]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert all(t.get_rotation() == 0 for t in ticks)
    assert sum("2025" in t.get_text() for t in ticks) == 1  # each year written once
    assert "per month" in alt and "Jan 2025" in alt


def test_rows_dated_by_month_count_and_vaguer_rows_are_noted(names):
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2025-01-15", "2025-02-01", "2025-02-01", "2025-01-01", None]),
        "date_precision": pd.array(["day", "month", "month", "year", None], dtype="string"),
        "status": pd.array(["ok"] * 5, dtype="string"),
        "geo_precision": pd.array([2, 2, 4, 2, 2], dtype="Int64"),
        "adm1_code": pd.array(["KH-12", "KH-1", None, "KH-2", "KH-3"], dtype="string"),
        "type": pd.array(["raid"] * 5, dtype="string")})
    fig, _ = charts.trend_figure(summary_of(frame, names))
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert sum(heights) == 3 and len(heights) == 4  # Jan and Feb; province and national
    texts = [t.get_text() for t in _drawn_texts(fig)]
    assert "Dated only by year, not drawn: 1\nUndated, not drawn: 1" in texts


def test_a_log_without_incidents_or_dates_still_draws(names, adm1):
    frame = pd.DataFrame({"date": pd.to_datetime([None]), "date_precision": [None],
                          "status": ["unresolved"], "geo_precision": pd.array([None],
                                                                              dtype="Int64"),
                          "adm1_code": [None], "type": ["raid"]})
    summary = summary_of(frame, names)
    for figure, none in ((charts.types_figure(summary), "types"),
                         (charts.trend_figure(summary), "trend")):
        assert charts.render(figure[0])[0].startswith(b"\x89PNG")
        assert figure[1] == words("en")[f"chart.alt_{none}_none"]
    fig, alt = charts.choropleth_figure(summary, adm1)
    assert alt == words("en")["chart.alt_map_none"]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["No incident"]


# -- French ----------------------------------------------------------------------------------------
def test_french_charts_have_no_english_words(log_summary, adm1):
    en, fr = words("en"), words("fr")
    keys = [k for k in en if k.startswith(("chart.", "type."))]
    assert {k for k in fr if k.startswith("chart.")} == {k for k in keys if k.startswith(
        "chart.")}

    def tokens(text: str) -> set[str]:
        return set(re.findall(r"[^\W\d_]{2,}", re.sub(r"\{\w+\}", "", text)))

    english = set().union(*(tokens(en[k]) for k in keys)) - set().union(
        *(tokens(fr[k]) for k in keys))
    assert {"per", "month", "Other", "shown", "Raid"} <= english  # the check has teeth
    figures = [charts.choropleth_figure(log_summary, adm1, "fr"),
               charts.types_figure(log_summary, "fr"), charts.trend_figure(log_summary, "fr")]
    for i, (fig, alt) in enumerate(figures):
        seen = set().union(*(tokens(t.get_text()) for t in _drawn_texts(fig, draw=i > 0)),
                           tokens(alt))
        assert not seen & english, sorted(seen & english)
    assert "\u202f" in figures[1][1]  # "1 347": French thousands, in the alt text too


# -- files and bytes -------------------------------------------------------------------------------
def test_charts_are_written_as_png_and_valid_svg(drawn, tmp_path):
    result, _ = drawn
    paths = charts.write_charts(result, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        f"charts/{n}.{e}" for n in ("choropleth", "types", "trend") for e in ("png", "svg")]
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(
        p.name for p in paths)  # no temporary file left behind
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".png":
            assert data.startswith(b"\x89PNG") and b"Software" not in data
        else:
            assert ET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"
            assert b"<dc:date>" not in data


def test_same_summary_gives_the_same_bytes_and_sizes_do_not_grow(drawn, big, log_summary,
                                                                 adm1):
    result, _ = drawn
    again = charts.report_charts(big, adm1)
    for name in charts.NAMES:
        assert again[name].png == result[name].png, name
        assert again[name].svg == result[name].svg, name
        assert again[name].alt == result[name].alt and again[name].alt.endswith(".")

    def size(png: bytes) -> tuple[int, int]:
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

    assert size(result["choropleth"].png) == (1417, 944)  # 180 x 120 mm at 200 dpi
    assert size(result["types"].png) == size(result["trend"].png) == (708, 551)  # 90 x 70
    small, _ = charts.types_figure(log_summary)
    assert tuple(small.get_size_inches()) == charts.CHART_SIZE


def test_charts_of_200000_rows_take_well_under_three_seconds(drawn):
    _, seconds = drawn
    assert seconds < 2.5, f"{seconds:.2f} s"
