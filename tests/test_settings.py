"""Settings (mapper.settings): environment variables read when needed, and their effect."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapper import schema, settings
from mapper.join import join
from mapper.render import build_map, map_html


def test_every_variable_is_read_when_needed_not_at_import(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("INCIDENT_MAPPER_GEODATA", str(tmp_path / "geo"))
    assert settings.cache_dir() == tmp_path / "cache"
    assert settings.geodata_env_dir() == tmp_path / "geo"
    monkeypatch.delenv("INCIDENT_MAPPER_CACHE")
    monkeypatch.delenv("INCIDENT_MAPPER_GEODATA")
    assert "incident-mapper" in str(settings.cache_dir())
    assert settings.geodata_env_dir() is None


@pytest.mark.parametrize(("value", "offline"), [
    ("1", True), ("true", True), (" YES ", True), ("0", False), ("", False), ("no", False),
])
def test_offline_default(monkeypatch, value, offline):
    monkeypatch.setenv("INCIDENT_MAPPER_OFFLINE", value)
    assert settings.offline_default() is offline


def test_offline_can_be_the_default(sample_joined, reference, monkeypatch, embedded_assets):
    monkeypatch.setenv("INCIDENT_MAPPER_OFFLINE", "1")
    assert "tile.openstreetmap.org" not in map_html(build_map(sample_joined, None, reference))
    monkeypatch.setenv("INCIDENT_MAPPER_OFFLINE", "0")
    assert "tile.openstreetmap.org" in map_html(build_map(sample_joined, None, reference))


@pytest.mark.parametrize(("function", "variable", "default"), [
    (settings.fuzzy_threshold, "INCIDENT_MAPPER_FUZZY_THRESHOLD", 88.0),
    (settings.tolerance_m, "INCIDENT_MAPPER_TOLERANCE_M", 2000.0),
    (settings.suppress_below, "INCIDENT_MAPPER_SUPPRESS_BELOW", 3),
    (settings.cluster_threshold, "INCIDENT_MAPPER_CLUSTER_THRESHOLD", 1500),
    (settings.max_article_chars, "INCIDENT_MAPPER_MAX_ARTICLE_CHARS", 2_000_000),
])
def test_tunables_have_defaults_overrides_and_clear_errors(monkeypatch, function, variable,
                                                          default):
    monkeypatch.delenv(variable, raising=False)
    assert function() == default
    monkeypatch.setenv(variable, " ")
    assert function() == default, "blank means unset"
    monkeypatch.setenv(variable, "7")
    assert function() == 7
    monkeypatch.setenv(variable, "lots")
    with pytest.raises(ValueError, match=rf"\${variable}: expected a number, got 'lots'"):
        function()


def test_the_small_cell_threshold_is_raised_only(monkeypatch):
    monkeypatch.setenv("INCIDENT_MAPPER_SUPPRESS_BELOW", "1")
    assert settings.suppress_below() == 3
    monkeypatch.setenv("INCIDENT_MAPPER_SUPPRESS_BELOW", "10")
    assert settings.suppress_below() == 10


def test_the_join_tolerance_follows_its_variable(reference, monkeypatch):
    # 950 m off the Kep coast: joined to the nearest province by default, outside at 100 m.
    frame = pd.DataFrame({"id": ["r0"], "status": ["ok"], "lat": [10.4862], "lon": [104.3439],
                          "geo_precision": [1]})
    frame = schema.conform(frame, schema.GEOCODED_COLUMNS)
    assert join(frame, reference).loc[0, "adm1_code"] == "KH-23"
    monkeypatch.setenv("INCIDENT_MAPPER_TOLERANCE_M", "100")
    assert join(frame, reference).loc[0, "status"] == "outside"


def test_package_data_is_found():
    assert (settings.PACKAGE_GEODATA / "places.csv").is_file()
    assert isinstance(settings.PACKAGE_GEODATA, Path)
    assert settings.USER_AGENT.startswith("incident-mapper/")
