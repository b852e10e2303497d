"""The layered incident map: one HTML file, readable with or without a network.

Input: the joined table (:func:`mapper.join.join`). Only ``ok`` rows are drawn:

* precision 1-2 rows as markers, one per incident type and place (approximate ones with a
  dashed ring and their district outline on hover);
* precision 3 rows as their province, outlined and lightly shaded, "somewhere in ...";
* precision 4 (country-only) rows in a panel on the map, never on the capital.

folium provides the map, the named layers, the layer control and the plugins. One embedded
data object and one script (``templates/map/*.js``, see :mod:`mapper.map_page`) draw the
incidents, popups, panels, legend, filter and search; user text reaches the page through
the DOM's textContent, so it is shown as text whatever it holds.

Past :data:`COMPACT_ROWS` incidents drawn, the data object carries its rows as typed arrays
in base64 (codes into each column's distinct values; the columns that follow from a row's
place written once per place; markers as arrays of coordinates and runs of rows), which
``templates/map/decode.js`` turns back into what the script reads. A text column whose
distinct values pass :data:`mapper.map_page.COMPACT_TEXT_CHARS` is then left out, and the
page says so.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from folium import plugins

from mapper import assets, settings
from mapper.errors import IncidentMapperError
from mapper.flows import flow_lines
from mapper.map_page import (
    EmbeddedTiles,
    IncidentLayer,
    MiniMapGuard,
    TitleBar,
    compact_columns,
    edited_page,
    grouped_rows,
    html_text,
    typed_array,
    write_page,
)
from mapper.privacy import Privacy, SmallCells, apply_privacy
from mapper.reference import Reference, resolve
from mapper.schema import GeoPrecision, Status, date_labels, iso_days
from mapper.style import (
    BOUNDARY_ATTRIBUTION,
    CHOROPLETH_COLOURS,
    EXTRA_COLOURS,
    NAMES_ATTRIBUTION,
    TYPE_STYLES,
    class_breaks,
    class_labels,
    colour,
    letter_colour,
)

log = logging.getLogger(__name__)


TILES = {
    "openstreetmap": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        'contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
}
PRECISION_WORDS = {1: "exact place", 2: "district, commune or near a place",
                   3: "somewhere in the province", 4: "Cambodia (no place)"}
LAYER_NAMES = {
    "checkpoints": "Border checkpoints",
    "hotspots": "Compound hot spots",
    "provinces": "Provinces: incidents",
    "per100k": "Provinces: incidents per 100,000 people",
    "districts": "District outlines",
    "heatmap": "Heat map",
    "flows": "Flows: people taken across a border",
}
DEFAULT_LAYERS = ("types", *LAYER_NAMES)
#: The legend entry of rows whose log gives no incident type.
UNTYPED = "not given"
_TEXT_COLUMNS = (
    "id", "date", "date_label", "place", "geo_match", "adm1_code", "adm2_name", "adm3_name",
    "nationality", "actor", "notes", "source", "source_url", "people_band", "kind",
)
_COUNT_COLUMNS = ("people", "women", "children")
#: What a map reads of the joined table.
_MAP_COLUMNS = (*_TEXT_COLUMNS, *_COUNT_COLUMNS, "type", "date_precision", "status", "lat",
                "lon", "geo_precision", "geo_id", "destination")
#: Past this many incidents drawn, a map's rows go into its page as typed arrays.
COMPACT_ROWS = 100_000


class MapError(IncidentMapperError, ValueError):
    """The map cannot be built from the given options."""


@dataclass
class MapOptions:
    """What a map shows. ``None`` falls back to :mod:`mapper.settings`."""

    title: str = "Incidents in Cambodia"
    #: No tile layer and nothing fetched when the page opens (None: the settings default).
    offline: bool | None = None
    #: Link scripts from public CDNs instead of embedding them (smaller file, needs network).
    cdn: bool = False
    tiles: str = "openstreetmap"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    privacy: Privacy = field(default_factory=Privacy)
    #: A folder of tiles ({z}/{x}/{y}.png, read from disk) or an .mbtiles file (embedded),
    #: the only tiles an offline map may show.
    local_tiles: Path | None = None
    #: Past this many incidents drawn the page carries them compactly (see the module).
    compact_above: int = COMPACT_ROWS


# -- public ------------------------------------------------------------------------------------
def build_map(joined: pd.DataFrame, options: MapOptions | None = None,
              reference: Reference | None = None) -> folium.Map:
    """A folium Map of ``joined``; see the module docstring for what is drawn.

    ``reference`` gives the outlines, curated places and population (default:
    :func:`mapper.reference.default`).
    """
    opts = options or MapOptions()
    ref = resolve(reference)
    if opts.cdn and opts.offline:
        raise ValueError("cdn=True needs the network; it cannot be combined with offline=True")
    if opts.tiles not in TILES:
        raise ValueError(f"tiles must be one of {sorted(TILES)}, got {opts.tiles!r}")
    unknown = set(opts.layers) - set(DEFAULT_LAYERS)
    if unknown:
        raise ValueError(f"layers: unknown {sorted(unknown)}; known: {list(DEFAULT_LAYERS)}")
    offline = settings.offline_default() if opts.offline is None else opts.offline
    joined = apply_privacy(joined, opts.privacy, ref)
    # Only the columns the map reads (40 take seconds to sort), without a GeoDataFrame's copy.
    joined = pd.DataFrame(joined, copy=False)[[c for c in _MAP_COLUMNS if c in joined.columns]]
    order, draw = _drawn_rows(joined)
    compact = len(order) > opts.compact_above
    shown = _shown_rows(joined, order, draw, lean=compact)
    n_unmapped = len(joined) - len(shown)
    counts = _province_counts(shown)
    cells = opts.privacy.small_cells(counts)
    # Incidents of a small-cell province are drawn nowhere, not even as data in the page:
    # the province's shading ("fewer than k") is all that shows of them.
    if cells.hidden:
        shown = shown[~shown["adm1_code"].isin(cells.hidden).fillna(False).to_numpy()]
        shown = shown.reset_index(drop=True)
    types = _type_table(shown)
    # maxZoom (not max_zoom, which folium hands to a tile layer) so tile-less maps have one.
    fmap = folium.Map(location=[12.6, 104.9], zoom_start=7, tiles=None, minZoom=5,
                      maxZoom=18, control_scale=True, prefer_canvas=False)
    if opts.local_tiles:
        _add_local_tiles(fmap, Path(opts.local_tiles))
    if not offline:
        for name, (url, attribution) in TILES.items():
            folium.TileLayer(url, attr=attribution, name=name, max_zoom=18,
                             show=name == opts.tiles).add_to(fmap)
    groups = _add_groups(fmap, types, opts)
    if "heatmap" in opts.layers:
        heat = _add_heatmap(fmap, shown, compact)
        if heat is not None:  # the script gives it the shown rows when the filter changes
            groups["__heat__"] = heat
    plugins.Fullscreen(position="topleft").add_to(fmap)
    minimap_tiles = assets.plain_tiles() if offline else None
    MiniMapGuard().add_to(fmap)
    plugins.MiniMap(tile_layer=minimap_tiles, toggle_display=True, minimized=True,
                    position="bottomright").add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    payload = _payload(shown, types, opts, ref, n_unmapped, (counts, cells),
                       joined if compact else None)
    IncidentLayer(payload, groups).add_to(fmap)
    TitleBar(opts.title).add_to(fmap)
    fmap.fit_bounds([[10.3, 102.3], [14.7, 107.7]])
    _number_elements(fmap)
    return fmap


def _number_elements(fmap: folium.Map) -> None:
    """Replace folium's random element ids by their position in the tree, so the same
    inputs give the same HTML byte for byte."""
    stack, order, seen = [fmap.get_root()], 0, set()
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        element._id = f"{order:05d}"
        order += 1
        # Children, and elements held as attributes (a MiniMap's tile layer).
        held = [v for k, v in vars(element).items() if k != "_parent" and isinstance(v, Element)]
        stack.extend(reversed([*element._children.values(), *held]))


def map_html(fmap: folium.Map, cdn: bool = False) -> str:
    """The map as one HTML string, its scripts and styles embedded unless ``cdn``; in
    English, and zoomable on phones (:func:`mapper.map_page.edited_page`)."""
    return edited_page(assets.render_html(fmap, embed=not cdn))


# -- rows --------------------------------------------------------------------------------------
def _drawn_rows(joined: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the rows drawn, by date then id (undated last), and how each is
    drawn: as a marker, its province or in the national panel."""
    ok = joined["status"].eq(Status.OK).fillna(False).to_numpy()
    precision = joined["geo_precision"]
    placed = precision.le(int(GeoPrecision.DISTRICT)).fillna(False).to_numpy() & joined[
        "lat"].notna().to_numpy()
    province = precision.eq(int(GeoPrecision.PROVINCE)).fillna(False).to_numpy() & joined[
        "adm1_code"].notna().to_numpy()
    national = precision.eq(int(GeoPrecision.COUNTRY)).fillna(False).to_numpy()
    how = np.select([ok & placed, ok & province, ok & national], [1, 2, 3], default=0)
    kept = np.flatnonzero(how)
    order = kept[np.lexsort((_sort_codes(joined["id"])[kept], _sort_codes(joined["date"])[kept]))]
    return order, np.array(["", "marker", "province", "national"])[how[order]]


