"""News text (French or English) -> draft incident rows, each with its evidence.

In: the text of an article (a string, an :class:`Article`, or files and folders of ``.txt``
/ ``.md``), its publication date when known, and a gazetteer (default: the project's).
Out: a :class:`pandas.DataFrame` of draft rows with :data:`DRAFT_COLUMNS`: the incident
table's columns (:mod:`mapper.schema`) plus ``status`` ("draft"), ``evidence`` (the
sentences), ``cue`` (the words that fired), ``confidence`` and ``count_flags``;
:func:`write_draft` writes it as CSV or JSON for review and ingest.

The extractor is a chain of small, explainable rules; no statistical model is involved.
Each step is a module:

- :mod:`.sentences`: the text is cut into paragraphs (lines) and sentences, and folded
  with the project's fold (:func:`mapper.text.fold`) keeping every offset (:func:`light`).
- :mod:`.triggers`: event triggers ("expulsé", "raided") found with the lexicon's patterns.
- :mod:`.places` and :mod:`.arguments`: place mentions (a :class:`PlaceIndex` built once
  from the gazetteer), people counts, nationalities, dates and actors, attached to the
  trigger they belong to; each trigger becomes an event.
- :mod:`.merge`: events of one type about the same place (or about no place, close
  together in the text) merge into one row.
- :mod:`.draft`: rows become draft-table records; reading articles, writing drafts.

The words (trigger patterns per type and language, numbers, nationalities, dates, actors,
words around place names) are data: ``lexicon.toml`` beside this file, compiled once by
:mod:`.lexicon`. The numbers that tune the rules are in :mod:`.tunables`. An
:class:`Extractor` holds the lexicon and the place index of one gazetteer; :func:`extract`
and :func:`extract_files` build one per call.
"""

from __future__ import annotations

from mapper.extract.arguments import (
    CountHit,
    DateHit,
    find_actors,
    find_counts,
    find_dates,
    find_nationalities,
)
from mapper.extract.draft import DRAFT_COLUMNS, read_article, write_draft
from mapper.extract.extractor import Extractor, default_gazetteer, extract, extract_files
from mapper.extract.lexicon import Lexicon, default_lexicon
from mapper.extract.places import PlaceIndex, PlaceMention, find_places
from mapper.extract.sentences import Article, Sentence, detect_language, light, split_sentences
from mapper.extract.tunables import SUBSUME_DISTANCE

__all__ = [
    "DRAFT_COLUMNS",
    "SUBSUME_DISTANCE",
    "Article",
    "CountHit",
    "DateHit",
    "Extractor",
    "Lexicon",
    "PlaceIndex",
    "PlaceMention",
    "Sentence",
    "default_gazetteer",
    "default_lexicon",
    "detect_language",
    "extract",
    "extract_files",
    "find_actors",
    "find_counts",
    "find_dates",
    "find_nationalities",
    "find_places",
    "light",
    "read_article",
    "split_sentences",
    "write_draft",
]
