"""Inputs are sacred (issue 12): an output never overwrites an input, every writer is atomic,
and each verb's provenance file is named after its output."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from mapper import pipeline
from mapper.errors import IncidentMapperError, OutputError
from mapper.extract import draft
from mapper.files import check_output


# -- an output is never an input -------------------------------------------------------------
@pytest.fixture
def log(tmp_path) -> Path:
    path = tmp_path / "logs" / "log.csv"
    path.parent.mkdir()
    path.write_text("place\nMeun Chey\n", encoding="utf-8")
    return path


def test_an_output_equal_to_an_input_is_refused_in_one_clear_line(log):
    with pytest.raises(OutputError) as caught:
        check_output(log, [Path("elsewhere.csv"), log])
    message = str(caught.value)
    assert "\n" not in message
    assert str(log) in message and "overwrite the input" in message
    assert isinstance(caught.value, IncidentMapperError)  # the CLI's one-line errors
    assert log.read_text(encoding="utf-8") == "place\nMeun Chey\n"


def test_the_same_file_by_another_path_is_refused(log, tmp_path, monkeypatch):
    monkeypatch.chdir(log.parent)
    with pytest.raises(OutputError):
        check_output(Path("log.csv"), [log])  # relative against absolute
    with pytest.raises(OutputError):
        check_output(tmp_path / "logs" / ".." / "logs" / "log.csv", [Path("log.csv")])
    link = tmp_path / "link.csv"
    link.symlink_to(log)
    with pytest.raises(OutputError):
        check_output(link, [log])
    hard = tmp_path / "hard.csv"
    os.link(log, hard)
    with pytest.raises(OutputError):
        check_output(hard, [log])


def test_other_outputs_pass(log, tmp_path):
    check_output(tmp_path / "placed.csv", [log])
    check_output(log.with_suffix(".geojson"), [log])
    check_output(tmp_path / "new" / "map.html", [log, tmp_path / "logs"])
    check_output(tmp_path / "x.csv", [])


def test_a_folder_output_is_refused_when_a_file_it_writes_is_an_input(log):
    with pytest.raises(OutputError, match=r"log\.csv"):
        check_output(log.parent, [log], inside=["provinces.csv", "log.csv"])
    check_output(log.parent, [log], inside=["provinces.csv", "summary.xlsx"])


# -- atomic draft writing ----------------------------------------------------------------------
def _draft(place: str) -> pd.DataFrame:
    return draft.draft_table([{"id": "draft-1", "date": "2026-01-20", "type": "raid",
                               "place": place, "status": "draft", "people": 3}])


def _half_then_crash(self, text, *args, **kwargs):
    """Path.write_text that dies half way, as a full disk or a killed process would."""
    with open(self, "w", encoding="utf-8") as handle:
        handle.write(text[: len(text) // 2])
    raise OSError("disk full")


@pytest.mark.parametrize("name", ["draft.csv", "draft.json"])
def test_a_crash_mid_draft_write_leaves_the_previous_draft_intact(tmp_path, monkeypatch, name):
    path = draft.write_draft(_draft("Bavet"), tmp_path / name)
    before = path.read_bytes()
    monkeypatch.setattr(Path, "write_text", _half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        draft.write_draft(_draft("Meun Chey"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [name], "no temporary file left"


def test_a_failing_draft_serialiser_leaves_the_previous_draft_intact(tmp_path, monkeypatch):
    path = draft.write_draft(_draft("Bavet"), tmp_path / "draft.json")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(pd.DataFrame, "to_json", broken)
    with pytest.raises(RuntimeError, match="killed"):
        draft.write_draft(_draft("Meun Chey"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["draft.json"]


def test_write_draft_makes_its_folder_and_refuses_other_formats(tmp_path):
    assert draft.write_draft(_draft("Bavet"), tmp_path / "a" / "b" / "d.csv").is_file()
    with pytest.raises(ValueError, match=r"d\.xlsx"):
        draft.write_draft(_draft("Bavet"), tmp_path / "d.xlsx")
    assert not (tmp_path / "d.xlsx").exists()


# -- provenance files ---------------------------------------------------------------------------
@pytest.mark.parametrize(("out", "expected"), [
    ("map.html", "map.html.run.json"), ("placed.csv", "placed.csv.run.json"),
    ("out/placed.gpkg", "out/placed.gpkg.run.json"), ("x.tar.gz", "x.tar.gz.run.json"),
])
def test_run_json_is_named_after_the_output_with_its_extension(out, expected):
    assert pipeline.run_json_path(Path(out)) == Path(expected)


def test_two_verbs_writing_the_same_stem_keep_their_own_run_json():
    assert pipeline.run_json_path("incidents.html") != pipeline.run_json_path("incidents.csv")


def test_a_folder_output_keeps_run_json_inside(tmp_path):
    assert pipeline.run_json_path(tmp_path / "summary", folder=True) == \
        tmp_path / "summary" / "run.json"


def test_write_run_json_writes_beside_the_output(sample_joined, tmp_path):
    out = pipeline.write_table(sample_joined, tmp_path / "placed.csv")
    run = pipeline.write_run_json(pipeline.run_json_path(out), inputs=[pipeline.SAMPLE],
                                  options={"command": "geocode"}, frame=sample_joined,
                                  outputs=[out])
    assert run == tmp_path / "placed.csv.run.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["placed.csv", "placed.csv.run.json"]


def test_output_names_list_every_file_a_summary_writes(sample_joined, reference, tmp_path):
    from mapper.summarise.export import OUTPUT_NAMES

    for period in ("month", "quarter", "year"):
        written = pipeline.write_summary(sample_joined, tmp_path / period, by="district",
                                         period=period, reference=reference)
        folder = tmp_path / period
        assert {p.relative_to(folder).as_posix() for p in written} <= set(OUTPUT_NAMES)
    previous = tmp_path / "month" / "provinces.csv"
    with pytest.raises(OutputError, match="provinces"):
        check_output(tmp_path / "month", [previous], inside=OUTPUT_NAMES)
