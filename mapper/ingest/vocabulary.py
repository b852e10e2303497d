"""The words ingest reads, loaded from the data files beside this module.

``columns.toml`` (header aliases), ``types.toml`` (incident type synonyms) and ``cells.toml``
(blank markers, yes/no words). The tables are read once, at import; the lookups built from
them are rebuilt at each call, so a caller that extends :data:`COLUMN_ALIASES` or
:data:`TYPE_SYNONYMS` is heard.
"""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources
from typing import Any

from mapper import schema
from mapper.text import fold


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


def _tuples(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(words) for key, words in table.items()}


_CELL_WORDS = _load("cells.toml")

#: Header names accepted for each input column (compared through :func:`column_key`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = _tuples(_load("columns.toml")["aliases"])

#: Words (besides the vocabulary itself) read as each incident type; case and accents ignored.
TYPE_SYNONYMS: dict[str, tuple[str, ...]] = _tuples(_load("types.toml")["synonyms"])

#: Words (besides the kinds themselves) read as each kind of row.
KIND_SYNONYMS: dict[str, tuple[str, ...]] = _tuples(_load("types.toml")["kinds"])

#: In typed fields, a cell holding only one of these (case ignored) is blank.
BLANK_MARKERS: frozenset[str] = frozenset(_CELL_WORDS["blank"]["markers"])

_YES = frozenset(_CELL_WORDS["sensitive"]["yes"])
_NO = frozenset(_CELL_WORDS["sensitive"]["no"])


def column_key(name: object) -> str:
    """The comparison key of a header: folded, without spaces, punctuation or symbols.

    >>> column_key("Date of incident") == column_key("date_of_incident") == "dateofincident"
    True
    """
    folded = fold(str(name))
    return "".join(c for c in folded if unicodedata.category(c)[0] not in "PSZC")


def _alias_lookup() -> dict[str, str]:
    """{column key of an alias: field}; raises ValueError if an alias names two fields."""
    lookup: dict[str, str] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in (field, *aliases):
            key = column_key(alias)
            if lookup.get(key, field) != field:
                raise ValueError(f"alias {alias!r} names both {lookup[key]} and {field}")
            lookup[key] = field
    return lookup


def _field_for(header: str, lookup: dict[str, str]) -> str | None:
    """The field a header names (a trailing plural "s" ignored), or None."""
    key = column_key(header)
    if not key:
        return None
    if key in lookup:
        return lookup[key]
    if key.endswith("s") and key[:-1] in lookup:
        return lookup[key[:-1]]
    return None


#: Keys of the columns the pipeline adds: a kept input column with such a name is renamed.
_RESERVED_KEYS = frozenset(column_key(c) for c in [*schema.INGEST_COLUMNS, *schema.GEO_COLUMNS])


def _word_lookup(vocabulary: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]
                 ) -> dict[str, str]:
    """{folded word: value}: the vocabulary itself first, then each value's synonyms."""
    lookup = {fold(v): v for v in vocabulary}
    for canonical, words in synonyms.items():
        for word in words:
            lookup.setdefault(fold(word), canonical)
    return lookup


def _type_lookup() -> dict[str, str]:
    """{folded word: incident type}: the vocabulary in force, then its synonyms."""
    return _word_lookup(schema.INCIDENT_TYPES, TYPE_SYNONYMS)


def kind_lookup() -> dict[str, str]:
    """{folded word: kind of row}: event, total, background and their synonyms."""
    return _word_lookup(schema.KINDS, KIND_SYNONYMS)
