"""incident-mapper: incident logs and news text about scam compounds and trafficking in
Cambodia, geocoded, joined to administrative boundaries, mapped and summarised."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("incident-mapper")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
