"""One row per event across articles: drafts of the same event from several outlets merged.

Two draft rows are reports of one event when all of these hold:

- **type**: one family. Raid, rescue and arrest are one family ("operation": outlets name
  one police operation by any of the three); every other type is a family of its own.
- **place**: the same province, with no district or commune that differs. A row abroad
  merges only with rows naming the same place. A row that names no place but Cambodia
  joins the one event of its family near in time, if there is exactly one; with none or
  several it stays with the other national rows.
- **date**: within ``window_days`` (default :data:`WINDOW_DAYS`) of the event's first
  report; a date known to the month or year covers its whole period. A row without a
  readable date merges with nothing.
- **article**: not the same ``source_url``: the extractor already kept one article's rows
  apart on purpose.
- **kind**: a running total (``kind`` "total": "3,000 arrested since June") is not an event
  and merges with nothing.

A merged row takes the type of the earliest report, the place of the most precise one, the
earliest of the most precise dates, and for ``people``, ``women`` and ``children`` the
lowest figure reported (ACLED's rule); ``count_range`` notes a range ("people 40–45 across
3 sources"). ``source`` lists every outlet, ``every_source_url`` every link (``source_url``
keeps the earliest report's link: a log's link is one web address), ``evidence`` every
report's sentences after its outlet's name. ``merged_from`` lists the ids of the draft
rows merged ("a;b;c"); a row that merged with nothing lists its own id. A log merged before
can be merged again (with new drafts): a row's earlier ``merged_from``, ``every_source_url``
and ``count_range`` are carried on, so ``merged_from`` always names the first drafts' rows.

Undo: :func:`unmerge` puts the draft rows of one merged row back, and ``apart`` (``merge
--apart ID``) keeps a draft row out of every merge. Rows marked ``keep`` = no in review are
left out before merging (:func:`mapper.ingest.left_out_in_review`); ``attrs`` count them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from mapper.dates import DateError, parse_date
from mapper.extract.draft import DRAFT_COLUMNS
from mapper.ingest import KEEP_COLUMN, left_out_in_review
from mapper.schema import COUNT_COLUMNS
from mapper.text import fold

#: Most days apart (between the periods the dates cover) two reports of one event may be.
WINDOW_DAYS = 3
#: Types reported for one event by different outlets: one family each.
FAMILIES = {"raid": "operation", "rescue": "operation", "arrest": "operation"}
#: Columns a merge adds after the draft's (and the input's own extra columns).
MERGE_COLUMNS = ("every_source_url", "count_range", "merged_from")
#: Place words meaning "somewhere in Cambodia" (the extractor writes "Cambodia").
_NATIONAL = frozenset({"", "cambodia", "cambodge", "kampuchea"})
_PRECISION = {"day": 0, "month": 1, "year": 2}


def family(kind: Any) -> str:
    """The family of an incident type (:data:`FAMILIES`; otherwise the type itself)."""
    key = _text(kind) or ""
    return FAMILIES.get(key.casefold(), key.casefold())


# -- the rows, as reports ----------------------------------------------------------------------
@dataclass
class _Report:
    """What the merge rules look at in one draft row (``pos``: its place in the input)."""

    pos: int
    family: str
    where: str  # folded province; "@" + folded place abroad; "" for Cambodia as a whole
    district: str
    commune: str
    url: str
    total: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    precision: int = 3


@dataclass
class _Event:
    """Reports of one event: the first (the anchor) sets the window."""

    anchor: _Report
    members: list[_Report] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.members.append(self.anchor)

    def accepts(self, r: _Report, window: int) -> bool:
        near = (max(self.anchor.start, r.start) - min(self.anchor.end, r.end)).days <= window
        return near and r.url not in {m.url for m in self.members if m.url} and all(
            _agree(getattr(m, name), getattr(r, name))
            for m in self.members for name in ("district", "commune"))


def _agree(a: str, b: str) -> bool:
    return not a or not b or a == b


def _text(value: Any) -> str | None:
    """A cell as trimmed text; None when blank or missing."""
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _report(pos: int, row: dict[str, Any]) -> _Report:
    province = fold(_text(row.get("province")) or "")
    place = fold(_text(row.get("place")) or "")
    where = province or ("" if place in _NATIONAL else "@" + place)
    r = _Report(pos, family(row.get("type")), where, fold(_text(row.get("district")) or ""),
                fold(_text(row.get("commune")) or ""), _text(row.get("source_url")) or "",
                fold(_text(row.get("kind")) or "") == "total")
    try:
        date = parse_date(_text(row.get("date")))
    except DateError:
        return r  # no readable date: merges with nothing
    r.start, r.end, r.precision = date.start, date.end, _PRECISION[date.precision]
    try:
        end = parse_date(_text(row.get("end_date")))
        r.end = max(r.end, end.end)
    except DateError:
        pass
    return r


# -- grouping ----------------------------------------------------------------------------------
def _cluster(reports: Iterable[_Report], window: int, events: list[_Event]) -> list[_Event]:
    """Reports of one family and place into events (appended to ``events`` and returned).

    Sorted by date, a report joins the first open event that accepts it. An event closes
    once a report starts more than ``window`` days after its anchor ends, so each report
    meets only the events of the few days before it.
    """
    made: list[_Event] = []
    open_: list[_Event] = []
    for r in sorted(reports, key=lambda r: (r.start, r.pos)):
        open_ = [e for e in open_ if (r.start - e.anchor.end).days <= window]
        event = next((e for e in open_ if e.accepts(r, window)), None)
        if event is None:
            event = _Event(r)
            open_.append(event)
            made.append(event)
        else:
            event.members.append(r)
    events += made
    return made


def _join_national(national: list[_Report], provincial: list[_Event],
                   window: int) -> list[_Report]:
    """Each national report joins the one provincial event of its family near in time;
    the reports with none or several such events are returned."""
    by_family: dict[str, list[_Event]] = defaultdict(list)
    for event in sorted(provincial, key=lambda e: (e.anchor.start, e.anchor.pos)):
        by_family[event.anchor.family].append(event)
    starts = {name: [e.anchor.start for e in events] for name, events in by_family.items()}
    # How far back an anchor may start and still reach a date: its longest period, plus
    # the window (a day-only family looks back only the window).
    reach = {name: max(e.anchor.end - e.anchor.start for e in events)
             for name, events in by_family.items()}
    left = []
    for r in sorted(national, key=lambda r: (r.start, r.pos)):
        events = by_family.get(r.family, [])
        found: list[_Event] = []
        k = bisect.bisect_right(starts.get(r.family, []), r.end + dt.timedelta(days=window))
        while k > 0 and len(found) < 2:
            k -= 1
            if events[k].anchor.start < r.start - reach[r.family] - dt.timedelta(days=window):
                break
            if events[k].accepts(r, window):
                found.append(events[k])
        if len(found) == 1:
            found[0].members.append(r)
        else:
            left.append(r)
    return left


def _events(reports: list[_Report], window: int, apart: set[int]) -> list[_Event]:
    """Every report in exactly one event, in the order of each event's first input row."""
    events: list[_Event] = []
    groups: dict[tuple[str, str], list[_Report]] = defaultdict(list)
    national: list[_Report] = []
    for r in reports:
        if r.start is None or r.total or r.pos in apart:
            events.append(_Event(r))
        elif r.where:
            groups[(r.family, r.where)].append(r)
        else:
            national.append(r)
    provincial = []
    for (_, where), group in groups.items():
        made = _cluster(group, window, events)
        if not where.startswith("@"):
            provincial += made
    by_family: dict[str, list[_Report]] = defaultdict(list)
    for r in _join_national(national, provincial, window):
        by_family[r.family].append(r)
    for group in by_family.values():
        _cluster(group, window, events)
    for event in events:
        event.members.sort(key=lambda m: (m.start or dt.date.max, m.pos))
    return sorted(events, key=lambda e: min(m.pos for m in e.members))


