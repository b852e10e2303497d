"""Tests for mapper.boundaries: finding, checking, downloading, caching and loading layers.

The real layers come from $INCIDENT_MAPPER_GEODATA if set, else ../shared/geodata next to the
repository. No test touches the network or the user's cache: an autouse fixture points the
cache at tmp_path and installs a downloader that fails the test if called.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

import geopandas
import pytest
import requests
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper import boundaries, downloads
from mapper.errors import BoundaryDataError
from mapper.settings import CACHE_ENV, GEODATA_ENV

REPO_ROOT = Path(__file__).resolve().parents[1]
KH_CODES = [f"KH-{n}" for n in range(1, 26)]
ADM1_NAME = boundaries.FILENAMES["ADM1"]


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def geodata_dir() -> Path:
    """The folder with the real geoBoundaries files: $INCIDENT_MAPPER_GEODATA or ../shared."""
    env = os.environ.get(GEODATA_ENV)
    folder = Path(env) if env else REPO_ROOT.parent / "shared" / "geodata"
    missing = [n for n in boundaries.FILENAMES.values() if not (folder / n).is_file()]
    if missing:
        pytest.skip(f"real boundary files not found in {folder}: {missing}")
    return folder


@pytest.fixture(scope="session")
def layers(geodata_dir: Path) -> dict[str, geopandas.GeoDataFrame]:
    """Every level loaded once per session through $INCIDENT_MAPPER_GEODATA."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(GEODATA_ENV, str(geodata_dir))
        return {level: boundaries.load_layer(level) for level in boundaries.LEVELS}


@pytest.fixture(scope="session")
def adm1_raw(geodata_dir: Path) -> geopandas.GeoDataFrame:
    """The ADM1 file as geoBoundaries wrote it (for building broken copies)."""
    return geopandas.read_file(geodata_dir / ADM1_NAME, engine="pyogrio")


def _refuse_download(url: str, output_file: str, pooch: object) -> None:
    pytest.fail(f"unexpected download of {url}")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Cache in tmp_path, no geodata env var, and no real downloads. Returns the cache dir."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    monkeypatch.delenv(GEODATA_ENV, raising=False)
    monkeypatch.setattr(downloads, "DOWNLOADER", _refuse_download)
    return cache


@pytest.fixture
def geodata_env(monkeypatch: pytest.MonkeyPatch, geodata_dir: Path) -> Path:
    monkeypatch.setenv(GEODATA_ENV, str(geodata_dir))
    return geodata_dir


@pytest.fixture
def pin_shared_adm1(monkeypatch: pytest.MonkeyPatch, geodata_dir: Path) -> Path:
    """Pin ADM1 to the shared copy's sha256 (its bytes differ from the published file)."""
    source = geodata_dir / ADM1_NAME
    _pin(monkeypatch, "ADM1", source)
    return source


def _pin(monkeypatch: pytest.MonkeyPatch, level: str, path: Path) -> None:
    key = f"boundaries/{level}"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    replaced = dataclasses.replace(downloads.REGISTRY[key], known_hash=f"sha256:{digest}")
    monkeypatch.setitem(downloads.REGISTRY, key, replaced)


def _copying_downloader(source: Path, calls: list[str]):
    def download(url: str, output_file: str, pooch: object) -> None:
        calls.append(url)
        shutil.copyfile(source, output_file)

    return download


