"""Fixed facts the stages share (tunables live in :mod:`mapper.settings`)."""

#: Metric CRS for distances and simplification: WGS 84 / UTM zone 48N covers all of Cambodia.
METRIC_CRS = "EPSG:32648"

#: lon_min, lat_min, lon_max, lat_max that every boundary layer must fit in.
CAMBODIA_BBOX = (102.0, 9.5, 108.0, 15.0)

#: ISO 3166-2 codes of the 25 provinces; the number is the official province code.
PROVINCE_CODES = tuple(f"KH-{n}" for n in range(1, 26))
