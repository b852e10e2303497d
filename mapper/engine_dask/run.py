"""The run on a cluster: the pieces handed to the workers, their shares of the summary added
up as they come back, the tables and run.json written by the client.

The client never holds the rows: it reads the files' footers, a 64-bit hash per given id
(8 bytes a row: 80 MB for 10 million rows, to find ids used twice anywhere in the dataset),
the content id of each row without one as a number and a hash (16 bytes a row, to number
repeated contents as ingest does) and the pieces' partials.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mapper import schema
from mapper.engine_dask.checks import row_number
from mapper.engine_dask.combine import Totals
from mapper.engine_dask.content import number_contents
from mapper.engine_dask.partials import SummaryOptions
from mapper.engine_dask.pieces import (
    TARGET_ROWS,
    Piece,
    dataset_files,
    find_pieces,
    without_empty_ends,
)
from mapper.engine_dask.tasks import (
    Job,
    filled_rows,
    id_hashes,
    id_rows,
    locate_piece,
    part_name,
    piece_contents,
    warm_reference,
)
from mapper.errors import OptionError, OutputError
from mapper.files import sha256_of, write_text_atomic
from mapper.pipeline import RunResult, versions
from mapper.reference import Reference, default
from mapper.summarise import Summary, summarise, write_tables

log = logging.getLogger(__name__)

INSTALL_HINT = "--engine dask needs dask: pip install 'incident-mapper[dask]'"


@dataclass
class DaskRunResult(RunResult):
    """A run's counts and files (as :class:`mapper.pipeline.RunResult`: ``summary()`` is its
    one line), the summary's tables (``summarised``) and the number of pieces."""

    summarised: Summary | None = field(default=None, repr=False)
    pieces: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # by phase


def run_dask(dataset: Path | str, out: Path | str, *, scheduler: str | None = None,
             client=None, workers: int | None = None, by: str = "province",
             period: str | None = None, date_from=None, date_to=None,
             geodata: Path | str | None = None, piece_rows: int = TARGET_ROWS,
             write_summary: bool = True,
             progress: Callable[[int, int], None] | None = None) -> DaskRunResult:
    """Geocode, join and summarise the Parquet log ``dataset`` (a file or a folder of
    ``.parquet`` files) on a dask cluster; write ``out/geocoded/part-*.parquet`` (GeoParquet,
    one file per piece, in the log's order), ``out/summary/`` (the tables of
    :func:`mapper.summarise.write_tables`) and ``out/run.json``.

    Parameters
    ----------
    scheduler : address of a running scheduler (``tcp://HOST:8786``); default: a local
        cluster of ``workers`` processes (default: one per core), one thread each.
    client : a ``distributed.Client`` to use instead (left open).
    by, period, date_from, date_to : as :func:`mapper.summarise.summarise`.
    geodata : the boundary folder, at this path on every worker (default: each worker's
        ``$INCIDENT_MAPPER_GEODATA`` or user cache).
    piece_rows : rows a task takes (whole row groups, so a piece may hold more).
    write_summary : False: no ``out/summary/`` (the tables are in the result's
        ``summarised``).
    progress : called with (pieces done, pieces) as pieces come back.
    """
    dataset, out = Path(dataset), Path(out)
    _check_out(dataset, out)
    options = SummaryOptions(by=by, period=period, date_from=date_from, date_to=date_to)
    ref = Reference.load(geodata) if geodata is not None else default()
    template = _empty_summary(options, ref)  # bad options fail here, before any work
    pieces = find_pieces(dataset, piece_rows)
    job = Job(out=str((out / "geocoded").resolve()),
              source=None if geodata is None else str(Path(geodata).resolve()),
              options=options)
    _clear_parts(out / "geocoded")
    clock = _Clock()
    with connected(scheduler, client, workers) as cluster:
        clock.lap("start the cluster")
        cluster.run(warm_reference, job.source)
        clock.lap("load the reference on the workers")
        pieces = without_empty_ends(pieces, lambda some: cluster.gather(
            cluster.map(filled_rows, some, pure=False)))
        clock.lap("find where each file's records end")
        hashes = cluster.gather(cluster.map(id_hashes, pieces, pure=False))
        repeats = find_repeats(cluster, pieces, hashes)
        clock.lap("look for repeated ids")
        renamed = number_contents(cluster.gather(cluster.map(piece_contents, pieces,
                                                             pure=False)),
                                  _all(hashes))
        clock.lap("make ids for rows without one")
        totals = _locate_all(cluster, pieces, job, (repeats, renamed), progress)
        clock.lap("check, geocode, join, write the pieces")
    summary = totals.summary(template, ref.province_names, ref.population)
    clock.lap("add up the summary tables")
    written = write_tables(summary, out / "summary") if write_summary else []
    clock.lap("write the summary tables")
    by_status = {s: int(totals.by_status.get(s, 0)) for s in schema.STATUSES}
    written.append(_write_run_json(out, dataset, pieces, options, by_status, written))
    return DaskRunResult(totals.rows_read, by_status, written, summarised=summary,
                         pieces=len(pieces), seconds=clock.laps)


