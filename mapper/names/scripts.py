"""A bridge from Korean, Japanese, Thai and Chinese spellings of Khmer names to Latin.

Reporting in those languages writes Cambodian names by ear, each outlet its own way: 캄폿 and
캄포트 (Kampot), プレアヴィヘア and プレアヴィヒア (Preah Vihear), ก็อมป็วงทม and กำปงธม
(Kampong Thom). :func:`latin` reads them phonetically (Korean syllables by the Revised
Romanisation with their final consonants, kana and Thai by anyascii) and drops the vowels
those scripts must add to write a closing consonant (the 으 of 트, the ウ of プ), so that the
romanisation key (:mod:`mapper.names.romanise`) of the result can meet the key of the Latin
name, exactly or fuzzily.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from mapper.names import romanise

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Revised Romanisation of the jamo, with final consonants as they sound before a pause.
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_EU = 18  # ㅡ, the vowel Korean adds to write a closing consonant (트 = t)
_CONSONANT_VOWEL = re.compile(r"(?<=[bcdfghjklmnprstvz])u(?=[bcdfghjklmnprstvz]|$)")
# ト and ド write a t or d with no vowel: in a cluster (トラペン, Trapeang) and closing a
# syllable (カンポット, Kampot), but not opening a word before another consonant (ドムデック,
# Dam Daek).
_FINAL_O = re.compile(r"(?<=[td])o(?=[rl])|(?<=[a-z][td])o(?=[bcdfghjkmnpstvz]|$)")
# A nasal before p: written ン or n in kana and Thai, m or ng in romanisations (Kampong,
# コンポン "konpon"): one sound for the bridge. Not before b, which kana also writes for v
# (アンロンベン, Anlong Veng), nor in Korean, which hears it (남부 is "south", not Nang Buor).
_N_LABIAL = re.compile(r"n(?=p)")
_SMALL_TSU = re.compile(r"[ッっ](.)")
_MERGE = str.maketrans({"v": "b", "w": "b", "l": "r"})
# Khmer closes words on unreleased stops, which writers by ear hear as any of k, t and ch
# (Kampong Trach: 캄퐁트락, "trak").
_FINAL_STOP = re.compile(r"[ckt]$")
_HAN_CONVENTIONS = {"磅": "kampong ", "斯": "s", "特": "t", "格": "k", "普": "p"}
_HAN_PLAIN = {"b": "p", "d": "t", "g": "k"}
# Thai writes these vowels before the consonant they follow in speech (เปต = pet).
_THAI_LEADING = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")
# เ-ีย is the diphthong ia, which Khmer romanisations write ie or ea (เสียมเรียบ, Siem
# Reap): read letter by letter it became "eiy" and met nothing.
_THAI_IA = re.compile(r"\u0e40([\u0e01-\u0e2e]{1,2})\u0e35[\u0e48-\u0e4b]?\u0e22")


def has_bridge(text: str) -> bool:
    """Whether ``text`` is written in a script this module reads."""
    return bool(_HANGUL.search(text) or _KANA.search(text) or _THAI.search(text)
                or _HAN.search(text))


def latin(text: str) -> str:
    """A phonetic Latin reading of ``text`` (other characters pass through anyascii)."""
    if _HANGUL.search(text):
        # ㄹㄹ is one l ("께일라", Keila)
        text = _HANGUL.sub(lambda m: _hangul(m.group()), text).replace("lr", "l")
    if _KANA.search(text):
        text = _kana(text)
    if _THAI.search(text):
        text = _THAI_LEADING.sub(r"\2\1", _THAI_IA.sub(r"\1ie", text))
    if _HAN.search(text):
        text = _HAN.sub(lambda m: _han(m.group()), text)
    return anyascii(text).lower()


def key(text: str) -> str:
    """The bridge key of ``text``: :func:`merged` of the romanisation key of :func:`latin`
    (j read as ch)."""
    return merged(romanise.key(latin(text).replace("j", "ch")))


def merged(roman_key: str) -> str:
    """A romanisation key with the sounds Korean, Japanese and Thai writers do not tell
    apart merged: v and w with b, l with r, n with m before p, final k, t and c as one,
    and a final h or s dropped ("Phnom Penh", "Banteay Meas": 반테이미어)."""
    key = _N_LABIAL.sub("m", roman_key.translate(_MERGE))
    return _FINAL_STOP.sub("t", key.removesuffix("h").removesuffix("s"))


def _hangul(syllable: str) -> str:
    code = ord(syllable) - 0xAC00
    initial, vowel, final = code // 588, (code % 588) // 28, code % 28
    if vowel == _EU and final == 0 and initial != 11:
        return _INITIALS[initial]  # 트 -> t, 프 -> p: a consonant closing the word before
    return _INITIALS[initial] + _VOWELS[vowel] + _FINALS[final]


def _han(character: str) -> str:
    """One Chinese character read as Chinese transcriptions of Khmer names use it: 磅 is
    always Kampong; 斯, 特, 格 and 普 write the first consonant of a cluster (斯登 Stung,
    特本 Tbong, 格罗 Kroch, 普列 Prek); pinyin b, d and g are Khmer's plain p, t and k
    (甘丹 "gandan", Kandal)."""
    if character in _HAN_CONVENTIONS:
        return _HAN_CONVENTIONS[character]
    reading = anyascii(character).lower()
    return _HAN_PLAIN.get(reading[:1], reading[:1]) + reading[1:] + " "


def _kana(text: str) -> str:
    # A vowel before ッ opens a real syllable, never a cluster's added u: the "|" keeps it
    # ("コンポンプルック", Kampong Phluk: pu-ruk, not pu-rk).
    text = _SMALL_TSU.sub(r"|\1", text).replace("ー", "").replace("・", " ")
    reading = anyascii(text).lower()
    reading = _CONSONANT_VOWEL.sub("", reading).replace("|", "")  # プノンペン: pnonpen
    return _FINAL_O.sub("", reading)  # カンポット: kanpotto -> kanpot; not ドムデック
