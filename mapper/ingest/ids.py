"""Row ids: given ids checked for repeats, missing ones made from the row's content.

A given id is kept as written; a later row repeating it (in any file of the same call) is a
problem naming the first row. A row without an id gets ``inc-`` + 12 hex digits of the SHA-1
of its content as canonical JSON, so the same content gives the same id on every machine,
whatever the file format or row order; a second row with the same content gets ``-2``
(``-3``...) and a warning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from json.encoder import encode_basestring as _encode_string
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mapper import schema
from mapper.ingest.cells import _cell_text, _show
from mapper.ingest.columns import _objects, _spread, _strings, pc

if TYPE_CHECKING:
    from mapper.ingest.checks import _Field, _Rows
    from mapper.ingest.columns import _Column

_Parsed = dict[str, "_Field"]


def _assign_ids(rows: _Rows, parsed: _Parsed, empty: np.ndarray) -> Any:
    """Every row's id (a :data:`mapper.schema.STRING` array): given ids checked for repeats,
    then content ids for the others."""
    column = rows.raw["id"]
    texts = column.row_texts()  # as pyarrow read them
    given = texts is not None and not column.blank().any()  # every id given: any repeated?
    if given and _all_different(texts):
        return column.strings()
    field = parsed["id"]
    group, names = _given_ids(field)
    used = _check_given_ids(rows, field, group)
    missing = np.flatnonzero(group[field.codes] < 0).tolist()
    if not missing:
        return _strings(field.values, field.codes)
    content = _content_ids(rows, missing, parsed)
    taken = {names[g] for g in used.tolist()}
    made = _unique_ids(rows, missing, content, taken, empty)
    codes = field.codes.copy()
    codes[missing] = np.arange(len(field.values), len(field.values) + len(made))
    return _strings([*field.values, *made], codes)


def _all_different(texts: Any) -> bool:
    """Whether no two ids are alike. Logs mostly number their rows in order ("INC-0001",
    "INC-0002"...): ids that rise strictly are all different, which a comparison of
    neighbours tells in a few milliseconds where hashing a million ids takes a tenth of a
    second; other logs are hashed."""
    n = len(texts)
    if n > 1 and pc.all(pc.less(texts.slice(0, n - 1), texts.slice(1))).as_py():
        return True
    return len(pc.unique(texts)) == n


def _given_ids(field: _Field) -> tuple[np.ndarray, list[str]]:
    """The id each distinct cell gives, as a number (-1: none) into the ids given."""
    group = np.full(len(field.values), -1, dtype=np.int64)
    present = [k for k, value in enumerate(field.values) if value is not None]
    if not present:
        return group, []
    names = [field.values[k] for k in present]
    if field.distinct:
        group[present] = np.arange(len(present))
        return group, names
    codes, found = pd.factorize(_objects(names))
    group[present] = codes  # " a4 " and "a4" give one id
    return group, list(found)


def _check_given_ids(rows: _Rows, field: _Field, group: np.ndarray) -> np.ndarray:
    """A given id used by an earlier row is a problem; returns the ids in use (numbers)."""
    of_row = group[field.codes]
    positions = np.flatnonzero(of_row >= 0)
    groups = of_row[positions]
    seen = np.zeros(int(group.max(initial=-1)) + 1, dtype=bool)
    seen[groups] = True
    if seen.sum() == len(groups):  # as many ids as rows giving one: none repeats
        return groups
    used, first_at = np.unique(groups, return_index=True)  # the first row giving each id
    first = np.zeros(int(group.max(initial=-1)) + 1, dtype=np.int64)
    first[used] = positions[first_at]
    for i in positions[first[groups] != positions].tolist():
        value = field[i]
        where = rows.where(int(first[of_row[i]]))
        rows.add(i, "id", value, f"{_show(value)} is already used by {where}")
    return used


def _unique_ids(
    rows: _Rows, positions: list[int], bases: list[str], used: set[str], empty: np.ndarray
) -> list[str]:
    """Content ids made unique with ``-2``, ``-3``...; a repeated content is a warning."""
    out: list[str] = []
    base_first: dict[str, int] = {}
    for i, base in zip(positions, bases, strict=True):
        new, k = base, 2
        while new in used:
            new, k = f"{base}-{k}", k + 1
        if base in base_first and not empty[i]:
            where = rows.where(base_first[base])
            rows.warn(i, "id", None, f"same content as {where} (a copy?); given the id {new}")
        base_first.setdefault(base, i)
        used.add(new)
        out.append(new)
    return out


def _content_ids(rows: _Rows, positions: list[int], parsed: _Parsed) -> list[str]:
    """``inc-`` + SHA-1 of each row's content as canonical JSON (sorted keys, no spaces).

    The content is every field that says something: its parsed value, or the text of the
    cell when it could not be read; extra columns under "+<name>". ``sensitive: false``
    is left out, as it is also what a blank cell means. Each distinct cell's piece of JSON
    is written once.
    """
    pieces: dict[str, tuple[list[str | None], np.ndarray]] = {}
    for name in schema.INPUT_COLUMNS:
        if name != "id":
            field = parsed[name]
            pieces[name] = (_field_fragments(name, field, rows.raw[name]), field.codes)
    for name in rows.extras:
        column = rows.raw[name]
        prefix = _encode_string("+" + name) + ":"
        fragments = [None if blank else prefix + _fragment(text) for text, blank
                     in zip(column.texts(), column.blank_cells().tolist(), strict=True)]
        pieces["+" + name] = (fragments, column.codes)
    used = [pieces[k] for k in sorted(pieces) if any(f is not None for f in pieces[k][0])]
    at = np.asarray(positions, dtype=np.intp)
    ids: list[str] = []
    for start in range(0, len(at), _BATCH):  # the pieces of a batch of rows at a time
        rows_at = at[start : start + _BATCH]
        joined = zip(*(_spread(f, codes[rows_at]) for f, codes in used), strict=True)
        ids += [_content_id("{" + ",".join(filter(None, row)) + "}") for row in joined]
    return ids if used else [_content_id("{}")] * len(positions)


#: Rows whose content ids are made at once (the pieces of their JSON are held meanwhile).
_BATCH = 1 << 16


def _content_id(text: str) -> str:
    return "inc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def content_fragment(key: str, value: Any, *, cell: bool = False) -> str:
    """One field's piece of a row's content id: ``"key":value`` as canonical JSON.

    ``key`` is a field name, or ``+`` and the name of another column; ``value`` its parsed
    value (text, a whole number, a float, True, or a :class:`mapper.dates.ParsedDate`), or
    with ``cell`` a cell that could not be read (it enters as its text). Fields that say
    nothing, and ``sensitive`` when it is false, have no piece."""
    return _encode_string(key) + ":" + _fragment(_cell_text(value) if cell else value)


def content_id(fragments: Iterable[str | None]) -> str:
    """The content id of a row from its fragments in the order of their keys (sorted as
    text), None for fields without one: what ingest gives a row that has no id."""
    return _content_id("{" + ",".join(filter(None, fragments)) + "}")


def _field_fragments(name: str, field: _Field, column: _Column) -> list[str | None]:
    """``"name":value`` for each distinct cell that says something in field ``name``."""
    prefix = _encode_string(name) + ":"
    out: list[str | None] = []
    for value, cell, says in zip(field.values, column.cells, field.said.tolist(), strict=True):
        if value is None:
            out.append(prefix + _fragment(_cell_text(cell)) if says else None)
        elif name == "sensitive" and value is False:
            out.append(None)
        else:
            out.append(prefix + _fragment(value))
    return out


def _fragment(value: Any) -> str:
    """``value`` as canonical JSON (what ``json.dumps(ensure_ascii=False)`` writes)."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):  # a parsed date: (first day, precision)
        return _encode_string(f"{value[0].isoformat()}/{value[1]}")
    return _encode_string(_cell_text(value))