class _Clock:
    """Seconds of each phase of a run, logged as it ends."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.laps[phase] = round(now - self._last, 2)
        self._last = now
        log.info("%s: %.1f s", phase, self.laps[phase])


def _check_out(dataset: Path, out: Path) -> None:
    """The output may not sit inside the dataset: the next run would read it as rows."""
    root = (dataset if dataset.is_dir() else dataset.parent).resolve()
    if out.resolve() == root or root in out.resolve().parents:
        raise OutputError(f"--out {out}: it is inside the dataset {dataset}; its Parquet "
                          "files would be read as rows next time. Write it elsewhere")


def _empty_summary(options: SummaryOptions, ref: Reference) -> Summary:
    """:func:`summarise` of no rows: its checks of the options, metadata and empty tables."""
    empty = schema.conform(pd.DataFrame(), schema.GEOCODED_COLUMNS)
    return summarise(empty, by=options.by, period=options.period, date_from=options.date_from,
                     date_to=options.date_to, reference=ref)


def _clear_parts(folder: Path) -> None:
    """Remove the parts of an earlier run (it may have had more pieces)."""
    for old in folder.glob("part-*.parquet"):
        old.unlink()


@contextlib.contextmanager
def connected(scheduler: str | None = None, client=None, workers: int | None = None
              ) -> Iterator:
    """A ``distributed.Client``: ``client`` itself, one connected to ``scheduler``, or one of
    a new local cluster (processes with one thread each; closed afterwards)."""
    if client is not None:
        yield client
        return
    try:
        from distributed import Client
    except ImportError as err:
        raise OptionError(INSTALL_HINT) from err
    if scheduler:
        with Client(scheduler) as remote:
            yield remote
        return
    with local_cluster(workers) as local, Client(local) as own:
        yield own


def local_cluster(workers: int | None = None, *, threads: int = 1, processes: bool = True):
    """A ``distributed.LocalCluster`` on this machine: ``workers`` processes (default: one per
    core) of ``threads`` threads, no dashboard, its web port any free one (8787 may be taken
    by another cluster), only errors logged (slow worker exits are noise after a run)."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=threads, processes=processes,
                        dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                        silence_logs=logging.ERROR)


def find_repeats(client, pieces: list[Piece], hashes: list[np.ndarray]
                 ) -> dict[int, dict[int, str]]:
    """Ids used by more than one row anywhere in the dataset: {piece position: {row: where
    the first row with that id is}}. ``hashes``: each piece's :func:`id_hashes`; only for
    hashes seen twice are the ids themselves read (a hash collision is no repeat)."""
    found = _all(hashes)
    values, counts = np.unique(found, return_counts=True)
    twice = values[counts > 1]
    if not len(twice):
        return {}
    rows = client.gather(client.map(id_rows, pieces, [twice] * len(pieces), pure=False))
    table = pd.concat([r.assign(position=p.position, where=_where(p, r["row"]))
                       for p, r in zip(pieces, rows, strict=True)], ignore_index=True)
    table = table.sort_values(["position", "row"], kind="stable")
    first = table.groupby("id", sort=False)["where"].transform("first")
    later = table[table.duplicated("id", keep="first")]
    out: dict[int, dict[int, str]] = {}
    for position, row, where in zip(later["position"], later["row"], first[later.index],
                                    strict=True):
        out.setdefault(int(position), {})[int(row)] = where
    return out


def _all(hashes: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)


def _where(piece: Piece, rows: pd.Series) -> list[str]:
    return [f"{piece.name}, row {row_number(piece.first_row + r)}" for r in rows]


def _locate_all(client, pieces: list[Piece], job: Job, ids: tuple[dict, dict], progress
                ) -> Totals:
    """Every piece located on the workers; the partials added up as each comes back.
    ``ids``: the repeated ids and the renamed contents, by piece."""
    from distributed import as_completed

    totals = Totals(job.options)
    repeats, renamed = ids
    futures = client.map(locate_piece, pieces, [job] * len(pieces),
                         [repeats.get(p.position) for p in pieces],
                         [renamed.get(p.position) for p in pieces], pure=False)
    for done, (future, part) in enumerate(as_completed(futures, with_results=True), 1):
        totals.add(part)
        future.release()
        if progress:
            progress(done, len(pieces))
    return totals


def _write_run_json(out: Path, dataset: Path, pieces: list[Piece], options: SummaryOptions,
                    by_status: dict[str, int], written: list[Path]) -> Path:
    """What the run read, how, with which versions, and what it wrote (no timestamp)."""
    parts = sorted({part_name(p) for p in pieces})
    record = {
        "inputs": [_file_record(p) for p in dataset_files(dataset)],
        "options": {"command": "run", "engine": "dask", "by": options.by,
                    "period": options.period, "date_from": _plain(options.date_from),
                    "date_to": _plain(options.date_to), "pieces": len(pieces)},
        "versions": versions(),
        "rows": {"total": sum(by_status.values()), "by_status": by_status},
        "outputs": [_file_record(p) for p in written]
                   + [_file_record(out / "geocoded" / name) for name in parts],
    }
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return write_text_atomic(out / "run.json", text)


def _file_record(path: Path) -> dict:
    return {"path": path.as_posix(), "bytes": path.stat().st_size, "sha256": sha256_of(path)}


def _plain(value):
    return None if value is None else str(value)
