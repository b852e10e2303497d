"""``--engine dask``: a partitioned Parquet log run on a dask cluster gives the rows and the
summary tables one machine gives, row for row and cell for cell.

The single-machine reference is the project's own chain on the same files:
:func:`mapper.ingest.read_incidents`, then ``join(geocode(...))`` and ``summarise``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

pytest.importorskip("distributed", reason="dask is not installed: pip install "
                    "'incident-mapper[dask]' to test --engine dask")
dask_geopandas = pytest.importorskip("dask_geopandas", reason="dask-geopandas is not "
                                     "installed: pip install 'incident-mapper[dask]'")

from distributed import Client  # noqa: E402

from mapper import ingest, reference, schema  # noqa: E402
from mapper.engine_dask import local_cluster, run_dask  # noqa: E402
from mapper.engine_dask.checks import incident_table  # noqa: E402
from mapper.engine_dask.content import content_numbers, id_hash, number_contents  # noqa: E402
from mapper.errors import OutputError  # noqa: E402
from mapper.geocode import geocode  # noqa: E402
from mapper.join import join  # noqa: E402
from mapper.summarise import SummaryError, summarise  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from dask_scale import place_names, synthetic_piece, write_dataset  # noqa: E402

ROW_COLUMNS = [*schema.GEOCODED_COLUMNS, "geometry"]


@pytest.fixture(scope="module")
def names(geodata_dir):
    return place_names()


@pytest.fixture(scope="module")
def threads():
    """An in-process cluster: one worker, two threads (no process to start)."""
    with local_cluster(1, threads=2, processes=False) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def small_log(tmp_path_factory, names) -> Path:
    """4,000 rows in four files of 1,000 (the million rows below are the scale test)."""
    return write_dataset(tmp_path_factory.mktemp("small") / "log", 4_000, file_rows=1_000,
                         names=names)


def one_machine(log: Path, **options):
    """The rows and the summary of ``log`` on one machine: every file checked, then the
    whole table geocoded, joined and summarised."""
    ref = reference.default()
    files = sorted(log.glob("*.parquet"))
    table = ingest.read_incidents(files)
    joined = join(geocode(table, reference=ref), ref)
    return joined, summarise(joined, reference=ref, **options)


def assert_same_rows(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.sort_values("id", kind="stable").reset_index(drop=True)
    theirs = theirs.sort_values("id", kind="stable").reset_index(drop=True)
    assert len(ours) == len(theirs)
    for column in ROW_COLUMNS[:-1]:
        pd.testing.assert_series_equal(ours[column], theirs[column], check_dtype=False,
                                       obj=column)
    assert np.array_equal(shapely.to_wkb(ours.geometry.values),
                          shapely.to_wkb(theirs.geometry.values))


def assert_same_summary(ours, theirs) -> None:
    assert list(ours.tables()) == list(theirs.tables())
    for name, table in theirs.tables().items():
        mine = ours.tables()[name]
        pd.testing.assert_frame_equal(mine, table, obj=name)
    assert ours.meta == theirs.meta


# -- the checks -------------------------------------------------------------------------------
def test_a_piece_is_checked_as_ingest_checks_the_same_rows_in_csv(names, tmp_path):
    rows = synthetic_piece(5_000, 0, seed=3, names=names)
    rows.to_csv(tmp_path / "log.csv", index=False)
    theirs = ingest.read_incidents([tmp_path / "log.csv"])
    ours = incident_table(rows, "log.parquet")
    assert ours["status"].eq("invalid").sum() > 10  # the log breaks some rules
    assert list(ours.columns) == list(theirs.columns)
    for column in schema.INCIDENT_COLUMNS:
        if column not in ("source_file", "message"):
            pd.testing.assert_series_equal(ours[column], theirs[column], obj=column)
    # The same problems, each named at its row of its file (the header is row 1).
    pd.testing.assert_series_equal(ours["message"].str.replace("log.parquet", "log.csv"),
                                   theirs["message"])
    assert ours["message"].iloc[np.flatnonzero(ours["status"].eq("invalid"))[0]].startswith(
        f"log.parquet, row {np.flatnonzero(ours['status'].eq('invalid'))[0] + 2}, field")


def test_typed_columns_and_other_column_names_are_read(tmp_path):
    rows = pd.DataFrame({
        "Incident ID": ["a", "b", "a", None],
        "Date of incident": pd.to_datetime(["2026-01-05 14:30", "2025-12-31", None,
                                            "1850-01-01"], format="ISO8601"),
        "Type": ["Raid", "arrest", "raid", "raid"],
        "lat": [11.55, 95.0, None, None], "lng": [104.92, 104.9, None, 104.9],
        "People": [3.0, 2.5, None, -1.0],
        "sensitive": [True, False, None, False],
    })
    table = incident_table(rows, "2026/log.parquet", first_row=10, repeats={2: "elsewhere"})
    assert table["status"].tolist() == ["ok", "invalid", "invalid", "invalid"]
    # The row without an id is named by its content, wrong cells too, as ingest names it.
    rows.to_parquet(tmp_path / "log.parquet")
    assert table["source_row"].tolist() == [12, 13, 14, 15]  # the header is row 1
    assert table["id"].tolist() == ["a", "b", "a",
                                    ingest.read_incidents([tmp_path / "log.parquet"])["id"][3]]
    assert table["id"][3].startswith("inc-")
    assert table["date"].iloc[0] == pd.Timestamp("2026-01-05")
    assert table["date_precision"].iloc[0] == "day"
    assert table["type"].tolist() == ["raid", "arrest", "raid", "raid"]
    assert table["people"].iloc[0] == 3 and table["sensitive"].tolist() == [True, False,
                                                                           False, False]
    message = table["message"].tolist()
    # In ingest's order: each field as it is read, then the checks across fields.
    assert message[1] == ('2026/log.parquet, row 13, field "people": "2.5" is not a whole '
                          'number; 2026/log.parquet, row 13, field "latitude": "95" is outside '
                          '-90..90')
    assert message[2] == '2026/log.parquet, row 14, field "id": "a" is already used by elsewhere'
    assert '"1850-01-01" as a date: year 1850 is not in 1900-2100' in message[3]
    assert "latitude is given but longitude is missing" not in message[3]
    assert '"-1" is negative' in message[3]


# -- the run, small and in one process -----------------------------------------------------
# dask's Parquet reader still calls reset_index(inplace=True), which pandas 3.1 deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in GeoDataFrame.reset_index")
def test_a_small_log_gives_the_rows_and_tables_of_one_machine(small_log, threads, tmp_path):
    start = time.perf_counter()
    result = run_dask(small_log, tmp_path / "out", client=threads, period="month",
                      by="district", piece_rows=1_000)
    seconds = time.perf_counter() - start
    joined, summary = one_machine(small_log, period="month", by="district")
    rows = dask_geopandas.read_parquet(tmp_path / "out" / "geocoded").compute()
    assert_same_rows(rows, joined)
    assert_same_summary(result.summarised, summary)
    assert result.rows == 4_000 and result.pieces == 4
    assert result.by_status == {s: int(joined["status"].eq(s).sum()) for s in schema.STATUSES}
    assert rows.crs == "EPSG:4326"
    assert seconds < 60


@pytest.mark.parametrize("options", [
    {"period": "quarter", "date_from": "2024-06", "date_to": "2025-03-15"},
    {"period": "year", "by": "district", "date_from": "2030-01-01"},  # no row left
], ids=["quarters-between-dates", "no-row-in-the-dates"])
def test_other_summaries_equal_one_machine(small_log, threads, tmp_path, options):
    result = run_dask(small_log, tmp_path / "out", client=threads, write_summary=False,
                      **options)
    assert_same_summary(result.summarised, one_machine(small_log, **options)[1])


def test_an_id_used_twice_anywhere_in_the_dataset_is_wrong_after_its_first_row(
        names, threads, tmp_path):
    log = tmp_path / "log"
    log.mkdir()
    first = synthetic_piece(300, 0, seed=5, names=names)
    second = synthetic_piece(300, 300, seed=5, names=names)
    second.loc[7, "id"] = first.loc[4, "id"]
    first.to_parquet(log / "a.parquet")
    second.to_parquet(log / "b.parquet")
    run_dask(log, tmp_path / "out", client=threads)
    rows = gpd.read_parquet(tmp_path / "out" / "geocoded").set_index("source_row")
    repeated = rows[rows["source_file"].eq("b.parquet")].loc[9]
    assert repeated["status"] == "invalid"
    assert (f'b.parquet, row 9, field "id": "{first.loc[4, "id"]}" is already used by '
            "a.parquet, row 6") in repeated["message"]
    original = rows[rows["source_file"].eq("a.parquet")].loc[6]
    assert "already used" not in str(original["message"])


def test_rows_without_an_id_get_the_ids_ingest_gives_them_numbered_across_files(
        names, threads, tmp_path):
    """A row without an id is named by its content, as ingest names it, on a cluster too;
    copies of a row in other files are ``-2``, ``-3`` in the dataset's order, and a given
    id that is already some content's id pushes that content to ``-2``."""
    log = tmp_path / "log"
    log.mkdir()
    files = [synthetic_piece(400, 400 * k, seed=9, names=names) for k in range(3)]
    for k, rows in enumerate(files):
        rows["id"] = rows["id"].astype(object).where(np.arange(400) % 3 == 0, None)
        if k:  # copies of rows 1 and 2 of the first file, a file later
            rows.iloc[[10 * k, 10 * k + 1]] = files[0].iloc[[1, 2]].to_numpy()
    for k, rows in enumerate(files):
        rows.to_parquet(log / f"part-{k}.parquet", index=False)
    paths = sorted(log.glob("*.parquet"))
    theirs = ingest.read_incidents(paths)["id"].tolist()
    files[2].loc[399, "id"] = theirs[5]  # a given id that is a content id of an earlier row
    files[2].to_parquet(log / "part-2.parquet", index=False)
    theirs = ingest.read_incidents(paths)

    run_dask(log, tmp_path / "out", client=threads, piece_rows=200)
    ours = gpd.read_parquet(tmp_path / "out" / "geocoded")
    assert ours["id"].tolist() == theirs["id"].tolist()
    assert ours["status"].eq("invalid").tolist() == theirs["status"].eq("invalid").tolist()
    made = theirs["id"][theirs["id"].str.startswith("inc-")]
    assert len(made) > 700 and made.str.endswith("-3").sum() == 2  # rows 1, 2 thrice
    assert theirs["id"].iloc[5].endswith("-2")


