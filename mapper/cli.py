"""The ``incident-mapper`` command: thin verbs over the Python API."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from mapper.cli_support import (
    counts_line,
    friendly_errors,
    load_reference,
    online_backend,
    option_error,
    privacy_policy,
    progress,
    status,
)

app = typer.Typer(
    name="incident-mapper",
    help="Geocode, map and summarise incident logs on scam compounds and trafficking in Cambodia.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _global_options(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say what each step does "
                                 "(and show the full cause of an error)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors."),
) -> None:
    """Geocode, map and summarise incident logs on scam compounds and trafficking in Cambodia."""
    import logging

    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command()
def validate(
    files: list[Path] = typer.Argument(
        ...,
        metavar="FILE",
        help="Incident logs: .csv, .xlsx, .json, .geojson or .parquet.",
        show_default=False,
    ),
    sheet: str | None = typer.Option(
        None, "--sheet", help="Workbook sheet: a name, or a position counting from 0."
    ),
    output_format: ReportFormat = typer.Option(
        ReportFormat.TEXT, "--format", help="Report as readable text or as JSON."
    ),
) -> None:
    """Check incident logs and list every problem by file, row and field.

    Exit status: 0 when every row is valid, 1 when some row is not, 2 when a file is unreadable.
    """
    from mapper.errors import InputFileError
    from mapper.ingest import format_report, read_incidents, validation_report

    try:
        frame = read_incidents(files, sheet=sheet)
    except InputFileError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    report = validation_report(frame)
    if output_format is ReportFormat.JSON:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report))
    raise typer.Exit(1 if report["invalid"] else 0)


FILES = typer.Argument(..., metavar="IN", help="Incident logs (.csv, .xlsx, .json, .geojson, "
                       ".parquet), or a table written by geocode or run.",
                       show_default=False)
SHEET = typer.Option(None, "--sheet", help="Workbook sheet: a name, or a position from 0.")
PRIVACY = typer.Option("internal", "--privacy", help="internal, partner or public: what the "
                       "output may show (see README).")
DROP = typer.Option(None, "--drop", help="Comma-separated fields to leave out in addition to "
                    "the level's own (partner: notes; public: notes, actor, names). Known: id, "
                    "end_date, place, district, commune, people, women, children, nationality, "
                    "actor, source, source_url, notes, names.")
GEODATA = typer.Option(None, "--geodata", help="Folder with the geoBoundaries files "
                       "(default: $INCIDENT_MAPPER_GEODATA, the cache, then a download).")


# -- geocode ---------------------------------------------------------------------------------------
@app.command()
def geocode(
    files: list[Path] = FILES,
    out: Path = typer.Option(..., "--out", help="Output: .csv, .geojson, .gpkg or .parquet "
                             "(GeoParquet)."),
    sheet: str | None = SHEET,
    online: bool = typer.Option(False, "--online", help="Ask an online geocoder (Nominatim, "
                                "1 request/s, cached) for names the gazetteer lacks."),
    service: str = typer.Option("nominatim", "--service", help="Online geocoding service."),
    privacy: str = PRIVACY,
    drop: str | None = DROP,
    geodata: Path | None = GEODATA,
) -> None:
    """Place every row (gazetteer first) and join it to provinces, districts, communes."""
    from mapper.files import check_output, check_output_place
    from mapper.pipeline import TABLE_FORMATS, locate, run_json_path, write_run_json, write_table
    from mapper.privacy import apply_privacy, withhold_small_cells

    with friendly_errors():
        policy = privacy_policy(privacy, drop)
        run_json = run_json_path(out)
        check_output(out, files)
        check_output(run_json, files)
        check_output_place(out, suffixes=TABLE_FORMATS)
        ref = load_reference(geodata)
        joined = locate(files, sheet=sheet, online=online_backend(online, service),
                        reference=ref, progress=progress("Geocoding names"))
        shared = withhold_small_cells(apply_privacy(joined, policy, ref), policy)
        write_table(shared, out)
        run = write_run_json(run_json, inputs=files, frame=joined,
                             outputs=[out], options={"command": "geocode", "online": online,
                                                     "service": service, "sheet": sheet,
                                                     "privacy": policy.level,
                                                     "drop": policy.dropped})
    typer.echo(counts_line(joined))
    if len(shared) < len(joined):
        typer.echo(f"{len(joined) - len(shared)} rows of provinces with fewer than "
                   f"{policy.suppress_below} incidents withheld ({policy.level} output)")
    typer.echo(f"wrote {out}\nwrote {run}")


# -- places ----------------------------------------------------------------------------------------
places_app = typer.Typer(help="Search and check the gazetteer (admin units, places, aliases).",
                         no_args_is_help=True)
app.add_typer(places_app, name="places")


@places_app.command("search")
def places_search(
    text: str = typer.Argument(..., help="A place name in any spelling or script."),
    limit: int = typer.Option(10, "--limit", min=1, max=100),
    geodata: Path | None = GEODATA,
) -> None:
    """Ranked candidates for TEXT with score, kind, province and the source of each name;
    first the answer a log row would get, how it was matched and the keys it was looked up by."""
    with friendly_errors():
        gaz = load_reference(geodata).gazetteer
        match = gaz.lookup(text)
        answer = match.entry.describe() if match.entry else "no single answer"
        note = f" - {match.message}" if match.message else ""
        typer.echo(f"{match.status.value} ({match.method}): {answer}{note}")
        exact, roman = gaz.keys(text)
        typer.echo(f"keys: exact '{exact}', romanisation '{roman or '-'}'")
        for cand in gaz.search(text, limit):
            where = cand.adm1_code or f"outside Cambodia ({cand.country})"
            if cand.kind == "country" and cand.country == "KH":
                where = "Cambodia"
            source = str(gaz.entry(cand.entry_id).get("source") or "")[:60]
            typer.echo(f"{cand.score:5.1f}  {cand.kind:<12} {where:<10} {cand.name}  [{source}]")


@places_app.command("check")
def places_check(geodata: Path | None = GEODATA) -> None:
    """Validate mapper/data/places.csv and aliases.csv; exit 1 on any problem."""
    from mapper.gazetteer import check_places
    from mapper.reference import Reference

    ref = Reference.load(geodata)
    with friendly_errors():
        problems = check_places(ref)
    if problems:
        typer.echo("\n".join(problems))
        typer.echo(f"{len(problems)} problems")
        raise typer.Exit(1)
    typer.echo(f"ok: {len(ref.places)} places, {len(ref.aliases)} aliases")


# -- map -------------------------------------------------------------------------------------------
@app.command("map")
def map_command(
    files: list[Path] = FILES,
    out: Path = typer.Option(Path("map.html"), "--out", help="The HTML file to write."),
    title: str = typer.Option("Incidents in Cambodia", "--title"),
    layers: str | None = typer.Option(None, "--layers", help="Comma-separated layers to draw: "
                                      "types, checkpoints, hotspots, provinces, per100k, "
                                      "districts, heatmap, flows (default: all)."),
    offline: bool | None = typer.Option(None, "--offline/--tiles", help="--offline: no tiles, "
                                        "no request when opened (default from "
                                        "$INCIDENT_MAPPER_OFFLINE, else tiles)."),
    local_tiles: Path | None = typer.Option(None, "--local-tiles", help="A folder of "
                                            "{z}/{x}/{y}.png tiles or an .mbtiles file."),
    basemap: str = typer.Option("openstreetmap", "--basemap", help="openstreetmap or carto."),
    privacy: str = PRIVACY,
    drop: str | None = DROP,
    cdn: bool = typer.Option(False, "--cdn", help="Link Leaflet from public CDNs instead of "
                             "embedding it (smaller file; needs the network)."),
    sheet: str | None = SHEET,
    geodata: Path | None = GEODATA,
) -> None:
    """Write a layered map of the incidents as one HTML file (and its run.json)."""
    from mapper.files import check_output, check_output_place
    from mapper.pipeline import (
        check_layers,
        check_map_options,
        locate,
        run_json_path,
        write_run_json,
    )
    from mapper.render import MapOptions, write_map

    with friendly_errors():
        policy = privacy_policy(privacy, drop)
        chosen = check_layers(layers)
        check_map_options(basemap=basemap, cdn=cdn, offline=offline)
        run_json = run_json_path(out)
        sources = [*files, *([local_tiles] if local_tiles else [])]
        check_output(out, sources)
        check_output(run_json, sources)
        check_output_place(out, suffixes=(".html", ".htm"))
        try:
            options = MapOptions(title=title, offline=offline, tiles=basemap, layers=chosen,
                                 cdn=cdn, local_tiles=local_tiles, privacy=policy)
        except ValueError as err:
            raise option_error(err) from None
        ref = load_reference(geodata)
        joined = locate(files, sheet=sheet, reference=ref,
                        progress=progress("Geocoding names"))
        # Past this point a ValueError is a fault of ours, not of the options: it is not
        # dressed up as a usage error.
        with status(f"Writing {out}"):
            write_map(joined, out, options, ref)
        run = write_run_json(
            run_json, inputs=files, frame=joined, outputs=[out],
            options={"command": "map", "title": title, "layers": chosen, "offline": offline,
                     "basemap": basemap, "privacy": policy.level, "drop": policy.dropped,
                     "cdn": cdn, "local_tiles": local_tiles, "sheet": sheet})
    typer.echo(f"{counts_line(joined)}\nwrote {out}\nwrote {run}")


# -- assets, boundaries ----------------------------------------------------------------------------
assets_app = typer.Typer(help="Scripts and stylesheets embedded in maps.", no_args_is_help=True)
app.add_typer(assets_app, name="assets")


@assets_app.command("fetch")
def assets_fetch() -> None:
    """Download the pinned map assets (npm tarballs, hash-checked) into the cache."""
    from mapper.assets import fetch_assets

    with friendly_errors():
        typer.echo(f"assets in {fetch_assets()}")


@app.command()
def boundaries(
    geodata: Path | None = GEODATA,
    install: Path | None = typer.Option(None, "--install", metavar="DIR", help="Check the "
                                        "four files in DIR and copy them into the cache, so "
                                        "later runs need no flag or variable."),
) -> None:
    """Say where each boundary layer is found (explicit, env, cache or download).

    Exit status: 0 when every layer is present, 1 when one is missing.
    """
    from mapper.boundaries import geodata_status, how_to_provide, install_layers

    with friendly_errors():
        if install is not None:
            for path in install_layers(install):
                typer.echo(f"installed {path}")
        status = geodata_status(geodata)
    for level, info in status.items():
        state = info["path"] if info["present"] else f"missing (would download {info['url']})"
        typer.echo(f"{level}: {info['origin']:<9} {state}")
    if not all(info["present"] for info in status.values()):
        typer.echo(how_to_provide(), err=True)
        raise typer.Exit(1)


# -- demo ------------------------------------------------------------------------------------------
@app.command()
def demo(
    out: Path = typer.Option(Path("outputs/demo"), "--out", help="Folder to write into."),
    offline: bool = typer.Option(True, "--offline/--tiles", help="Map without tiles and "
                                 "requests (default), or with OpenStreetMap tiles."),
    geodata: Path | None = GEODATA,
) -> None:
    """Run everything on the sample incidents (from the seed article) into outputs/demo/."""
    from mapper.files import check_output_place
    from mapper.pipeline import run_demo

    with friendly_errors():
        check_output_place(out, folder=True)
        result = run_demo(out, reference=load_reference(geodata), offline=offline,
                          progress=progress("Geocoding names"))
    typer.echo(result.summary())
    for path in result.written:
        typer.echo(f"wrote {path}")


# -- summarize (issue 5) --
class SummaryBy(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"


class Engine(StrEnum):
    SINGLE = "single"
    DASK = "dask"


class SummaryPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@app.command()
def summarize(
    files: list[Path] = FILES,
    by: SummaryBy = typer.Option(SummaryBy.PROVINCE, "--by", help="province, or district "
                                 "to add the per-district table."),
    period: SummaryPeriod | None = typer.Option(None, "--period", help="Add per-period "
                                                "tables and the change against the "
                                                "previous period."),
    date_from: str | None = typer.Option(None, "--from", help="First date kept (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Last date kept (YYYY-MM-DD)."),
    out: Path = typer.Option(Path("outputs/summary"), "--out", help="Folder to write into."),
    privacy: str = PRIVACY,
    drop: str | None = DROP,
    sheet: str | None = SHEET,
    title: str | None = typer.Option(None, "--title", help="The report's title."),
    organisation: str | None = typer.Option(None, "--organisation", "--organization",
                                            help="Who prepared the report (page footer)."),
    as_of: str | None = typer.Option(None, "--as-of", help="The date the report is as of "
                                     "(default: the last incident's date)."),
    lang: str = typer.Option("en", "--lang", help="Language of the report's own words: "
                             "en or fr."),
    pdf: bool = typer.Option(False, "--pdf", help="Also write report.pdf (needs the pdf "
                             "extra, see the README)."),
    geodata: Path | None = GEODATA,
) -> None:
    """Tables per province (CSV, XLSX, JSON, Markdown), charts, and a printable report
    (report.html, and report.pdf with --pdf) of at most three A4 pages."""
    from mapper.files import check_output, check_output_place
    from mapper.pipeline import (
        check_date_range,
        locate,
        run_json_path,
        write_run_json,
        write_summary,
    )
    from mapper.report import ReportOptions
    from mapper.summarise.export import OUTPUT_NAMES

    with friendly_errors():
        policy = privacy_policy(privacy, drop)
        report = ReportOptions(title=title, organisation=organisation, as_of=as_of, lang=lang,
                               pdf=pdf)
        check_date_range(date_from, date_to)
        check_output(out, files, inside=OUTPUT_NAMES)
        check_output_place(out, folder=True)
        ref = load_reference(geodata)
        joined = locate(files, sheet=sheet, reference=ref, progress=progress("Geocoding names"))
        with status(f"Writing the summary into {out}"):
            written = write_summary(joined, out, by=by.value,
                                    period=period.value if period else None,
                                    date_from=date_from, date_to=date_to, reference=ref,
                                    privacy=policy, report=report)
        written.append(write_run_json(
            run_json_path(out, folder=True), inputs=files, frame=joined, outputs=written,
            options={"command": "summarize", "by": by.value, "sheet": sheet,
                     "period": period.value if period else None, "from": date_from,
                     "to": date_to, "privacy": policy.level, "drop": policy.dropped,
                     "title": title, "organisation": organisation, "as_of": report.as_of,
                     "lang": lang, "pdf": pdf}))
    typer.echo(counts_line(joined))
    for path in written:
        typer.echo(f"wrote {path}")
# -- end summarize --


# -- extract (issue 7) --
@app.command("run")
def run_command(
    files: list[Path] = FILES,
    out: Path = typer.Option(Path("outputs/run"), "--out", help="Folder to write into."),
    period: SummaryPeriod | None = typer.Option(None, "--period", help="month, quarter or "
                                                "year: per-period tables in the summary."),
    title: str | None = typer.Option(None, "--title", help="Title of the map and report."),
    lang: str = typer.Option("en", "--lang", help="Language of the report: en or fr."),
    pdf: bool = typer.Option(False, "--pdf", help="Also write summary/report.pdf."),
    offline: bool = typer.Option(True, "--offline/--tiles", help="Map without tiles (default)."),
    privacy: str = PRIVACY,
    drop: str | None = DROP,
    sheet: str | None = SHEET,
    geodata: Path | None = GEODATA,
    engine: Engine = typer.Option(Engine.SINGLE, "--engine", help="single: one process "
                                  "(default); dask: a Parquet log too large for memory, on a "
                                  "dask cluster (geocoded rows and tables, no map or report; "
                                  "see README)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="With --engine dask: a "
                                         "running scheduler, tcp://HOST:8786 (default: a "
                                         "local cluster, one worker per core)."),
) -> None:
    """validate, geocode, map and summarize a log in one process (each file read once)."""
    from mapper.files import check_output, check_output_place
    from mapper.pipeline import RunOptions, run_all
    from mapper.render import MapOptions
    from mapper.report import ReportOptions

    if engine is Engine.DASK or scheduler:
        _run_on_dask(files, out, scheduler, period, geodata,
                     refused={"--pdf": pdf, "--privacy": privacy != "internal", "--drop": drop,
                              "--sheet": sheet, "--title": title})
        return
    with friendly_errors():
        policy = privacy_policy(privacy, drop)
        report = ReportOptions(title=title, lang=lang, pdf=pdf)
        check_output(out, files)
        check_output_place(out, folder=True)
        options = RunOptions(map=MapOptions(title=title or "Incidents", offline=offline),
                             privacy=policy, period=period.value if period else None,
                             report=report)
        result = run_all(files, out, options, sheet=sheet, reference=load_reference(geodata),
                         progress=progress("Geocoding names"))
    typer.echo(result.summary())
    for path in result.written:
        typer.echo(f"wrote {path}")


def _run_on_dask(files: list[Path], out: Path, scheduler: str | None,
                 period: SummaryPeriod | None, geodata: Path | None,
                 refused: dict[str, object]) -> None:
    """``run --engine dask``: geocoded rows and tables of a Parquet log on a dask cluster."""
    from mapper.errors import OptionError

    with friendly_errors():
        given = [name for name, value in refused.items() if value]
        if given:
            raise OptionError(f"{', '.join(given)}: not with --engine dask, which writes the "
                              "geocoded rows and the tables only (see README)")
        if len(files) != 1:
            raise OptionError("--engine dask reads one Parquet file or one folder of them")
        import logging

        from mapper.engine_dask import run_dask

        if not logging.getLogger().isEnabledFor(logging.DEBUG):  # dask's INFO lines unless -v
            logging.getLogger("distributed").setLevel(logging.WARNING)
        with status("Running on the dask cluster"):
            result = run_dask(files[0], out, scheduler=scheduler,
                              period=period.value if period else None, geodata=geodata)
    typer.echo(result.summary())
    for path in result.written:
        typer.echo(f"wrote {path}")


@app.command()
def extract(
    articles: list[Path] = typer.Argument(..., metavar="ARTICLE", show_default=False,
                                          help="Text files (.txt, .md) or folders of them."),
    published: str | None = typer.Option(None, "--published", help="Publication date "
                                         "(YYYY-MM-DD); resolves 'le 12 janvier', 'on "
                                         "Saturday'. Default: a 'Publié le' line, if any."),
    source: str | None = typer.Option(None, "--source", help="Source name, or its URL "
                                      "(default: the file name)."),
    url: str | None = typer.Option(None, "--url", help="Source URL (http or https)."),
    lang: str | None = typer.Option(None, "--lang", help="fr or en (default: detected)."),
    out: Path | None = typer.Option(None, "--out", help="Draft table: .csv, .json, or .xlsx "
                                    "(a review workbook with dropdowns; default: CSV on "
                                    "standard output)."),
    geodata: Path | None = GEODATA,
) -> None:
    """Draft incident rows (status 'draft', with evidence) from French or English news text."""
    import sys

    from mapper.extract import extract_files
    from mapper.extract.draft import article_paths
    from mapper.extract.review import DRAFT_SUFFIXES, write_draft_file
    from mapper.files import check_output, check_output_place, csv_text
    from mapper.pipeline import check_extract_options

    if source and source.startswith(("http://", "https://")) and not url:
        url = source
        source = source.split("/")[2].removeprefix("www.")
    with friendly_errors():
        check_extract_options(published=published, lang=lang)
        if out is not None:
            check_output(out, article_paths(articles))
            check_output_place(out, suffixes=DRAFT_SUFFIXES)
        try:
            drafts = extract_files(articles, published=published, lang=lang, source=source,
                                   source_url=url, gazetteer=load_reference(geodata).gazetteer)
            if out is None:
                sys.stdout.write(csv_text(drafts))
                return
            write_draft_file(drafts, out)
        except ValueError as err:
            raise option_error(err) from None
    typer.echo(f"{len(drafts)} draft rows from {len(articles)} input(s)\nwrote {out}")


@app.command()
def merge(
    drafts: list[Path] = typer.Argument(..., metavar="DRAFT", show_default=False,
                                        help="Drafts written by extract (.csv, .json, .xlsx)."),
    out: Path = typer.Option(..., "--out", help="The merged log: .csv, .json, or .xlsx (a "
                             "review workbook)."),
    window_days: int = typer.Option(3, "--window-days", min=0, help="Most days apart two "
                                    "reports of one event may be."),
    apart: list[str] | None = typer.Option(None, "--apart", metavar="ID", help="A draft row "
                                           "id (as merged_from lists it) to keep out of every "
                                           "merge: undoes a merge. Repeatable."),
) -> None:
    """One row per event: the same event from several outlets becomes one row listing every
    source, with the lowest count reported; rows marked keep = no are left out."""
    from mapper.extract.outlets import merge_files, merge_summary
    from mapper.extract.review import DRAFT_SUFFIXES, write_draft_file
    from mapper.files import check_output, check_output_place

    with friendly_errors():
        check_output(out, drafts)
        check_output_place(out, suffixes=DRAFT_SUFFIXES)
        try:
            merged = merge_files(drafts, window_days=window_days, apart=apart or ())
        except ValueError as err:
            raise option_error(err) from None
        write_draft_file(merged, out)
    typer.echo(f"{merge_summary(merged)}\nwrote {out}")
# -- end extract --


def main() -> None:
    """Entry point of the console script and of ``python -m mapper``.

    A usage error (an unknown option, a value outside a choice) is one ``error:`` line and
    exit status 2, like every other error, instead of typer's framed box."""
    import sys

    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("aborted", err=True)
        code = 1
    except Exception as err:
        # Typer raises click's exceptions, or its own copy of them (0.2x vendors click):
        # a usage error is recognised by what it carries, not by its class.
        if getattr(err, "exit_code", None) != 2 or not hasattr(err, "format_message"):
            raise
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            sys.exit(0)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        typer.echo(f"error: {err.format_message()}{hint}", err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)
