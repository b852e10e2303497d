"""Reference data in one object: boundaries, display layers, places, gazetteer, population.

Every stage that needs reference data takes a :class:`Reference` and reads nothing from disk
itself. Each table is loaded on first use and kept for the object's life, so a run that
geocodes, joins, maps and summarises reads each reference file once.

>>> ref = Reference.load()            # boundaries from $INCIDENT_MAPPER_GEODATA, cache, ...
>>> ref = Reference.load("geodata")   # or from a folder holding the four geoBoundaries files

:func:`default` is the one shared instance for the default source (a single slot, renewed
when ``$INCIDENT_MAPPER_GEODATA`` changes); stages given ``reference=None`` use it.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from functools import cached_property
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from mapper import boundaries, settings, units
from mapper.constants import METRIC_CRS
from mapper.files import write_with

log = logging.getLogger(__name__)

#: Tolerance of the display simplification of boundary layers (metres).
DISPLAY_SIMPLIFY_M = 100.0


class Reference:
    """Reference data for one boundary source, each part loaded lazily once.

    Parameters
    ----------
    source : path-like, optional
        Folder holding the geoBoundaries files (see :func:`mapper.boundaries.load_layer`).
    data_dir : path-like, optional
        Folder of the project's own tables (default: the package's ``mapper/data``).
    """

    def __init__(self, source=None, data_dir=None) -> None:
        self.source = None if source is None else Path(source)
        self.data_dir = settings.PACKAGE_GEODATA if data_dir is None else Path(data_dir)
        self._layers: dict[str, gpd.GeoDataFrame] = {}
        self._display: dict[str, gpd.GeoDataFrame] = {}

    @classmethod
    def load(cls, source=None, data_dir=None) -> Reference:
        """A reference for ``source`` (nothing is read until a part is asked for)."""
        return cls(source, data_dir)

    def __repr__(self) -> str:
        parts = {k for k in self.__dict__ if not k.startswith("_")} - {"source", "data_dir"}
        loaded = sorted({*self._layers, *parts})
        return f"Reference(source={self.source!s}, loaded={loaded})"

    # -- boundaries --------------------------------------------------------------------------
    def layer(self, level: str) -> gpd.GeoDataFrame:
        """The tidy boundary layer (ADM0..ADM3); shared, so do not modify it in place."""
        if level not in self._layers:
            deps = [self.layer(dep) for dep in boundaries.DEPENDENCIES[level]]
            self._layers[level] = boundaries.load_layer(level, self.source, dependencies=deps)
        return self._layers[level]

    def display_layer(self, level: str) -> gpd.GeoDataFrame:
        """The layer simplified for drawing, shared borders kept shared (coverage simplify)."""
        if level not in self._display:
            layer = self.layer(level)
            metric = layer.to_crs(METRIC_CRS)
            simplified = shapely.coverage_simplify(metric.geometry.values, DISPLAY_SIMPLIFY_M)
            out = layer.copy()
            out.geometry = gpd.GeoSeries(simplified, crs=METRIC_CRS,
                                         index=layer.index).to_crs(4326)
            out.geometry = shapely.set_precision(out.geometry.values, 1e-4)
            self._display[level] = out
        return self._display[level]

    @cached_property
    def country_metric(self):
        """Cambodia's outline in metres (UTM 48N), prepared for distance tests."""
        country = self.layer("ADM0").to_crs(METRIC_CRS).union_all()
        shapely.prepare(country)
        return country

    @cached_property
    def province_points(self) -> pd.DataFrame:
        """A representative point per province: ``lat``, ``lon`` indexed by ``adm1_code``."""
        layer = self.layer("ADM1")
        points = layer.geometry.representative_point()
        return pd.DataFrame({"lat": points.y.to_numpy(), "lon": points.x.to_numpy()},
                            index=layer["adm1_code"].astype(str).to_numpy())

    @cached_property
    def provinces(self) -> pd.DataFrame:
        """The 25 provinces with codes and names (:func:`mapper.units.province_table`)."""
        return units.province_table()

    @cached_property
    def province_names(self) -> pd.Series:
        """The press spelling of each province, indexed by ``adm1_code``."""
        return self.provinces.set_index("adm1_code")["name_common"]

    @cached_property
    def districts(self) -> pd.DataFrame:
        """ADM2 units matched to official districts (:func:`mapper.units.district_table`)."""
        return units.district_table(self.layer("ADM2"))

    # -- the project's own tables ------------------------------------------------------------
    def _table(self, name: str, **kwargs) -> pd.DataFrame:
        path = self.data_dir / name
        log.debug("Reading %s", path)
        return pd.read_csv(path, encoding="utf-8-sig", **kwargs)

    @cached_property
    def places(self) -> pd.DataFrame:
        """Curated places (``mapper/data/places.csv``; see the file's header)."""
        return self._table("places.csv", dtype=str, keep_default_na=False)

    @cached_property
    def aliases(self) -> pd.DataFrame:
        """Other spellings and scripts: ``alias, target, lang, ambiguous, source``."""
        return self._table("aliases.csv", dtype=str, keep_default_na=False)

    @cached_property
    def countries(self) -> pd.DataFrame:
        """Cambodia and its neighbours: ``id, name, country, names, source``."""
        return self._table("countries.csv", dtype=str, keep_default_na=False)

    @cached_property
    def sites(self) -> pd.DataFrame:
        """Compounds, casinos and zones named in reporting (``mapper/data/sites.csv``)."""
        return self._table("sites.csv", dtype=str, keep_default_na=False)

    @cached_property
    def landmarks(self) -> pd.DataFrame:
        """Temples, islands, museums, airports and the like (``mapper/data/landmarks.csv``):
        ``id, name, kind, province_code, lat, lon, precision_m, names, source_url, notes``."""
        return self._table("landmarks.csv", dtype=str, keep_default_na=False)

    @cached_property
    def features(self) -> pd.DataFrame:
        """Lakes, rivers, ranges and roads through several provinces (``features.csv``)."""
        return self._table("features.csv", dtype=str, keep_default_na=False)

    @cached_property
    def names(self) -> pd.DataFrame:
        """The reference name table (``mapper/data/names.csv.gz``; see NAMES_SOURCES.md):
        provinces, districts, communes and villages of the national gazetteer and Who's On
        First places, one row per (entry, name)."""
        return self._table("names.csv.gz", dtype=str, keep_default_na=False)

    @cached_property
    def population(self) -> pd.DataFrame:
        """Population per province: ``adm1_code, province, population_2019, source, ...``."""
        table = self._table("population.csv", dtype=str, keep_default_na=False)
        table["population_2019"] = table["population_2019"].astype("int64")
        return table

    @cached_property
    def gazetteer(self):
        """The compiled gazetteer (:class:`mapper.gazetteer.Gazetteer`), from the user cache
        when it holds this exact build (:func:`compiled_gazetteer`)."""
        return compiled_gazetteer(self)


