"""News text (French or English) -> draft incident rows, each with its evidence.

The extractor is a chain of small, explainable rules; no statistical model is involved:

1. The text is cut into paragraphs (lines) and sentences.
2. Place mentions are found with the gazetteer: every name it knows (admin units, curated
   places, aliases, in every script it holds) is indexed once, and each sentence is scanned
   left to right taking the longest name that starts at each word (:class:`PlaceIndex`).
   Mentions that only look like places are skipped (see :func:`find_places`).
3. Event cues (:data:`CUES`), dates, counts, nationalities and actors are read with
   precompiled regular expressions and word tables for French and English.
4. Each cue becomes an *event*; events of one type about the same place (or about no place,
   close together in the text) merge into one draft row (:func:`extract`).

Rows carry the incident table's columns (:mod:`mapper.schema`) plus ``status`` ("draft"),
``evidence`` (the sentences), ``cue`` (the words that fired), ``confidence`` and
``count_flags``. See :func:`write_draft` for how the ``status`` column survives ingest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from mapper.errors import InputFileError
from mapper.gazetteer import Gazetteer
from mapper.reference import resolve as resolve_reference
from mapper.schema import INPUT_COLUMNS, IncidentType, Status
from mapper.text import APOSTROPHES, DASHES, compact

log = logging.getLogger(__name__)

__all__ = [
    "CUES",
    "DRAFT_COLUMNS",
    "Article",
    "PlaceIndex",
    "PlaceMention",
    "detect_language",
    "extract",
    "extract_files",
    "find_counts",
    "find_dates",
    "find_places",
    "read_article",
    "split_sentences",
    "write_draft",
]

#: Columns of a draft table: the schema's input columns, then the review columns.
DRAFT_COLUMNS: tuple[str, ...] = (
    *[c for c in INPUT_COLUMNS if c not in ("latitude", "longitude", "sensitive")],
    "status", "evidence", "cue", "confidence", "count_flags",
)  # fmt: skip

#: How many sentences apart two mentions of one event type may be and still merge when the
#: later one names no place of its own.
MERGE_WINDOW = 8
#: Text files read from a folder.
ARTICLE_SUFFIXES = (".txt", ".md", ".text")

_T = IncidentType
_STATEMENTS = {_T.WARNING.value, _T.POLICY.value}
#: In one sentence, a cue of the key type absorbs cues of the listed types (a raid in which
#: people were arrested is one raid; an arrest followed by an extradition is one extradition).
_SUBSUMES: dict[str, set[str]] = {
    _T.EXTRADITION.value: {_T.ARREST.value, _T.DEPORTATION.value},
    _T.DEPORTATION.value: {_T.ARREST.value},
    _T.RAID.value: {_T.ARREST.value, _T.RESCUE.value},
}


# ---------------------------------------------------------------------------------------------
# Light folding: lower case and Latin accents removed, with every offset kept
# ---------------------------------------------------------------------------------------------
def _light_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = unicodedata.normalize("NFD", char.lower())[0]
        if len(char.lower()) == 1 and base != char:
            table[code] = base
    for quote in APOSTROPHES:
        table[ord(quote)] = "'"
    for dash in DASHES:
        table[ord(dash)] = "-"
    table[0xA0] = table[0x202F] = table[0x2009] = " "
    return table


_LIGHT = _light_table()
#: Latin accents folded, case kept (same length): for patterns that need capitals.
_KEEP_CASE = {code: unicodedata.normalize("NFD", chr(code))[0]
              for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
              if unicodedata.normalize("NFD", chr(code))[0] != chr(code)}
_KEEP_CASE.update({ord(q): "'" for q in APOSTROPHES})


def light(text: str) -> str:
    """Lower case, Latin accents and curly quotes folded, *same length* as ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_LIGHT)


# ---------------------------------------------------------------------------------------------
# Lexicons (matched against light-folded text; keep each pattern small and readable)
# ---------------------------------------------------------------------------------------------
#: type -> (strong patterns, weak patterns). A weak cue alone makes a row only when its
#: sentence also gives a place, a date or a count; next to a strong cue of another type it is
#: dropped.
CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "deportation": (
        (r"deport(?:ed|s|ing|ation|ations|ee|ees)?", r"expel(?:s|led|ling)?",
         r"repatriat(?:ed|es|ing|ion|ions)", r"sent (?:back|home)", r"hand(?:ed|s|ing)? over",
         r"expuls(?:e|es|ee|ees|er|ent|ion|ions)", r"reconduit(?:e|s|es)?",
         r"rapatri(?:e|es|ee|ees|er|ement|ements)", r"refoul(?:e|es|ee|ees|ement|ements)",
         r"renvoy(?:e|es|ee|ees)", r"remis(?:es)? aux autorites"),
        (r"returned to", r"transferred through", r"blacklisted"),
    ),
    "raid": (
        (r"raid(?:s|ed|ing)?", r"stormed", r"descentes?", r"perquisition(?:s|ne|nes|nee|nees)?",
         r"rafles?", r"(?:ont|a|avaient|avait) investi"),
        (r"crackdown on", r"searched", r"inspection of", r"dismantled", r"demantel\w*",
         r"operation (?:visant|de police|policiere|conjointe)", r"joint operation",
         r"(?:ont|a) scelle", r"sealed"),
    ),
    "rescue": (
        (r"rescu(?:e|ed|es|ing)", r"secouru(?:e|s|es)?", r"sauvetages?",
         r"(?:ont ete|a ete|etaient|sont) liber(?:e|es|ee|ees)"),
        (r"freed", r"liberations?", r"liber(?:e|es|ee|ees)"),
    ),
    "arrest": (
        (r"arrest(?:ed|s|ing)?", r"detain(?:ed|s)?", r"apprehend(?:ed|s)?",
         r"taken into custody", r"arrestations?", r"arreter",
         r"arret(?:e|es|ee|ees)(?! (?:ministeriel|provincial))",
         r"interpell(?:e|es|ee|ees|ation|ations)", r"places? en detention", r"detenus"),
        (r"held in (?:pre-trial )?detention", r"(?:ont ete|ont|a ete) detenu(?:e|s|es)?",
         r"questioning"),
    ),
    "extradition": (
        (r"extradit(?:ed|es|ing|ion|ions|e|ee|ees|er)?", r"extrad(?:e|es|ee|ees|er)"),
        (),
    ),
    "escape": (
        (r"escap(?:e|ed|es|ing)", r"fled", r"flee(?:s|ing)?", r"broke out",
         r"(?:prendre|pris|tentatives?) (?:la |de )?fuite", r"fuite", r"fuient", r"fuyant",
         r"fuyaient", r"(?:ont|a|avaient) fui", r"enfui(?:e|s|es)?", r"evad(?:e|es|ee|ees|er)",
         r"evasions?"),
        (r"exodus", r"walked out", r"quittent", r"(?:ont|a) quitte"),
    ),
    "disappearance": (
        (r"missing", r"disappear(?:ed|s|ance|ances)?", r"lost contact", r"loss of contact",
         r"unaccounted for", r"dispar(?:u|us|ue|ues|ition|itions)", r"perte de contact",
         r"sans nouvelles?", r"kidnapp(?:ed|ing|ings)", r"abduct(?:ed|ion|ions)",
         r"enlev(?:e|es|ee|ees|ement|ements)"),
        (),
    ),
    "warning": (
        (r"warn(?:ed|s|ing|ings)?", r"legal action", r"prosecut(?:e|ed|ion)",
         r"averti(?:t|ssent|ssement|ssements)?", r"poursuites?(?: judiciaires)?",
         r"mise? en garde", r"met en garde", r"sanctions? (?:penales|severes)"),
        (r"alerte?s?", r"sonnette d'alarme", r"menac(?:e|ent)", r"urged", r"cautioned",
         r"appel(?:le|lent)? a la vigilance"),
    ),
    "policy": (
        (r"directive", r"decree", r"sub-decree", r"(?:new|draft) law", r"special message",
         r"unveiled a plan", r"announced a plan", r"(?:sous-)?decret", r"projet de loi",
         r"message special", r"priorite (?:gouvernementale|nationale)", r"a ordonne",
         r"ordered (?:a|the|all|authorities)"),
        (r"zero tolerance", r"tolerance zero", r"ligne dure", r"campagne nationale",
         r"nationwide campaign"),
    ),
}  # fmt: skip


