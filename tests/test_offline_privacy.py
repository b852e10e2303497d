"""Offline, private and reproducible outputs."""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from mapper import files, pipeline, schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.privacy import Privacy, apply_privacy
from mapper.render import MapOptions, write_map

REPO = Path(__file__).resolve().parent.parent
# A 1x1 PNG, for a tiny MBTiles file.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory, geodata_dir, embedded_assets) -> Path:
    out = tmp_path_factory.mktemp("demo")
    pipeline.run_demo(out, offline=True)
    return out


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- offline ---------------------------------------------------------------------------------------
@pytest.mark.browser
def test_offline_demo_map_makes_no_request_at_all(demo_dir, open_page):
    run = open_page(demo_dir / "map.html")
    page = run.page
    assert page.locator(".leaflet-marker-pane .im-badge").count() >= 3
    assert page.locator(".leaflet-control-layers-overlays label").count() >= 8
    assert page.locator(".im-legend").is_visible()
    for control in (".im-filter", ".im-search", ".leaflet-control-zoom",
                    ".leaflet-control-minimap", ".leaflet-control-scale"):
        assert page.locator(control).count() == 1, control
    # What might load lazily: popups, hidden layers, the heat map, the minimap, zooming.
    page.locator(".leaflet-marker-pane .im-type-deportation").click()
    for name in ("Heat map", "District outlines", "Provinces: incidents per 100,000 people"):
        page.locator(".leaflet-control-layers-overlays label", has_text=name).locator(
            "input").check()
    page.locator(".leaflet-control-minimap-toggle-display").click()
    page.evaluate("() => window.incidentMapper.map.setZoom(10)")
    page.wait_for_timeout(500)
    assert run.requests == [], run.requests
    assert run.console_errors == [] and run.page_errors == []


def test_offline_html_references_no_remote_resource(demo_dir):
    html = (demo_dir / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?https?:", html)
    assert not re.search(r"url\(\s*[\"']?https?:", html), "no remote image or font in CSS"
    assert "@import" not in html
    assert "tile.openstreetmap.org" not in html


@pytest.mark.browser
def test_online_map_still_renders_without_a_network(sample_joined, tmp_path, open_page,
                                                    embedded_assets):
    path = write_map(sample_joined, tmp_path / "online.html", MapOptions(offline=False))
    run = open_page(path)
    assert run.page_errors == []
    assert run.page.locator(".leaflet-marker-pane .im-badge").count() >= 3
    hosts = {url.split("/")[2] for url in run.requests}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert hosts and all(host.split(".", 1)[-1] in readme for host in hosts), hosts


@pytest.mark.browser
def test_mbtiles_are_embedded_and_shown_without_requests(sample_joined, tmp_path, open_page,
                                                         embedded_assets):
    tiles = tmp_path / "base.mbtiles"
    with sqlite3.connect(tiles) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, "
                   "tile_data BLOB)")
        db.execute("INSERT INTO metadata VALUES ('format', 'png')")
        # Zoom 7 covers Cambodia with x 99-103 and TMS rows 66-71.
        db.executemany("INSERT INTO tiles VALUES (7, ?, ?, ?)",
                       [(x, y, PIXEL) for x in range(99, 104) for y in range(66, 72)])
    path = write_map(sample_joined, tmp_path / "tiles.html",
                     MapOptions(offline=True, local_tiles=tiles))
    run = open_page(path)
    assert run.page.locator("img[src^='data:image/png']").count() >= 1
    assert run.requests == []


# -- privacy ---------------------------------------------------------------------------------------
SECRET = "Informant Sokha met the victims at the back gate"


@pytest.fixture(scope="module")
def sensitive_table(geodata_dir) -> pd.DataFrame:
    rows = [
        {"id": "s1", "type": "rescue", "place": "safe house", "latitude": 11.23456,
         "longitude": 105.87654, "sensitive": True, "notes": SECRET,
         "actor": "Officer Dara Kim", "date": pd.Timestamp("2026-01-10")},
        {"id": "s2", "type": "raid", "place": "Bavet", "sensitive": False,
         "notes": SECRET, "actor": "Officer Dara Kim", "date": pd.Timestamp("2026-01-11")},
    ]
    frame = pd.DataFrame(rows).assign(status="ok", date_precision="day",
                                      source_url="https://example.org/a")
    return join(geocode(schema.conform(frame)))