def _write(frame: geopandas.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def _adm0_file(folder: Path, geometry: dict) -> Path:
    """A one-feature synthetic ADM0 file with the given GeoJSON geometry."""
    feature = {"type": "Feature", "properties": {"shapeName": "Cambodia"}, "geometry": geometry}
    path = folder / boundaries.FILENAMES["ADM0"]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


SQUARE_IN_CAMBODIA = {
    "type": "Polygon",
    "coordinates": [[[104.0, 12.0], [105.0, 12.0], [105.0, 13.0], [104.0, 13.0], [104.0, 12.0]]],
}


# ---------------------------------------------------------------------------------------------
# Loading the real layers
# ---------------------------------------------------------------------------------------------
def test_levels_resolve_from_env(geodata_env: Path) -> None:
    status = boundaries.geodata_status()
    assert {s["origin"] for s in status.values()} == {"env"}
    assert all(s["present"] for s in status.values())
    assert status["ADM1"]["path"] == str(geodata_env / ADM1_NAME)
    assert len(boundaries.load_layer("ADM1")) == 25


def test_adm0_and_adm1(layers: dict[str, geopandas.GeoDataFrame]) -> None:
    adm0, adm1 = layers["ADM0"], layers["ADM1"]
    assert list(adm0.columns) == ["name", "geometry"] and len(adm0) == 1
    assert list(adm1.columns) == ["adm1_code", "name", "geometry"]
    assert adm1["adm1_code"].tolist() == KH_CODES
    assert adm1.crs.to_epsg() == 4326


def test_adm2_each_unit_in_a_province(layers: dict[str, geopandas.GeoDataFrame]) -> None:
    adm2 = layers["ADM2"]
    assert list(adm2.columns) == ["adm2_id", "adm2_name", "adm1_code", "geometry"]
    assert len(adm2) == 197
    assert adm2["adm1_code"].notna().all() and set(adm2["adm1_code"]) == set(KH_CODES)
    assert adm2["adm2_id"].is_unique


def test_adm3_nests_in_adm2_and_adm1(layers: dict[str, geopandas.GeoDataFrame]) -> None:
    adm2, adm3 = layers["ADM2"], layers["ADM3"]
    assert list(adm3.columns) == ["adm3_id", "adm3_name", "adm2_id", "adm1_code", "geometry"]
    assert abs(len(adm3) - 1633) <= 82
    province_of_district = adm2.set_index("adm2_id")["adm1_code"]
    assert adm3["adm2_id"].isin(adm2["adm2_id"]).all()
    assert (adm3["adm2_id"].map(province_of_district) == adm3["adm1_code"]).all()


def test_wat_phnom_is_in_phnom_penh(layers: dict[str, geopandas.GeoDataFrame]) -> None:
    wat_phnom = shapely.Point(104.9231, 11.5763)
    for level in ("ADM1", "ADM2", "ADM3"):
        holding = layers[level][layers[level].contains(wat_phnom)]
        assert holding["adm1_code"].tolist() == ["KH-12"], level


def test_unit_outside_every_area_takes_the_nearest() -> None:
    areas = geopandas.GeoDataFrame(
        {"adm1_code": ["KH-1", "KH-2"]},
        geometry=[shapely.box(104.0, 12.0, 104.5, 12.5), shapely.box(105.0, 12.0, 105.5, 12.5)],
        crs="EPSG:4326",
    )
    units = geopandas.GeoDataFrame(
        geometry=[
            shapely.box(104.1, 12.1, 104.2, 12.2),  # inside KH-1
            shapely.box(104.8, 12.1, 104.95, 12.2),  # in the gap, nearer KH-2
            shapely.box(105.1, 12.1, 105.2, 12.2),  # inside KH-2
        ],
        crs="EPSG:4326",
        index=[10, 11, 12],
    )
    found = boundaries._containing(units, areas, "adm1_code")
    assert found.to_dict() == {10: "KH-1", 11: "KH-2", 12: "KH-2"}


@pytest.mark.parametrize("level", [1, "ADM1", "adm1", " Adm1 "])
def test_level_spellings(level: object, geodata_env: Path) -> None:
    assert boundaries.load_layer(level)["adm1_code"].tolist() == KH_CODES


@pytest.mark.parametrize("level", [4, -1, "ADM4", "province", True, None, 1.0])
def test_unknown_level_is_a_value_error(level: object) -> None:
    with pytest.raises(ValueError, match="level"):
        boundaries.load_layer(level)


def test_single_file_source_takes_dependencies_from_env(geodata_env: Path, tmp_path: Path) -> None:
    copy = shutil.copy(geodata_env / boundaries.FILENAMES["ADM2"], tmp_path / "districts.json")
    adm2 = boundaries.load_layer(2, source=copy)
    assert len(adm2) == 197 and adm2["adm1_code"].notna().all()


# ---------------------------------------------------------------------------------------------
# Structural checks
# ---------------------------------------------------------------------------------------------
def test_truncated_file_is_unreadable(geodata_dir: Path, tmp_path: Path) -> None:
    (tmp_path / ADM1_NAME).write_bytes((geodata_dir / ADM1_NAME).read_bytes()[:50_000])
    with pytest.raises(BoundaryDataError, match=rf"{ADM1_NAME}: unreadable"):
        boundaries.load_layer("ADM1", source=tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_any_truncation_is_unreadable(cut: float, tmp_path_factory: pytest.TempPathFactory) -> None:
    whole = _adm0_file(tmp_path_factory.mktemp("whole"), SQUARE_IN_CAMBODIA).read_bytes()
    broken = tmp_path_factory.mktemp("cut") / "adm0.geojson"
    broken.write_bytes(whole[: int(len(whole) * cut)])
    with pytest.raises(BoundaryDataError, match="unreadable"):
        boundaries.load_layer("ADM0", source=broken)


def test_missing_feature_fails_feature_count(
    adm1_raw: geopandas.GeoDataFrame, tmp_path: Path
) -> None:
    path = _write(adm1_raw.iloc[:24], tmp_path / ADM1_NAME)
    with pytest.raises(BoundaryDataError, match=r"feature count: expected 25, found 24") as err:
        boundaries.load_layer("ADM1", source=tmp_path)
    assert str(path) in str(err.value)


def test_wrong_crs_is_rejected(adm1_raw: geopandas.GeoDataFrame, tmp_path: Path) -> None:
    path = _write(adm1_raw.to_crs("EPSG:32648"), tmp_path / ADM1_NAME)
    with pytest.raises(BoundaryDataError, match=r"CRS: expected EPSG:4326, found EPSG:32648"):
        boundaries.load_layer("ADM1", source=path)


def test_missing_field_is_rejected(adm1_raw: geopandas.GeoDataFrame, tmp_path: Path) -> None:
    _write(adm1_raw.drop(columns="shapeISO"), tmp_path / ADM1_NAME)
    with pytest.raises(BoundaryDataError, match=r"required fields: missing shapeISO"):
        boundaries.load_layer("ADM1", source=tmp_path)


def test_wrong_iso_code_is_rejected(adm1_raw: geopandas.GeoDataFrame, tmp_path: Path) -> None:
    changed = adm1_raw.assign(shapeISO=adm1_raw["shapeISO"].replace("KH-7", "KH-70"))
    _write(changed, tmp_path / ADM1_NAME)
    with pytest.raises(BoundaryDataError, match=r"shapeISO codes: .*missing \['KH-7'\]"):
        boundaries.load_layer("ADM1", source=tmp_path)


def test_invalid_geometry_is_rejected(tmp_path: Path) -> None:
    ring = [[104.0, 12.0], [105.0, 13.0], [105.0, 12.0], [104.0, 13.0], [104.0, 12.0]]
    bowtie = {"type": "Polygon", "coordinates": [ring]}
    _adm0_file(tmp_path, bowtie)
    with pytest.raises(BoundaryDataError, match=r"geometry: 1 invalid .*Self-intersection"):
        boundaries.load_layer("ADM0", source=tmp_path)


def test_missing_geometry_is_rejected(tmp_path: Path) -> None:
    _adm0_file(tmp_path, None)
    with pytest.raises(BoundaryDataError, match=r"geometry: 1 feature\(s\) have no geometry"):
        boundaries.load_layer("ADM0", source=tmp_path)


def test_polygon_outside_cambodia_is_rejected(tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    _adm0_file(tmp_path, square)
    with pytest.raises(BoundaryDataError, match=r"bounding box"):
        boundaries.load_layer("ADM0", source=tmp_path)


def test_synthetic_valid_adm0_loads(tmp_path: Path) -> None:
    adm0 = boundaries.load_layer(0, source=_adm0_file(tmp_path, SQUARE_IN_CAMBODIA))
    assert adm0["name"].tolist() == ["Cambodia"]


# ---------------------------------------------------------------------------------------------
# Resolution: explicit and env locations do not fall through
# ---------------------------------------------------------------------------------------------
def test_explicit_folder_without_the_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"not found \(from source\)") as err:
        boundaries.load_layer("ADM1", source=tmp_path)
    assert GEODATA_ENV in str(err.value)


def test_env_folder_without_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(GEODATA_ENV, str(tmp_path))
    with pytest.raises(BoundaryDataError, match=rf"not found \(from \${GEODATA_ENV}\)"):
        boundaries.load_layer("ADM1")


def test_status_of_an_explicit_folder(geodata_dir: Path) -> None:
    status = boundaries.geodata_status(geodata_dir)
    assert {s["origin"] for s in status.values()} == {"explicit"}
    adm1 = status["ADM1"]
    assert adm1["sha256"] == hashlib.sha256((geodata_dir / ADM1_NAME).read_bytes()).hexdigest()
    assert adm1["url"] == downloads.REGISTRY["boundaries/ADM1"].url


def test_status_refuses_a_single_file(geodata_dir: Path) -> None:
    with pytest.raises(ValueError, match="source"):
        boundaries.geodata_status(geodata_dir / ADM1_NAME)


# ---------------------------------------------------------------------------------------------
# Download (fake downloaders; never the network)
# ---------------------------------------------------------------------------------------------
def test_download_lands_in_cache_and_loads(
    monkeypatch: pytest.MonkeyPatch, offline: Path, pin_shared_adm1: Path
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(downloads, "DOWNLOADER", _copying_downloader(pin_shared_adm1, calls))
    before = boundaries.geodata_status()["ADM1"]
    assert before["origin"] == "download" and not before["present"]

    adm1 = boundaries.load_layer("ADM1")

    cached = offline / "boundaries" / ADM1_NAME
    assert cached.is_file() and adm1["adm1_code"].tolist() == KH_CODES
    assert calls == [downloads.REGISTRY["boundaries/ADM1"].url]
    after = boundaries.geodata_status()["ADM1"]
    assert (after["origin"], after["path"]) == ("cache", str(cached))
    boundaries.load_layer("ADM1")  # from the cache: no second download
    assert len(calls) == 1


def test_download_with_wrong_bytes_fails_hash(
    monkeypatch: pytest.MonkeyPatch, offline: Path, pin_shared_adm1: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.geojson"
    other.write_bytes(pin_shared_adm1.read_bytes()[:-10] + b"          ")
    monkeypatch.setattr(downloads, "DOWNLOADER", _copying_downloader(other, []))
    with pytest.raises(BoundaryDataError, match="sha256"):
        boundaries.load_layer("ADM1")
    assert not (offline / "boundaries" / ADM1_NAME).exists()


@pytest.mark.parametrize(
    "error", [ConnectionError("no route to host"), requests.ConnectionError("DNS failure")]
)
def test_download_without_network_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, offline: Path, error: Exception
) -> None:
    def unreachable(url: str, output_file: str, pooch: object) -> None:
        raise error

    monkeypatch.setattr(downloads, "DOWNLOADER", unreachable)
    with pytest.raises(BoundaryDataError) as err:
        boundaries.load_layer("ADM2")
    message = str(err.value)
    assert len(message.splitlines()) <= 3
    assert "--geodata" in message and GEODATA_ENV in message
    assert str(offline / "boundaries") in message
    assert str(error) not in message  # the network library's words stay out (see --verbose)


def test_downloaded_file_is_also_checked(
    monkeypatch: pytest.MonkeyPatch, adm1_raw: geopandas.GeoDataFrame, tmp_path: Path
) -> None:
    short = _write(adm1_raw.iloc[:24], tmp_path / "short.geojson")
    _pin(monkeypatch, "ADM1", short)
    monkeypatch.setattr(downloads, "DOWNLOADER", _copying_downloader(short, []))
    with pytest.raises(BoundaryDataError, match="feature count: expected 25, found 24"):
        boundaries.load_layer("ADM1")


# ---------------------------------------------------------------------------------------------
# No cache here
# ---------------------------------------------------------------------------------------------
def test_every_load_reads_the_file(monkeypatch: pytest.MonkeyPatch, geodata_env: Path) -> None:
    """Caching is the Reference's job (tests/test_reference.py), not this module's."""
    reads: list[Path] = []
    real = boundaries._read_file
    monkeypatch.setattr(boundaries, "_read_file", lambda path: reads.append(path) or real(path))
    boundaries.load_layer("ADM1")
    boundaries.load_layer("ADM1")
    assert [p.name for p in reads] == [ADM1_NAME, ADM1_NAME]
