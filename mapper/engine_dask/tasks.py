"""What a worker does: find the ids of a piece (given, or made from content), and locate a
piece (check, geocode, join, write its rows, return its share of the summary).

Each worker process loads the reference data once, on its first task (or when the run warms
it up), and keeps it for every later task: a task carries only the boundary folder's path,
never the boundary layers or the gazetteer. The gazetteer comes from the user cache
(:func:`mapper.reference.compiled_gazetteer`), so a worker on a machine that has run
incident-mapper before loads it in a fraction of a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mapper import reference
from mapper.engine_dask.checks import (
    as_text,
    check_piece,
    empty_rows,
    incident_table,
    named,
)
from mapper.engine_dask.content import content_numbers, id_hash
from mapper.engine_dask.partials import Partial, SummaryOptions, partial
from mapper.engine_dask.pieces import Piece, read_piece
from mapper.files import write_with
from mapper.geocode import geocode
from mapper.join import join
from mapper.reference import Reference

_REFERENCES: dict[str | None, Reference] = {}
_LOADING = threading.Lock()  # a worker with several threads loads it once all the same


def worker_reference(source: str | None) -> Reference:
    """This process's reference for the boundary folder ``source`` (None: the process's
    default, from ``$INCIDENT_MAPPER_GEODATA`` or the user cache), loaded on first use."""
    with _LOADING:
        if source not in _REFERENCES:
            ref = reference.default() if source is None else Reference.load(source)
            # Everything a task reads, loaded now: later tasks on other threads only read.
            ref.gazetteer  # noqa: B018
            for level in ("ADM0", "ADM1", "ADM2", "ADM3"):
                ref.layer(level)
            ref.country_metric  # noqa: B018
            ref.province_names  # noqa: B018
            _REFERENCES[source] = ref
        return _REFERENCES[source]


def warm_reference(source: str | None) -> int:
    """Load the reference now (run on every worker when a run starts); its gazetteer size."""
    return len(worker_reference(source).gazetteer.entries)


@dataclass(frozen=True)
class Job:
    """What every piece's task shares: where parts go, the boundaries, the summary's shape."""

    out: str
    source: str | None
    options: SummaryOptions


# -- ids ------------------------------------------------------------------------------------------
def _piece_ids(piece: Piece) -> pd.Series:
    """The piece's given ids as the checks read them (NA where none)."""
    names = pq.ParquetFile(piece.path).schema_arrow.names
    fields, _ = named(pd.DataFrame(columns=names))
    if "id" not in fields:
        return pd.Series(pd.NA, index=range(piece.rows), dtype="string")
    column = read_piece(piece, columns=[str(fields["id"].name)]).iloc[:, 0]
    return as_text(column)


def id_hashes(piece: Piece) -> np.ndarray:
    """A 64-bit hash of each given id of the piece (only the id column is read)."""
    return id_hash(_piece_ids(piece).dropna().to_numpy(dtype=object))


def filled_rows(piece: Piece) -> int:
    """How many of the piece's first rows reach its last one that says something (a cell
    not None, NaN or only white space), read in Arrow: this runs on every file's end."""
    table = pq.ParquetFile(piece.path).read_row_groups(
        list(piece.row_groups), use_pandas_metadata=False).slice(0, piece.rows)
    filled = np.zeros(len(table), dtype=bool)
    for column in table.columns:
        filled |= _says_something(column)
    return int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0


def _says_something(column: pa.ChunkedArray) -> np.ndarray:
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        said = pc.not_equal(pc.utf8_trim_whitespace(column), "")
    elif pa.types.is_floating(kind):
        said = pc.invert(pc.is_nan(column))
    elif pa.types.is_dictionary(kind) or pa.types.is_nested(kind):
        series = column.to_pandas()
        return ~empty_rows([series], len(series))
    else:
        said = pc.is_valid(column)
    return pc.fill_null(said, False).to_numpy(zero_copy_only=False).astype(bool)


def piece_contents(piece: Piece) -> tuple[np.ndarray, np.ndarray]:
    """The content ids of the piece's rows without an id, as
    :func:`mapper.engine_dask.content.content_numbers` sends them (the whole piece is read
    and checked only when some row has no id)."""
    if not _piece_ids(piece).isna().any():
        return content_numbers([])
    checked = check_piece(read_piece(piece), piece.name, piece.first_row)
    return content_numbers(checked.content_ids(checked.without_id()))


def id_rows(piece: Piece, hashes: np.ndarray) -> pd.DataFrame:
    """The rows of the piece whose id hashes to one of ``hashes``: ``row`` (from 0), ``id``."""
    ids = _piece_ids(piece)
    given = ids.notna().to_numpy()
    hit = np.zeros(len(ids), dtype=bool)
    hit[given] = np.isin(id_hash(ids[given].to_numpy(dtype=object)), hashes)
    rows = np.flatnonzero(hit)
    return pd.DataFrame({"row": rows, "id": ids.to_numpy(dtype=object)[rows]})


# -- a piece --------------------------------------------------------------------------------------
def locate_piece(piece: Piece, job: Job, repeats: dict[int, str] | None = None,
                 renamed: dict[int, str] | None = None) -> Partial:
    """Check, geocode and join the rows of ``piece``, write them to ``job.out`` and return
    their share of the summary (the rows themselves stay on the worker). ``repeats`` and
    ``renamed``: as :func:`mapper.engine_dask.checks.incident_table` takes them."""
    ref = worker_reference(job.source)
    # A fresh memo for each piece: it grows with the distinct names a worker has seen.
    ref.gazetteer.clear()
    incidents = incident_table(read_piece(piece), piece.name, piece.first_row, repeats,
                               renamed)
    joined = join(geocode(incidents, reference=ref), ref)
    write_geocoded(joined, Path(job.out) / part_name(piece))
    return partial(joined, piece.position, job.options)


def part_name(piece: Piece) -> str:
    """The file of a piece's geocoded rows: the pieces' order is the files' order."""
    return f"part-{piece.position:05d}.parquet"


def write_geocoded(joined: gpd.GeoDataFrame, path: Path) -> Path:
    """The rows as GeoParquet (EPSG:4326 points, none where unplaced), written atomically."""
    return write_with(path, lambda tmp: joined.to_parquet(tmp, index=False))