def _compile_cues() -> list[tuple[re.Pattern[str], str, bool]]:
    compiled = []
    for kind, (strong, weak) in CUES.items():
        for patterns, is_strong in ((strong, True), (weak, False)):
            if patterns:
                body = "|".join(patterns)
                compiled.append((re.compile(rf"(?<![\w-])(?:{body})(?![\w])"), kind, is_strong))
    return compiled


_CUE_PATTERNS = _compile_cues()

_UNITS_EN = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_UNITS_FR = ("zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
             "quinze seize dix-sept dix-huit dix-neuf").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "vingt": 20, "trente": 30, "quarante": 40,
         "cinquante": 50, "soixante": 60, "soixante-dix": 70, "quatre-vingt": 80,
         "quatre-vingts": 80, "quatre-vingt-dix": 90}
#: Number words -> value (English and French; "un"/"one" only count before a people noun).
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS_EN)}, **{w: i for i, w in enumerate(_UNITS_FR)},
    **_TENS, "a dozen": 12, "une douzaine": 12, "hundred": 100, "a hundred": 100, "cent": 100,
    "une centaine": 100, "thousand": 1000, "a thousand": 1000, "mille": 1000,
    "un millier": 1000, "une": 1,
}
#: Vague quantities -> (lower bound, flag).
#: The bound is the smallest number the phrase can honestly mean, rounded down to a power of
#: ten ("des milliers" >= 1000), and the row's count_flags says so ("people>=lower_bound").
VAGUE_COUNTS: dict[str, int] = {
    "dozens of": 10, "des dizaines de": 10, "hundreds of": 100, "des centaines de": 100,
    "plusieurs centaines de": 100, "thousands of": 1000, "des milliers de": 1000,
    "plusieurs milliers de": 1000, "tens of thousands of": 10000,
    "des dizaines de milliers de": 10000,
}
_MORE = ("more than", "over", "at least", "upwards of", "plus de", "au moins", "pas moins de")
_ABOUT = ("about", "around", "nearly", "almost", "some", "roughly", "approximately", "pres de",
          "environ", "quelque", "quelques", "une trentaine de")

_DEMONYMS: dict[str, str] = {}
for _canon, _forms in {
    "Vietnamese": "vietnamese vietnamien vietnamiens vietnamienne vietnamiennes",
    "Chinese": "chinese chinois chinoise chinoises",
    "Thai": "thai thais thailandais thailandaise thailandaises",
    "Indonesian": "indonesian indonesians indonesien indonesiens indonesienne indonesiennes",
    "Filipino": "filipino filipinos filipina filipinas philippin philippins philippine "
                "philippines",
    "Malaysian": "malaysian malaysians malaisien malaisiens malaisienne malaisiennes",
    "South Korean": "korean koreans south-korean sud-coreen sud-coreens sud-coreenne "
                    "sud-coreennes coreen coreens coreenne coreennes",
    "Japanese": "japanese japonais japonaise japonaises",
    "Taiwanese": "taiwanese taiwanais taiwanaise taiwanaises",
    "Burmese": "burmese myanmar birman birmans birmane birmanes",
    "Lao": "lao laotian laotians laotien laotiens laotienne laotiennes",
    "Indian": "indian indians indien indiens indienne indiennes",
    "Pakistani": "pakistani pakistanis pakistanais pakistanaise pakistanaises",
    "Bangladeshi": "bangladeshi bangladeshis bangladais bangladaise bangladaises",
    "Nepalese": "nepalese nepali nepalis nepalais nepalaise nepalaises",
    "Sri Lankan": "sri-lankan sri-lankans sri-lankais sri-lankaise",
    "Kenyan": "kenyan kenyans kenyan kenyane kenyanes",
    "Ethiopian": "ethiopian ethiopians ethiopien ethiopiens ethiopienne ethiopiennes",
    "Ugandan": "ugandan ugandans ougandais ougandaise ougandaises",
    "Cambodian": "cambodian cambodians cambodgien cambodgiens cambodgienne cambodgiennes",
    "Brazilian": "brazilian brazilians bresilien bresiliens",
    "Liberian": "liberian liberians liberien liberiens",
}.items():
    for _form in _forms.split():
        _DEMONYMS[_form] = _canon

#: Nouns that count people; women and children are also counted on their own.
_PEOPLE_NOUNS = (
    "people persons individuals foreigners foreign nationals nationals citizens workers "
    "victims suspects migrants returnees deportees detainees employees survivors men "
    "personnes individus etrangers ressortissants citoyens travailleurs victimes suspects "
    "migrants employes detenus hommes compatriotes"
).split()
_WOMEN_NOUNS = ("women", "woman", "female", "females", "femmes", "femme")
_CHILD_NOUNS = ("children", "child", "minors", "enfants", "enfant", "mineurs", "mineures")
#: Counted as a lower bound on people with a flag (thousands of escape attempts).
_PROXY_NOUNS = ("tentatives", "escape attempts", "attempts")

_NUM = r"\d{1,3}(?:[ ,.]\d{3})+|\d+"
_WORDNUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE_COUNTS), key=len, reverse=True))
_QUAL = "|".join(re.escape(w) for w in (*_MORE, *_ABOUT))
_NOUNS = "|".join(sorted({re.escape(n) for n in (*_PEOPLE_NOUNS, *_WOMEN_NOUNS, *_CHILD_NOUNS,
                                                 *_PROXY_NOUNS, *_DEMONYMS)},
                         key=len, reverse=True))
_COUNT_RE = re.compile(
    rf"(?<![\w-])(?:(?P<qual>{_QUAL}) )?"
    rf"(?:(?P<vague>{_VAGUE})|(?P<num>{_NUM})|(?P<word>{_WORDNUM}))"
    rf"(?: (?:of the|of them|d'entre eux|d'entre elles|autres|other|more|further|new|"
    rf"nouveaux|nouvelles|de ces|des|de|d'|[a-z]+(?:s|es)?(?=,? (?:{_NOUNS})\b))){{0,2}}"
    rf" ?(?P<noun>{_NOUNS})(?![\w])"
)