# -- the inputs as one list of rows ------------------------------------------------------------
def _records(frames: Sequence[pd.DataFrame],
             names: Sequence[str] | None) -> tuple[list[dict[str, Any]], list[str]]:
    """Every input row as a record with a unique id, and the columns of the output.

    An id found in more than one row gets the draft's name in front ("vod:draft-1a2b"); a
    row without an id is named by its row as a spreadsheet numbers it ("vod:row7").
    """
    names = list(names) if names is not None else [f"draft{i + 1}" for i in range(len(frames))]
    if len(names) != len(frames):
        raise ValueError(f"names: expected {len(frames)} names, got {len(names)}")
    tables = [f.astype(object).where(f.notna(), None).to_dict("records") for f in frames]
    counts = Counter(_text(row.get("id")) for rows in tables for row in rows)
    seen: set[str] = set()
    records = []
    for name, rows in zip(names, tables, strict=True):
        for k, row in enumerate(rows):
            given = _text(row.get("id"))
            uid = given if given and counts[given] == 1 else f"{name}:{given or f'row{k + 2}'}"
            base, n = uid, 1
            while uid in seen:
                n += 1
                uid = f"{base}-{n}"
            seen.add(uid)
            records.append({**row, "id": uid})
    extras = [c for f in frames for c in f.columns
              if c not in DRAFT_COLUMNS and c not in MERGE_COLUMNS and c != KEEP_COLUMN]
    return records, [*DRAFT_COLUMNS, *dict.fromkeys(extras), *MERGE_COLUMNS]


