"""What maps embed: the pinned npm packages and folium files, and the bundles they form."""

from __future__ import annotations

from dataclasses import dataclass

from mapper import downloads

#: What to run to fill the cache; quoted in every error that a missing asset raises.
FETCH_COMMAND = "incident-mapper assets fetch"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm tarball and the files we take from it.

    Attributes
    ----------
    name, version
        The npm package and its exact version.
    files
        Paths inside the tarball, relative to its ``package/`` folder: the JavaScript and CSS
        we inline and the images their CSS refers to.
    """

    name: str
    version: str
    files: tuple[str, ...]

    @property
    def pinned(self) -> downloads.Pinned:
        """The tarball's URL and hash, from the project's one registry of downloads."""
        return downloads.REGISTRY[f"npm/{self.name}"]

    @property
    def tarball_url(self) -> str:
        """The registry address of the tarball."""
        return self.pinned.url

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
    #: A licence notice the minified file lacks, kept beside it in the page.
    notice: str = ""


#: The npm tarballs we take files from (their URLs and hashes are in
#: :data:`mapper.downloads.REGISTRY`). To update one: change ``version`` here and the entry
#: there, check ``files`` against ``npm pack NAME@VERSION`` (``tar tzf``), then run
#: ``incident-mapper assets fetch``.
NPM_PACKAGES: dict[str, NpmPackage] = {
    "leaflet": NpmPackage(
        name="leaflet",
        version="1.9.4",
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
        files=(
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "dist/leaflet.markercluster.js",
        ),
    ),
    "leaflet-minimap": NpmPackage(
        name="leaflet-minimap",
        version="3.6.1",
        files=(
            "dist/Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css",
            "dist/images/toggle.svg",
            "dist/images/toggle.png",
        ),
    ),
    # folium's Popup parses its HTML with jQuery (``$(`...`)[0]``), and so does
    # ``Map.keep_in_front``: embedded only when the map has one of those.
    # Clusters of large maps, made in the browser (its build bundles kdbush; ISC licence).
    "supercluster": NpmPackage(
        name="supercluster",
        version="9.1.0",
        files=("dist/supercluster.min.js",),
    ),
    "jquery": NpmPackage(
        name="jquery",
        version="3.7.1",
        files=("dist/jquery.min.js",),
    ),
    # folium's Fullscreen plugin loads leaflet.fullscreen@3.0.0 (its .min.js is made by the
    # CDN; the tarball has only the unminified file).
    "leaflet.fullscreen": NpmPackage(
        name="leaflet.fullscreen",
        version="3.0.0",
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
    Bundle("supercluster", "supercluster", js=("dist/supercluster.min.js",),
           notice="ISC License, Copyright (c) 2024, Mapbox"),
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
    "supercluster": "supercluster",
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
