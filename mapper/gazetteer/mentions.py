"""Finding the place names inside a query string.

A query is cut into parts at commas, brackets and "in"/"à"/"dans" ("Bokor, Kampot",
"X (Y)", "Steung Hav port in Sihanoukville"). Each part is matched whole first (with its type
words removed); failing that, it is scanned for the longest known names inside it: word
n-grams in scripts with spaces, substrings in scripts without ("柬埔寨西哈努克省",
"จังหวัดพระตะบอง"). Type words next to a name hint at its kind; words that are neither are
kept as ``leftover``, so the caller can say the place was only placed near what was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mapper.gazetteer.index import MIN_LOOKUP, NameIndex, bridge_key, script_key
from mapper.gazetteer.kinds import STRICT_HINTS
from mapper.names import khmer, scripts, words
from mapper.text import fold

#: Longest name scanned for, in words (spaced scripts) and in characters (others).
MAX_WORDS = 7
MAX_CHARS = 24
_ELISION = re.compile(r"\b(?:d|l|qu)['’]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
# Parts: punctuation and "in"-like words; "and"-like words make a list of several places.
_SPLIT = re.compile(r"\s*(?:[,;/()\[\]|、，（）:]|\s(?:a|in|at|dans|en|au|tai|di|o)\s)\s*")
_LIST = re.compile(r"\s*(?:&|\u00b7|\s(?:and|et|va|dan|y|und|or|ou|hoac|atau)\s"
                   r"|(?<=[州省県郡市区])(?:と|及|与|和)|및|และ)\s*")
_NEAR = re.compile(r"^(?:near|nearby|close to|outside|around|pres de|pres du|pres des|pres d|"
                   r"proche de|aux abords de|autour de|aux environs de|vers|gan|dekat)\s+")
# Thai press abbreviates the admin words: จ. province, อ. district, ต. commune (tambon).
_THAI_ADMIN = {"จ": "จังหวัด", "อ": "อำเภอ", "ต": "ตำบล"}
_THAI_ABBREVIATION = re.compile(r"(?<![\u0e00-\u0e7f])([จอต])\.\s*(?=[\u0e00-\u0e7f])")
# Malay, Indonesian and Cambodian English writers shorten Kampong to Kg. or Kpg. ("Kg Cham",
# "Kpg. Speu"); after a number it stays kilograms.
_KAMPONG_ABBREVIATION = re.compile(r"(?<!\d)(?<!\d\s)\b(?:kg|kpg)\.?\s*(?=[^\W\d_])",
                                   re.IGNORECASE)
# A Korean particle written after a bracketed gloss belongs to the word before it:
# "캄퐁플럭(Kampong Plouk)이란 마을" is "the village called Kampong Phluk", not Iran (이란).
_KOREAN_PARTICLE_AFTER_BRACKET = re.compile(
    r"\)(?:이란|이라는|이라고|라는|란|은|는|이|가|을|를|의|에서|에|으로|로|와|과|도)(?![\uac00-\ud7a3])")
#: Characters of scripts written without spaces between words.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
                       r"\uf900-\ufaff]")
# Type words that say the words beside them are a place's name (not "near", "area", "the").
_NAMING_HINTS = {"province", "district", "city"}
_KHMER_DEPENDENT = re.compile(r"[\u17b6-\u17d3]")
# Kana and Hangul runs are words: a name is not read out of the middle of one ("カンチャン"
# does not hold "チャン"). Chinese and Thai write words together, so they are scanned freely.
_RUN = re.compile(r"[\u30a0-\u30ff\uac00-\ud7af]")
_RUNS = re.compile(r"[\u30a0-\u30ff]+|[\uac00-\ud7af]+|[^\u30a0-\u30ff\uac00-\ud7af]+")
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
_RUNS_ONLY = re.compile(r"[\u30a0-\u30ff\uac00-\ud7af]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass
class Mention:
    """A name found in the query: the entries it may denote and how it was found."""

    text: str
    ids: list[tuple[str, bool]]
    method: str
    hint: str | None = None
    near: bool = False
    whole: bool = True  # the whole part, not a name scanned out of a longer phrase
    # The hint comes from a word inside the name itself ("Tinh Bien", "Krong Preah Sihanouk"):
    # it prefers the entries it fits but rules none out.
    loose_hint: bool = False
    # An unknown word touches the name ("Samraong Snao", "Andoung Treang"): the phrase may
    # be another place whose name holds this one.
    touched: bool = False
    # Any word that named nothing stands next to it ("Wat Phnom Yat"): a landmark's name so
    # found is likely part of another landmark's.
    beside_unknown: bool = False
    span: tuple[int, int, int] | None = None  # (part, first word, last word + 1) if scanned


@dataclass
class Parsed:
    """The mentions of a query, in order, and the words that named nothing known."""

    mentions: list[Mention] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # kinds named by type words on their own
    listed: bool = False  # the query lists places ("Kep and Kampot"), not one address
    # names that no entry of the kind their type word says bears, and that kind
    ruled_out: dict[str, str | None] = field(default_factory=dict)
    # words a province, district or town word marks as a name, that named nothing as written
    # ("Siem Rea" in "... in Siem Rea province"): a near spelling is tried on them alone
    hinted: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def normalise_query(text: str) -> str:
    """Folded query: elisions and possessives off ("d'O'Smach", "Sihanoukville's"), the
    middle dot of Korean lists read as "and", Thai abbreviations of admin words written out
    ("อ.โอดัวร์": อำเภอ, district), Kg./Kpg. as Kampong, a Korean particle after a bracket
    dropped."""
    text = _POSSESSIVE.sub("", _ELISION.sub("", str(text))).replace("\u00b7", " and ")
    if "." in text:
        text = _THAI_ABBREVIATION.sub(lambda m: _THAI_ADMIN[m.group(1)], text)
    if "g" in text or "G" in text:
        text = _KAMPONG_ABBREVIATION.sub("Kampong ", text)
    if ")" in text:
        text = _KOREAN_PARTICLE_AFTER_BRACKET.sub(")", text)
    folded = fold(text)
    return khmer.normalise(folded) if khmer.is_khmer(folded) else folded


def parse(text: str, index: NameIndex) -> Parsed:
    """The names known to ``index`` in ``text`` (see the module docstring)."""
    parsed = Parsed()
    query = normalise_query(text)
    items = _LIST.split(query)
    parsed.listed = len(items) > 1
    for number, piece in enumerate(p for item in items for p in _SPLIT.split(item)):
        near = bool(_NEAR.match(piece))
        piece = _NEAR.sub("", piece).strip()
        if piece:
            _parse_piece(piece, index, near, parsed, number)
    return parsed


def _parse_piece(piece: str, index: NameIndex, near: bool, parsed: Parsed,
                 number: int = 0) -> None:
    whole = index.exact.get(piece.replace(" ", ""))  # the piece is folded already
    core, hint = words.strip(piece)
    if whole:  # a name that holds a type word ("Phnum Srok", "Tinh Bien") stays whole,
        # and its type word still says which of its bearers is meant ("Krong Preah Sihanouk")
        parsed.mentions.append(Mention(piece, whole, "gazetteer_exact", hint=hint, near=near,
                                       loose_hint=True))
        return
    if not core or words.is_type_word(core):  # a type word alone names nothing
        if hint:
            parsed.hints.append(hint)
        return
    if len(core.replace(" ", "")) <= 2 and core.isascii():
        # one or two letters left between type words are no name: "Ho Lu International
        # Border Gate" (Hoa Lu, misspelt) is not the village of Lu
        parsed.leftover.append(core)
        return
    found = index.find(core, hinted=hint in STRICT_HINTS)
    if found:
        parsed.mentions.append(Mention(core, *found, hint=hint, near=near))
        return
    if hint in _NAMING_HINTS and not _UNSPACED.search(core):
        parsed.hinted.append((core, hint))
    if _UNSPACED.search(piece):
        _scan_unspaced(piece, index, near, parsed)
    else:
        _scan_words(piece, index, near, parsed, number)


def _scan_words(piece: str, index: NameIndex, near: bool, parsed: Parsed,
                number: int = 0) -> None:
    """Longest known names, left to right; then each one's type word (its own, else the
    one just after it, else a free one just before) and whether an unknown word touches it."""
    tokens = piece.split(" ")
    spans: list[tuple[int, int, tuple]] = []
    unknown: set[int] = set()
    i = 0
    while i < len(tokens):
        skip = _type_phrase(tokens, i)
        if skip:  # "thanh pho", "the border town of": never the start of a name
            i += skip
            continue
        end, found = _longest_words(tokens, i, index)
        if found is None:
            unknown.add(i)
            i += 1
            continue
        spans.append((i, end, found))
        i = end
    parsed.leftover.extend(tokens[k] for k in sorted(unknown))
    taken = {k for start, end, _ in spans for k in range(start, end)}
    for start, end, found in spans:
        span = " ".join(tokens[start:end])
        hint = words.strip(span)[1] or _word_hint(tokens, start, end, taken)
        # A word of another place name touches it ("Samraong Snao"); an ordinary word
        # ("memasuki Poipet", "museum") does not.
        touched = any(k in unknown and tokens[k] in index.name_words for k in (start - 1, end))
        parsed.mentions.append(Mention(span, *found, hint=hint, near=near, whole=False,
                                       touched=touched, span=(number, start, end),
                                       beside_unknown=bool({start - 1, end} & unknown)))


def _type_phrase(tokens: list[str], i: int) -> int:
    """How many tokens from ``i`` on form a type word (0 if none)."""
    for size in range(min(5, len(tokens) - i), 0, -1):
        if words.is_type_word(" ".join(tokens[i:i + size])):
            return size
    return 0


def _longest_words(tokens: list[str], i: int, index: NameIndex):
    """The end and entries of the longest known name starting at token ``i``."""
    for end in range(min(len(tokens), i + MAX_WORDS), i, -1):
        span = " ".join(tokens[i:end])
        if words.is_type_word(span) or (end - i > 1 and words.is_type_word(tokens[end - 1])):
            continue  # a name does not end on a joining word ("Kampot sont")
        # One short word is too often a common word that happens to name a hamlet.
        if end - i == 1 and len(span) < 4:
            continue
        found = index.find(span)
        # A single word met only by its lossy key is too often an ordinary word ("market").
        if found and (found[1] == "gazetteer_exact" or end - i >= 2):
            return end, found
    return i, None


def _word_hint(tokens: list[str], start: int, end: int, taken: set[int]) -> str | None:
    """The kind named by the type word just after a span, else just before it unless that
    word follows another name ("Preah Sihanouk province Prey Nop": "province" is not Prey
    Nop's)."""
    latin = words.type_words()["latin"] | words.type_words()["romanised"]
    for size in (3, 2, 1):
        if latin.get(" ".join(tokens[end:end + size])):
            return latin[" ".join(tokens[end:end + size])]
    for size in (3, 2, 1):
        if start - size - 1 in taken:
            continue
        phrase = " ".join(tokens[max(0, start - size):start])
        if latin.get(phrase):
            return latin[phrase]
    return None


def _scan_unspaced(piece: str, index: NameIndex, near: bool, parsed: Parsed) -> None:
    """Words between spaces first ("ឃុំX ស្រុកY ខេត្តZ"), each whole or by its key; then the
    runs of one script inside a word (a katakana or Hangul run is a word: "カンボジア南東部
    スバイリエン州"); Chinese, Thai and Khmer characters are scanned for the longest names."""
    tokens = piece.split(" ")
    unknown: set[int] = set()
    found_in: list[tuple[Mention, int, int]] = []  # each mention and the tokens it spans
    i = 0
    while i < len(tokens):
        first, leftover = len(parsed.mentions), len(parsed.leftover)
        # Korean writes a name's words apart ("반떼이 민쩨이주"): try them joined first.
        for size in range(min(3, len(tokens) - i), 1, -1):
            if _word("".join(tokens[i:i + size]), index, near, parsed, quiet=True):
                break
        else:
            size = 1
            if not _word(tokens[i], index, near, parsed):
                _scan_runs(tokens[i], index, near, parsed)
                unknown.add(i)
            elif len(parsed.leftover) > leftover:
                unknown.add(i)
        found_in += [(m, i, i + size) for m in parsed.mentions[first:]]
        i += size
    if len(tokens) > 1 and unknown:
        # a word of this part named nothing whole: what was found may be a word of its name
        for mention, start, end in found_in:
            mention.whole = False
            mention.touched = any(_may_be_name_word(tokens[k], index)
                                  for k in unknown & {start - 1, start, end})


def _may_be_name_word(token: str, index: NameIndex) -> bool:
    """Whether a word that named nothing may still be a word of a place's name: any word but
    one in Hangul or katakana that sounds like no word of a name ("온라인", online)."""
    if not _RUNS_ONLY.fullmatch(token):
        return True
    core = words.strip(token)[0]
    return bool(core) and scripts.key(core) in index.name_word_keys


def _scan_runs(token: str, index: NameIndex, near: bool, parsed: Parsed) -> None:
    """The katakana and Hangul runs of a word, each a name or not, with the type word
    written just after or before it ("マライ郡": Malai, a district); other runs are scanned
    character by character."""
    for run in _RUNS.finditer(token):
        text = run.group()
        hint = _affix_hint(token[:run.start()], token[run.end():])
        if not (_RUN.match(text) and _word(text, index, near, parsed, hint=hint)):
            _scan_chars(text, index, near, parsed)


def _word(token: str, index: NameIndex, near: bool, parsed: Parsed,
          quiet: bool = False, hint: str | None = None) -> bool:
    """Find ``token`` whole (its type words aside) or by its keys; say whether it was
    (``quiet``: a type word or particle alone does not count as found; ``hint``: the kind
    a type word beside it names)."""
    core, own_hint = words.strip(token)
    hint = own_hint or hint
    if not core or words.is_type_word(core) or _HIRAGANA.fullmatch(core):
        return not quiet  # nothing to place: a type word, a particle
    found = index.find(core, hinted=hint in STRICT_HINTS)
    if found:
        parsed.mentions.append(Mention(core, *found, hint=hint, near=near))
    return found is not None


def _scan_chars(text: str, index: NameIndex, near: bool, parsed: Parsed) -> None:
    i, gap_start = 0, 0
    while i < len(text):
        end, found = _longest_chars(text, i, index)
        if found is None:
            i += 1
            continue
        _keep_leftover(text[gap_start:i], parsed)
        hint = _affix_hint(text[:i], text[end:])
        parsed.mentions.append(Mention(text[i:end], *found, hint=hint, near=near, whole=False))
        i = gap_start = end
    _keep_leftover(text[gap_start:], parsed)


def _longest_chars(text: str, i: int, index: NameIndex):
    if _KHMER_DEPENDENT.match(text[i]) or text[i] == khmer.COENG:
        return i, None  # a Khmer name starts on a consonant or an independent vowel
    if i > 0 and _RUN.match(text[i]) and _RUN.match(text[i - 1]):
        return i, None
    for end in range(min(len(text), i + MAX_CHARS), i + 1, -1):
        if end < len(text) and (_KHMER_DEPENDENT.match(text[end]) or text[end] == khmer.COENG):
            continue  # and does not stop inside a syllable
        if end < len(text) and _RUN.match(text[end]) and _RUN.match(text[end - 1]) \
                and not _starts_affix(text[end:]):
            continue
        hits = index.exact.get(text[i:end])
        if hits and not words.is_type_word(text[i:end]):
            return end, (hits, "gazetteer_exact")
    if _HAN.match(text[i]):  # 奧多棉吉 meets 奥多棉吉: one reading for both scripts
        for end in range(min(len(text), i + MAX_CHARS), i + 2, -1):  # three characters or more
            key = script_key(text[i:end])
            if len(key) >= MIN_LOOKUP["script"] and key in index.script:
                return end, ([(e, False) for e in index.script[key]], "gazetteer_romanised")
        return _by_ear_before_suffix(text, i, index)
    if _RUN.match(text[i]):
        return _by_ear_before_suffix(text, i, index)
    return i, None


def _by_ear_before_suffix(text: str, i: int, index: NameIndex):
    """A name read by ear just before a type word: Chinese characters before an admin word
    ("安隆汶縣": Anlong Veng, which no table lists in Chinese), a Hangul or katakana run
    before any type word ("깜폿지방검찰청": Kampot, then "provincial prosecutor's office")."""
    han = _HAN.match(text[i])
    for end in range(min(len(text), i + MAX_CHARS), i + 1, -1):
        word = text[i:end]
        if han and not (_HAN_WORD.fullmatch(word)
                        and _affix_hint("", text[end:]) in STRICT_HINTS):
            continue
        if not han and not (_RUNS_ONLY.fullmatch(word) and _starts_affix(text[end:])):
            continue
        key = bridge_key(word)
        if len(key) >= MIN_LOOKUP["bridge"] and key in index.bridge:
            return end, ([(e, False) for e in index.bridge[key]], "gazetteer_romanised")
    return i, None


def _starts_affix(text: str) -> bool:
    return any(text.startswith(word) for word, _ in words.suffixes())


def _affix_hint(before: str, after: str) -> str | None:
    """The kind named by a type word written just after a name or just before it."""
    for word, kind in words.suffixes():
        if kind and after.startswith(word):
            return kind
    for word, kind in words.prefixes():
        if kind and before.endswith(word):
            return kind
    return None


def _keep_leftover(gap: str, parsed: Parsed) -> None:
    """Keep a gap that names nothing known, type words and all (they still hint at what
    it is when it is matched fuzzily)."""
    core = words.strip(gap)[0] if gap else ""
    if core and not words.is_type_word(core) and not _only_affixes(core):
        parsed.leftover.append(gap)


def _only_affixes(text: str) -> bool:
    """Whether ``text`` is nothing but type words of scripts without spaces ("省市")."""
    affixes = [w for w, _ in (*words.prefixes(), *words.suffixes())]
    while text:
        word = next((w for w in affixes if text.startswith(w)), None)
        if word is None:
            return False
        text = text[len(word):]
    return True