def _whole(value: Any) -> Any:
    """A count as a whole number when it reads as one ("40", 40.0); otherwise as written."""
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return value
    return int(number) if number.is_integer() and number >= 0 else value


def _lineage(row: dict[str, Any]) -> list[str]:
    """The draft rows a row stands for: its ``merged_from`` (a merged log's row), or its id."""
    earlier = _text(row.get("merged_from"))
    return [i for i in earlier.split(";") if i] if earlier else [row["id"]]


def _alone(row: dict[str, Any]) -> dict[str, Any]:
    """A row that merged with nothing: as it was, listing its own id and link (or what an
    earlier merge listed)."""
    out = {**row, "merged_from": ";".join(_lineage(row)),
           "every_source_url": _text(row.get("every_source_url") or row.get("source_url"))}
    for name in COUNT_COLUMNS:
        out[name] = _whole(row.get(name))
    return out


# -- one row of several reports ----------------------------------------------------------------
def _unique(values: Iterable[Any], split: str | None = None) -> list[str]:
    out: dict[str, None] = {}
    for value in values:
        text = _text(value)
        for part in (text.split(split) if text and split else [text]):
            if part and part.strip():
                out.setdefault(part.strip(), None)
    return list(out)


def _place_rank(row: dict[str, Any]) -> int:
    return next((rank for rank, name in ((3, "commune"), (2, "district"), (1, "province"))
                 if _text(row.get(name))), 0)


def _counts(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], str | None]:
    """The lowest figure of each count, and a note of each range."""
    out: dict[str, Any] = {}
    notes = []
    for name in COUNT_COLUMNS:
        values = [v for v in (_whole(r.get(name)) for r in rows) if isinstance(v, int)]
        out[name] = min(values) if values else _whole(next(
            (r.get(name) for r in rows if _text(r.get(name))), None))
        if len(set(values)) > 1:
            notes.append(f"{name} {min(values)}–{max(values)} across {len(values)} sources")
    return out, "; ".join(notes) or None