# -- the compiled gazetteer ------------------------------------------------------------------
#: The project's tables the gazetteer is built from (in the reference's data folder).
GAZETTEER_DATA = ("names.csv.gz", "places.csv", "aliases.csv", "countries.csv", "sites.csv",
                  "features.csv", "landmarks.csv")
#: Packages whose code shapes the compiled gazetteer.
GAZETTEER_CODE = ("mapper.gazetteer", "mapper.names")


def compiled_gazetteer(ref: Reference):
    """The gazetteer of ``ref``, kept in the user cache: building it takes seconds, loading
    it a fraction of one. The file is named after a hash of everything it is built from (the
    tables, the boundary files, the code), so a stale one is never used; old ones are removed.
    A cache that cannot be written only costs the time."""
    from mapper.gazetteer import build_gazetteer

    folder = settings.cache_dir() / "gazetteer"
    path = folder / f"{gazetteer_fingerprint(ref)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as err:
            log.warning("Ignoring an unreadable compiled gazetteer %s (%s)", path, err)
    gazetteer = build_gazetteer(ref)
    try:
        write_with(path, lambda tmp: tmp.write_bytes(pickle.dumps(gazetteer, protocol=5)))
        for old in folder.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as err:
        log.warning("Could not keep the compiled gazetteer in %s (%s)", folder, err)
    return gazetteer


def gazetteer_fingerprint(ref: Reference) -> str:
    """A hash of the gazetteer's inputs and code."""
    digest = hashlib.sha256()
    for name in GAZETTEER_DATA:
        digest.update(name.encode() + (ref.data_dir / name).read_bytes())
    for level, info in boundaries.geodata_status(ref.source).items():
        digest.update(f"{level}:{info['path']}:{info['sha256']}".encode())
    for package in GAZETTEER_CODE:
        for item in sorted(resources.files(package).iterdir(), key=lambda i: i.name):
            if item.name.endswith((".py", ".toml")):
                digest.update(item.read_bytes())
    return digest.hexdigest()[:32]


_DEFAULT: tuple[Path | None, Reference] | None = None


def default() -> Reference:
    """The shared reference for the default boundary source (see the module docstring)."""
    global _DEFAULT
    env = settings.geodata_env_dir()
    if _DEFAULT is None or _DEFAULT[0] != env:
        _DEFAULT = (env, Reference())
    return _DEFAULT[1]


def clear_default() -> None:
    """Forget the shared reference (the next :func:`default` loads afresh)."""
    global _DEFAULT
    _DEFAULT = None


def resolve(reference: Reference | None) -> Reference:
    """``reference``, or the shared default when None."""
    return default() if reference is None else reference
