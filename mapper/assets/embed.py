"""Making a folium map self-contained: drop its CDN links, inline what it uses."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

from mapper.assets.pinned import BUNDLES, ICON_ONLY_LINKS, JQUERY_LINK, LINK_BUNDLES, Bundle
from mapper.assets.store import bundle_html, fetch_assets
from mapper.errors import AssetError

logger = logging.getLogger(__name__)

_HEADER_PREFIX = "incident_mapper_asset_"

def _walk(element: Element) -> Iterator[Element]:
    """``element`` and all its descendants, depth first."""
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _uses_awesome_icons(m: folium.Map) -> bool:
    """Whether the map has a ``folium.Icon`` (awesome-markers, Bootstrap, Font Awesome)."""
    return any(isinstance(element, folium.Icon) for element in _walk(m))


def _needs_jquery(m: folium.Map) -> bool:
    """Whether folium's generated script calls jQuery (popups, ``keep_in_front``)."""
    if getattr(m, "objects_to_stay_in_front", None):
        return True
    return any(isinstance(element, folium.Popup) for element in _walk(m))


def _links(element: JSCSSMixin) -> list[tuple[str, str]]:
    """All ``(name, url)`` pairs an element would put in the page header.

    Reads the class lists too, so a second call after :func:`embed_assets` has emptied the
    instance lists still sees what the element needs.
    """
    cls = type(element)
    return [*cls.default_js, *cls.default_css, *element.default_js, *element.default_css]


def _figure(m: folium.Map) -> Figure:
    """The figure the map renders into."""
    root = m.get_root()
    if not isinstance(root, Figure):
        raise ValueError(f"m must be a folium.Map inside a branca Figure, got root {root!r}")
    return root


def needed_bundles(m: folium.Map) -> list[Bundle]:
    """The bundles a map needs offline, in load order.

    Raises
    ------
    AssetError
        An element of the map loads a library that is not pinned here (for example
        ``folium.Icon`` or a plugin such as ``Draw``): it would be blank offline.
    """
    if not isinstance(m, folium.Map):
        raise TypeError(f"m must be a folium.Map, got {type(m).__name__}")
    if _uses_awesome_icons(m):
        raise AssetError(
            "folium.Icon needs awesome-markers, Bootstrap and Font Awesome, which are not "
            "embedded; use CircleMarker or DivIcon on offline maps"
        )
    keys: set[str] = {"leaflet", "jquery"} if _needs_jquery(m) else {"leaflet"}
    for element in _walk(m):
        if isinstance(element, folium.GeoJson) and not element.embed:
            raise AssetError("GeoJson(embed=False) loads its data at page load; use embed=True")
        if isinstance(element, JSCSSMixin):
            keys.update(_element_bundles(element))
    return [bundle for bundle in BUNDLES if bundle.key in keys]


def _element_bundles(element: JSCSSMixin) -> set[str]:
    """Bundle keys for one element's links; raise for a library that is not pinned."""
    keys = set()
    for name, url in _links(element):
        if name in LINK_BUNDLES:
            keys.add(LINK_BUNDLES[name])
        elif name == JQUERY_LINK and not isinstance(element, folium.Map):
            keys.add("jquery")
        elif name != JQUERY_LINK and name not in ICON_ONLY_LINKS:
            raise AssetError(
                f"{type(element).__name__} loads {name!r} from {url}, which is not "
                "pinned in mapper/assets/pinned.py; it cannot be used on an offline map"
            )
    return keys


def _clear_links(m: folium.Map, keep: Callable[[str], bool]) -> None:
    """Keep only the CDN links whose name passes ``keep``.

    Every JSCSSMixin element gets instance-level link lists (they shadow the class lists,
    which folium shares between maps), and links left in the figure header by an earlier
    render are removed.
    """
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            element.default_js = [pair for pair in element.default_js if keep(pair[0])]
            element.default_css = [pair for pair in element.default_css if keep(pair[0])]
    header = _figure(m).header._children
    stale = [
        name
        for name, child in header.items()
        if isinstance(child, CssLink | JavascriptLink) and not keep(name)
    ]
    for name in stale:
        del header[name]


