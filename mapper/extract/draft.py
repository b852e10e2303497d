"""Draft tables: merged rows as incident-table rows, and reading and writing files.

A draft row carries the incident table's columns (:mod:`mapper.schema`) plus ``status``
("draft"), ``evidence`` (the sentences), ``cue`` (the words that fired), ``confidence`` and
``count_flags``. See :func:`write_draft` for how the ``status`` column survives ingest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from mapper import settings
from mapper.errors import InputFileError
from mapper.extract.arguments import COUNT_FIELDS
from mapper.extract.merge import Row
from mapper.extract.sentences import Article
from mapper.extract.tunables import (
    ARTICLE_SUFFIXES,
    CONFIDENCE_ACTOR,
    CONFIDENCE_BASE,
    CONFIDENCE_COUNT,
    CONFIDENCE_DATE,
    CONFIDENCE_MAX,
    CONFIDENCE_PLACE,
    CONFIDENCE_STRONG,
)
from mapper.files import csv_text, write_text_atomic
from mapper.gazetteer import Gazetteer
from mapper.schema import INPUT_COLUMNS, Status

#: Columns of a draft table: the schema's input columns, then the review columns.
DRAFT_COLUMNS: tuple[str, ...] = (
    *[c for c in INPUT_COLUMNS if c not in ("latitude", "longitude", "sensitive")],
    "status", "evidence", "cue", "confidence", "count_flags",
)  # fmt: skip


def draft_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """A draft table of :data:`DRAFT_COLUMNS` (nullable integer counts) from row records."""
    frame = pd.DataFrame(records, columns=list(DRAFT_COLUMNS))
    for column in COUNT_FIELDS:
        frame[column] = frame[column].astype("Int64")
    frame["confidence"] = frame["confidence"].astype("Float64")
    return frame


def record(row: Row, gaz: Gazetteer, article: Article, pub: dt.date | None,
           lang: str) -> dict[str, Any]:
    """One merged row as a draft-table record, with notes saying where each value came from."""
    place, province, district, commune = _where_columns(row, gaz)
    notes = [f"draft extracted ({lang}) from {len(row.sentences)} sentence(s)"]
    if row.place is not None:
        where = row.place.adm1_code or f"outside Cambodia ({row.place.country})"
        notes.append(f"place '{row.place.text}' -> {row.place.name} ({row.place.kind}, {where})")
    date, end_date = (row.date.date, row.date.end_date) if row.date else (None, None)
    if row.date is not None:
        notes.append(f"date from '{row.date.text}'")
    elif pub is not None:
        date = pub.isoformat()
        notes.append("no date in the text: publication date")
    flags = [f"{name}>=lower_bound" if flag == "lower_bound" else
             f"{name}~approximate" if flag == "approximate" else f"{name}:{flag}"
             for name, hit in row.counts.items() for flag in hit.flags]
    evidence = " | ".join(s.text for s in row.sentences)
    first = row.sentences[0].text if row.sentences else ""
    ident = hashlib.sha1("\x1f".join([article.source_url or article.source or article.path or "",
                                      row.type, row.where or "", first]).encode()).hexdigest()
    return {
        "id": f"draft-{ident[:10]}", "date": date, "end_date": end_date, "type": row.type,
        "place": place, "province": province, "district": district, "commune": commune,
        **{name: _count(row, name) for name in COUNT_FIELDS},
        "nationality": ", ".join(row.nationalities) or None, "actor": _best_actor(row.actors),
        "source": article.source, "source_url": _http(article.source_url),
        "notes": "; ".join(notes), "kind": row.kind, "destination": row.destination,
        "status": Status.DRAFT.value, "evidence": evidence,
        "cue": "; ".join(row.cues), "confidence": confidence(row),
        "count_flags": "; ".join(f for f in flags if f) or None,
    }


def _where_columns(row: Row, gaz: Gazetteer) -> tuple[str, str | None, str | None, str | None]:
    if row.where is None or row.place is None:
        return "Cambodia", None, None, None
    place = row.place
    if not place.is_cambodia:
        return place.text, None, None, None
    province = str(gaz.entry(place.adm1_code)["name"]) if place.adm1_code else None
    district = commune = None
    if place.kind == "district":
        district = place.name
    elif place.kind == "commune":
        commune = place.name
        adm2 = gaz.entry(place.entry_id)["adm2_name"]
        district = None if pd.isna(adm2) else str(adm2)
    return place.text, province, district, commune


def _count(row: Row, name: str) -> int | None:
    hit = row.counts.get(name)
    return None if hit is None else hit.value


def _best_actor(actors: list[tuple[int, str, int]]) -> str | None:
    if not actors:
        return None
    return min(actors, key=lambda a: a[2])[1]


def confidence(row: Row) -> float:
    """A base for any trigger, more for a strong trigger, a place, a date in the text, a
    count and a named actor; capped (the weights are in :mod:`.tunables`)."""
    score = CONFIDENCE_BASE + CONFIDENCE_STRONG * row.strong
    score += CONFIDENCE_PLACE * (row.where is not None)
    score += CONFIDENCE_DATE * (row.date is not None) + CONFIDENCE_COUNT * bool(row.counts)
    score += CONFIDENCE_ACTOR * bool(row.actors)
    return round(min(score, CONFIDENCE_MAX), 2)


def _http(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url) else None


# -- files -----------------------------------------------------------------------------------
def read_article(path: str | PathLike[str]) -> str:
    """The text of an article file (UTF-8, with or without a byte order mark), refused when
    longer than :func:`mapper.settings.max_article_chars` characters."""
    p = Path(path)
    limit = settings.max_article_chars()
    try:
        # A UTF-8 character is at most 4 bytes: a file this large is too long without reading.
        size = p.stat().st_size
        if size > 4 * limit:
            raise InputFileError(p, _too_long(f"{size:,} bytes", limit))
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputFileError(p, "file not found") from err
    except UnicodeDecodeError as err:
        raise InputFileError(p, "not UTF-8 text") from err
    except InputFileError:
        raise
    except OSError as err:
        raise InputFileError(p, err.strerror or str(err)) from err
    if len(text) > limit:
        raise InputFileError(p, _too_long(f"{len(text):,} characters", limit))
    return text


def _too_long(size: str, limit: int) -> str:
    return (f"article of {size}, more than the limit of {limit:,} characters"
            " (INCIDENT_MAPPER_MAX_ARTICLE_CHARS); split it or raise the limit")


def article_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """Files as given, and the text files (:data:`.tunables.ARTICLE_SUFFIXES`) of folders."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(p)
    return out


def write_draft(frame: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a draft table as CSV (UTF-8) or JSON (an array of objects), by extension.

    The ``status`` column holds "draft" for the reviewer. :func:`mapper.ingest.read_incidents`
    treats a ``status`` column of its input as a column of its own, kept as
    ``"status (input)"``, and computes ``status`` afresh, so a draft is read, validated,
    geocoded and mapped like any log, with the reviewer's columns kept. In CSV, text a
    spreadsheet would run as a formula gets a leading single quote
    (:func:`mapper.files.csv_text`); JSON keeps every value as it is.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError(f"out: expected a .csv or .json file, got {out.name!r}")
    table = frame.astype(object).where(frame.notna(), None)
    for column in COUNT_FIELDS:
        # Whole numbers as integers; a reviewer's text ("about 40") as written.
        table[column] = [v if v is None or isinstance(v, str) else int(v)
                         for v in table[column]]
    if suffix == ".csv":
        # Text a spreadsheet would run as a formula gets a leading quote (numbers stay).
        text = csv_text(table)
    else:
        text = table.to_json(orient="records", force_ascii=False, indent=1)
    # Atomically: a failed write leaves the previous draft as it was.
    return write_text_atomic(out, text)
