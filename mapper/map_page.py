"""What a map's page is made of, apart from its data: the incident layer (one embedded data
object and the script of ``templates/map/``), the title, tiles embedded from an MBTiles
file, and JSON that is safe inside a ``<script>`` element. :mod:`mapper.render` decides what
the map shows; this module writes it into the page."""

from __future__ import annotations

import contextlib
import html
import json
from functools import cache
from importlib import resources
from pathlib import Path

import folium
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

#: Where a CDN map (``cdn=True``) loads Supercluster from; embedded maps inline the pinned
#: npm file (mapper/assets/pinned.py) in its place.
SUPERCLUSTER_CDN = "https://cdn.jsdelivr.net/npm/supercluster@9.1.0/dist/supercluster.min.js"


class IncidentLayer(JSCSSMixin):
    """The script and styles that draw the incidents from one embedded data object.

    With many markers it clusters them in the browser, and then declares Supercluster, which
    the asset step embeds (or links, for a CDN map) like any folium plugin's library.
    """

    # The data travels as JSON in its own element: browsers parse JSON several times faster
    # than the same data written as a JavaScript literal (bench/map.py, 100k incidents).
    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro html(this, kwargs) %}<script type="application/json"
            id="{{ this.get_name() }}_data">{{ this.data_json }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}
        """
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
        self.data_json = script_json(self.payload)
        super().render(**kwargs)


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
        self.text = html.escape(title or "")


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
    """JSON that is safe inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


#: The map script's parts, in the order they run inside one function (templates/map/).
MAP_SCRIPT_PARTS = ("core", "markers", "provinces", "context", "table", "controls")
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
