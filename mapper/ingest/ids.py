"""Row ids: given ids checked for repeats, missing ones made from the row's content.

A given id is kept as written; a later row repeating it (in any file of the same call) is a
problem naming the first row. A row without an id gets ``inc-`` + 12 hex digits of the SHA-1
of its content as canonical JSON, so the same content gives the same id on every machine,
whatever the file format or row order; a second row with the same content gets ``-2``
(``-3``...) and a warning.
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring as _encode_string
from typing import TYPE_CHECKING, Any

import numpy as np

from mapper import schema
from mapper.ingest.cells import _cell_text, _is_blank, _show

if TYPE_CHECKING:
    from mapper.ingest.checks import _Rows

_Parsed = dict[str, list[Any]]
_Masks = dict[str, np.ndarray]


def _assign_ids(rows: _Rows, parsed: _Parsed, given: _Masks, empty: np.ndarray) -> list[str]:
    """Every row's id: given ids checked for repeats, then content ids for the others."""
    ids: list[str | None] = list(parsed["id"])
    used = _check_given_ids(rows, ids)
    missing = [i for i, value in enumerate(ids) if value is None]
    if missing:
        content = _content_ids(rows, missing, parsed, given)
        for i, new in zip(missing, _unique_ids(rows, missing, content, used, empty), strict=True):
            ids[i] = new
    return ids  # type: ignore[return-value]


def _check_given_ids(rows: _Rows, ids: list[str | None]) -> set[str]:
    """A given id used by an earlier row is a problem; returns the ids in use."""
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value is None:
            continue
        if value in first:
            where = rows.where(first[value])
            rows.add(i, "id", value, f"{_show(value)} is already used by {where}")
        else:
            first[value] = i
    return set(first)


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


def _content_ids(rows: _Rows, positions: list[int], parsed: _Parsed, given: _Masks) -> list[str]:
    """``inc-`` + SHA-1 of each row's content as canonical JSON (sorted keys, no spaces).

    The content is every field that says something: its parsed value, or the text of the
    cell when it could not be read; extra columns under "+<name>". ``sensitive: false``
    is left out, as it is also what a blank cell means.
    """
    columns: dict[str, list[str | None]] = {}
    for name in schema.INPUT_COLUMNS:
        if name != "id":
            columns[name] = _field_fragments(name, positions, parsed[name], rows.raw[name], given)
    for name in rows.extras:
        raw = rows.raw[name]
        prefix = _encode_string("+" + name) + ":"
        columns["+" + name] = [
            None if _is_blank(raw[i]) else prefix + _fragment(_cell_text(raw[i])) for i in positions
        ]
    ordered = [columns[k] for k in sorted(columns)]
    return [
        "inc-"
        + hashlib.sha1(
            ("{" + ",".join(f for f in fragments if f is not None) + "}").encode("utf-8")
        ).hexdigest()[:12]
        for fragments in zip(*ordered, strict=True)
    ]


def _field_fragments(
    name: str, positions: list[int], values: list[Any], raw: list[Any], given: _Masks
) -> list[str | None]:
    """``"name":value`` for each row that says something in field ``name``, else None."""
    prefix = _encode_string(name) + ":"
    says = given[name]
    out: list[str | None] = []
    for i in positions:
        value = values[i]
        if value is None:
            out.append(prefix + _fragment(_cell_text(raw[i])) if says[i] else None)
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
