"""The numbers that tune :mod:`mapper.extract`, in one place (words live in lexicon.toml).

Distances are in sentences or in characters of a sentence, as named.
"""

from __future__ import annotations

# -- merging mentions into rows (merge.py) ---------------------------------------------------
# How many sentences apart two mentions may be and still merge: mapper.settings.merge_window.
#: An unplaced arrest or rescue told within this many sentences of a raid is that raid.
SUBSUME_SENTENCES = 2

# -- triggers (triggers.py) ------------------------------------------------------------------
#: Two triggers closer than this (characters) speak of one event ("arrêter et expulser").
SUBSUME_DISTANCE = 50

# -- arguments (places.py, arguments.py) -----------------------------------------------------
#: Characters before and after a place name read for "village", "north of", "Post"...
PLACE_CONTEXT_BEFORE = 40
PLACE_CONTEXT_AFTER = 30
#: Characters either side of a one-word commune or district name read for "commune"...
UNIT_WORD_CONTEXT = 12
#: Characters after a count read for a nationality ("42 ressortissants vietnamiens").
NATIONALITY_AFTER = 25
#: Characters before a date read for "since", "depuis", "until"... (a period's bound).
DATE_BOUND_BEFORE = 14
#: A date without a year more than this many days after publication is last year's.
FUTURE_DAYS = 7

# -- sentences and articles (sentences.py, extractor.py) -------------------------------------
#: A line of at most this many words without final punctuation is a heading.
HEADING_MAX_WORDS = 14
#: Characters of an article read to tell French from English.
LANGUAGE_SAMPLE_CHARS = 20000
#: Lines at the top of an article searched for a "Publié le ..." line.
PUBLISHED_LINES = 40
#: Text files read from a folder.
ARTICLE_SUFFIXES = (".txt", ".md", ".text")

# -- confidence of a draft row (draft.py) ----------------------------------------------------
#: Any trigger; then added for a strong trigger, a place, a date in the text, a count and a
#: named actor; never above CONFIDENCE_MAX.
CONFIDENCE_BASE = 0.35
CONFIDENCE_STRONG = 0.2
CONFIDENCE_PLACE = 0.15
CONFIDENCE_DATE = 0.1
CONFIDENCE_COUNT = 0.1
CONFIDENCE_ACTOR = 0.05
CONFIDENCE_MAX = 0.95