def test_empty_records_at_a_files_end_are_no_rows_as_in_ingest(names, threads, tmp_path):
    log = tmp_path / "log"
    log.mkdir()
    rows = synthetic_piece(300, 0, seed=4, names=names).astype({"sensitive": "boolean"})
    blank = pd.DataFrame({c: [None] * 5 for c in rows.columns}).astype(rows.dtypes)
    blank.loc[2, "notes"] = "   "  # white space says nothing either
    # a.parquet: 300 rows, 5 empty, 3 rows and 2 empty in one row group, then 5 empty in
    # a row group of their own: the last piece is dropped and the one before it cut.
    head = pd.concat([rows, blank, rows.iloc[:3], blank.iloc[:2]], ignore_index=True)
    tables = [pa.Table.from_pandas(t, preserve_index=False) for t in (head, blank)]
    with pq.ParquetWriter(log / "a.parquet", tables[0].schema) as writer:
        for table in tables:
            writer.write_table(table.cast(tables[0].schema))
    blank.to_parquet(log / "b.parquet")  # nothing but empty records
    rows.iloc[:50].to_parquet(log / "c.parquet")
    theirs = ingest.read_incidents(sorted(log.glob("*.parquet")))

    result = run_dask(log, tmp_path / "out", client=threads, piece_rows=100)
    ours = gpd.read_parquet(tmp_path / "out" / "geocoded")
    assert result.rows == len(theirs) == 358  # 300 + 5 empty inside + 3, then 50
    for column in ("id", "source_file", "source_row"):
        assert ours[column].tolist() == theirs[column].tolist()
    assert ours["message"].str.contains("empty row").sum() == 5