#: What the build reads of the rows of a compact page besides their coded columns.
_LEAN_COLUMNS = ("type", "date", "date_precision", "lat", "lon", "geo_precision", "adm1_code",
                 "place", "source", "geo_id", "destination")


def _shown_rows(joined: pd.DataFrame, order: np.ndarray, draw: np.ndarray,
                lean: bool = False) -> pd.DataFrame:
    """The rows at ``order``, taken once, with how each is drawn (``_draw``) and where it
    was (``_row``). ``lean``: only ``_LEAN_COLUMNS``, the rest being coded straight from
    ``joined`` (a million rows of text take seconds to reorder)."""
    columns = [c for c in joined.columns if c in _LEAN_COLUMNS or not lean]
    shown = joined[columns].take(order).assign(_draw=draw, _row=order).reset_index(drop=True)
    # Untyped rows (a place-only log) get their own legend entry; one string per type, not row.
    codes, names = pd.factorize(shown["type"])
    shown["type"] = pd.Series(np.append(np.asarray(names, dtype=object), UNTYPED)[codes],
                              index=shown.index, dtype=object)
    return shown


def _sort_codes(values: pd.Series) -> np.ndarray:
    """Codes that sort as ``values`` do, missing values last."""
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def _type_table(shown: pd.DataFrame) -> pd.DataFrame:
    present = list(dict.fromkeys(sorted(shown["type"].dropna().unique(),
                                        key=_type_order)))
    extra = iter(EXTRA_COLOURS * 10)
    rows = []
    for i, name in enumerate(present):
        colour, glyph = TYPE_STYLES.get(name, (next(extra), name[:1].upper() or "?"))
        key = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "type"
        rows.append({"name": name, "key": f"{key}-{i}" if key not in TYPE_STYLES else key,
                     "label": name.capitalize(), "color": colour, "glyph": glyph,
                     "text": letter_colour(colour),  # white or #111, whichever reads
                     "present": True})
    return pd.DataFrame(rows, columns=["name", "key", "label", "color", "glyph", "text",
                                       "present"])


