"""The one registry of pinned downloads: every entry pinned by hash, fetched through pooch
into a folder only when its bytes match, never over the network in a test."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from mapper import downloads


def test_every_download_is_pinned_by_url_and_hash():
    assert {key.split("/")[0] for key in downloads.REGISTRY} == {"boundaries", "npm"}
    for key, pinned in downloads.REGISTRY.items():
        assert pinned.url.startswith("https://"), key
        algorithm, _, digest = pinned.known_hash.partition(":")
        assert algorithm in {"sha256", "sha512"} and len(digest) in {64, 128}, key
        assert pinned.fname and "/" not in pinned.fname, key


def test_matching_bytes_land_and_a_second_call_does_not_download(tmp_path, monkeypatch):
    payload = b"pinned bytes"
    key = "boundaries/ADM0"
    pinned = dataclasses.replace(downloads.REGISTRY[key],
                                 known_hash="sha256:" + hashlib.sha256(payload).hexdigest())
    monkeypatch.setitem(downloads.REGISTRY, key, pinned)
    calls = []

    def fake(url, output_file, pooch):
        calls.append(url)
        Path(output_file).write_bytes(payload)

    monkeypatch.setattr(downloads, "DOWNLOADER", fake)
    path = downloads.retrieve(key, tmp_path)
    assert path.read_bytes() == payload and path.parent == tmp_path
    assert downloads.retrieve(key, tmp_path) == path
    assert calls == [pinned.url]


def test_wrong_bytes_are_refused_and_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads, "DOWNLOADER",
                        lambda url, output_file, pooch: Path(output_file).write_bytes(b"x"))
    with pytest.raises(ValueError):
        downloads.retrieve("npm/leaflet", tmp_path)
    assert not any(tmp_path.iterdir())


def test_npm_integrity_is_read_as_pooch_hashes():
    assert downloads.sri_to_pooch_hash("sha256-" + "A" * 43 + "=") == "sha256:" + "0" * 64
    with pytest.raises(ValueError):
        downloads.sri_to_pooch_hash("md5-AAAA")
