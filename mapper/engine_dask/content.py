"""Content ids on the cluster: a row without an id gets the id ingest gives it.

Ingest names such a row ``inc-`` + 12 hex digits of the SHA-1 of its content
(:func:`mapper.ingest.content_id`): each field that says something, as its parsed value, or
as the cell's text when the cell could not be read; other columns under ``+<name>``. Here the
same pieces are made from a piece's checked columns, once per distinct value. A second row
with the same content is ``-2`` (``-3``...) in the dataset's order; the client numbers them
across pieces (:func:`number_contents`), as ingest numbers them in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from mapper import schema
from mapper.ingest import content_fragment, content_id

_NUMBERS = ("latitude", "longitude", *schema.COUNT_COLUMNS)


def content_ids(values: dict, given: dict[str, np.ndarray], cells: dict[str, pd.Series],
                extras: dict[str, pd.Series], rows: np.ndarray) -> list[str]:
    """The content id of each of ``rows`` (positions in the piece), before numbering.

    ``values``/``given``: each field's checked values (wrong ones blank) and where its cell
    says something; ``cells``: the columns as read; ``extras``: other columns, as text."""
    fragments: dict[str, np.ndarray] = {}
    for field in schema.INPUT_COLUMNS:
        if field != "id":
            cell = cells.get(field)
            fragments[field] = _field_fragments(field, values[field], given[field][rows],
                                          None if cell is None else cell.iloc[rows], rows)
    for name, text in extras.items():
        key = "+" + name
        fragments[key] = _per_distinct(text.iloc[rows].to_numpy(dtype=object, na_value=None),
                                    lambda v, k=key: content_fragment(k, v))
    ordered = [fragments[key] for key in sorted(fragments)]
    return [content_id(row) for row in zip(*ordered, strict=True)]


def _field_fragments(field: str, value, said: np.ndarray, cell: pd.Series | None,
                     rows: np.ndarray) -> np.ndarray:
    """One field's fragments for ``rows``: from its value, else from its unreadable cell."""
    read, as_json = _values_read(field, value, rows)
    fragments = _per_distinct(read, lambda v: content_fragment(field, as_json(v)))
    if cell is not None:
        wrong = said & pd.isna(read)
        if field == "sensitive":  # false says nothing, like a blank cell
            wrong &= ~_yes_no(value, rows, False)
        if wrong.any():
            raw = cell.astype(object).to_numpy()[wrong]
            fragments[wrong] = _per_distinct(raw, lambda v: content_fragment(field, v, cell=True))
    return fragments


def _values_read(field: str, value, rows: np.ndarray) -> tuple[np.ndarray, Callable]:
    """The parsed values of ``rows`` (missing where none) and what makes one of them the
    value ingest holds, whose JSON is written: whole numbers as int, degrees as float, dates
    as the text ingest writes for them (``YYYY-MM-DD/precision``)."""
    if field in ("date", "end_date"):
        days = np.datetime_as_string(value["start"].to_numpy()[rows].astype("datetime64[D]"))
        precision = value["precision"].to_numpy(dtype=object)[rows]
        return np.array([None if p is None else f"{d}/{p}" for d, p in zip(days, precision,
                                                                            strict=True)],
                        dtype=object), str
    if field in _NUMBERS:
        return (np.asarray(value, dtype=float)[rows],
                int if field in schema.COUNT_COLUMNS else float)
    if field == "sensitive":
        return np.where(_yes_no(value, rows, True), True, None), bool
    return pd.Series(value).iloc[rows].astype(object).to_numpy(), str


def _per_distinct(items: np.ndarray, make: Callable) -> np.ndarray:
    """``make(item)`` for each distinct item, spread over ``items``; None where missing."""
    codes, uniques = pd.factorize(items, use_na_sentinel=True)
    made = np.array([None, *(make(u) for u in uniques)], dtype=object)
    return made[codes + 1]


def _yes_no(value, rows: np.ndarray, answer: bool) -> np.ndarray:
    """Where the ``sensitive`` value of each of ``rows`` is ``answer`` (not blank)."""
    read = pd.Series(value).iloc[rows].astype("boolean")
    return read.eq(answer).fillna(False).to_numpy(dtype=bool)


# -- numbering across the dataset --------------------------------------------------------------
def content_numbers(ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """What the client needs of a piece's content ids: each as a 48-bit number (its 12 hex
    digits) and its 64-bit hash as given ids are hashed, 16 bytes a row."""
    numbers = np.array([int(i[4:], 16) for i in ids], dtype=np.int64)
    return numbers, id_hash(ids)


def id_hash(ids) -> np.ndarray:
    """64-bit hashes of ids (:func:`pandas.util.hash_array`), the same on every machine."""
    return pd.util.hash_array(np.asarray(ids, dtype=object))


def number_contents(pieces: list[tuple[np.ndarray, np.ndarray]], given: np.ndarray
                    ) -> dict[int, dict[int, str]]:
    """Ids for contents that are not unique: {piece: {k: id}} for the k-th row without an id
    of a piece (from 0) whose id is not its content id.

    ``pieces``: :func:`content_numbers` of each piece, in order; ``given``: the hashes of
    every given id. As in ingest, the first row of a content keeps its id unless a given id
    is that text, and each later one takes the first ``-2``, ``-3``... that no given id and
    no earlier row uses."""
    if not pieces:
        return {}
    every = np.concatenate([numbers for numbers, _ in pieces])
    values, counts = np.unique(every, return_counts=True)
    clash = np.isin(every, values[counts > 1])
    clash |= np.isin(np.concatenate([hashes for _, hashes in pieces]), given)
    if not clash.any():
        return {}
    taken = set(given.tolist())
    used: set[str] = set()
    out: dict[int, dict[int, str]] = {}
    for piece, k, at in _positions([len(n) for n, _ in pieces], np.flatnonzero(clash)):
        base = f"inc-{int(every[at]):012x}"
        new, n = base, 2
        while new in used or int(id_hash([new])[0]) in taken:
            new, n = f"{base}-{n}", n + 1
        used.add(new)
        if new != base:
            out.setdefault(piece, {})[k] = new
    return out


def _positions(lengths: list[int], at: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(piece, k within the piece, position in all) of each of ``at``."""
    ends = np.cumsum(lengths)
    starts = ends - lengths
    for position, piece in zip(at.tolist(), np.searchsorted(ends, at, side="right").tolist(),
                               strict=True):
        yield piece, position - int(starts[piece]), position
