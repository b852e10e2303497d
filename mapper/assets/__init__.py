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

from mapper.assets.embed import (
    drop_unused_cdn,
    embed_assets,
    needed_bundles,
    plain_tiles,
    render_html,
)
from mapper.assets.pinned import (
    BUNDLES,
    FETCH_COMMAND,
    FOLIUM_FILES,
    LINK_BUNDLES,
    NPM_PACKAGES,
    Bundle,
    FoliumFile,
    NpmPackage,
)
from mapper.assets.store import (
    assets_dir,
    bundle_html,
    fetch_assets,
    inline_css,
    read_asset,
    safe_script,
    safe_style,
)

__all__ = ["BUNDLES", "FETCH_COMMAND", "FOLIUM_FILES", "LINK_BUNDLES", "NPM_PACKAGES", "Bundle",
           "FoliumFile", "NpmPackage", "assets_dir", "bundle_html", "drop_unused_cdn",
           "embed_assets", "fetch_assets", "inline_css", "needed_bundles", "plain_tiles",
           "read_asset", "render_html", "safe_script", "safe_style"]