def _merged(rows: list[dict[str, Any]], reports: list[_Report],
            columns: list[str]) -> dict[str, Any]:
    """One row of the reports of one event (``rows`` and ``reports`` earliest first)."""
    first = rows[0]
    placed = max(rows, key=_place_rank)  # max keeps the earliest of the most precise
    finest = min(r.precision for r in reports)
    dated = rows[next(i for i, r in enumerate(reports) if r.precision == finest)]
    ids = [i for r in rows for i in _lineage(r)]
    counts, note = _counts(rows)
    types = Counter(_text(r.get("type")) for r in rows)
    notes = [f"merged {len(rows)} reports of one event (see merged_from)"]
    if len(types) > 1:
        notes.append("types reported: " + ", ".join(f"{t} ({n})" for t, n in types.items()))
    out = {name: " | ".join(_unique(r.get(name) for r in rows)) or None for name in columns}
    out.update({
        "id": "merged-" + hashlib.sha1(";".join(ids).encode()).hexdigest()[:10],
        "date": dated.get("date"), "end_date": max(_unique(r.get("end_date") for r in rows),
                                                   default=None),
        "type": first.get("type"), **{name: placed.get(name) for name in (
            "place", "province", "district", "commune")}, **counts,
        "nationality": ", ".join(_unique((r.get("nationality") for r in rows), ",")) or None,
        "actor": next((r.get("actor") for r in rows if _text(r.get("actor"))), None),
        "source": "; ".join(_unique(r.get("source") for r in rows)) or None,
        "source_url": next((r.get("source_url") for r in rows if _text(r.get("source_url"))),
                           None),
        "every_source_url": "; ".join(_unique((r.get("every_source_url") or r.get(
            "source_url") for r in rows), ";")) or None,
        "notes": " | ".join(notes + _unique(r.get("notes") for r in rows)),
        "status": first.get("status"), "cue": "; ".join(_unique((r.get("cue") for r in rows),
                                                                 ";")) or None,
        "evidence": " | ".join(_evidence(r) for r in rows if _text(r.get("evidence"))) or None,
        "confidence": max((float(c) for c in (_text(r.get("confidence")) for r in rows)
                           if c and _is_number(c)), default=None),
        "count_flags": "; ".join(_unique((r.get("count_flags") for r in rows), ";")) or None,
        "count_range": "; ".join(_unique([note, *(r.get("count_range") for r in rows)],
                                         ";")) or None,
        "merged_from": ";".join(ids),
    })
    if "kind" in columns:  # an event (blank), unless every report mentions it in passing
        kinds = [_text(r.get("kind")) for r in rows]
        events = [k for k in kinds if k is None or fold(k) == "event"]
        out["kind"] = (max(events, key=bool) if events else kinds[0])
    return out


def _evidence(row: dict[str, Any]) -> str:
    source = _text(row.get("source"))
    return f"{source}: {_text(row.get('evidence'))}" if source else str(_text(row["evidence"]))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- the API -----------------------------------------------------------------------------------
