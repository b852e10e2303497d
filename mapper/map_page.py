"""What a map's page is made of, apart from its data: the incident layer (one embedded data
object and the script of ``templates/map/``), the title, tiles embedded from an MBTiles
file, JSON that is safe inside a ``<script>`` element, and the compact encodings of a large
map (typed arrays in base64). :mod:`mapper.render` decides what the map shows; this module
writes it into the page."""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import Element
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from mapper.schema import date_labels, group_numbers

#: Where a CDN map (``cdn=True``) loads Supercluster from; embedded maps inline the pinned
#: npm file (mapper/assets/pinned.py) in its place.
SUPERCLUSTER_CDN = "https://cdn.jsdelivr.net/npm/supercluster@9.1.0/dist/supercluster.min.js"


class IncidentLayer(JSCSSMixin):
    """The script and styles that draw the incidents from one embedded data object.

    With many markers it clusters them in the browser, and then declares Supercluster, which
    the asset step embeds (or links, for a CDN map) like any folium plugin's library.
    """

    # The data travels as JSON in its own element: browsers parse JSON several times faster
    # than the same data written as a JavaScript literal (bench/map.py, 100k incidents). It
    # and the script go into the page verbatim, not as a macro's output: branca compiles
    # that as a template again, which took 7 s for a million rows and ran any "{{ }}" in them.
    _template = Template(
        """{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"""
    )

    def __init__(self, payload: dict, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "IncidentLayer"
        self.payload = payload
        self.groups = groups
        self.css = "\n".join(_template_text(name) for name in MAP_STYLE_PARTS)
        if payload["large"]:
            self.default_js = [("supercluster", SUPERCLUSTER_CDN)]

    def render(self, **kwargs) -> None:
        names = ", ".join(f"{script_json(k)}: {v.get_name()}" for k, v in self.groups.items())
        self.script = (
            map_script()
            .replace("__MAP__", self._parent.get_name())
            .replace("__GROUPS__", "{" + names + "}")
            .replace("__DATA__", f'JSON.parse(document.getElementById("{self.get_name()}_data")'
                                 '.textContent)')
        )
        figure = self.get_root()
        figure.html.add_child(DataElement(f"{self.get_name()}_data", self.payload),
                              name=self.get_name())
        figure.script.add_child(Verbatim(self.script), name=self.get_name())
        super().render(**kwargs)


def page_edits(page: str) -> list[tuple[int, int, str]]:
    """What changes in folium's page, as (start, end, new text), first match of each only:
    ``<html>`` says the page is in English, and the viewport lets phones zoom (folium's
    forbids pinch zoom)."""
    edits = []
    at = page.find("<html>")
    if at >= 0:
        edits.append((at, at + len("<html>"), '<html lang="en">'))
    zoom = _NO_ZOOM.search(page)
    if zoom:
        edits.append((zoom.start(), zoom.end(), "width=device-width, initial-scale=1.0"))
    return sorted(edits)


_NO_ZOOM = re.compile(r"width=device-width,\s*initial-scale=1\.0, maximum-scale=1\.0, "
                      r"user-scalable=no")


def edited_page(page: str) -> str:
    """``page`` with its :func:`page_edits` made."""
    pieces, end = [], 0
    for start, stop, text in page_edits(page):
        pieces += [page[end:start], text]
        end = stop
    return "".join([*pieces, page[end:]])


def write_page(page: str, path: Path) -> None:
    """:func:`edited_page` of ``page`` into ``path`` as UTF-8, the text encoded once and
    its edits written between slices of the bytes: a million rows make a page of tens of
    MB, which each change of the whole text copied."""
    data = memoryview(page.encode("utf-8"))
    with open(path, "wb") as file:
        end = 0
        for start, stop, text in page_edits(page):
            first, last = (len(page[:i].encode("utf-8")) for i in (start, stop))
            file.write(data[end:first])
            file.write(text.encode("utf-8"))
            end = last
        file.write(data[end:])


class DataElement(Element):
    """``payload`` as JSON in a ``<script type="application/json">`` element, made only as
    the page is written: a million rows make tens of MB of text, held once less."""

    def __init__(self, element_id: str, payload: dict) -> None:
        super().__init__()
        self._name = "DataElement"
        self.element_id = element_id
        self.payload = payload

    def render(self, **kwargs) -> str:
        return (f'<script type="application/json" id="{self.element_id}">'
                f"{script_json(self.payload)}</script>")


class Verbatim(Element):
    """Text that goes into the page as it is, never read as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class TitleBar(MacroElement):
    """The map's title, escaped."""

    _template = Template(
        """{% macro header(this, kwargs) %}<title>{{ this.text }}</title>{% endmacro %}
        {% macro html(this, kwargs) %}<h1 class="im-title-bar">{{ this.text }}</h1>
        {% endmacro %}"""
    )

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "TitleBar"
        self.text = html_text(title or "")


def html_text(text: str) -> str:
    """``text`` escaped for HTML, its braces too: folium reads what its elements write as
    a template again, and "{{ }}" in a log's text must not run as one."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


class MiniMapGuard(MacroElement):
    """Lets the minimap move the main map only after a person used the minimap.

    Leaflet-MiniMap 3.6.1 follows the main map and moves it back when the minimap moves,
    told apart by two flags; a second move of the main map while the minimap was still
    following (a zoom in the first second, a popup panning into view) threw the main map
    back to the minimap's view. Added before the minimap, it wraps the plugin's handlers.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var P = L.Control.MiniMap && L.Control.MiniMap.prototype;
          if (!P || P._imGuarded) return;
          var onAdd = P.onAdd, moved = P._onMiniMapMoved;
          P._imGuarded = true;
          P.onAdd = function (map) {
            var box = onAdd.call(this, map), self = this;
            ["mousedown", "touchstart", "wheel", "dblclick", "keydown"].forEach(function (t) {
              box.addEventListener(t, function () { self._imUsed = true; }, true);
            });
            return box;
          };
          P._onMiniMapMoved = function (e) {
            if (!this._imUsed) { this._mainMapMoving = false; return; }
            this._imUsed = false;
            return moved.call(this, e);
          };
        })();
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MiniMapGuard"


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>', '&' or line separators, and
    no "{{", "{%" or "{#" that a template would read (JSON's own braces never make one)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return _TEMPLATE_OPENING.sub(r"\\u007b", text)


_TEMPLATE_OPENING = re.compile(r"\{(?=[{%#])")


# -- compact encodings: typed arrays in base64, decoded by templates/map/decode.js ----------------
_INT_TYPES = (("i1", "<i1"), ("i2", "<i2"), ("i4", "<i4"))
#: A compact page leaves out a text column whose distinct values add up to more characters.
COMPACT_TEXT_CHARS = 4_000_000
#: The columns that follow from where a row was placed: a compact page writes them per place.
PLACE_COLUMNS = ("place", "geo_match", "adm1_code", "adm2_name", "adm3_name", "geo_precision")
#: How the page names a column it left out.
_COLUMN_WORDS = {"id": "ids", "place": "places as reported", "geo_match": "matched places",
                 "notes": "summaries", "source_url": "source links", "actor": "actors",
                 "source": "sources", "nationality": "nationalities"}


def typed_array(values, kind: str | None = None) -> dict:
    """``values`` as ``{"t": type, "b": base64 of its little-endian bytes}``: floats as
    ``kind="f4"``, integers in the smallest signed type that holds them (i1, i2 or i4)."""
    array = np.asarray(values)
    if kind == "f4":
        dtype = "<f4"
    else:
        low, high = (int(array.min()), int(array.max())) if array.size else (0, 0)
        kind, dtype = next((k, d) for k, d in _INT_TYPES
                           if np.iinfo(d).min <= low and high <= np.iinfo(d).max)
    return {"t": kind, "b": base64.b64encode(array.astype(dtype).tobytes()).decode("ascii")}


def numbered_column(values: pd.Series) -> dict | None:
    """Ids such as "b000123" as a prefix with the width of their digits, and a number each:
    for a million rows, a fifth of their text. None unless every id ends in 1-9 digits
    (of more, the first go with the prefix) and fewer than 1,000 prefixes share them."""
    if not len(values) or values.isna().any():
        return None
    # In slices: the whole column at once went through a Python string per id first.
    text = np.concatenate([values.iloc[i:i + 100_000].to_numpy(dtype=str)
                           for i in range(0, len(values), 100_000)])
    chars = text.view(np.uint32).reshape(len(text), -1)  # one code point per cell, 0-padded
    if chars.shape[1] > len(_SHAPE_HASH):
        return None
    digit = (chars - np.uint32(48)) < 10
    # the trailing digits: digits with only digits (or the padding) after them
    tail = np.logical_and.accumulate((digit | (chars == 0))[:, ::-1], axis=1)[:, ::-1] & digit
    length = np.count_nonzero(chars, axis=1)
    width = np.minimum(tail.sum(axis=1), 9)
    start = length - width
    number = np.zeros(len(text), dtype=np.int64)
    for j in range(chars.shape[1]):
        inside = (j >= start) & (j < length)
        number = np.where(inside, number * 10 + chars[:, j].astype(np.int64) - 48, number)
    # The prefixes' hash and check, one character position at a time: a matrix of 64-bit
    # numbers for every character of a million ids took hundreds of MB.
    shape = np.zeros(len(text), dtype=np.uint64)
    for j in range(chars.shape[1]):
        shape += _prefix_chars(chars, start, j) * _SHAPE_HASH[j]
    codes, _ = pd.factorize(shape ^ width.astype(np.uint64))
    first = np.zeros(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    model = first[codes]
    same = (width == width[model]).all() and all(
        (prefix == prefix[model]).all()
        for prefix in (_prefix_chars(chars, start, j) for j in range(chars.shape[1])))
    if not same or (width == 0).any() or len(first) > 1000:  # (a hash collision: never seen)
        return None
    return {"p": [[str(text[k][: start[k]]), int(width[k])] for k in first],
            "c": typed_array(codes), "n": typed_array(number)}


def _prefix_chars(chars: np.ndarray, start: np.ndarray, j: int) -> np.ndarray:
    """Each id's code point at position ``j`` if it is in its prefix, else 0."""
    return np.where(j < start, chars[:, j], 0).astype(np.uint64)


#: Odd 64-bit multipliers: a prefix's code points times these, summed, tell prefixes apart.
_SHAPE_HASH = np.random.default_rng(16).integers(1, 2**63, 64, dtype=np.uint64) | np.uint64(1)


def compact_columns(frame: pd.DataFrame, rows: np.ndarray, text_columns: tuple[str, ...],
                    count_columns: tuple[str, ...]) -> tuple[dict, dict]:
    """The text and count columns (and ``geo_precision``) of ``frame``'s rows at positions
    ``rows``, in that order, as codes in typed arrays; and what the page is told about
    them: each row's place (the columns of ``PLACE_COLUMNS`` are coded per place, see
    ``via``) and the columns left out, with a sentence saying so. Dates are ISO days;
    ``date_label`` is set only where it differs. Codes are taken, not text: a million rows
    of text take seconds to reorder."""
    frame = frame.reindex(columns=list(dict.fromkeys(
        [*text_columns, *PLACE_COLUMNS, *count_columns, "date_precision"])))
    dated = frame[["date", "date_precision"]].take(rows).reset_index(drop=True)
    coded = {"date": _codes_of(_day_numbers(dated["date"])),
             "date_label": _codes_of(_rough_labels(dated))}
    for name in frame.columns.drop(["id", "date", "date_label", "date_precision"],
                                   errors="ignore"):
        coded[name] = _codes_at(frame[name], rows)
    place, first = _place_codes([coded[n][0] for n in PLACE_COLUMNS])
    cols: dict[str, object] = {"id": numbered_column(frame["id"].take(rows))}
    if not cols["id"]:
        coded["id"] = _codes_at(frame["id"], rows)
    left_out = []
    for name in (*text_columns, "geo_precision", *count_columns):
        if cols.get(name):
            continue
        codes, values = coded[name]
        codes = codes[first] if name in PLACE_COLUMNS else codes
        text = name not in ("date", "geo_precision", *count_columns)
        if text and _text_chars(values) > COMPACT_TEXT_CHARS:
            left_out.append(name)  # (known before a Python string is made per value)
            cols[name] = None
            continue
        kept = [str(v) for v in values] if text else [int(v) for v in values]
        cols[name] = {"v": kept, "c": typed_array(codes)} if kept else None
        if cols[name] and name in PLACE_COLUMNS:
            cols[name]["via"] = "place"
    if cols["date"]:
        cols["date"]["v"] = _iso_of_day_numbers(cols["date"]["v"])
    return cols, {"place": typed_array(place), "left_out": left_out,
                  "note": _left_out_note(len(rows), left_out)}


def _codes_of(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _codes_at(values: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """The codes of ``values[rows]`` into the distinct values those rows hold, and those
    values: factorised whole, then taken (ints, not text), and the unused values dropped
    (a row not drawn gives the page nothing, not even a value). The values stay as pandas
    holds them: a million distinct texts as Python strings take hundreds of MB."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes = codes[rows]
    used = np.zeros(len(uniques) + 1, dtype=bool)
    used[codes + 1] = True
    kept = np.flatnonzero(used[1:])
    # 32-bit codes: a page's columns are all held at once (a million rows: 4 MB each)
    renumber = np.full(len(uniques) + 1, -1, dtype=np.int32 if len(uniques) < 2**31 else int)
    renumber[kept + 1] = np.arange(len(kept))
    return renumber[codes + 1], uniques[kept]


def _text_chars(values) -> int:
    """``sum(len(str(v)) for v in values)``, counted by pyarrow where it holds the text."""
    if isinstance(values.dtype, pd.StringDtype):
        return int(pd.Series(values).str.len().sum())
    return sum(len(str(v)) for v in values)


def _day_numbers(dates: pd.Series) -> pd.Series:
    """Dates as whole days since 1970 (NA when undated): a million factorise in a blink."""
    days = pd.to_datetime(dates, errors="coerce").to_numpy().astype("datetime64[D]")
    return pd.Series(days.astype(np.int64), index=dates.index).where(~np.isnat(days))


def _iso_of_day_numbers(days: list[int]) -> list[str]:
    return np.datetime_as_string(np.array(days, dtype="datetime64[D]")).tolist()


def _rough_labels(dated: pd.DataFrame) -> pd.Series:
    """A row's date as precisely as it is known, set only where that is a month or a year
    (the page shows ``date`` elsewhere), as :func:`mapper.render._columns` gives it."""
    rough = dated["date_precision"].isin(["month", "year"]).fillna(False).to_numpy()
    labels = pd.Series(None, index=dated.index, dtype=object)
    if rough.any():
        labels[rough] = date_labels(dated["date"][rough], dated["date_precision"][rough])
    return labels


def _place_codes(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's place (one code per distinct combination of ``codes``, the codes of its
    ``PLACE_COLUMNS``, numbered in order of first appearance) and the first row of each
    place."""
    place = group_numbers(codes)
    first = np.zeros(place.max() + 1 if len(place) else 0, dtype=np.int64)
    first[place[::-1]] = np.arange(len(place))[::-1]
    return place, first


def _left_out_note(rows: int, left_out: list[str]) -> str | None:
    if not left_out:
        return None
    words = [_COLUMN_WORDS.get(name, name.replace("_", " ")) for name in left_out]
    listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
    return (f"A map of {rows:,} incidents: to stay small, this page leaves out their "
            f"{listed} (too many different values). Popups, the table and the CSV "
            f"download show the rest; the log has everything.")


def grouped_rows(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of each group, given each row's group (0..n-1): the row positions ordered by
    group (ascending within one), and where each group's run ends in that order."""
    order = np.argsort(groups, kind="stable")
    ends = np.cumsum(np.bincount(groups)) if len(groups) else np.zeros(0, dtype=np.int64)
    return order, ends


#: The map script's parts, in the order they run inside one function (templates/map/).
MAP_SCRIPT_PARTS = ("decode", "core", "markers", "provinces", "context", "table",
                    "controls")
#: The map's style sheets, in order.
MAP_STYLE_PARTS = ("incidents.css", "map/table.css")


@cache
def map_script() -> str:
    """The script that draws the incident layers: the parts of ``templates/map/`` joined
    inside one function, so that they share its variables and leak none into the page."""
    parts = "\n".join(_template_text(f"map/{name}.js") for name in MAP_SCRIPT_PARTS)
    return _template_text("map/head.js") + parts + "})();\n"


@cache
def _template_text(name: str) -> str:
    return resources.files("mapper").joinpath("templates", name).read_text(encoding="utf-8")


class EmbeddedTiles(MacroElement):
    """The tiles of an MBTiles file as data: URLs in the page: no request, ever."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var tiles = {{ this.tiles_json }};
          var layer = L.GridLayer.extend({
            createTile: function (coords) {
              var img = document.createElement("img");
              var src = tiles[coords.z + "/" + coords.x + "/" + coords.y];
              if (src) img.src = src;
              img.alt = "";
              return img;
            }
          });
          new layer({ maxNativeZoom: {{ this.max_zoom }}, maxZoom: 18,
                      attribution: {{ this.attribution }} }).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._name = "EmbeddedTiles"
        tiles, self.max_zoom = read_mbtiles(path)
        self.tiles_json = script_json(tiles)
        self.attribution = script_json(html.escape(f"Local tiles: {path.name}"))


def read_mbtiles(path: Path) -> tuple[dict[str, str], int]:
    """Tiles of an MBTiles file keyed "z/x/y" (XYZ rows) as data: URLs, and the top zoom."""
    import base64
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
        mime = "image/jpeg" if meta.get("format", "png") in {"jpg", "jpeg"} else "image/png"
        rows = db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles "
                          "ORDER BY zoom_level, tile_column, tile_row").fetchall()
    tiles = {
        f"{z}/{x}/{(1 << z) - 1 - y}": f"data:{mime};base64,{base64.b64encode(data).decode()}"
        for z, x, y, data in rows
    }
    return tiles, max((r[0] for r in rows), default=0)