_MONTH_NAMES = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1, "february": 2, "feb": 2, "fevrier": 2,
    "fevr": 2, "march": 3, "mar": 3, "mars": 3, "april": 4, "apr": 4, "avril": 4, "may": 5,
    "mai": 5, "june": 6, "jun": 6, "juin": 6, "july": 7, "jul": 7, "juillet": 7, "juil": 7,
    "august": 8, "aug": 8, "aout": 8, "september": 9, "sep": 9, "sept": 9, "septembre": 9,
    "october": 10, "oct": 10, "octobre": 10, "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "samedi": 5, "dimanche": 6,
}  # fmt: skip
_MON = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_WD = "|".join(_WEEKDAYS)
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(rf"(?<![\w])(?P<d>[0-3]?\d)(?:er|st|nd|rd|th)? (?P<m>{_MON})\.?"
                       rf"(?:,? (?P<y>(?:19|20)\d\d))?(?![\w])")),
    ("mdy", re.compile(rf"(?<![\w])(?P<m>{_MON})\.? (?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                       rf"(?:,? (?P<y>(?:19|20)\d\d))?(?![\w])")),
    ("iso", re.compile(r"(?<![\w])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w])")),
    ("month", re.compile(rf"(?<![\w])(?:in|en|since|depuis|de|d'|fin|early|late|mid-?|debut)?"
                         rf" ?(?P<m>{_MON})(?: (?P<y>(?:19|20)\d\d))?(?![\w])")),
    ("weekday", re.compile(rf"(?<![\w])(?:(?P<last>last|dernier) )?(?P<w>{_WD})"
                           rf"(?: (?P<last2>dernier|last))?(?![\w])")),
    ("rel", re.compile(r"(?<![\w])(?P<rel>yesterday|today|hier|aujourd'hui|avant-hier|"
                       r"last week|la semaine derniere|this week|cette semaine|"
                       r"last month|le mois dernier|earlier this month|ce mois-ci|"
                       r"(?P<n>\d+|two|three|four|five|deux|trois|quatre|cinq) days ago|"
                       r"il y a (?P<n2>\d+|deux|trois|quatre|cinq) jours)(?![\w])")),
]
_SINCE = re.compile(r"(?:since|depuis|from|until|jusqu'au|jusqu'a|d'ici)\s*(?:le |the |l')?$")
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "deux": 2, "trois": 3, "quatre": 4,
          "cinq": 5}

#: (pattern, canonical actor, rank: lower is more specific). Matched on light-folded text;
#: ``{place}`` and ``{name}`` are filled from the match.
_ACTORS: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(p if "?P<kh>" in p or "?P<name>" in p else f"(?i:{p})"), name, rank)
    for p, name, rank in [
        (r"amnesty international", "Amnesty International", 0),
        (r"human rights watch", "Human Rights Watch", 0),
        (r"international justice mission|\bijm\b", "International Justice Mission", 0),
        (r"\bunodc\b", "UNODC", 0),
        (r"\biom\b|\boim\b|organisation internationale pour les migrations|"
         r"international organization for migration", "IOM", 0),
        (r"\blicadho\b", "LICADHO", 0),
        (r"\badhoc\b", "ADHOC", 0),
        (r"(?i:premier|prime) (?i:minist(?:er|re))(?P<name>(?: [A-Z][a-z]+){1,2})?",
         "Prime Minister{name}", 0),
        (r"general department of immigration|departement general de l'immigration|"
         r"direction generale de l'immigration|immigration department|"
         r"departement de l'immigration|office general de l'immigration",
         "General Department of Immigration", 1),
        (r"ministere de l'interieur|ministry of interior|interior ministry|"
         r"ministry of the interior", "Ministry of Interior", 1),
        (r"commission (?:cambodgienne )?de lutte contre les escroqueries en ligne|"
         r"commission for combating online scams|\bccos\b", "Commission for Combating Online "
         "Scams", 1),
        (r"(?:ambassade|embassy) (?:de |d'|of )(?P<place>chine|china|vietnam|viet nam|"
         r"thailande|thailand|indonesie|indonesia|coree du sud|south korea)|"
         r"(?P<adj>chinese|vietnamese|thai|indonesian|south korean|korean) embassy",
         "Embassy of {country}", 1),
        (r"(?:national police|police nationale)", "National Police", 2),
        (r"(?i:autorites (?:provinciales )?de )(?P<kh>[A-Z][a-z]+(?: [A-Z][a-z]+)?)",
         "{kh} provincial authorities", 1),
        (r"(?P<kh>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?i:provincial (?:authorities|administration|"
         r"police|hall|governor))", "{kh} provincial {what}", 1),
        (r"\bngos?\b|\bong\b", "NGOs", 4),
        (r"autorites cambodgiennes|cambodian authorities|cambodian police|police cambodgienne",
         "Cambodian authorities", 3),
        (r"autorites chinoises|chinese authorities|chinese police", "Chinese authorities", 3),
        (r"\bpolice\b", "police", 5),
    ]
]  # fmt: skip
_COUNTRY_NAMES = {"chine": "China", "china": "China", "chinese": "China", "vietnam": "Vietnam",
                  "viet nam": "Vietnam", "vietnamese": "Vietnam", "thailande": "Thailand",
                  "thailand": "Thailand", "thai": "Thailand", "indonesie": "Indonesia",
                  "indonesia": "Indonesia", "indonesian": "Indonesia",
                  "coree du sud": "South Korea", "south korea": "South Korea",
                  "south korean": "South Korea", "korean": "South Korea"}

_FR_WORDS = frozenset("le la les des est une dans du et pour que qui sur au aux ont été par "
                      "avec ces cette sont selon".split())
_EN_WORDS = frozenset("the and of to in was were is for that on with by has have said from "
                      "this their".split())


# ---------------------------------------------------------------------------------------------
# Articles and sentences
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Article:
    """One text to extract from, with what is known about it."""

    text: str
    lang: str | None = None  # "fr", "en" or None (detected)
    published: dt.date | None = None
    source: str | None = None
    source_url: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    text: str
    heading: bool


_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Capt|No|M|Mme|Mgr|etc|vs|H\.E|"
                     r"U\.S|U\.N|(?i:jan|janv|feb|f[eé]v|f[eé]vr|mar|apr|avr|aug|juil|sept?|"
                     r"oct|nov|d[eé]c))|\b[A-Z])\.$")
