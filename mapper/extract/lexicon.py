"""The lexicon: ``lexicon.toml`` beside this file, read and compiled once into a
:class:`Lexicon` that the readers take as an argument.

The TOML file holds the words and patterns (what the extractor knows about French and
English news text); this module holds the grammar that turns them into regular expressions
(how a count, a date or a trigger is written). Each part of the lexicon is a small frozen
object used by one reader: :class:`TriggerWords` by :mod:`.triggers`, :class:`CountWords`,
:class:`DateWords` and :class:`ActorWords` by :mod:`.arguments`, :class:`PlaceWords` by
:mod:`.places`, :class:`SentenceWords` by :mod:`.sentences`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mapper.schema import IncidentType

#: The lexicon file, inside this package.
LEXICON_FILE = "lexicon.toml"


def _alternatives(words: Iterable[str], *, escape: bool = True, longest: bool = True) -> str:
    """``a|b|c`` for a regular expression, longest first (so "plus de" wins over "plus")."""
    items = [re.escape(w) if escape else w for w in words]
    return "|".join(sorted(items, key=len, reverse=True) if longest else items)


# -- triggers --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TriggerWords:
    """Trigger patterns (one per incident type and strength) and how triggers combine."""

    patterns: tuple[tuple[re.Pattern[str], str, bool], ...]  # (pattern, type, strong)
    sources: Mapping[str, Mapping[str, Mapping[str, tuple[str, ...]]]]  # type/strength/lang
    statements: frozenset[str]
    subsumes: Mapping[str, frozenset[str]]
    #: (from type, to type, cue pattern, context pattern, characters after the cue the
    #: context must lie in, 0 for the whole sentence): a cue read as another type.
    retype: tuple[tuple[str, str, re.Pattern[str], re.Pattern[str], int], ...] = ()
    #: Types that absorb a close cue even when it has a count of its own (with the count).
    absorb_counts: frozenset[str] = frozenset()
    #: Types that absorb the cues they subsume anywhere in their sentence.
    absorb_sentence: frozenset[str] = frozenset()

    @classmethod
    def compile(cls, triggers: dict[str, Any], rules: dict[str, Any],
                retype: list[dict[str, str]] = ()) -> TriggerWords:
        known = {t.value for t in IncidentType}
        named = {*triggers, *rules["statements"], *rules["subsumes"],
                 *(t for ts in rules["subsumes"].values() for t in ts)}
        if named - known:
            raise ValueError(f"{LEXICON_FILE}: unknown incident types {sorted(named - known)}")
        compiled = []
        for kind, strengths in triggers.items():
            for strength in ("strong", "weak"):
                patterns = [p for lang in strengths.get(strength, {}).values() for p in lang]
                if patterns:
                    body = "|".join(patterns)
                    compiled.append((re.compile(rf"(?<![\w-])(?:{body})(?![\w])"), kind,
                                     strength == "strong"))
        sources = {kind: {s: {lang: tuple(ps) for lang, ps in by_lang.items()}
                          for s, by_lang in strengths.items()}
                   for kind, strengths in triggers.items()}
        retyped = tuple((r["from"], r["to"], re.compile(rf"(?:{r['cue']})"),
                         re.compile(rf"(?<![\w-])(?:{r['context']})"), int(r.get("window", 0)))
                        for r in retype)
        return cls(tuple(compiled), sources, frozenset(rules["statements"]),
                   {k: frozenset(v) for k, v in rules["subsumes"].items()}, retyped,
                   frozenset(rules.get("absorb_counts", ())),
                   frozenset(rules.get("absorb_sentence", ())))


# -- counts and nationalities ----------------------------------------------------------------
_NUM = r"\d{1,3}(?:[ ,.]\d{3})+|\d+"


def compound_numbers(numbers: Mapping[str, Any]) -> dict[str, int]:
    """Number words made of a tens word and a unit: "twenty-four" and "twenty four" (24);
    in French "vingt-neuf", "vingt et un", "soixante-douze" (72), "quatre-vingt-onze" (91)."""
    out: dict[str, int] = {}
    for lang, tens in numbers.get("tens", {}).items():
        units = numbers["units"][lang]
        for word, value in tens.items():
            # French counts 70-79 and 90-99 from 60 and 80 with 10-19 ("soixante-douze").
            last = 19 if lang == "fr" and value in (60, 80) else 9
            for n in range(1, last + 1):
                joins = ["-", " "] if lang == "en" else ["-"]
                if lang == "fr" and n in (1, 11) and value != 80:
                    joins = ["-et-", " et "]
                for join in joins:
                    out[f"{word}{join}{units[n]}"] = value + n
    return out


@dataclass(frozen=True)
class CountWords:
    """Numbers, people nouns and nationalities, and the count and nationality patterns."""

    numbers: Mapping[str, int]
    vague: Mapping[str, int]
    singular: frozenset[str]
    more: frozenset[str]
    about: frozenset[str]
    people: frozenset[str]
    women: frozenset[str]
    children: frozenset[str]
    proxies: frozenset[str]
    parts: frozenset[str]
    demonyms: Mapping[str, str]  # word -> canonical nationality
    count_re: re.Pattern[str]
    nationality_re: re.Pattern[str]

    @classmethod
    def compile(cls, numbers: dict[str, Any], counts: dict[str, Any],
                nationalities: dict[str, list[str]]) -> CountWords:
        words = {w: i for lang in ("en", "fr") for i, w in enumerate(numbers["units"][lang])}
        words.update(numbers["words"])
        words.update(compound_numbers(numbers))
        demonyms = {form: canon for canon, forms in nationalities.items() for form in forms}
        qual = _alternatives([*counts["more"], *counts["about"]], longest=False)
        nouns = _alternatives({*counts["people"], *counts["women"], *counts["children"],
                               *counts["proxies"], *demonyms})
        links = "|".join(counts["links"])
        count_re = re.compile(
            rf"(?<![\w-])(?:(?P<qual>{qual}) )?"
            rf"(?:(?P<vague>{_alternatives(numbers['vague'])})|(?P<num>{_NUM})"
            rf"|(?P<word>{_alternatives(words)}))"
            rf"(?: (?:{links}|[a-z]+(?:s|es)?(?=,? (?:{nouns})\b))){{0,2}}"
            rf" ?(?P<noun>{nouns})(?![\w])"
        )
        demonym_re = _alternatives(demonyms)
        people_re = _alternatives(counts["people"], longest=False)
        nationality_re = re.compile(rf"(?<![\w-])(?:(?:{demonym_re})(?: (?:{people_re}))"
                                    rf"|(?:{people_re}) (?:{demonym_re}))(?![\w])")
        return cls(words, dict(numbers["vague"]), frozenset(numbers["singular"]),
                   frozenset(counts["more"]), frozenset(counts["about"]),
                   frozenset(counts["people"]), frozenset(counts["women"]),
                   frozenset(counts["children"]), frozenset(counts["proxies"]),
                   frozenset(counts["parts"]), demonyms, count_re, nationality_re)


# -- dates -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateWords:
    """Month and weekday names, relative phrases, and the date patterns in the order tried."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    small: Mapping[str, int]
    relative: Mapping[str, str]
    ambiguous_months: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern)
    bound_re: re.Pattern[str]
    published_re: re.Pattern[str]

    @classmethod
    def compile(cls, dates: dict[str, Any], small: dict[str, dict[str, int]]) -> DateWords:
        mon = _alternatives(dates["months"], escape=False)
        wd = _alternatives(dates["weekdays"], escape=False, longest=False)
        last = "|".join(dates["last"])
        rel = "|".join(dates["relative"])
        few, few_fr = "|".join(w for lang in small.values() for w in lang), "|".join(small["fr"])
        year = r"(?P<y>(?:19|20)\d\d)"
        patterns = (
            ("dmy", rf"(?<![\w])(?P<d>[0-3]?\d)(?:er|st|nd|rd|th)? (?P<m>{mon})\.?"
                    rf"(?:,? {year})?(?![\w])"),
            ("mdy", rf"(?<![\w])(?P<m>{mon})\.? (?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                    rf"(?:,? {year})?(?![\w])"),
            ("iso", r"(?<![\w])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w])"),
            ("month", rf"(?<![\w])(?:{'|'.join(dates['month_prefixes'])})?"
                      rf" ?(?P<m>{mon})(?: {year})?(?![\w])"),
            ("weekday", rf"(?<![\w])(?:(?P<last>{last}) )?(?P<w>{wd})"
                        rf"(?: (?P<last2>{last}))?(?![\w])"),
            ("rel", rf"(?<![\w])(?P<rel>{rel}|(?P<n>\d+|{few}) days ago|"
                    rf"il y a (?P<n2>\d+|{few_fr}) jours)(?![\w])"),
        )  # fmt: skip
        bound_re = re.compile(rf"(?:{'|'.join(dates['bounds'])})\s*"
                              rf"(?:{'|'.join(dates['bound_articles'])})?$")
        published_re = re.compile(rf"(?:{'|'.join(dates['published'])})"
                                  rf"(?:{'|'.join(dates['published_links'])})?"
                                  r"[: ]+(?P<d>.{6,40})")
        numbers = {w: n for lang in small.values() for w, n in lang.items()}
        return cls(dict(dates["months"]), dict(dates["weekdays"]), numbers,
                   dict(dates["relative"]), frozenset(dates["ambiguous_months"]),
                   tuple((kind, re.compile(p)) for kind, p in patterns), bound_re, published_re)


# -- actors ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActorWords:
    """Actor patterns (pattern, name template, rank) and the countries of embassies."""

    patterns: tuple[tuple[re.Pattern[str], str, int], ...]
    countries: Mapping[str, str]

    @classmethod
    def compile(cls, actors: list[dict[str, Any]], countries: dict[str, str]) -> ActorWords:
        compiled = []
        for item in actors:
            p = item["pattern"]
            cased = "?P<kh>" in p or "?P<name>" in p  # capitals matter: names
            compiled.append((re.compile(p if cased else f"(?i:{p})"), item["actor"],
                             int(item["rank"])))
        return cls(tuple(compiled), dict(countries))


# -- places ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaceWords:
    """Words around a name that say it is not the scene, or what kind of unit it is."""

    village: frozenset[str]
    village_before: re.Pattern[str]
    organisation_after: frozenset[str]
    direction_before: re.Pattern[str]
    government_before: re.Pattern[str]
    destination_before: re.Pattern[str]
    unit_words: tuple[str, ...]
    kind_words: Mapping[str, str]
    kind_order: Mapping[str, int]
    #: After a name: the place speaks for its government ("Phnom Penh announced").
    government_after: re.Pattern[str] = re.compile(r"(?!)")
    #: Before a name: a landmark the scene is near ("on the outskirts of Phnom Penh").
    reference_before: re.Pattern[str] = re.compile(r"(?!)")

    @classmethod
    def compile(cls, places: dict[str, Any]) -> PlaceWords:
        return cls(frozenset(places["village"]), re.compile(places["village_before"]),
                   frozenset(places["organisation_after"]),
                   re.compile(places["direction_before"]),
                   re.compile(places["government_before"]),
                   re.compile(places["destination_before"]), tuple(places["unit_words"]),
                   dict(places["kind_words"]), dict(places["kind_order"]),
                   re.compile(places.get("government_after", "(?!)")),
                   re.compile(places.get("reference_before", "(?!)")))


# -- kinds of rows ---------------------------------------------------------------------------
@dataclass(frozen=True)
class KindWords:
    """What makes a trigger a running total or an earlier event, and where clauses end."""

    total_re: re.Pattern[str]
    total_weak_re: re.Pattern[str]
    background_re: re.Pattern[str]
    clause_re: re.Pattern[str]
    background_days: int
    continues_re: re.Pattern[str]
    #: Words right before a trigger that make it announced or planned, not happened.
    planned_re: re.Pattern[str] = re.compile(r"(?!)")
    #: Words right before an uncounted trigger that make it a kind of crime ("cases of").
    generic_re: re.Pattern[str] = re.compile(r"(?!)")
    #: Plural crime nouns that, uncounted, name a kind of crime ("kidnappings").
    generic_nouns: frozenset[str] = frozenset()
    #: A period between two dates ("between Jan 1 and 18", "du 1er janvier au debut
    #: fevrier"), groups d1 m1 y1 d2 m2 y2 (see :func:`period_pattern`), and month numbers.
    period_re: re.Pattern[str] = re.compile(r"(?!)")
    months: Mapping[str, int] = field(default_factory=dict)
    #: A figure over a period longer than this many days is a running total.
    period_days: int = 7

    @classmethod
    def compile(cls, kinds: dict[str, Any], months: Mapping[str, int] | None = None) -> KindWords:
        def any_of(table: dict[str, list[str]]) -> re.Pattern[str]:
            body = "|".join(p for patterns in table.values() for p in patterns)
            return re.compile(rf"(?<![\w-])(?:{body})(?![\w])")

        planned = "|".join(p for patterns in kinds.get("planned", {}).values() for p in patterns)
        return cls(any_of(kinds["total"]), any_of(kinds["total_weak"]),
                   any_of(kinds["background"]), re.compile("|".join(kinds["clause_breaks"])),
                   int(kinds["background_days"]), re.compile(kinds["continues"]),
                   re.compile(rf"(?<![\w-])(?:{planned or '(?!)'})\s*$"),
                   re.compile(rf"(?<![\w-]){kinds.get('generic_before', '(?!)')}"),
                   frozenset(kinds.get("generic_nouns", ())),
                   period_pattern(kinds.get("period", {}), months or {}), dict(months or {}),
                   int(kinds.get("period_days", 7)))


def period_pattern(words: dict[str, list[str]], months: Mapping[str, int]) -> re.Pattern[str]:
    """A period between two dates: "between Jan 1 and 18", "entre le 16 janvier 2026 et le
    26 janvier", "du 1er janvier au debut fevrier 2026". Each side is a day, a month or both
    (either order), with an optional year; its groups are d1 m1 y1 and d2 m2 y2 (a side
    written month first uses m1b/d1b, m2b/d2b)."""
    if not words:
        return re.compile(r"(?!)")
    mon = _alternatives(months, escape=False)
    edge = "|".join(words["edge"])

    def side(n: int) -> str:
        return (rf"(?:(?:{edge}) ?)?(?:(?P<d{n}>[0-3]?\d)(?:er|st|nd|rd|th)?(?: (?P<m{n}>{mon}))?"
                rf"|(?P<m{n}b>{mon})\.?(?: (?P<d{n}b>[0-3]?\d)(?:st|nd|rd|th)?)?)"
                rf"(?:,? (?P<y{n}>(?:19|20)\d\d))?")

    opens, links = "|".join(words["open"]), "|".join(words["link"])
    return re.compile(rf"(?<![\w-])(?:{opens}) {side(1)}(?: [^,;]{{0,20}}?)? (?:{links}) "
                      rf"{side(2)}(?![\w])")


@dataclass(frozen=True)
class DestinationWords:
    """The country a handover of people of one nationality sends them to."""

    types: frozenset[str]
    countries: Mapping[str, str]
    border_types: frozenset[str]

    def destination(self, kind: str, nationalities: list[str]) -> str | None:
        """ISO code of where people of a handover went, when they have one nationality."""
        codes = {self.countries.get(n) for n in nationalities} - {None}
        return codes.pop() if kind in self.types and len(codes) == 1 else None


# -- sentences and language ------------------------------------------------------------------
@dataclass(frozen=True)
class SentenceWords:
    """Abbreviations (a full stop after them does not end a sentence), language words."""

    abbreviation_re: re.Pattern[str]
    fr_words: frozenset[str]
    en_words: frozenset[str]

    @classmethod
    def compile(cls, sentences: dict[str, Any], language: dict[str, list[str]]) -> SentenceWords:
        cased = "|".join(sentences["abbreviations"])
        any_case = "|".join(sentences["abbreviations_any_case"])
        abbreviation_re = re.compile(rf"(?:\b(?:{cased}|(?i:{any_case}))|\b[A-Z])\.$")
        return cls(abbreviation_re, frozenset(language["fr"]), frozenset(language["en"]))


# -- the whole lexicon -----------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    """Everything :mod:`mapper.extract` knows about the words of its two languages."""

    triggers: TriggerWords
    counts: CountWords
    dates: DateWords
    actors: ActorWords
    places: PlaceWords
    sentences: SentenceWords
    kinds: KindWords
    destinations: DestinationWords

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Lexicon:
        """Compile a lexicon from the parsed TOML (see ``lexicon.toml`` for the layout)."""
        return cls(
            TriggerWords.compile(data["triggers"], data["rules"], data.get("retype", [])),
            CountWords.compile(data["numbers"], data["counts"], data["nationalities"]),
            DateWords.compile(data["dates"], data["numbers"]["small"]),
            ActorWords.compile(data["actors"], data["countries"]),
            PlaceWords.compile(data["places"]),
            SentenceWords.compile(data["sentences"], data["language"]),
            KindWords.compile(data["kinds"], data["dates"]["months"]),
            DestinationWords(frozenset(data["destinations"]["types"]),
                             dict(data["destinations"]["countries"]),
                             frozenset(data["destinations"]["border_types"])),
        )


def read_lexicon_data() -> dict[str, Any]:
    """The parsed ``lexicon.toml`` of this package."""
    text = resources.files(__package__).joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def default_lexicon() -> Lexicon:
    """The package's lexicon, read and compiled on first use, then shared."""
    return Lexicon.from_data(read_lexicon_data())
