"""One lookup over Cambodia's admin units, its villages and towns, curated places and sites,
and their names in every spelling and script.

Parts: :mod:`.build` (entries from a :class:`~mapper.reference.Reference`), :mod:`.index`
(names under their exact and romanisation keys), :mod:`.mentions` (the names inside a
query), :mod:`.lookup` (choosing, or saying why not), :mod:`.kinds`, :mod:`.cache` (the
compiled gazetteer kept in the user cache) and :mod:`.check` (the curated tables' checks).
"""

from mapper.gazetteer.build import build_gazetteer
from mapper.gazetteer.check import check_places
from mapper.gazetteer.kinds import ADMIN_KINDS, KIND_PRECISION, PLACE_KINDS
from mapper.gazetteer.lookup import Candidate, Gazetteer, Match

__all__ = ["ADMIN_KINDS", "KIND_PRECISION", "PLACE_KINDS", "Candidate", "Gazetteer", "Match",
           "build_gazetteer", "check_places"]