_SENT_END = re.compile(r"(?<=[.!?…»\"”\]])\s+(?=[«\"“(\[]?[A-ZÀ-ÖØ-Þ0-9.])"
                       r"|(?<=[។。！？])")


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs are lines; sentences end with . ! ? (not after an abbreviation), ។ or 。.

    A short line without final punctuation is a heading (it stays a sentence of its own).
    """
    out: list[Sentence] = []
    for para_no, line in enumerate(p.strip() for p in text.splitlines()):
        if not line:
            continue
        heading = len(line.split()) <= 14 and not line.endswith((".", "!", "?", "»", "。", "។"))
        start = 0
        pieces: list[str] = []
        for m in _SENT_END.finditer(line):
            candidate = line[start : m.start()].strip()
            if _ABBREV.search(candidate):
                continue
            pieces.append(candidate)
            start = m.end()
        pieces.append(line[start:].strip())
        for piece in pieces:
            if any(c.isalnum() for c in piece):  # "[...]" between quoted sentences
                out.append(Sentence(len(out), para_no, piece, heading))
    return out


def detect_language(text: str) -> str:
    """"fr" or "en", from a count of frequent short words (ties go to English)."""
    words = re.findall(r"[a-zéèàù]+", text[:20000].lower())
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr > en else "en"


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaceMention:
    """A gazetteer name found in a sentence, resolved to one entry."""

    start: int
    end: int
    text: str
    entry_id: str
    name: str
    kind: str
    country: str
    adm1_code: str | None
    precision: int

    @property
    def is_cambodia(self) -> bool:
        return self.country == "KH"


#: Among mentions of one area, the most precise wins; at equal precision, in this order.
_PLACE_ORDER = {"border_post": 0, "site": 1, "city": 2, "zone": 3, "commune": 4, "district": 5,
                "province": 6, "country": 7}


def _place_rank(p: PlaceMention) -> tuple[int, int]:
    return (p.precision, _PLACE_ORDER.get(p.kind, 9))


_TOKEN = re.compile(
    r"[\u1780-\u17ff\u19e0-\u19ff\u200b]+"  # Khmer (no spaces between words)
    r"|[\u3400-\u9fff\uf900-\ufaff]+"  # Chinese
    r"|(?:(?<![\w'’])(?:[ldjnsmtc]|qu)['’](?=\w))?[^\W_]+(?:['’][^\W_]+)*"
)
_ELISION = re.compile(r"^(?:[ldjnsmtc]|qu)['’](?=\w)", re.IGNORECASE)
_JOINERS = frozenset(" -‐‑–'’\u00a0")
_SCRIPT = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff\u3400-\u9fff\uf900-\ufaff]")
#: Words before or after a name that say it is a village, not the province of that name.
_VILLAGE = frozenset({"village", "villages", "hamlet", "phum", "hameau", "hameaux"})
_VILLAGE_BEFORE = re.compile(r"(?:village|villages|hamlet|hameau|phum)(?: de| of| d'| du)?\s*$")
#: Words after a name that make it part of an organisation's or a newspaper's name.
_ORG_AFTER = frozenset({"post", "times", "daily", "herald", "group", "holding", "holdings",
                        "bank", "company", "university", "hotel", "news", "tribune"})
_DIRECTION = re.compile(r"(?:north|south|east|west|northeast|northwest|southeast|southwest|"
                        r"nord|sud|est|ouest|nord-est|nord-ouest|sud-est|sud-ouest)"
                        r"(?:-?(?:east|west|est|ouest))? (?:of|de|du|d')\s*$")
_METONYMY = re.compile(r"(?:aupres de|a l'egard de|pressed|urged|told|asked|with|avec|entre)"
                       r"\s*$")
_KIND_WORDS: dict[str, str] = {
    "province": "province", "provincial": "province", "khaet": "province", "khet": "province",
    "district": "district", "srok": "district", "khan": "district", "commune": "commune",
    "khum": "commune", "sangkat": "commune", "city": "city", "town": "city", "ville": "city",
    "krong": "city",
}


@dataclass
class _Token:
    key: str
    start: int
    end: int
    script: bool  # a Khmer or Chinese character: matches may start and end anywhere


class PlaceIndex:
    """Every compact gazetteer key, and every prefix of one, built once per gazetteer.

    A scan walks the tokens of a sentence; at each token it extends the match one token (or,
    in Khmer and Chinese, one character) at a time while the concatenation is a prefix of a
    key, and keeps the longest full key. That is a trie walk over the names, with no loop
    over the names per sentence.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.keys: frozenset[str] = frozenset(gazetteer.names)
        prefixes: set[str] = set()
        for key in self.keys:
            prefixes.update(key[:i] for i in range(1, len(key) + 1))
        self.prefixes = frozenset(prefixes)
        self._resolved: dict[tuple[str, str | None], PlaceMention | None] = {}

    def tokens(self, text: str) -> list[_Token]:
        out: list[_Token] = []
        for m in _TOKEN.finditer(text):
            word, start = m.group(), m.start()
            if _SCRIPT.match(word):
                out.extend(_Token(c, start + i, start + i + 1, True)
                           for i, c in enumerate(word) if compact(c))
                continue
            if elision := _ELISION.match(word):
                start += elision.end()
                word = word[elision.end():]
            if word[-2:] in ("'s", "’s"):
                word = word[:-2]
            key = compact(word)
            if key:
                out.append(_Token(key, start, start + len(word), False))
        return out

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(first token, last token) of each longest match, left to right, not overlapping."""
        toks = self.tokens(text)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(toks):
            best = self._longest(text, toks, i)
            if best is None:
                i += 1
                continue
            spans.append((i, best))
            i = best + 1
        return [(toks[a].start, toks[b].end) for a, b in spans]

    def _longest(self, text: str, toks: list[_Token], i: int) -> int | None:
        key, best = "", None
        for j in range(i, len(toks)):
            if j > i and not _joined(text, toks[j - 1], toks[j]):
                break
            key += toks[j].key
            if key not in self.prefixes:
                break
            if key in self.keys:
                best = j
        return best

    def resolve(self, surface: str, kind: str | None) -> PlaceMention | None:
        """The entry a name denotes (None when the gazetteer cannot say which one)."""
        memo = (surface, kind)
        if memo not in self._resolved:
            self._resolved[memo] = self._resolve(surface, kind)
        return self._resolved[memo]

    def _resolve(self, surface: str, kind: str | None) -> PlaceMention | None:
        match = self.gazetteer.lookup(surface, kind=kind)
        if match.entry is None and kind is not None:
            match = self.gazetteer.lookup(surface)
        entry = match.entry
        if entry is None or match.status not in (Status.OK, Status.OUTSIDE):
            return None
        if "fuzzy" in match.method:
            return None
        return PlaceMention(0, 0, surface, entry.entry_id, entry.name, entry.kind,
                            entry.country, entry.adm1_code, int(match.precision or 4))


def _joined(text: str, left: _Token, right: _Token) -> bool:
    if left.script and right.script:
        return right.start == left.end
    gap = text[left.end : right.start]
    return len(gap) <= 3 and all(c in _JOINERS for c in gap)


_INDEXES: dict[int, PlaceIndex] = {}


def place_index(gazetteer: Gazetteer | None = None) -> PlaceIndex:
    """The (cached) :class:`PlaceIndex` of ``gazetteer`` (default: the project's)."""
    gaz = gazetteer or resolve_reference(None).gazetteer
    index = _INDEXES.get(id(gaz))
    if index is None or index.gazetteer is not gaz:
        index = _INDEXES[id(gaz)] = PlaceIndex(gaz)
    return index


def find_places(text: str, index: PlaceIndex) -> list[PlaceMention]:
    """Place mentions in one sentence, longest first, with look-alikes skipped.

    Skipped: a name written in lower case (Latin script) unless it names a country; a name
    next to "village"/"hamlet"/"phum" (a village sharing a province's name is not that
    province); a name followed by "Post", "Times", "Group"... (a newspaper or a company); a
    name after "north of", "au sud de"... (a reference point, not the scene) or after
    "auprès de", "urged" (the government, not the place); a commune or district named by one
    word, unless "commune", "district"... stands next to it or the sentence also names its
    province (single-word commune names are often ordinary words or people's names).
    """
    folded = light(text)
    found: list[PlaceMention] = []
    for start, end in index.scan(text):
        surface = text[start:end]
        before = folded[max(0, start - 40) : start]
        after_words = folded[end : end + 30].split()
        before_words = before.split()
        kind = _kind_hint(before_words, after_words)
        mention = index.resolve(surface, kind)
        if mention is None or _looks_like_place_only(surface, mention, before, before_words,
                                                     after_words):
            continue
        if start <= 2 and surface.isupper() and folded[end : end + 3].strip()[:1] in "-(":
            continue  # a dateline ("TÂY NINH — ..."): where the reporter filed from
        found.append(PlaceMention(start, end, surface, mention.entry_id, mention.name,
                                  mention.kind, mention.country, mention.adm1_code,
                                  mention.precision))
    provinces = {m.adm1_code for m in found if m.kind in ("province", "city")}
    return [m for m in found if not _lone_minor(m, provinces, folded)]


def _kind_hint(before: list[str], after: list[str]) -> str | None:
    for word in (*before[-2:][::-1], *after[:1]):
        word = word.strip(",.;:()")
        if word in _KIND_WORDS:
            return _KIND_WORDS[word]
    return None


def _looks_like_place_only(surface: str, mention: PlaceMention, before: str,
                           before_words: list[str], after_words: list[str]) -> bool:
    if not _SCRIPT.search(surface) and not surface[:1].isupper() and mention.kind != "country":
        return True
    first_after = after_words[0].strip(",.;:)") if after_words else ""
    if first_after in _VILLAGE or _VILLAGE_BEFORE.search(before):
        return True
    if first_after in _ORG_AFTER:
        return True
    return bool(_DIRECTION.search(before) or (mention.adm1_code == "KH-12"
                                              and _METONYMY.search(before)))


def _lone_minor(m: PlaceMention, provinces: set[str | None], folded: str) -> bool:
    if m.kind not in ("commune", "district") or " " in m.text.strip() or _SCRIPT.search(m.text):
        return False
    near = folded[max(0, m.start - 12) : m.end + 12]
    if any(w in near for w in ("commune", "district", "sangkat", "khum", "srok", "khan")):
        return False
    return m.adm1_code not in provinces


# ---------------------------------------------------------------------------------------------
# Counts, dates, nationalities, actors
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountHit:
    start: int
    end: int
    field: str  # people, women or children
    value: int
    flags: tuple[str, ...]
    nationality: str | None
    text: str
    generic: bool = True  # counted with a people noun, not a nationality ("109 Thais")


def _number(m: re.Match[str]) -> tuple[int | None, tuple[str, ...]]:
    if m["vague"]:
        return VAGUE_COUNTS[m["vague"]], ("lower_bound", "from_words")
    if m["num"]:
        digits = re.sub(r"[ ,.]", "", m["num"])
        return (int(digits) if digits.isdigit() else None), ()
    return NUMBER_WORDS.get(m["word"]), ()


def find_counts(text: str) -> list[CountHit]:
    """Counts of people, women and children: "42 ressortissants", "six femmes", "more than
    100 people", "des milliers de" (a lower bound, flagged), "109 Thais"."""
    folded = light(text)
    hits: list[CountHit] = []
    for m in _COUNT_RE.finditer(folded):
        value, flags = _number(m)
        noun = m["noun"]
        if value is None or (m["word"] in ("un", "une", "one") and noun in _DEMONYMS):
            continue
        if m["num"] and re.fullmatch(r"(?:19|20)\d\d", m["num"]) and noun not in _PEOPLE_NOUNS:
            continue
        qual = m["qual"] or ""
        if qual in _MORE:
            flags = (*flags, "lower_bound")
        elif qual in _ABOUT:
            flags = (*flags, "approximate")
        field_name = "people"
        if noun in _WOMEN_NOUNS:
            field_name = "women"
        elif noun in _CHILD_NOUNS:
            field_name = "children"
        elif noun in _PROXY_NOUNS:
            flags = (*flags, "escape_attempts")
        if noun == "men":
            continue  # "35 men and 10 women": men are a part, not the whole
        nationality = _DEMONYMS.get(noun) or _nationality_near(folded, m.end())
        hits.append(CountHit(m.start(), m.end(), field_name, value, tuple(dict.fromkeys(flags)),
                             nationality, text[m.start() : m.end()], noun not in _DEMONYMS))
    return hits


def _nationality_near(folded: str, end: int) -> str | None:
    for word in folded[end : end + 25].split()[:2]:
        word = word.strip(",.;:()")
        if word in _DEMONYMS:
            return _DEMONYMS[word]
    return None


_NATIONALITY_RE = re.compile(
    rf"(?<![\w-])(?:(?:{'|'.join(sorted(map(re.escape, _DEMONYMS), key=len, reverse=True))})"
    rf"(?: (?:{'|'.join(map(re.escape, _PEOPLE_NOUNS))}))"
    rf"|(?:{'|'.join(map(re.escape, _PEOPLE_NOUNS))}) "
    rf"(?:{'|'.join(sorted(map(re.escape, _DEMONYMS), key=len, reverse=True))}))(?![\w])"
)


def find_nationalities(text: str) -> list[str]:
    """Nationalities named next to a people noun ("ressortissants vietnamiens", "Chinese
    nationals") or counted ("109 Thais"); adjectives elsewhere ("sanctions américaines")
    are not nationalities of the people concerned."""
    folded = light(text)
    seen: list[str] = []
    for m in _NATIONALITY_RE.finditer(folded):
        for word in m.group().split():
            if word in _DEMONYMS and _DEMONYMS[word] not in seen:
                seen.append(_DEMONYMS[word])
    for hit in find_counts(text):
        if hit.nationality and hit.nationality not in seen:
            seen.append(hit.nationality)
    return seen


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    date: str  # ISO day "2026-01-12" or month "2026-01"
    end_date: str | None
    text: str
    relative: bool


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, min(day, 28)) > published + dt.timedelta(days=7):
            year -= 1
    except ValueError:
        return None
    return year