def test_privacy_levels_are_validated():
    with pytest.raises(ValueError, match="privacy level"):
        Privacy("secret")


def test_partner_generalises_sensitive_rows_and_keeps_the_rest(sensitive_table):
    out = apply_privacy(sensitive_table, Privacy("partner"))
    row = out.set_index("id").loc["s1"]
    assert (row["geo_precision"], row["adm1_code"]) == (3, "KH-20")
    assert pd.isna(row["latitude"]) and pd.isna(row["place"]) and pd.isna(row["adm2_name"])
    assert out["notes"].isna().all()
    assert out.set_index("id").loc["s2", "actor"] == "Officer Dara Kim"
    assert len(out) == len(sensitive_table)


def test_public_build_shows_no_dropped_field_and_no_exact_point(sensitive_table, tmp_path,
                                                               embedded_assets):
    path = write_map(sensitive_table, tmp_path / "public.html",
                     MapOptions(offline=True, privacy=Privacy("public")))
    html = path.read_text(encoding="utf-8")
    for hidden in ("Informant Sokha", "Dara Kim", "safe house", "[11.2346,105.8765"):
        assert hidden not in html, hidden
    assert "Privacy: public" in html


@pytest.mark.browser
def test_public_build_shows_sensitive_rows_as_province_shading(sensitive_table, tmp_path,
                                                               open_page, embedded_assets):
    path = write_map(sensitive_table, tmp_path / "public.html",
                     MapOptions(offline=True, privacy=Privacy("public")))
    page = open_page(path).page
    kind = page.evaluate("() => typeof window.incidentMapper.layers['s1'].getBounds")
    assert kind == "function", "a province shape, not a marker"
    assert "Privacy: public" in page.inner_text(".im-legend")
    tooltip_texts = page.evaluate(
        "() => { const out = []; window.incidentMapper.map.eachLayer(l => { "
        "const t = l.getTooltip && l.getTooltip(); if (t) out.push(t.getContent().textContent); "
        "}); return out; }"
    )
    assert any("Svay Rieng: fewer than 3 incidents" in t for t in tooltip_texts)


# -- reproducible and safe writes ------------------------------------------------------------------
def test_demo_twice_gives_identical_bytes(tmp_path, geodata_dir, embedded_assets, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pipeline.run_demo("demo", offline=True)
    first = digests(tmp_path / "demo")
    pipeline.run_demo("demo", offline=True)
    assert digests(tmp_path / "demo") == first
    assert {"map.html", "geocoded.csv", "geocoded.geojson", "run.json",
            "summary/summary.xlsx", "summary/summary.json"} <= set(first)


def test_run_json_records_inputs_options_versions_and_counts(demo_dir):
    import json

    record = json.loads((demo_dir / "run.json").read_text(encoding="utf-8"))
    sample = pipeline.SAMPLE.read_bytes()
    assert record["inputs"][0]["sha256"] == hashlib.sha256(sample).hexdigest()
    assert record["options"]["command"] == "demo"
    assert {"python", "incident-mapper", "folium", "geopandas"} <= set(record["versions"])
    assert record["rows"]["total"] == sum(record["rows"]["by_status"].values()) == 10


def test_a_crash_mid_write_leaves_the_previous_output_intact(sample_joined, tmp_path,
                                                             monkeypatch, embedded_assets):
    path = write_map(sample_joined, tmp_path / "map.html", MapOptions(offline=True))
    before = path.read_bytes()

    def half_then_crash(self, text, *args, **kwargs):
        with open(self, "w", encoding="utf-8") as handle:
            handle.write(text[: len(text) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        write_map(sample_joined, path, MapOptions(offline=True, title="new"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"], "no temporary file left"


def test_a_failing_table_writer_leaves_the_previous_table_intact(sample_joined, tmp_path):
    path = pipeline.write_table(sample_joined, tmp_path / "placed.geojson")
    before = path.read_bytes()

    def failing(tmp):
        Path(tmp).write_bytes(b'{"type": "FeatureCollection", "features": [')
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        files.write_with(path, failing)
    assert path.read_bytes() == before
    assert len(list(tmp_path.iterdir())) == 1
