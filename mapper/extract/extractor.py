"""The entry points: an :class:`Extractor` holds the reference data (the lexicon and the
place index of one gazetteer), built once, and extracts articles with it; :func:`extract`
and :func:`extract_files` build one for a single call.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from os import PathLike

import pandas as pd

from mapper.dates import DateError, parse_option_date
from mapper.extract.arguments import find_dates, sentence_events
from mapper.extract.draft import article_paths, draft_table, read_article, record
from mapper.extract.kinds import continue_totals
from mapper.extract.lexicon import Lexicon, default_lexicon
from mapper.extract.merge import carry_place, merge
from mapper.extract.places import PlaceIndex
from mapper.extract.sentences import Article, detect_language, light, split_sentences
from mapper.extract.tunables import PUBLISHED_LINES
from mapper.gazetteer import Gazetteer
from mapper.reference import resolve as resolve_reference

log = logging.getLogger(__name__)


def default_gazetteer() -> Gazetteer:
    """The shared reference data's gazetteer (:func:`mapper.reference.resolve`): what
    ``gazetteer=None`` means."""
    return resolve_reference(None).gazetteer


class Extractor:
    """Drafts incident rows from articles, with reference data built once.

    Parameters
    ----------
    gazetteer : the gazetteer whose names are places (default: :func:`default_gazetteer`).
    lexicon : the words and patterns read (default: the package's ``lexicon.toml``).

    >>> extractor = Extractor(gazetteer)          # doctest: +SKIP
    >>> rows = extractor.extract(text, published="2026-01-20")  # doctest: +SKIP
    """

    def __init__(self, gazetteer: Gazetteer | None = None,
                 lexicon: Lexicon | None = None) -> None:
        self.gazetteer = default_gazetteer() if gazetteer is None else gazetteer
        self.lexicon = default_lexicon() if lexicon is None else lexicon
        self.places = PlaceIndex(self.gazetteer)

    def extract(
        self,
        text: str | Article,
        *,
        published: dt.date | str | None = None,
        lang: str | None = None,
        source: str | None = None,
        source_url: str | None = None,
    ) -> pd.DataFrame:
        """Draft incident rows from one article (see :func:`extract`)."""
        article = text if isinstance(text, Article) else Article(
            text, lang, self._as_date(published, "published"), source, source_url)
        if not isinstance(article.text, str):
            raise TypeError(f"text: expected a string, got {type(article.text).__name__}")
        pub = (article.published or self._as_date(published, "published")
               or self._published_in(article.text))
        language = article.lang or lang or detect_language(article.text, self.lexicon.sentences)
        if language not in ("fr", "en"):
            raise ValueError(f"lang: expected 'fr' or 'en', got {language!r}")
        sentences = split_sentences(article.text, self.lexicon.sentences)
        events = continue_totals([sentence_events(s, self.places, self.lexicon, pub)
                                  for s in sentences], self.lexicon.kinds,
                                 self.lexicon.triggers.subsumes)
        rows = merge(events, self.lexicon)
        carry_place(rows, sentences, self.places, self.lexicon)
        for row in rows:
            row.destination = self.lexicon.destinations.destination(row.type, row.nationalities)
        frame = draft_table([record(row, self.gazetteer, article, pub, language)
                             for row in rows])
        log.debug("extract: %d sentences, %d events, %d rows", len(sentences), len(events),
                  len(frame))
        return frame

    def extract_files(
        self,
        paths: str | PathLike[str] | Iterable[str | PathLike[str]],
        *,
        published: dt.date | str | None = None,
        lang: str | None = None,
        source: str | None = None,
        source_url: str | None = None,
    ) -> pd.DataFrame:
        """:meth:`extract` over files and folders (see :func:`extract_files`)."""
        if isinstance(paths, str | PathLike):
            paths = [paths]
        frames = [self.extract(read_article(path), published=published, lang=lang,
                               source=source or path.stem, source_url=source_url)
                  for path in article_paths(paths)]
        if not frames:
            return draft_table([])
        return pd.concat(frames, ignore_index=True)

    def _published_in(self, text: str) -> dt.date | None:
        """The date of a "Publié le ..." / "Published ..." line near the top, if any."""
        for line in text.splitlines()[:PUBLISHED_LINES]:
            if m := self.lexicon.dates.published_re.search(light(line)):
                hits = [h for h in find_dates(m["d"], None, self.lexicon.dates)
                        if len(h.date) == 10]
                if hits:
                    return dt.date.fromisoformat(hits[0].date)
        return None

    def _as_date(self, value: dt.date | str | None, name: str) -> dt.date | None:
        """An option's date, by the project's one rule for dates (:mod:`mapper.dates`)."""
        if value is None or isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_option_date(value, name=name).start
            except DateError as err:
                raise ValueError(str(err)) from None
        raise TypeError(f"{name}: expected a date or an ISO string, got {type(value).__name__}")


def extract(
    text: str | Article,
    *,
    published: dt.date | str | None = None,
    lang: str | None = None,
    source: str | None = None,
    source_url: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """Draft incident rows from one article.

    Parameters
    ----------
    text : the article's text, or an :class:`Article` (whose fields then win).
    published : the publication date (``datetime.date`` or ISO string); resolves "le 12
        janvier", "on Saturday", "last week". When None, a "Publié le ..." / "Published ..."
        line in the text is used if there is one; otherwise relative dates stay empty.
    lang : "fr" or "en"; detected when None (only recorded: both lexicons always apply).
    source, source_url : written on every row.
    gazetteer : defaults to :func:`default_gazetteer`. To extract many articles, build an
        :class:`Extractor` once and call its :meth:`~Extractor.extract`.

    Returns
    -------
    pandas.DataFrame
        One row per incident with :data:`DRAFT_COLUMNS`, status "draft", ordered by the
        position of the first evidence sentence.
    """
    return Extractor(gazetteer).extract(text, published=published, lang=lang, source=source,
                                        source_url=source_url)


def extract_files(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    published: dt.date | str | None = None,
    lang: str | None = None,
    source: str | None = None,
    source_url: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """:func:`extract` over files and folders (``.txt``, ``.md`` inside a folder); the rows of
    all articles, in file order. ``source`` defaults to each file's name."""
    return Extractor(gazetteer).extract_files(paths, published=published, lang=lang,
                                              source=source, source_url=source_url)