def _iso_day(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str, published: dt.date | None = None) -> list[DateHit]:
    """Dates in a sentence, absolute or relative to ``published``: "le 12 janvier",
    "January 12, 2026", "on Saturday", "last week" (a range), "en janvier" (a month).

    A date after "since"/"depuis"/"until" bounds a period rather than dating an event and
    is left out. Without ``published`` a date with no year cannot be placed and is left out.
    """
    folded = light(text)
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if _SINCE.search(folded[max(0, m.start() - 14) : m.start()]):
                taken.append(m.span())
                continue
            hit = _date_hit(kind, m, published, text)
            if hit is not None:
                hits.append(hit)
                taken.append(m.span())
    return sorted(hits, key=lambda h: h.start)


def _date_hit(kind: str, m: re.Match[str], published: dt.date | None,
              text: str) -> DateHit | None:
    span = (m.start(), m.end(), text[m.start() : m.end()])
    if kind in ("dmy", "mdy", "iso"):
        month = int(m["m"]) if kind == "iso" else _MONTH_NAMES[m["m"]]
        day = int(m["d"])
        year = int(m["y"]) if m["y"] else _year_for(month, day, published)
        iso = _iso_day(year, month, day)
        return DateHit(*span[:2], iso, None, span[2], not m["y"]) if iso else None
    if kind == "month":
        if m["m"] in ("mar", "may", "jun", "jan", "dec", "oct", "sep", "aug", "nov", "feb",
                      "apr", "jul", "sept", "mai") and not m["y"]:
            return None  # short forms alone are ordinary words too often ("mai", "may")
        month = _MONTH_NAMES[m["m"]]
        year = int(m["y"]) if m["y"] else _year_for(month, 1, published)
        if year is None:
            return None
        return DateHit(*span[:2], f"{year:04d}-{month:02d}", None, span[2], not m["y"])
    if published is None:
        return None
    if kind == "weekday":
        back = (published.weekday() - _WEEKDAYS[m["w"]]) % 7
        if back == 0 and (m["last"] or m["last2"]):
            back = 7
        day = published - dt.timedelta(days=back)
        return DateHit(*span[:2], day.isoformat(), None, span[2], True)
    return _relative(m, published, span)


