"""Commands under test get the session's reference data instead of loading their own."""

from __future__ import annotations

import pytest

from mapper.reference import Reference


def serve_reference(patch: pytest.MonkeyPatch, reference: Reference) -> None:
    """Make ``Reference.load()`` with no arguments return ``reference``: each command loads
    its reference data afresh (once per process, as it should), which tests that are not
    about loading need not repeat. Loading itself is covered by test_reference.py and the
    missing-boundaries test of test_cli.py."""
    real = Reference.load.__func__

    def load(cls, source=None, data_dir=None):
        if source is None and data_dir is None:
            return reference
        return real(cls, source, data_dir)

    patch.setattr(Reference, "load", classmethod(load))
