"""Pinned map assets: integrity checks, embedding, and a page that renders with no network."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
from folium import plugins

from mapper import assets, downloads
from mapper.errors import AssetError

CAMBODIA = (12.5, 104.9)


def _sri(data: bytes) -> str:
    """npm-style integrity of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class _TagCollector(HTMLParser):
    """Collects the ``src``/``href`` of every ``<script>`` and ``<link>``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "link"}:
            self.urls.extend(v or "" for k, v in attrs if k in {"src", "href"})


def _resource_urls(html: str) -> list[str]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.urls


def _incident_map(popup: bool = False) -> folium.Map:
    """A small map using every supported plugin; ``tiles=None`` so nothing is fetched.

    folium 0.20 passes ``max_zoom`` to the tile layer only; with ``tiles=None`` the map's
    own ``maxZoom`` must be given as a Leaflet option or the cluster plugin fails.
    """
    m = folium.Map(location=CAMBODIA, zoom_start=7, tiles=None, maxZoom=18)
    cluster = plugins.MarkerCluster(name="incidents").add_to(m)
    for i in range(6):
        folium.CircleMarker([12.5 + 0.01 * i, 104.9], radius=6, color="#c0392b").add_to(cluster)
    folium.CircleMarker(
        [11.55, 104.92], radius=8, popup=folium.Popup("Phnom Penh", show=True) if popup else None
    ).add_to(m)
    plugins.HeatMap([[12.0, 105.0, 1.0], [12.1, 105.1, 0.5], [13.3, 103.8, 0.8]]).add_to(m)
    plugins.MiniMap(tile_layer=assets.plain_tiles()).add_to(m)
    plugins.Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m


# --------------------------------------------------------------------------- offline units


def test_sri_to_pooch_hash_matches_hashlib() -> None:
    data = b"leaflet"
    assert downloads.sri_to_pooch_hash(_sri(data)) == "sha512:" + hashlib.sha512(data).hexdigest()


@pytest.mark.parametrize("bad", ["", "sha512", "md5-AAAA", "sha512-not base64!"])
def test_sri_to_pooch_hash_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        downloads.sri_to_pooch_hash(bad)


def test_pinned_table_is_consistent() -> None:
    for package in assets.NPM_PACKAGES.values():
        assert package.pinned.known_hash.startswith("sha512:")
        assert package.tarball_url.endswith(f"/{package.name}-{package.version}.tgz")
    for bundle in assets.BUNDLES:
        known = (
            assets.FOLIUM_FILES
            if bundle.source == "folium"
            else assets.NPM_PACKAGES[bundle.source].files
        )
        assert set(bundle.css + bundle.js) <= set(known), bundle.key
    assert set(assets.LINK_BUNDLES.values()) <= {b.key for b in assets.BUNDLES}


def test_tampered_download_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def tampering_downloader(url: str, output_file: object, pooch: object, **kwargs: object):
        Path(str(output_file)).write_bytes(b"not the tarball that npm published")

    monkeypatch.setattr(downloads, "DOWNLOADER", tampering_downloader)
    with pytest.raises(AssetError, match="does not match the pinned integrity"):
        assets.fetch_assets(tmp_path)
    assert not list((tmp_path / "assets").rglob("*.tgz"))
    assert not list((tmp_path / "assets").rglob("*.js"))


def test_tampered_cached_tarball_is_not_used_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaflet = assets.NPM_PACKAGES["leaflet"]
    fake = tmp_path / "assets" / "tarballs" / f"{leaflet.folder}.tgz"
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"tampered")

    def offline_downloader(url: str, output_file: object, pooch: object, **kwargs: object):
        raise ConnectionError(f"no network for {url}")

    monkeypatch.setattr(downloads, "DOWNLOADER", offline_downloader)
    with pytest.raises(AssetError, match=re.escape(assets.FETCH_COMMAND)):
        assets.fetch_assets(tmp_path)
    assert not (tmp_path / "assets" / leaflet.folder).exists()


def test_missing_cache_says_how_to_fetch(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match=re.escape(assets.FETCH_COMMAND)):
        assets.read_asset("leaflet", "dist/leaflet.js", tmp_path)
    with pytest.raises(AssetError, match="npm registry"):
        assets.embed_assets(folium.Map(tiles=None), cache_dir=tmp_path)


def test_folium_heat_plugin_matches_pin() -> None:
    assert b"L.heatLayer" in assets.read_asset("folium", "templates/leaflet_heat.min.js")


def test_safe_script_escapes_closing_tag() -> None:
    text = 'var s = "</script><b>";\n//# sourceMappingURL=leaflet.js.map\n'
    out = assets.safe_script(text)
    assert "</script" not in out.lower()
    assert "sourceMappingURL" not in out
    assert assets.safe_style("a{content:'</style>'}") == "a{content:'<\\/style>'}"
    with pytest.raises(AssetError):
        assets.safe_script("<!-- <script>")


def test_icon_and_unpinned_plugins_are_refused() -> None:
    m = folium.Map(tiles=None)
    folium.Marker(CAMBODIA, icon=folium.Icon(color="red")).add_to(m)
    with pytest.raises(AssetError, match=r"folium\.Icon"):
        assets.needed_bundles(m)
    m = folium.Map(tiles=None)
    plugins.Draw().add_to(m)
    with pytest.raises(AssetError, match="Draw"):
        assets.needed_bundles(m)


def test_only_used_bundles_are_chosen() -> None:
    assert [b.key for b in assets.needed_bundles(folium.Map(tiles=None))] == ["leaflet"]
    m = folium.Map(tiles=None, maxZoom=18)
    plugins.FastMarkerCluster([CAMBODIA]).add_to(m)
    assert [b.key for b in assets.needed_bundles(m)] == ["leaflet", "markercluster"]
    keys = [b.key for b in assets.needed_bundles(_incident_map(popup=True))]
    assert keys == ["leaflet", "jquery", "markercluster", "heat", "minimap", "fullscreen"]


def test_drop_unused_cdn_keeps_leaflet_online() -> None:
    urls = _resource_urls(assets.render_html(_incident_map(), embed=False))
    assert any("leaflet@" in url for url in urls)
    assert any("markercluster" in url for url in urls)
    assert not [u for u in urls if re.search("jquery|bootstrap|fontawesome|awesome", u)]


# --------------------------------------------------------------------------- with assets


def test_fetch_is_offline_once_cached(
    embedded_assets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline_downloader(url: str, output_file: object, pooch: object, **kwargs: object):
        raise AssertionError(f"fetch_assets went to the network for {url}")

    monkeypatch.setattr(downloads, "DOWNLOADER", offline_downloader)
    assert assets.fetch_assets() == embedded_assets


def _embedded_plugin_map() -> str:
    m = _incident_map()
    m.get_root().render()  # an earlier render must not leave CDN links behind
    assets.embed_assets(m)
    assets.embed_assets(m)  # idempotent
    return m.get_root().render()


def assert_no_remote_resource(html: str) -> None:
    """Nothing in ``html`` can make the browser fetch anything: no script or stylesheet
    reference at all, no remote image or frame, no CSS ``url()`` but data: and #fragments,
    no ``@import``, no tile server."""
    assert _resource_urls(html) == []
    assert not re.search(r"<(img|iframe|source|video|audio)[^>]+src=[\"']?https?:", html)
    assert not re.search(r"url\(\s*(?![\"']?(data:|#))", html), "CSS url() of a file"
    assert "@import" not in html
    assert "tile.openstreetmap.org" not in html


# The one "no remote resource" check, for each kind of page the project writes offline (it
# used to be three tests: here, in test_render.py and in test_offline_privacy.py).
@pytest.mark.parametrize("page", ["folium map with every plugin", "demo map"])
def test_page_has_no_remote_resource(page: str, request: pytest.FixtureRequest,
                                     embedded_assets: Path) -> None:
    if page == "demo map":
        html = (request.getfixturevalue("demo_dir") / "map.html").read_text(encoding="utf-8")
    else:
        html = _embedded_plugin_map()
    assert_no_remote_resource(html)


def test_embedding_is_idempotent_in_dependency_order_and_minimal(embedded_assets: Path) -> None:
    html = _embedded_plugin_map()
    assert html.index("/* leaflet@1.9.4/dist/leaflet.js */") < html.index("leaflet.markercluster@")
    assert html.count("/* leaflet@1.9.4/dist/leaflet.js */") == 1
    assert "jquery.min.js" not in html  # no popup, no jQuery


@pytest.mark.browser
def test_embedded_map_renders_without_network(
    embedded_assets: Path, open_page, tmp_path: Path
) -> None:
    path = tmp_path / "map.html"
    path.write_text(assets.render_html(_incident_map(popup=True), embed=True), encoding="utf-8")

    run = open_page(path)
    page = run.page
    page.wait_for_selector(".marker-cluster", timeout=10_000)
    assert page.evaluate("typeof window.L") == "object"
    assert page.locator(".leaflet-interactive").count() >= 1
    assert page.locator(".leaflet-heatmap-layer").count() == 1
    assert page.locator(".leaflet-control-minimap").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator(".leaflet-popup-content").inner_text() == "Phnom Penh"
    assert run.requests == []
    assert run.console_errors == []
    assert run.page_errors == []
