"""Name keys for matching place names across spellings and scripts.

* :mod:`mapper.names.romanise`: a spelling-tolerant key for Latin-script Khmer place names;
* :mod:`mapper.names.khmer`: Khmer-script normalisation, prefix stripping and a rule-based
  transliteration to Latin, so a Khmer name's key can meet a Latin one's.
"""

from mapper.names.romanise import key, strip_generic

__all__ = ["key", "strip_generic"]
