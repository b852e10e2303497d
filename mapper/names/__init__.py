"""Name keys for matching place names across spellings and scripts.

* :mod:`mapper.names.words`: type words around a name ("province de", "srok", "省", "ខេត្ត"),
  hints of kind that are never part of the name;
* :mod:`mapper.names.romanise`: a spelling-tolerant key for Latin-script Khmer place names;
* :mod:`mapper.names.khmer`: Khmer-script normalisation and a rule-based transliteration to
  Latin, so a Khmer name's key can meet a Latin one's.
"""