def test_repeated_contents_are_numbered_in_the_datasets_order():
    a, b, c = "inc-00000000000a", "inc-00000000000b", "inc-00000000000c"
    pieces = [content_numbers([a, b]), content_numbers([]), content_numbers([c, a, a])]
    assert number_contents(pieces, id_hash(["x"])) == {2: {1: f"{a}-2", 2: f"{a}-3"}}
    # A given id that is a content's id, or one of its numbered forms, is passed over.
    assert number_contents(pieces, id_hash([a, f"{a}-3"])) == {
        0: {0: f"{a}-2"}, 2: {1: f"{a}-4", 2: f"{a}-5"}}
    assert number_contents([content_numbers([a, b])], id_hash([])) == {}


def test_wrong_options_fail_before_any_work(small_log, tmp_path):
    with pytest.raises(SummaryError, match="period"):
        run_dask(small_log, tmp_path / "out", period="week", client=object())
    with pytest.raises(OutputError, match="inside the dataset"):
        run_dask(small_log, small_log / "out", client=object())
    assert not (tmp_path / "out").exists()


# -- the run at scale: a million rows on two worker processes ---------------------------------
@pytest.mark.scale
def test_a_million_rows_on_two_workers_give_the_rows_and_tables_of_one_machine(
        names, tmp_path):
    log = write_dataset(tmp_path / "log", 1_000_000, names=names)
    with local_cluster(2, threads=1, processes=True) as cluster, Client(cluster) as client:
        # The tables' files are written as on one machine (see the small log above).
        result = run_dask(log, tmp_path / "out", client=client, period="month",
                          by="district", write_summary=False)
    joined, summary = one_machine(log, period="month", by="district")
    assert result.rows == 1_000_000 and result.pieces == 4
    assert_same_summary(result.summarised, summary)
    del summary
    assert_same_rows(gpd.read_parquet(tmp_path / "out" / "geocoded"), joined)


