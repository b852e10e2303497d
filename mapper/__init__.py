"""incident-mapper: incident logs and news text about scam compounds and trafficking in
Cambodia, geocoded, joined to administrative boundaries, mapped and summarised.

One module per stage, each taking and returning (Geo)DataFrames (columns in
:mod:`mapper.schema`): ``ingest`` -> ``geocode`` -> ``join`` -> ``summarise`` / ``render``;
``extract`` drafts rows from news text; ``pipeline`` chains the stages. Modules load on
first use, so ``import mapper`` stays cheap.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("incident-mapper")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

_STAGES = ("boundaries", "extract", "gazetteer", "geocode", "ingest", "join", "pipeline",
           "privacy", "render", "report", "schema", "summarise")
__all__ = ["__version__", *_STAGES]


def __getattr__(name: str):
    if name in _STAGES:
        return importlib.import_module(f"mapper.{name}")
    raise AttributeError(f"module 'mapper' has no attribute {name!r}")