def _type_order(name: str) -> tuple[int, str]:
    known = list(TYPE_STYLES)
    return (known.index(name) if name in known else len(known), name)


# -- folium layers -------------------------------------------------------------------------------
def _add_groups(
    fmap: folium.Map, types: pd.DataFrame, opts: MapOptions
) -> dict[str, folium.FeatureGroup]:
    """Empty named layers that the script fills, by key (type name or ``__layer__``)."""
    groups: dict[str, folium.FeatureGroup] = {}
    base = folium.FeatureGroup(name="Outlines", control=False, show=True)
    groups["__base__"] = base.add_to(fmap)
    for name in types["name"] if "types" in opts.layers else []:
        label = html_text(name.capitalize())
        groups[name] = folium.FeatureGroup(name=label, show=True).add_to(fmap)
    optional = {
        "checkpoints": ("__checkpoints__", True),
        "hotspots": ("__hotspots__", True),
        "provinces": ("__choropleth__", True),
        "per100k": ("__per100k__", False),
        "districts": ("__districts__", False),
        "flows": ("__flows__", True),
    }
    for layer, (key, show) in optional.items():
        if layer in opts.layers:
            groups[key] = folium.FeatureGroup(name=LAYER_NAMES[layer], show=show).add_to(fmap)
    for name in types["name"]:
        if name not in groups:  # layer switched off by --layers: still drawn into a sink
            groups[name] = folium.FeatureGroup(name="", control=False, show=False).add_to(fmap)
    return groups


