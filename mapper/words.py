"""The words the report and its charts print, in English and French.

Every ``mapper/templates/words_*.toml`` file holds one table per language (``[en]``,
``[fr]``), nested by topic; :func:`words` merges them into one flat mapping with dotted keys
(``type.raid``, ``report.title``). A missing translation is a bug caught by the tests, not
a silent fallback to English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

LANGUAGES = ("en", "fr")


class LanguageError(ValueError):
    """A language the report has no words for."""


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def words(lang: str = "en") -> Mapping[str, str]:
    """All words of ``lang`` by dotted key, read once from the package's TOML files."""
    if lang not in LANGUAGES:
        raise LanguageError(f"--lang: expected one of {list(LANGUAGES)}, got {lang!r}")
    merged: dict[str, str] = {}
    folder = resources.files("mapper").joinpath("templates")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.startswith("words_") and item.name.endswith(".toml"):
            merged.update(_flatten(tomllib.loads(item.read_text(encoding="utf-8")).get(lang, {})))
    return MappingProxyType(merged)


def type_label(kind: str, lang: str = "en") -> str:
    """An incident type as the reader's language writes it (unknown types as written)."""
    return words(lang).get(f"type.{kind}", str(kind))


def number(value: int | float, lang: str = "en", digits: int = 0) -> str:
    """A number with the language's separators: 97,853.5 (en), 97 853,5 (fr)."""
    text = f"{value:,.{digits}f}"
    if lang == "fr":  # narrow no-break space between thousands, decimal comma
        text = text.replace(",", "\u202f").replace(".", ",")
    return text
