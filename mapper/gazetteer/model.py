"""What the lookup answers with: candidates, matches, and readings of a query's names."""

from __future__ import annotations

from dataclasses import dataclass, field

from mapper.gazetteer.mentions import Mention
from mapper.schema import GeoPrecision, Status


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry offered for a query."""

    entry_id: str
    name: str
    kind: str
    country: str
    adm1_code: str | None
    score: float
    precision: int = int(GeoPrecision.PLACE)
    lat: float | None = None
    lon: float | None = None
    #: The province (``KH-n``), ``abroad:XX`` for a place abroad, None for a country.
    area: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        area = (None if self.kind == "country" else self.adm1_code if self.country == "KH"
                else f"abroad:{self.country}")
        object.__setattr__(self, "area", area)

    def describe(self) -> str:
        where = self.adm1_code or self.country
        return f"{self.name} ({self.kind}, {where}, score {self.score:.0f})"


@dataclass(frozen=True)
class Match:
    """The answer to one query: a status, the chosen entry (if any) and the alternatives."""

    query: str
    status: Status
    method: str
    entry: Candidate | None = None
    precision: int | None = None
    candidates: tuple[Candidate, ...] = ()
    message: str = ""


@dataclass
class _Reading:
    """A mention with its candidates."""

    mention: Mention
    cands: list[Candidate]
    flagged: bool = False

    @property
    def areas(self) -> set[str | None]:
        if self._areas is None or self._areas[0] is not self.cands:
            self._areas = (self.cands, {c.area for c in self.cands})
        return self._areas[1]

    _areas: tuple | None = None