def _relative(m: re.Match[str], published: dt.date, span) -> DateHit | None:
    rel = m["rel"]
    start, end = published, None
    if rel in ("yesterday", "hier"):
        start = published - dt.timedelta(days=1)
    elif rel == "avant-hier":
        start = published - dt.timedelta(days=2)
    elif rel in ("last week", "la semaine derniere"):
        monday = published - dt.timedelta(days=published.weekday() + 7)
        start, end = monday, monday + dt.timedelta(days=6)
    elif rel in ("this week", "cette semaine"):
        start, end = published - dt.timedelta(days=published.weekday()), published
    elif rel in ("last month", "le mois dernier"):
        prev = published.replace(day=1) - dt.timedelta(days=1)
        return DateHit(span[0], span[1], f"{prev.year:04d}-{prev.month:02d}", None, span[2], True)
    elif rel in ("earlier this month", "ce mois-ci"):
        return DateHit(span[0], span[1], f"{published.year:04d}-{published.month:02d}", None,
                       span[2], True)
    elif m["n"] or m["n2"]:
        n = m["n"] or m["n2"]
        start = published - dt.timedelta(days=int(n) if n.isdigit() else _SMALL[n])
    return DateHit(span[0], span[1], start.isoformat(), end.isoformat() if end else None,
                   span[2], True)


def find_actors(text: str) -> list[tuple[int, str, int]]:
    """(position, actor, rank) for the authorities and organisations a sentence names."""
    cased = text.translate(_KEEP_CASE)
    found: list[tuple[int, str, int]] = []
    for pattern, template, rank in _ACTORS:
        for m in pattern.finditer(cased):
            actor = _actor_name(template, m)
            if actor:
                found.append((m.start(), actor, rank))
    return sorted(found)