#: An .mbtiles file is embedded tile by tile; past this size it belongs in a tile folder.
MBTILES_MAX_BYTES = 30_000_000


def _add_local_tiles(fmap: folium.Map, path: Path) -> None:
    if path.is_dir():
        folium.TileLayer(path.resolve().as_uri() + "/{z}/{x}/{y}.png", name="Local tiles",
                         attr=html_text(f"Local tiles: {path.name}"), max_zoom=18,
                         overlay=False).add_to(fmap)
    elif path.suffix.lower() == ".mbtiles" and path.is_file():
        if path.stat().st_size > MBTILES_MAX_BYTES:
            raise MapError(f"{path}: {path.stat().st_size:,} bytes is too large to embed "
                           f"(limit {MBTILES_MAX_BYTES:,}); unpack it into a tile folder")
        EmbeddedTiles(path).add_to(fmap)
    else:
        raise MapError(f"{path}: local tiles must be a folder of {{z}}/{{x}}/{{y}}.png tiles "
                       f"or an .mbtiles file")


def _add_heatmap(fmap: folium.Map, shown: pd.DataFrame,
                 compact: bool = False) -> plugins.HeatMap | None:
    """One weighted point per place (rows at one place add up), not one per row. A compact
    page starts it empty: its script fills it from the markers."""
    points = _rounded(_drawn_as(shown, "marker", ["lat", "lon", "geo_precision"]))
    weights = points.groupby(["_lat", "_lon"]).size()
    if not len(weights):
        return None
    data = [] if compact else [[lat, lon, int(n)] for (lat, lon), n in weights.items()]
    return plugins.HeatMap(data, name=LAYER_NAMES["heatmap"], show=False,
                           radius=14).add_to(fmap)


