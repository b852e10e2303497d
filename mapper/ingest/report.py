"""The validation report: problems and warnings found by ingest, counted and listed.

:class:`Problem` and :class:`FileInfo` are the records :func:`mapper.ingest.read_incidents`
leaves in ``frame.attrs``; :func:`validation_report` turns a table into plain (JSON-able)
data and :func:`format_report` into text, one line per problem.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any, NamedTuple

import pandas as pd

from mapper import schema


class Problem(NamedTuple):
    """One thing wrong with one row (or, in ``warnings``, worth a look)."""

    file: str
    unit: str  # "row", "record" or "feature"
    row: int
    field: str | None
    value: str | None
    text: str

    @property
    def where(self) -> str:
        return f"{self.unit} {self.row}"

    def __str__(self) -> str:
        head = f"{self.file}, {self.where}"
        if self.field:
            head += f', field "{self.field}"'
        return f"{head}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "where": self.where,
            "field": self.field,
            "value": self.value,
            "message": self.text,
        }


class FileInfo(NamedTuple):
    """What was read from one file: its label in messages, format, rows and column mapping."""

    file: str
    path: str
    format: str
    rows: int
    columns: tuple[tuple[str, str | None], ...]  # (header as written, field or None if kept)


class _Frozen(tuple):
    """An immutable tuple that pandas copies for free when it deep-copies ``frame.attrs``."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> _Frozen:
        return self


def _flatten(by_row: dict[int, list[Problem]]) -> _Frozen:
    """Problems in row order, then in the order they were found."""
    return _Frozen(chain.from_iterable(map(by_row.__getitem__, sorted(by_row))))


# --------------------------------------------------------------------------------------------
# The report as data
# --------------------------------------------------------------------------------------------

_PIECE = re.compile(r'^(?P<unit>row|record|feature) (?P<row>\d+)(?:, field "(?P<field>[^"]+)")?: ')


def _problems_from_messages(frame: pd.DataFrame) -> list[Problem]:
    """Best effort, for a frame whose attrs were lost: split each message back into problems."""
    problems: list[Problem] = []
    bad = frame[frame["status"].astype(str) == schema.Status.INVALID.value]
    for label, message in zip(bad["source_file"], bad["message"], strict=True):
        label, message = str(label), str(message)
        splitter = re.compile(r"(?:^|; )" + re.escape(label) + ", ")
        for piece in filter(None, splitter.split(message)):
            m = _PIECE.match(piece)
            if m:
                problems.append(
                    Problem(label, m["unit"], int(m["row"]), m["field"], None, piece[m.end() :])
                )
    return problems


def validation_report(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts and problems of a table from :func:`read_incidents`, as plain data (JSON-able).

    Returns ``{"rows", "ok", "invalid", "files": [{file, path, format, rows, ok, invalid,
    columns, kept_columns}], "problems": [{file, row, where, field, value, message}],
    "warnings": [...]}``.
    """
    status = frame["status"].astype(str) if "status" in frame else pd.Series(dtype=str)
    intact = frame.attrs.get("ingest_rows") == len(frame) and "problems" in frame.attrs
    problems = list(frame.attrs["problems"]) if intact else _problems_from_messages(frame)
    warnings = list(frame.attrs.get("warnings", ())) if intact else []
    known = {info.file: info for info in frame.attrs.get("files", ())} if intact else {}
    labels = list(dict.fromkeys([*known, *frame["source_file"].astype(str)]))
    return {
        "rows": len(frame),
        "ok": int((status == "ok").sum()),
        "invalid": int((status == "invalid").sum()),
        "files": [_file_entry(frame, status, label, known.get(label)) for label in labels],
        "problems": [p.as_dict() for p in problems],
        "warnings": [w.as_dict() for w in warnings],
    }


def _file_entry(
    frame: pd.DataFrame, status: pd.Series, label: str, info: FileInfo | None
) -> dict[str, Any]:
    mask = (frame["source_file"].astype(str) == label).to_numpy()
    entry: dict[str, Any] = {
        "file": label,
        "rows": int(mask.sum()),
        "ok": int((status.to_numpy()[mask] == "ok").sum()),
        "invalid": int((status.to_numpy()[mask] == "invalid").sum()),
    }
    if info is not None:
        entry["path"] = info.path
        entry["format"] = info.format
        entry["columns"] = {h: f for h, f in info.columns if f is not None}
        entry["kept_columns"] = [h for h, f in info.columns if f is None]
    return entry


# --------------------------------------------------------------------------------------------
# The report as text
# --------------------------------------------------------------------------------------------


def _line(problem: dict[str, Any]) -> str:
    return str(
        Problem(
            problem["file"],
            problem["where"].split()[0],
            problem["row"],
            problem["field"],
            problem["value"],
            problem["message"],
        )
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_report(report: dict[str, Any]) -> str:
    """The report as text: counts first (total, then per file), then one line per problem."""
    lines = [
        f"{_plural(report['rows'], 'row')}: {report['ok']} ok, {report['invalid']} invalid"
        f" ({_plural(len(report['files']), 'file')})"
    ]
    for entry in report["files"]:
        lines.append(
            f"  {entry['file']}: {_plural(entry['rows'], 'row')}, {entry['ok']} ok, "
            f"{entry['invalid']} invalid"
        )
        mapped = [f"{h} -> {f}" for h, f in entry.get("columns", {}).items() if h != f]
        if mapped:
            lines.append("    columns read as: " + ", ".join(mapped))
        if entry.get("kept_columns"):
            lines.append("    kept as they are: " + ", ".join(entry["kept_columns"]))
    if report["problems"]:
        lines += ["", _plural(len(report["problems"]), "problem") + ":"]
        lines += [_line(p) for p in report["problems"]]
    if report["warnings"]:
        lines += ["", _plural(len(report["warnings"]), "warning") + ":"]
        lines += [_line(p) for p in report["warnings"]]
    return "\n".join(lines)