def _actor_name(template: str, m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if "{country}" in template:
        key = (groups.get("place") or groups.get("adj") or "").lower()
        return template.format(country=_COUNTRY_NAMES.get(key, key.title()))
    if "{kh}" in template:
        place = groups.get("kh") or ""
        if compact(place) not in _PROVINCE_KEYS:
            return None
        what = "police" if "police" in m.group().lower() else "authorities"
        return template.format(kh=place, what=what)
    if "{name}" in template:
        return template.format(name=groups.get("name") or "").strip()
    return template


_PROVINCE_KEYS: set[str] = set()


# ---------------------------------------------------------------------------------------------
# Events and rows
# ---------------------------------------------------------------------------------------------
@dataclass
class _Cue:
    type: str
    start: int
    end: int
    text: str
    strong: bool


@dataclass
class _Event:
    sentence: Sentence
    cue: _Cue
    places: list[PlaceMention]
    national: bool
    counts: list[CountHit]
    date: DateHit | None
    nationalities: list[str]
    actors: list[tuple[int, str, int]]


@dataclass
class _Row:
    type: str
    where: str | None  # adm1 code, "outside:<entry>", or None (not placed)
    place: PlaceMention | None = None
    sentences: list[Sentence] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    strong: bool = False
    counts: dict[str, CountHit] = field(default_factory=dict)
    date: DateHit | None = None
    nationalities: list[str] = field(default_factory=list)
    actors: list[tuple[int, str, int]] = field(default_factory=list)
    national: bool = False
    last: int = 0

    def take(self, other: _Row) -> None:
        """Fold ``other`` (an arrest told with this raid) into this row."""
        self.sentences += [s for s in other.sentences if s not in self.sentences]
        self.sentences.sort(key=lambda s: s.index)
        self.cues += [c for c in other.cues if c not in self.cues]
        self.strong = self.strong or other.strong
        for name, hit in other.counts.items():
            self.counts.setdefault(name, hit)
        self.date = self.date or other.date
        self.nationalities += [n for n in other.nationalities if n not in self.nationalities]
        self.actors += other.actors
        if self.place is None:
            self.where, self.place = other.where, other.place

    def absorb(self, event: _Event, place: PlaceMention | None) -> None:
        if event.sentence not in self.sentences:
            self.sentences.append(event.sentence)
        if event.cue.text not in self.cues:
            self.cues.append(event.cue.text)
        self.strong = self.strong or event.cue.strong
        if place is not None and (self.place is None or
                                  _place_rank(place) < _place_rank(self.place)):
            self.place = place
        for hit in event.counts:
            kept = self.counts.get(hit.field)
            if kept is None or hit.value > kept.value:
                self.counts[hit.field] = hit
        if self.date is None and event.date is not None:
            self.date = event.date
        self.nationalities += [n for n in event.nationalities if n not in self.nationalities]
        self.actors += event.actors
        self.national = self.national or event.national
        self.last = event.sentence.index


def _cues(folded: str) -> list[_Cue]:
    found: list[_Cue] = []
    for pattern, kind, strong in _CUE_PATTERNS:
        for m in pattern.finditer(folded):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            found.append(_Cue(kind, m.start(), m.end(), m.group(), strong))
    return _prune(sorted(found, key=lambda c: c.start))


def _prune(cues: list[_Cue]) -> list[_Cue]:
    """One sentence: weak cues and statements give way to strong event cues of other types
    (a weak cue that can absorb a strong one stays, see :func:`_subsume`)."""
    events = {c.type for c in cues if c.strong and c.type not in _STATEMENTS}
    strong_types = {c.type for c in cues if c.strong}
    kept = []
    for cue in cues:
        absorbs = any(t in _SUBSUMES.get(cue.type, ()) for t in strong_types)
        if not cue.strong and strong_types - {cue.type} and not absorbs:
            continue
        if cue.type in _STATEMENTS and events:
            continue
        kept.append(cue)
    return kept


#: Two cues closer than this (characters) speak of one event ("arrêter et expulser").
SUBSUME_DISTANCE = 50


def _subsume(cues: list[_Cue], counts: list[CountHit]) -> list[_Cue]:
    """A raid absorbs the arrests and rescues said with it, a deportation or an extradition
    the arrest before it: when the two cues are close and the absorbed one has no count of
    its own. The absorbing cue counts as strong when either was."""
    dropped: set[int] = set()
    promoted: set[int] = set()
    for small in cues:
        owners = [c for c in cues if small.type in _SUBSUMES.get(c.type, ())
                  and abs(c.start - small.start) <= SUBSUME_DISTANCE + len(c.text)]
        own_count = any(_owner(h.start, cues) is small for h in counts)
        if owners and not own_count:
            dropped.add(small.start)
            if small.strong:
                promoted.add(owners[0].start)
    return [_Cue(c.type, c.start, c.end, c.text, c.strong or c.start in promoted)
            for c in cues if c.start not in dropped]


def _sentence_events(sentence: Sentence, index: PlaceIndex,
                     published: dt.date | None) -> list[_Event]:
    folded = light(sentence.text)
    cues = _cues(folded)
    if not cues:
        return []
    places = find_places(sentence.text, index)
    counts = find_counts(sentence.text)
    cues = _subsume(cues, counts)
    dates = find_dates(sentence.text, published)
    nationalities = find_nationalities(sentence.text)
    actors = find_actors(sentence.text)
    national = any(p.kind == "country" and p.country == "KH" for p in places)
    scene = [p for p in places if p.kind != "country"]
    by_type: dict[str, _Cue] = {}
    for cue in cues:
        by_type.setdefault(cue.type, cue)
    chosen = list(by_type.values())
    events = []
    for cue in chosen:
        events.append(_Event(
            sentence, cue, _places_for(cue, chosen, scene), national,
            _event_counts([h for h in counts if _owner(h.start, chosen) is cue]),
            min(dates, key=lambda d: abs(d.start - cue.start), default=None),
            nationalities, actors,
        ))
    return events


def _event_counts(hits: list[CountHit]) -> list[CountHit]:
    """One count per field: the largest, except that people counted only by nationality
    ("149 Vietnamiens, trois Chinois et 85 Cambodgiens") add up."""
    out = []
    for name in ("people", "women", "children"):
        mine = [h for h in hits if h.field == name]
        if not mine:
            continue
        if name == "people" and not any(h.generic for h in mine) and len(mine) > 1:
            flags = (*tuple(dict.fromkeys(f for h in mine for f in h.flags)), "sum")
            out.append(CountHit(mine[0].start, mine[-1].end, name, sum(h.value for h in mine),
                                flags, None, "; ".join(h.text for h in mine), False))
        else:
            out.append(max(mine, key=lambda h: (h.generic, h.value)))
    return out


def _owner(pos: int, cues: Sequence[_Cue]) -> _Cue:
    """The cue a count or a place at ``pos`` belongs to: the closest one before it, else the
    first one after it ("arrested 149 Vietnamese", "215 foreigners ... were rescued")."""
    before = [c for c in cues if c.start <= pos]
    return before[-1] if before else min(cues, key=lambda c: c.start)


def _places_for(cue: _Cue, cues: list[_Cue], places: list[PlaceMention]) -> list[PlaceMention]:
    """Places go to the closest cue before them (else the first cue after them); a cue with
    places after it ignores those before it ("auprès de Phnom Penh ... disparitions ... à
    Kampot" is about Kampot)."""
    mine = [p for p in places if _owner(p.start, cues) is cue]
    after = [p for p in mine if p.start > cue.start]
    return after or mine


def _locations(event: _Event) -> list[tuple[str | None, PlaceMention | None]]:
    kh: dict[str, PlaceMention] = {}
    for p in event.places:
        if p.is_cambodia and p.adm1_code and (
            p.adm1_code not in kh or _place_rank(p) < _place_rank(kh[p.adm1_code])
        ):
            kh[p.adm1_code] = p
    if kh:
        return list(kh.items())
    foreign = [p for p in event.places if not p.is_cambodia]
    if foreign:
        best = min(foreign, key=_place_rank)
        return [(f"outside:{best.country}", best)]
    return [(None, None)]


def _merge(events: Iterable[_Event]) -> list[_Row]:
    rows: list[_Row] = []
    latest: dict[str, list[_Row]] = {}
    for event in events:
        touched: list[_Row] = []
        for where, place in _locations(event):
            touched += _place_event(rows, latest, event, where, place)
        if touched:
            latest[event.cue.type] = touched
    return _fold_subsumed(rows)


def _fold_subsumed(rows: list[_Row]) -> list[_Row]:
    """Across sentences: an arrest or rescue row about the place of a raid (or, with no
    place, told within two sentences of it) is that raid ("The raid ... 2 044 étrangers ont
    été détenus")."""
    kept = list(rows)
    for small in rows:
        first = small.sentences[0].index
        for big in sorted(rows, key=lambda r: abs(r.sentences[0].index - first)):
            if big is small or small.type not in _SUBSUMES.get(big.type, ()) or big not in kept:
                continue
            gap = abs(big.sentences[0].index - first)
            # two unplaced cues of one sentence were already weighed by _subsume
            if (small.where is not None and small.where == big.where) or (
                    small.where is None and gap <= 2 and (gap > 0 or big.where is not None)):
                big.take(small)
                kept.remove(small)
                break
    return kept


def _compatible(row: _Row, event: _Event) -> bool:
    if row.date is None or event.date is None or event.date.date == row.date.date:
        return True
    return len(row.date.date) != 10 or len(event.date.date) != 10


def _place_event(rows: list[_Row], latest: dict[str, list[_Row]], event: _Event,
                 where: str | None, place: PlaceMention | None) -> list[_Row]:
    kind, index = event.cue.type, event.sentence.index
    recent = [r for r in latest.get(kind, []) if index - r.last <= MERGE_WINDOW
              and _compatible(r, event)]
    if where is None:
        if recent:
            for row in recent:
                row.absorb(event, None)
            return recent
    else:
        same = [r for r in rows if r.type == kind and r.where == where and _compatible(r, event)]
        if same:
            same[-1].absorb(event, place)
            return [same[-1]]
        open_rows = [r for r in recent if r.where is None]
        if open_rows:
            open_rows[-1].where = where
            open_rows[-1].absorb(event, place)
            return [open_rows[-1]]
    if not event.cue.strong and where is None and event.date is None and not event.counts:
        return []
    row = _Row(kind, where)
    row.absorb(event, place)
    rows.append(row)
    return [row]


def _carry_place(rows: list[_Row], sentences: list[Sentence], index: PlaceIndex) -> None:
    """A row still without a place takes the place of the next sentence of its paragraph
    when that sentence has no cue of its own ("... fled. The site, in Takeo Province, ...")."""
    by_index = {s.index: s for s in sentences}
    for row in rows:
        if row.where is not None or not row.sentences:
            continue
        nxt = by_index.get(row.sentences[-1].index + 1)
        if nxt is None or nxt.paragraph != row.sentences[-1].paragraph or _cues(light(nxt.text)):
            continue
        kh = [p for p in find_places(nxt.text, index) if p.is_cambodia and p.adm1_code]
        if len({p.adm1_code for p in kh}) == 1:
            row.where = kh[0].adm1_code
            row.place = min(kh, key=_place_rank)
            row.sentences.append(nxt)


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------
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
    gazetteer : defaults to the shared reference data's gazetteer.

    Returns
    -------
    pandas.DataFrame
        One row per incident with :data:`DRAFT_COLUMNS`, status "draft", ordered by the
        position of the first evidence sentence.
    """
    article = text if isinstance(text, Article) else Article(
        text, lang, _as_date(published, "published"), source, source_url)
    if not isinstance(article.text, str):
        raise TypeError(f"text: expected a string, got {type(article.text).__name__}")
    index = place_index(gazetteer)
    _fill_province_keys(index.gazetteer)
    pub = article.published or _as_date(published, "published") or _published_in(article.text)
    language = article.lang or lang or detect_language(article.text)
    if language not in ("fr", "en"):
        raise ValueError(f"lang: expected 'fr' or 'en', got {language!r}")
    sentences = split_sentences(article.text)
    events = [e for s in sentences for e in _sentence_events(s, index, pub)]
    rows = _merge(events)
    _carry_place(rows, sentences, index)
    records = [_record(row, index.gazetteer, article, pub, language) for row in rows]
    frame = _typed(pd.DataFrame(records, columns=list(DRAFT_COLUMNS)))
    log.debug("extract: %d sentences, %d events, %d rows", len(sentences), len(events),
              len(frame))
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("people", "women", "children"):
        frame[column] = frame[column].astype("Int64")
    frame["confidence"] = frame["confidence"].astype("Float64")
    return frame


def _fill_province_keys(gaz: Gazetteer) -> None:
    if not _PROVINCE_KEYS:
        provinces = gaz.entries[gaz.entries["kind"] == "province"]["entry_id"]
        codes = set(provinces)
        _PROVINCE_KEYS.update(k for k, ids in gaz.names.items()
                              if any(eid in codes for eid, _ in ids))


def _record(row: _Row, gaz: Gazetteer, article: Article, pub: dt.date | None,
            lang: str) -> dict[str, Any]:
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
    actor = _best_actor(row.actors)
    evidence = " | ".join(s.text for s in row.sentences)
    first = row.sentences[0].text if row.sentences else ""
    ident = hashlib.sha1("\x1f".join([article.source_url or article.source or article.path or "",
                                      row.type, row.where or "", first]).encode()).hexdigest()
    return {
        "id": f"draft-{ident[:10]}", "date": date, "end_date": end_date, "type": row.type,
        "place": place, "province": province, "district": district, "commune": commune,
        "people": _count(row, "people"), "women": _count(row, "women"),
        "children": _count(row, "children"),
        "nationality": ", ".join(row.nationalities) or None, "actor": actor,
        "source": article.source, "source_url": _http(article.source_url),
        "notes": "; ".join(notes), "status": Status.DRAFT.value, "evidence": evidence,
        "cue": "; ".join(row.cues), "confidence": _confidence(row),
        "count_flags": "; ".join(f for f in flags if f) or None,
    }


def _where_columns(row: _Row, gaz: Gazetteer) -> tuple[str, str | None, str | None, str | None]:
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


def _count(row: _Row, name: str) -> int | None:
    hit = row.counts.get(name)
    return None if hit is None else hit.value


def _best_actor(actors: list[tuple[int, str, int]]) -> str | None:
    if not actors:
        return None
    return min(actors, key=lambda a: a[2])[1]


def _confidence(row: _Row) -> float:
    """0.35 for any cue, +0.2 for a strong one, +0.15 for a place, +0.1 for a date in the
    text, +0.1 for a count, +0.05 for a named actor; at most 0.95."""
    score = 0.35 + 0.2 * row.strong + 0.15 * (row.where is not None)
    score += 0.1 * (row.date is not None) + 0.1 * bool(row.counts) + 0.05 * bool(row.actors)
    return round(min(score, 0.95), 2)


def _http(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url) else None


_PUBLISHED = re.compile(r"(?:publie|published|mis a jour|updated)(?: le| on)?[: ]+(?P<d>.{6,40})")


def _published_in(text: str) -> dt.date | None:
    for line in text.splitlines()[:40]:
        if m := _PUBLISHED.search(light(line)):
            hits = [h for h in find_dates(m["d"]) if len(h.date) == 10]
            if hits:
                return dt.date.fromisoformat(hits[0].date)
    return None


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            hits = [h for h in find_dates(value) if len(h.date) == 10]
            if hits:
                return dt.date.fromisoformat(hits[0].date)
        raise ValueError(f"{name}: expected a date such as 2026-01-20, got {value!r}")
    raise TypeError(f"{name}: expected a date or an ISO string, got {type(value).__name__}")


def read_article(path: str | PathLike[str]) -> str:
    """The text of an article file (UTF-8, with or without a byte order mark)."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputFileError(p, "file not found") from err
    except UnicodeDecodeError as err:
        raise InputFileError(p, "not UTF-8 text") from err
    except OSError as err:
        raise InputFileError(p, err.strerror or str(err)) from err


def _article_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(p)
    return out


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
    if isinstance(paths, str | PathLike):
        paths = [paths]
    frames = []
    for path in _article_paths(paths):
        frames.append(extract(read_article(path), published=published, lang=lang,
                              source=source or path.stem, source_url=source_url,
                              gazetteer=gazetteer))
    if not frames:
        return _typed(pd.DataFrame(columns=list(DRAFT_COLUMNS)))
    return pd.concat(frames, ignore_index=True)


def write_draft(frame: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a draft table as CSV (UTF-8) or JSON (an array of objects), by extension.

    The ``status`` column holds "draft" for the reviewer. :func:`mapper.ingest.read_incidents`
    treats a ``status`` column of its input as a column of its own, kept as
    ``"status (input)"``, and computes ``status`` afresh, so a draft is read, validated,
    geocoded and mapped like any log, with the reviewer's columns kept.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError(f"out: expected a .csv or .json file, got {out.name!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    table = frame.astype(object).where(frame.notna(), None)
    for column in ("people", "women", "children"):
        table[column] = [None if v is None else int(v) for v in table[column]]
    if suffix == ".csv":
        table.to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    else:
        table.to_json(out, orient="records", force_ascii=False, indent=1)
    return out

