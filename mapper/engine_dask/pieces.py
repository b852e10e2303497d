"""A partitioned Parquet log cut into pieces: each piece is one task on a worker.

A piece is one or more consecutive row groups of one file, about ``target_rows`` rows (a
row group is never split, so a file written in row groups of a million rows gives pieces of
a million rows). The pieces, in order of file path then row group, make the whole log: its
rows in that order are the rows a single machine would read, which is what keeps "first" and
"last" the same in both (first dates, repeated ids, the order of listed rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from mapper.errors import InputFileError

#: Rows a piece aims at: a worker holds about ten times a piece's raw size while it
#: geocodes and joins it (about 1.5 GB at 250,000 rows).
TARGET_ROWS = 250_000


@dataclass(frozen=True)
class Piece:
    """Rows ``first_row`` .. ``first_row + rows - 1`` (from 0) of one Parquet file."""

    path: str  # as the workers open it: the dataset must be at the same path for them
    name: str  # the file as messages name it: its path inside the dataset
    row_groups: tuple[int, ...]
    first_row: int
    rows: int
    position: int  # the piece's place in the dataset's order


def dataset_files(dataset: Path) -> list[Path]:
    """The Parquet files of ``dataset`` (a file, or a folder searched recursively), sorted by
    path; files whose name starts with "_" or "." (``_metadata``, ``_SUCCESS``) are not data."""
    dataset = Path(dataset)
    if dataset.is_file():
        return [dataset]
    if not dataset.is_dir():
        raise InputFileError(dataset, "does not exist")
    files = sorted(p for p in dataset.rglob("*.parquet")
                   if p.is_file() and not p.name.startswith(("_", ".")))
    if not files:
        raise InputFileError(dataset, "holds no .parquet file")
    return files


def find_pieces(dataset: Path, target_rows: int = TARGET_ROWS) -> list[Piece]:
    """The pieces of ``dataset`` in order (reads only each file's footer)."""
    dataset = Path(dataset)
    root = dataset if dataset.is_dir() else dataset.parent
    pieces: list[Piece] = []
    for path in dataset_files(dataset):
        try:
            meta = pq.ParquetFile(path).metadata
        except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
            raise InputFileError(path, f"is not a readable Parquet file ({err})") from err
        name = path.relative_to(root).as_posix()
        groups: list[int] = []
        first = rows = 0
        for group in range(meta.num_row_groups):
            groups.append(group)
            rows += meta.row_group(group).num_rows
            if rows >= target_rows or group == meta.num_row_groups - 1:
                pieces.append(Piece(str(path.resolve()), name, tuple(groups), first, rows,
                                    len(pieces)))
                first, groups, rows = first + rows, [], 0
    return pieces


def read_piece(piece: Piece, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of ``piece`` (only ``columns`` when given), indexed from 0."""
    parquet = pq.ParquetFile(piece.path)
    if columns is not None:
        present = set(parquet.schema_arrow.names)
        columns = [c for c in columns if c in present]
    table = parquet.read_row_groups(list(piece.row_groups), columns=columns,
                                    use_pandas_metadata=False)
    # A piece at the end of a file may stop before its row groups do (see filled_rows).
    return table.slice(0, piece.rows).to_pandas().reset_index(drop=True)


def without_empty_ends(pieces: list[Piece], filled: Callable[[list[Piece]], list[int]]
                       ) -> list[Piece]:
    """The pieces without the completely empty records at the end of each file, which
    ingest does not count as rows (as the blank lines closing a CSV file): a file's last
    piece is cut after its last record that says something, and dropped, then the one
    before looked at, when it has none. ``filled`` gives, for some pieces, how many of their
    first rows reach their last filled one (0: none); pieces are renumbered in order."""
    out: list[Piece | None] = list(pieces)
    last = {piece.path: k for k, piece in enumerate(pieces)}
    pending = sorted(last.values())
    while pending:
        before = []
        for k, rows in zip(pending, filled([pieces[k] for k in pending]), strict=True):
            if rows:
                out[k] = replace(pieces[k], rows=rows)
                continue
            out[k] = None
            if k > 0 and pieces[k - 1].path == pieces[k].path:
                before.append(k - 1)
        pending = before
    kept = [piece for piece in out if piece is not None]
    return [replace(piece, position=k) for k, piece in enumerate(kept)]
