"""Tables for the Khmer -> Latin transliteration (UNGEGN-like, diacritics dropped).

Values follow the UNGEGN/BGN-PCGN romanisation used by the national gazetteer: "â"/"ô" are
written "a"/"o", "é"/"ê" "e"/"ae", "œ" "oe", "ĕ"/"ĭ"/"ŭ" "e"/"i"/"u".
"""

from __future__ import annotations

#: Consonant -> (initial romanisation, series: 1 = "a" series, 2 = "o" series).
CONSONANTS: dict[str, tuple[str, int]] = {
    "ក": ("k", 1),
    "ខ": ("kh", 1),
    "គ": ("k", 2),
    "ឃ": ("kh", 2),
    "ង": ("ng", 2),
    "ច": ("ch", 1),
    "ឆ": ("chh", 1),
    "ជ": ("ch", 2),
    "ឈ": ("chh", 2),
    "ញ": ("nh", 2),
    "ដ": ("d", 1),
    "ឋ": ("th", 1),
    "ឌ": ("d", 2),
    "ឍ": ("th", 2),
    "ណ": ("n", 1),
    "ត": ("t", 1),
    "ថ": ("th", 1),
    "ទ": ("t", 2),
    "ធ": ("th", 2),
    "ន": ("n", 2),
    "ប": ("b", 1),
    "ផ": ("ph", 1),
    "ព": ("p", 2),
    "ភ": ("ph", 2),
    "ម": ("m", 2),
    "យ": ("y", 2),
    "រ": ("r", 2),
    "ល": ("l", 2),
    "វ": ("v", 2),
    "ឝ": ("s", 1),
    "ឞ": ("s", 1),
    "ស": ("s", 1),
    "ហ": ("h", 1),
    "ឡ": ("l", 1),
    "អ": ("", 1),
}

#: Second-series consonants that do not pass their series on to a cluster (ស្វ stays 1st).
SONORANTS = set("ងញនមយរលវ")

#: Consonant closing a syllable -> its romanisation.
FINALS: dict[str, str] = {
    "ក": "k",
    "ខ": "k",
    "គ": "k",
    "ឃ": "k",
    "ង": "ng",
    "ច": "ch",
    "ឆ": "ch",
    "ជ": "ch",
    "ឈ": "ch",
    "ញ": "nh",
    "ដ": "t",
    "ឋ": "t",
    "ឌ": "t",
    "ឍ": "t",
    "ណ": "n",
    "ត": "t",
    "ថ": "t",
    "ទ": "t",
    "ធ": "t",
    "ន": "n",
    "ប": "b",
    "ផ": "p",
    "ព": "p",
    "ភ": "p",
    "ម": "m",
    "យ": "y",
    "រ": "r",
    "ល": "l",
    "វ": "v",
    "ស": "s",
    "ហ": "h",
    "ឡ": "l",
}

#: Inherent vowel: (1st open, 2nd open, 1st closed, 2nd closed).
INHERENT = ("a", "o", "a", "o")

#: Dependent vowel (with signs) -> (1st series, 2nd series).
VOWELS: dict[str, tuple[str, str]] = {
    "ា": ("a", "ea"),
    "ិ": ("e", "i"),
    "ី": ("ei", "i"),
    "ឹ": ("oe", "ue"),
    "ឺ": ("eu", "ue"),
    "ុ": ("o", "u"),
    "ូ": ("ou", "u"),
    "ួ": ("uo", "uo"),
    "ើ": ("aeu", "eu"),
    "ឿ": ("oea", "oea"),
    "ៀ": ("ie", "ie"),
    "េ": ("e", "e"),
    "ែ": ("ae", "ae"),
    "ៃ": ("ai", "ey"),
    "ោ": ("ao", "ou"),
    "ៅ": ("au", "ov"),
    "ំ": ("am", "um"),
    "ុំ": ("om", "um"),
    "ាំ": ("am", "oam"),
    "ះ": ("ah", "eah"),
    "ុះ": ("oh", "uh"),
    "េះ": ("eh", "eh"),
    "ោះ": ("aoh", "uoh"),
    "ិះ": ("eh", "ih"),
    "ែះ": ("aeh", "aeh"),
    "ាះ": ("ah", "eah"),
    "ៈ": ("a", "ea"),
    "័": ("a", "a"),
    "ា់": ("a", "oa"),
    "ិំ": ("em", "im"),
    "ុ៎": ("o", "u"),
    "ៀះ": ("ieh", "ieh"),
}

#: Independent vowel letter -> romanisation.
INDEPENDENT: dict[str, str] = {
    "ឥ": "e",
    "ឦ": "ei",
    "ឧ": "o",
    "ឨ": "ou",
    "ឩ": "ou",
    "ឪ": "ov",
    "ឫ": "rue",
    "ឬ": "rue",
    "ឭ": "lue",
    "ឮ": "lue",
    "ឯ": "ae",
    "ឰ": "ai",
    "ឱ": "ao",
    "ឲ": "ao",
    "ឳ": "au",
    "ឣ": "a",
    "ឤ": "a",
}