# -- the data object ------------------------------------------------------------------------------
def _payload(shown: pd.DataFrame, types: pd.DataFrame, opts: MapOptions, ref: Reference,
             n_unmapped: int, cells: tuple[pd.Series, SmallCells],
             compact_from: pd.DataFrame | None = None):
    """The page's data object. ``compact_from``: the joined table a compact page codes its
    rows from (``shown["_row"]`` says which, in order); None for a plain page."""
    type_index = {name: i for i, name in enumerate(types["name"])}
    provinces = _province_features(*cells, opts, ref)
    places = ref.places
    dates = shown["date"].dropna()
    compact = compact_from is not None
    markers = _grouped(_rounded(_drawn_as(shown, "marker", ["type", "lat", "lon",
                                                            "geo_precision"])), _MARKER_KEYS)
    items = _grouped(_drawn_as(shown, "province", ["adm1_code", "type"]), ["adm1_code", "type"])
    national = shown.index[shown["_draw"] == "national"].to_numpy()
    flows = flow_lines(shown, ref) if "flows" in opts.layers else []
    if compact:
        rows, about = compact_columns(compact_from, shown["_row"].to_numpy(), _TEXT_COLUMNS,
                                      _COUNT_COLUMNS)
        codes, names = pd.factorize(shown["type"])  # a million rows: faster than .map
        rows["type"] = typed_array(np.array([type_index[n] for n in names], int)[codes])
        for flow in flows:
            flow["rows"] = typed_array(flow["rows"])
    else:
        rows, about = _columns(shown, type_index), None
    return {
        "types": types.to_dict("records"),
        "rows": rows,
        "compact": about,
        "large": bool(len(markers.keys) > settings.cluster_threshold()),
        "markers": (_compact_markers if compact else _markers)(markers, type_index),
        "province_items": (_compact_items if compact else _province_items)(items, type_index),
        "national": typed_array(national) if compact else national.tolist(),
        "provinces": provinces["geojson"],
        "choropleth_classes": provinces["classes"],
        "per100k_classes": provinces["per100k_classes"],
        "shading": {"breaks": provinces["breaks"], "colours": list(CHOROPLETH_COLOURS)},
        "districts": _district_features(ref) if "districts" in opts.layers
        or "types" in opts.layers else {"type": "FeatureCollection", "features": []},
        "country": _geojson(ref.display_layer("ADM0"), []),
        "checkpoints": _curated(places, ("border_post",)) if "checkpoints" in opts.layers
        else [],
        "hotspots": _curated(places, ("site", "zone")) if "hotspots" in opts.layers else [],
        "flows": flows,
        "search": _search_index(shown, provinces["geojson"], places),
        "date_min": _iso(dates.min()) if len(dates) else None,
        "date_max": _iso(dates.max()) if len(dates) else None,
        "attribution": [BOUNDARY_ATTRIBUTION, NAMES_ATTRIBUTION,
                        _incident_attribution(shown, n_unmapped)],
        "labels": {"precision": PRECISION_WORDS, "national": "Known only nationally",
                   "privacy": opts.privacy.label()},
    }


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _columns(shown: pd.DataFrame, type_index: dict[str, int]) -> dict:
    """Column-wise rows. Text columns are dictionary-encoded ({"v": values, "c": codes});
    a column with no value at all is null. ``date_label`` is only set where it differs
    from ``date`` (month or year precision)."""
    text = shown.reindex(columns=list(_TEXT_COLUMNS)).astype(object)
    text["date"] = iso_days(shown["date"])
    labels = date_labels(shown["date"], shown["date_precision"])
    text["date_label"] = labels.where(labels != text["date"])
    cols: dict[str, object] = {name: _encoded(text[name]) for name in _TEXT_COLUMNS}
    cols["type"] = shown["type"].map(type_index).astype(int).tolist()
    cols["geo_precision"] = shown["geo_precision"].astype(int).tolist()
    for name in ("people", "women", "children"):
        values = shown[name].astype("Int64")
        cols[name] = None if values.isna().all() else (
            values.astype(object).where(values.notna(), None).tolist())
    return cols


def _encoded(values: pd.Series) -> dict | None:
    if values.isna().all():
        return None
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return {"v": [str(v) for v in uniques], "c": codes.tolist()}


def _drawn_as(shown: pd.DataFrame, draw: str, columns: list[str]) -> pd.DataFrame:
    """``columns`` of the rows drawn as ``draw``: only those (a million rows of every
    column cost a second to take)."""
    return shown.loc[(shown["_draw"] == draw).to_numpy(), columns]


def _rounded(shown: pd.DataFrame) -> pd.DataFrame:
    # Coordinates carry no more precision than the row has: ~11 m for a place, ~1 km else.
    exact = shown["geo_precision"].eq(int(GeoPrecision.PLACE))
    lat = np.where(exact, shown["lat"].astype(float).round(4), shown["lat"].astype(float).round(2))
    lon = np.where(exact, shown["lon"].astype(float).round(4), shown["lon"].astype(float).round(2))
    return shown.assign(_lat=lat, _lon=lon)


_MARKER_KEYS = ["type", "_lat", "_lon", "geo_precision"]


