"""Shared fixtures: the boundary files and the reference data, the demo's outputs (written
once per test run), headless Debian Chromium through Playwright, the fetched map assets, and
a fake online geocoding service with a fake clock."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

logger = logging.getLogger(__name__)

#: Debian's chromium (``apt-get install chromium``); Playwright's own browser builds cannot be
#: downloaded here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_ENV = "INCIDENT_MAPPER_GEODATA"


def _geodata_folder() -> Path:
    env = os.environ.get(GEODATA_ENV)
    return Path(env) if env else REPO_ROOT.parent / "shared" / "geodata"


@pytest.fixture(scope="session", autouse=True)
def _point_at_geodata() -> Iterator[None]:
    """Every test sees the real boundary files through $INCIDENT_MAPPER_GEODATA."""
    folder = _geodata_folder()
    previous = os.environ.get(GEODATA_ENV)
    if folder.is_dir():
        os.environ[GEODATA_ENV] = str(folder)
    yield
    if previous is None:
        os.environ.pop(GEODATA_ENV, None)
    else:
        os.environ[GEODATA_ENV] = previous


@pytest.fixture(scope="session")
def geodata_dir() -> Path:
    """The folder with the real geoBoundaries files (failed on CI, skipped elsewhere)."""
    folder = _geodata_folder()
    if not (folder / "geoBoundaries-KHM-ADM1.geojson").is_file():
        message = f"boundary files not found in {folder}: set {GEODATA_ENV}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@dataclass
class PageRun:
    """A page opened by :func:`open_page` and what it did while loading."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium shared by the session; skipped (failed on CI) when absent."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: browser tests need `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], PageRun]]:
    """Open a local HTML file in a fresh page that may not reach anything but ``file://``.

    Every other request is aborted and recorded in ``.requests``; console errors and
    uncaught exceptions are collected. The pages are closed at teardown.
    """
    contexts: list[Any] = []

    def _open(path: Path, timeout_ms: float = 30_000) -> PageRun:
        context = browser.new_context(viewport={"width": 1024, "height": 768})
        contexts.append(context)
        page = context.new_page()
        run = PageRun(page=page)

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith("file://"):
                request_route.continue_()
            else:
                run.requests.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda msg: run.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda err: run.page_errors.append(str(err)))
        page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        logger.debug("Opened %s: %d blocked requests", path, len(run.requests))
        return run

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def embedded_assets() -> Path:
    """The pinned map assets in the default cache (downloaded once, then reused offline)."""
    from mapper.assets import fetch_assets

    return fetch_assets()


@pytest.fixture(scope="session")
def reference(geodata_dir):
    """The reference data over the real boundary files, loaded once per test run."""
    from mapper.reference import Reference

    return Reference.load(geodata_dir)


@pytest.fixture
def session_reference(monkeypatch, reference):
    """CLI commands get the session's reference data (see reference_support.py)."""
    from reference_support import serve_reference

    serve_reference(monkeypatch, reference)
    return reference


@pytest.fixture(scope="session")
def sample_joined(reference):
    """The sample incidents, geocoded and joined (the demo's table)."""
    from mapper import pipeline

    return pipeline.locate([pipeline.SAMPLE], reference=reference)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, reference, embedded_assets) -> Path:
    """The demo's outputs, written once per test run; tests read them and never write there.

    Written as ``demo/`` below a fresh working folder (as ``incident-mapper demo --out demo``
    would be), so the paths in its run.json are relative.
    """
    from mapper import pipeline

    base = tmp_path_factory.mktemp("demo-run")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        pipeline.run_demo("demo", reference=reference, offline=True)
    return base / "demo"


# -- a fake online geocoding service -------------------------------------------------------------
class FakeService:
    """Stands in for a geopy geocoder: answers from a dict, or raises what it is told to."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.queries: list[tuple[str, dict]] = []

    def geocode(self, query, **kwargs):
        from geopy.location import Location

        self.queries.append((query, kwargs))
        if self.error:
            raise self.error
        hit = self.answers.get(query)
        return Location(hit[2], (hit[0], hit[1]), {}) if hit else None


class FakeClock:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class OnlineFake:
    """A :class:`mapper.online.GeopyBackend` over a :class:`FakeService` and a fake clock."""

    backend: Any
    service: FakeService
    clock: FakeClock


@pytest.fixture
def fake_online(tmp_path) -> Callable[..., OnlineFake]:
    """``fake_online(answers=..., error=..., service=...)``: a rate-limited, disk-cached
    backend over a fake service, restricted to Cambodia, with a fake clock. Backends made in
    one test share the disk cache ``tmp_path / "cache"`` (as two processes would)."""
    from mapper.online import DiskCache, GeopyBackend

    def make(answers=None, error=None, service=None) -> OnlineFake:
        service = service or FakeService(answers, error)
        backend = GeopyBackend(service, query_options={"country_codes": "kh"},
                               cache=DiskCache(tmp_path / "cache"))
        clock = FakeClock()
        backend.limiter._clock = clock.clock
        backend.limiter._sleep = clock.sleep
        return OnlineFake(backend, service, clock)

    return make
