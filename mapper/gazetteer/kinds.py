"""Kinds of gazetteer entries, the precision each gives, and how they rank."""

from mapper.schema import GeoPrecision

#: Curated places (mapper/data/places.csv and sites.csv).
PLACE_KINDS = ("border_post", "site", "zone", "city")
ADMIN_KINDS = ("country", "province", "district", "commune")
#: Lakes, rivers, ranges and roads that run through several provinces (mapper/data/
#: features.csv): one entry per province, so the name alone is ambiguous and "Tonle Sap,
#: Siem Reap" is placed at that province.
FEATURE_KINDS = ("feature",)
#: Temples, islands, museums, airports and the like (mapper/data/landmarks.csv): found by
#: their names and keys, never by a near spelling (their names, "Wat Phnom", "Phnom Da", are
#: too like other places').
LANDMARK_KINDS = ("landmark",)
#: Populated places of the reference name table: villages of the national gazetteer (placed
#: at their commune) and Who's On First localities (with their own coordinate).
SETTLEMENT_KINDS = ("village", "locality")
KINDS = (*ADMIN_KINDS, *PLACE_KINDS, *LANDMARK_KINDS, *FEATURE_KINDS, *SETTLEMENT_KINDS)

KIND_PRECISION = {
    "border_post": GeoPrecision.PLACE,
    "site": GeoPrecision.PLACE,
    "landmark": GeoPrecision.PLACE,
    "zone": GeoPrecision.DISTRICT,
    "feature": GeoPrecision.PROVINCE,
    "city": GeoPrecision.PLACE,
    "locality": GeoPrecision.PLACE,
    "village": GeoPrecision.DISTRICT,  # no coordinate of its own: placed at its commune
    "district": GeoPrecision.DISTRICT,
    "commune": GeoPrecision.DISTRICT,
    "province": GeoPrecision.PROVINCE,
    "country": GeoPrecision.COUNTRY,
}
# When one name fits several entries of one province, the broadest honest reading wins for
# provinces (users who write "Svay Rieng" mean the province), then curated places.
KIND_RANK = {
    "country": 0,
    "province": 1,
    "city": 2,  # a bare "Bavet" or "Poipet" is the town, not the checkpoint named after it
    "zone": 3,
    "site": 4,
    "landmark": 4,
    "border_post": 5,
    "feature": 6,
    "district": 7,
    "commune": 8,
    "locality": 9,
    "village": 10,
}
# When a name fits entries in several provinces, the one province whose entry belongs to the
# broadest class is taken, and the others are named in the message: news names provinces,
# towns and checkpoints far more often than the villages that share their names.
KIND_CLASS = {
    "country": 0,
    "province": 0,
    "city": 1,
    "border_post": 1,
    "site": 1,
    "zone": 1,
    "landmark": 1,
    "feature": 1,
    "district": 2,
    "commune": 3,
    "locality": 4,
    "village": 4,
}
#: The kinds a type word's hint admits ("town of X" may name a district seat or a locality).
HINT_FITS = {
    "city": {"city", "district", "locality"},
    "zone": {"zone", "site", "feature", "landmark"},
    "site": {"site", "zone", "landmark"},
    "district": {"district", "city"},
    "commune": {"commune"},
    "village": {"village", "locality"},
    "province": {"province"},
    "border_post": {"border_post"},
}

#: Type words that rule out entries of other kinds: a name after "province" or "ខេត្ត" that
#: is no province of Cambodia is not one of its villages either.
STRICT_HINTS = {"province", "district", "commune"}