def embed_assets(m: folium.Map, cache_dir: Path | str | None = None) -> None:
    """Make ``m`` a self-contained page: inline its Leaflet/plugin files, drop all CDN links.

    Changes ``m`` in place; call it after the last layer or plugin is added, then
    ``m.save(path)`` or ``m.get_root().render()``. Calling it again is harmless.

    Parameters
    ----------
    m : folium.Map
        The map. Only CircleMarker, GeoJson, DivIcon, plain Marker and the plugins in
        :data:`LINK_BUNDLES` (MarkerCluster, FastMarkerCluster, HeatMap, MiniMap, Fullscreen)
        can be embedded. Tile layers are left alone: use ``tiles=None`` (and a ``max_zoom``)
        or tiles from ``file:``/``data:`` URLs for a map that makes no request.
    cache_dir : path, optional
        Cache holding the fetched assets, as for :func:`fetch_assets`.

    Raises
    ------
    AssetError
        The assets are not in the cache, or the map uses a library that is not pinned.
    """
    bundles = needed_bundles(m)
    figure = _figure(m)
    html = {bundle.key: bundle_html(bundle, cache_dir) for bundle in bundles}
    _clear_links(m, keep=lambda name: False)
    for key, text in html.items():
        figure.header.add_child(Element(text), name=_HEADER_PREFIX + key)
    logger.debug("Embedded %s (%d bytes)", ", ".join(html), sum(map(len, html.values())))


def drop_unused_cdn(m: folium.Map) -> None:
    """For online maps: drop Bootstrap, Font Awesome and awesome-markers links unless a
    ``folium.Icon`` needs them, and jQuery unless popups need it; Leaflet and plugin links
    stay on their CDNs."""
    if _uses_awesome_icons(m):
        return
    drop = set(ICON_ONLY_LINKS) if _needs_jquery(m) else {*ICON_ONLY_LINKS, JQUERY_LINK}
    _clear_links(m, keep=lambda name: name not in drop)


def render_html(m: folium.Map, embed: bool, cache_dir: Path | str | None = None) -> str:
    """The map as one HTML page.

    Parameters
    ----------
    m : folium.Map
        The finished map (changed in place, see :func:`embed_assets`).
    embed : bool
        ``True``: inline every script and stylesheet (:func:`embed_assets`); ``False``: keep
        folium's CDN links minus the unused ones (:func:`drop_unused_cdn`).
    cache_dir : path, optional
        Cache holding the fetched assets, as for :func:`fetch_assets`.
    """
    if embed:
        fetch_assets(cache_dir)  # a no-op once cached; the first map fetches them itself
        embed_assets(m, cache_dir)
    else:
        drop_unused_cdn(m)
    return m.get_root().render()


def plain_tiles(color: str = "#e5e5e5", **kwargs: object) -> folium.TileLayer:
    """A tile layer of one flat colour from a ``data:`` URL: it never makes a request.

    Useful where folium insists on tiles, such as ``plugins.MiniMap(tile_layer=...)`` on an
    offline map (folium's MiniMap always draws a tile layer, OpenStreetMap by default).

    Parameters
    ----------
    color : str
        A CSS colour such as ``"#e5e5e5"``.
    **kwargs
        Passed to :class:`folium.TileLayer` (``name``, ``max_zoom``, ``control`` ...).
    """
    if not re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+", color):
        raise ValueError(f"color must be '#rgb', '#rrggbb' or a CSS colour name, got {color!r}")
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='256' height='256'>"
        f"<rect width='256' height='256' fill='{color}'/></svg>"
    )
    kwargs.setdefault("attr", "&nbsp;")
    kwargs.setdefault("name", "plain")
    return folium.TileLayer("data:image/svg+xml," + quote(svg), **kwargs)