@dataclass
class _Groups:
    """Rows grouped by some columns, in key order."""

    keys: pd.DataFrame  # one row per group: its key
    rows: np.ndarray  # row labels, group after group (ascending within a group)
    ends: np.ndarray  # where each group's rows end in ``rows``

    def lists(self) -> list[list[int]]:
        return [part.tolist() for part in np.split(self.rows, self.ends[:-1])] if len(
            self.ends) else []


def _grouped(frame: pd.DataFrame, keys: list[str]) -> _Groups:
    """``frame``'s rows grouped by ``keys``, without a Python step per group or row."""
    number = frame.groupby(keys, sort=True).ngroup().to_numpy()
    order, ends = grouped_rows(number)
    first = order[ends - np.bincount(number)] if len(ends) else order
    return _Groups(frame[keys].iloc[first].reset_index(drop=True),
                   frame.index.to_numpy()[order], ends)


def _markers(markers: _Groups, type_index: dict[str, int]) -> list:
    return [[float(lat), float(lon), type_index[kind], int(precision), rows]
            for (kind, lat, lon, precision), rows in zip(
                markers.keys.itertuples(index=False), markers.lists(), strict=True)]


def _province_items(items: _Groups, type_index: dict[str, int]) -> list:
    return [[code, type_index[kind], rows]
            for (code, kind), rows in zip(items.keys.itertuples(index=False), items.lists(),
                                          strict=True)]


# -- the compact data object (past COMPACT_ROWS) -------------------------------------------------
def _compact_markers(markers: _Groups, type_index: dict[str, int]) -> dict:
    keys = markers.keys
    return {"count": len(keys), "lat": typed_array(keys["_lat"].astype(float), "f4"),
            "lon": typed_array(keys["_lon"].astype(float), "f4"),
            "type": typed_array(keys["type"].map(type_index).astype(int)),
            "precision": typed_array(keys["geo_precision"].astype(int)),
            "rows": typed_array(markers.rows), "sizes": _sizes(markers)}


def _sizes(groups: _Groups) -> dict:
    """How many rows each group has: mostly one, a byte each (their ends took four)."""
    return typed_array(np.diff(groups.ends, prepend=0))


def _compact_items(items: _Groups, type_index: dict[str, int]) -> dict:
    return {"count": len(items.keys), "code": items.keys["adm1_code"].astype(str).tolist(),
            "type": items.keys["type"].map(type_index).astype(int).tolist(),
            "rows": typed_array(items.rows), "sizes": _sizes(items)}


def _curated(places: pd.DataFrame, kinds: tuple[str, ...]) -> list[dict]:
    places = places[places["kind"].isin(kinds) & places["country"].eq("KH")]
    return [
        {"name": r.name, "kind": r.kind, "lat": round(float(r.lat), 4),
         "lon": round(float(r.lon), 4), "counterpart": r.counterpart or None,
         "counterpart_country": r.counterpart_country or None}
        for r in places.sort_values("id").itertuples(index=False)
    ]


def _search_index(shown: pd.DataFrame, provinces: dict, places: pd.DataFrame) -> list:
    entries: dict[str, list] = {}
    for feature in provinces["features"]:
        bounds = shapely.geometry.shape(feature["geometry"]).bounds
        entries.setdefault(feature["properties"]["name"],
                           [feature["properties"]["name"], None, None,
                            [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]])
    for r in places[places["country"].eq("KH")].itertuples(index=False):
        entries.setdefault(r.name, [r.name, float(r.lat), float(r.lon), None])
    marks = _drawn_as(shown, "marker", ["place", "lat", "lon"])
    # each place's first row, as a loop over the rows would find it (a million rows: 5 s)
    for name, lat, lon in marks.drop_duplicates("place").itertuples(index=False):
        if isinstance(name, str) and name:
            entries.setdefault(name, [name, round(float(lat), 4), round(float(lon), 4), None])
    return sorted(entries.values(), key=lambda e: e[0].casefold())