def merge_drafts(frames: Sequence[pd.DataFrame], *, names: Sequence[str] | None = None,
                 window_days: int = WINDOW_DAYS, apart: Collection[str] = ()) -> pd.DataFrame:
    """Draft tables merged: one row per event, every report of it listed (module docstring).

    ``names`` (one per frame, e.g. the file stems) go in front of ids found in more than one
    row; ``apart`` lists ids (as in ``merged_from``) of draft rows never merged. The result
    has the draft's columns, the inputs' own columns, then :data:`MERGE_COLUMNS`; ``attrs``
    holds ``rows_in``, ``left_out`` (keep = no), ``merges`` and ``merged_rows``.
    """
    if window_days < 0:
        raise ValueError(f"window_days: expected 0 or more, got {window_days}")
    records, columns = _records(frames, names)
    kept = [r for r in records if not left_out_in_review(r.get(KEEP_COLUMN))]
    reports = [_report(i, r) for i, r in enumerate(kept)]
    apart = set(apart)
    unknown = sorted(apart - {i for r in records for i in (r["id"], *_lineage(r))})
    if unknown:
        raise ValueError(f"apart: no draft row has the id {', '.join(unknown)}")
    apart_pos = {i for i, r in enumerate(kept) if apart & {r["id"], *_lineage(r)}}
    rows = []
    merges = merged_rows = 0
    for event in _events(reports, window_days, apart_pos):
        members = [kept[m.pos] for m in event.members]
        if len(members) == 1:
            rows.append(_alone(members[0]))
        else:
            rows.append(_merged(members, event.members, columns))
            merges += 1
            merged_rows += len(members)
    out = _typed(pd.DataFrame(rows, columns=columns))
    out.attrs.update(rows_in=len(records), left_out=len(records) - len(kept), merges=merges,
                     merged_rows=merged_rows, drafts=len(frames))
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers and confidence as a number, where every value is one."""
    for name in COUNT_COLUMNS:
        values = frame[name].tolist()
        if all(v is None or isinstance(v, int) for v in values):
            frame[name] = pd.array(values, dtype="Int64")
    confidence = [_text(v) for v in frame["confidence"]]
    if all(v is None or _is_number(v) for v in confidence):
        frame["confidence"] = pd.array([None if v is None else float(v) for v in confidence],
                                       dtype="Float64")
    return frame.astype({c: object for c in frame.columns
                         if c not in (*COUNT_COLUMNS, "confidence")})


def unmerge(merged: pd.DataFrame, row_id: str, frames: Sequence[pd.DataFrame], *,
            names: Sequence[str] | None = None) -> pd.DataFrame:
    """``merged`` with its row ``row_id`` replaced by the draft rows it was merged from.

    ``frames`` and ``names`` are the ones given to :func:`merge_drafts`. The rows come back
    as they were, each listing its own id in ``merged_from`` (or what an earlier merge
    listed): what :func:`merge_drafts` gives with those rows ``apart``.
    """
    where = [i for i, v in enumerate(merged["id"]) if v == row_id]
    if not where:
        raise ValueError(f"no row with id {row_id!r}")
    records, columns = _records(frames, names)
    ids = str(merged["merged_from"].iloc[where[0]]).split(";")
    # The inputs whose draft rows are all among the merged ones, in merged_from's order.
    members = sorted((r for r in records if set(_lineage(r)) <= set(ids)),
                     key=lambda r: ids.index(_lineage(r)[0]))
    missing = sorted(set(ids) - {i for r in members for i in _lineage(r)})
    if missing:
        raise ValueError(f"{row_id}: the drafts given hold no row {', '.join(missing)}")
    back = pd.DataFrame([_alone(r) for r in members], columns=columns)
    parts = [merged.iloc[: where[0]], back, merged.iloc[where[0] + 1:]]
    return _typed(pd.concat([p.astype(object) for p in parts], ignore_index=True)[columns])


def merge_summary(frame: pd.DataFrame) -> str:
    """One line: "4 rows from 3 drafts: 1 merge (3 rows into 1)" (and the rows left out)."""
    a = frame.attrs
    line = (f"{_many(len(frame), 'row')} from {_many(a['drafts'], 'draft')}: "
            f"{_many(a['merges'], 'merge')}")
    if a["merges"]:
        line += f" ({a['merged_rows']} rows into {a['merges']})"
    if a["left_out"]:
        line += f"; {_many(a['left_out'], 'row')} left out (keep = no)"
    return line


def _many(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def merge_files(paths: Sequence[str | PathLike[str]], *, window_days: int = WINDOW_DAYS,
                apart: Collection[str] = ()) -> pd.DataFrame:
    """:func:`merge_drafts` over draft files (.csv, .json, .xlsx), named by their stems."""
    from mapper.extract.review import read_draft

    paths = [Path(p) for p in paths]
    return merge_drafts([read_draft(p) for p in paths], names=[p.stem for p in paths],
                        window_days=window_days, apart=apart)