# -- the command ----------------------------------------------------------------------------------
def test_run_with_the_dask_engine_on_a_scheduler_writes_the_rows_and_tables(
        small_log, threads, tmp_path):
    from typer.testing import CliRunner

    from mapper.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(small_log), "--engine", "dask", "--scheduler",
                                      threads.scheduler.address, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4000 rows: " in result.output  # the line run_dask's result gives
    summary = out / "summary"
    assert (summary / "provinces.csv").is_file() and (summary / "summary.xlsx").is_file()
    record = json.loads((out / "run.json").read_text())
    assert record["options"]["engine"] == "dask"
    assert record["rows"]["total"] == 4_000
    assert [Path(i["path"]).name for i in record["inputs"]] == [
        f"part-{n:05d}.parquet" for n in range(4)]
    assert sorted(Path(o["path"]).name for o in record["outputs"]
                  if "geocoded" in o["path"]) == [f"part-{n:05d}.parquet" for n in range(4)]


def test_run_with_the_dask_engine_refuses_what_it_does_not_make(small_log, tmp_path):
    from typer.testing import CliRunner

    from mapper.cli import app

    result = CliRunner().invoke(app, ["run", str(small_log), "--engine", "dask", "--pdf",
                                      "--privacy", "public", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: --pdf, --privacy: not with --engine dask, which writes the geocoded rows and "
        "the tables only (see README)"]
    assert not (tmp_path / "out").exists()