def _incident_attribution(shown: pd.DataFrame, n_unmapped: int) -> str:
    sources = shown["source"].dropna().astype(str).value_counts().index[:3].tolist()
    text = "Incidents: " + (", ".join(sources) if sources else "the incident log")
    return text + (f" ({n_unmapped} rows not mapped)" if n_unmapped else "")


# -- boundaries for display -----------------------------------------------------------------------
def _geojson(frame: gpd.GeoDataFrame, props: list[str]) -> dict:
    return json.loads(frame[[*props, "geometry"]].to_json(drop_id=True))


def _district_features(ref: Reference) -> dict:
    layer = ref.display_layer("ADM2").rename(columns={"adm2_name": "name"})
    return _geojson(layer, ["name", "adm1_code"])


def _province_counts(shown: pd.DataFrame) -> pd.Series:
    """Incidents drawn in each province (markers and province items), by ``adm1_code``."""
    counted = shown.loc[shown["_draw"].isin(["marker", "province"]), ["adm1_code"]]
    return counted.groupby("adm1_code").size()


def _province_features(counts: pd.Series, cells: SmallCells, opts: MapOptions,
                       ref: Reference) -> dict:
    """Province polygons with their counts, colours and tooltip texts. A public build shows
    a small cell as "fewer than k" (and a province hidden with it as "not shown"), with no
    rate."""
    layer = ref.display_layer("ADM1")
    names = ref.province_names
    count = layer["adm1_code"].map(counts).fillna(0).astype(int)
    k = opts.privacy.suppress_below if opts.privacy.suppresses_counts else 1
    small = layer["adm1_code"].isin(cells.small)
    hidden = layer["adm1_code"].isin(cells.hidden)
    shown_count = count.where(~hidden, k - 1)
    frame = layer.assign(name=layer["adm1_code"].map(names))
    breaks = class_breaks(shown_count)
    frame["count_color"] = shown_count.map(lambda v: colour(v, breaks)).where(
        ~hidden | small, "#cccccc")
    frame["count_text"] = [
        f"fewer than {k} incidents" if s else "not shown (it would reveal a smaller count)"
        if h else _plural(int(n), "incident") for n, s, h in zip(count, small, hidden,
                                                                 strict=True)]
    pop = frame["adm1_code"].map(ref.population.set_index("adm1_code")["population_2019"])
    per = (count / pop * 1e5).round(2).where(~hidden)
    per_breaks = class_breaks(per.fillna(0))
    frame["per100k_color"] = per.map(lambda v: colour(v, per_breaks) if pd.notna(v) else "#ccc")
    frame["per100k_text"] = [
        "not shown (few incidents)" if h else "no population figure" if pd.isna(v)
        else f"{v:g} incidents per 100,000 people" for v, h in zip(per, hidden, strict=True)]
    # What the page needs to shade a filtered view with the same classes: the population,
    # and whether a province's shading is fixed (a small or hidden cell never changes).
    frame["population"] = pop.astype(float).where(pop.notna(), None)
    frame["fixed"] = (small | hidden).to_numpy()
    frame = frame.sort_values("adm1_code")
    classes = class_labels(breaks)
    if k > 1:
        classes = [[f"fewer than {k}" if 0 < float(b) < k else text, colour]
                   for (text, colour), b in zip(classes, breaks, strict=False)]
    return {"geojson": _geojson(frame, ["adm1_code", "name", "count_color", "count_text",
                                        "per100k_color", "per100k_text", "population",
                                        "fixed"]),
            "classes": classes, "per100k_classes": class_labels(per_breaks),
            "breaks": {"count": breaks, "per100k": per_breaks}}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def write_map(joined: pd.DataFrame, path: Path, options: MapOptions | None = None,
              reference: Reference | None = None) -> Path:
    """Build the map of ``joined`` and write it to ``path`` as one HTML file."""
    from mapper.files import write_with

    opts = options or MapOptions()
    page = assets.render_html(build_map(joined, opts, reference), embed=not opts.cdn)
    gc.collect()  # folium's elements refer to each other: this frees them and their data
    return write_with(Path(path), lambda tmp: write_page(page, tmp))
