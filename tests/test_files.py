"""Atomic writes and file hashes (mapper.files): a failed write never costs the previous file."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from mapper import files, pipeline


def half_then_crash(self, text, *args, **kwargs):
    """Path.write_text that dies half way, as a full disk or a killed process would."""
    with open(self, "w", encoding="utf-8") as handle:
        handle.write(text[: len(text) // 2])
    raise OSError("disk full")


def test_a_crash_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = files.write_text_atomic(tmp_path / "report.txt", "the previous report\n")
    monkeypatch.setattr(Path, "write_text", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        files.write_text_atomic(path, "a new report\n" * 1000)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"], "no temporary file left"


def test_a_failing_table_writer_leaves_the_previous_table_intact(sample_joined, tmp_path):
    path = pipeline.write_table(sample_joined, tmp_path / "placed.geojson")
    before = path.read_bytes()

    def failing(tmp):
        Path(tmp).write_bytes(b'{"type": "FeatureCollection", "features": [')
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        files.write_with(path, failing)
    assert path.read_bytes() == before
    assert len(list(tmp_path.iterdir())) == 1


def test_a_new_file_appears_only_when_complete(tmp_path):
    seen = []

    def writer(tmp):
        target_exists = (tmp_path / "t.gpkg").exists()
        seen.append((tmp.parent, tmp.name.startswith("."), tmp.suffix, target_exists))
        tmp.write_bytes(b"done")

    path = files.write_with(tmp_path / "t.gpkg", writer)
    # The temporary file sits beside the target, hidden, with the real extension last
    # (drivers such as GDAL's go by it); the target does not exist until it is complete.
    assert seen == [(tmp_path, True, ".gpkg", False)]
    assert path.read_bytes() == b"done"


def test_missing_folders_are_created(tmp_path):
    path = files.write_text_atomic(tmp_path / "a" / "b" / "c.txt", "x")
    assert path.read_text(encoding="utf-8") == "x"


def test_text_is_utf8_with_unix_newlines(tmp_path):
    path = files.write_text_atomic(tmp_path / "t.txt", "Meun Chey\nមឿនជ័យ\n")
    assert path.read_bytes() == "Meun Chey\nមឿនជ័យ\n".encode()


def test_outputs_get_the_usual_mode_not_a_private_temporary_one(tmp_path):
    mask = os.umask(0o022)
    try:
        path = files.write_text_atomic(tmp_path / "shared.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_sha256_of_matches_hashlib(tmp_path):
    path = tmp_path / "blob"
    data = os.urandom(3 << 20)  # more than one read block
    path.write_bytes(data)
    assert files.sha256_of(path) == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("note", ["=SUM(A1)", 'a,"b"\nc', "x\ry"])
def test_write_csv_writes_what_csv_text_gives(tmp_path, note):
    """The file a large table streams to equals the text a small one is made of."""
    import pandas as pd

    from mapper.files import csv_text, write_csv

    frame = pd.DataFrame({"id": ["r1", "r2"], "notes": [note, "plain"],
                          "people": pd.array([3, None], dtype="Int64")})
    path = write_csv(frame, tmp_path / "out.csv")
    assert path.read_bytes() == csv_text(frame).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
