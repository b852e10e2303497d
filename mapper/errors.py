"""The project's exception hierarchy: one root, subclasses that are also builtin errors."""

from __future__ import annotations


class IncidentMapperError(Exception):
    """Root of every error raised on purpose by incident-mapper."""


class InputFileError(IncidentMapperError, OSError):
    """An input file cannot be read at all (missing, unknown format, corrupt)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class BoundaryDataError(IncidentMapperError, OSError):
    """Boundary layers are missing, fail a structural check, or cannot be downloaded."""


class GazetteerError(IncidentMapperError, ValueError):
    """The curated gazetteer (places, aliases) is inconsistent."""


class GeocoderError(IncidentMapperError, RuntimeError):
    """An online geocoder failed in a way a row cannot absorb (bad configuration)."""


class AssetError(IncidentMapperError, OSError):
    """The embedded map assets (JavaScript, CSS) cannot be fetched or fail their hash."""


class OutputError(IncidentMapperError, ValueError):
    """An output cannot be written as asked (for example, it would overwrite an input)."""


class OutputWriteError(OutputError, OSError):
    """An output's place cannot be written (a folder where a file goes, a read-only folder,
    a file where a folder goes, a full disk). Also an ``OSError``, so code that shrugs off a
    failed cache write (``except OSError``) still does."""


class OptionError(IncidentMapperError, ValueError):
    """A command-line option is wrong (an unknown layer, an unreadable date); found before
    any work starts."""
