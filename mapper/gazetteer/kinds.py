"""Kinds of gazetteer entries, the precision each gives, and how they rank."""

from mapper.schema import GeoPrecision

PLACE_KINDS = ("border_post", "site", "zone", "city")
ADMIN_KINDS = ("country", "province", "district", "commune")
KIND_PRECISION = {
    "border_post": GeoPrecision.PLACE,
    "site": GeoPrecision.PLACE,
    "zone": GeoPrecision.DISTRICT,
    "city": GeoPrecision.PLACE,
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
    "border_post": 5,
    "district": 6,
    "commune": 7,
}
