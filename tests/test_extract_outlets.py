"""mapper.extract.outlets: one row per event across outlets, every merge visible and undoable."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from mapper.cli import app
from mapper.extract.draft import draft_table, write_draft
from mapper.extract.outlets import family, merge_drafts, merge_files, merge_summary, unmerge


def _row(ident: str, source: str, people: int | None, *, date: str = "2026-01-20",
         type_: str = "raid", place: str = "Bavet", province: str | None = "Svay Rieng",
         district: str | None = None, url: str | None = None, **more) -> dict:
    return {"id": ident, "date": date, "type": type_, "place": place, "province": province,
            "district": district, "people": people, "source": source,
            "source_url": url or f"https://{source.lower().replace(' ', '')}.example/{ident}",
            "status": "draft", "evidence": f"{source} says {people} people.",
            "confidence": 0.9, **more}


def _draft(*rows: dict) -> pd.DataFrame:
    return draft_table(list(rows))


@pytest.fixture
def three_outlets() -> list[pd.DataFrame]:
    """A raid in Bavet on 2026-01-20 as three outlets reported it (40, 45 and 42 people)."""
    return [_draft(_row("kt-1", "Khmer Times", 40)),
            _draft(_row("vod-1", "VOD", 45, place="Bavet city", type_="arrest")),
            _draft(_row("cj-1", "CamboJA", 42, date="2026-01-21", type_="rescue"))]


def test_same_event_from_three_outlets_is_one_row(three_outlets):
    merged = merge_drafts(three_outlets)
    assert len(merged) == 1
    row = merged.iloc[0]
    assert row["source"] == "Khmer Times; VOD; CamboJA"
    assert row["people"] == 40  # the lowest figure reported (ACLED's rule)
    assert row["count_range"] == "people 40–45 across 3 sources"
    assert row["merged_from"] == "kt-1;vod-1;cj-1"
    assert row["type"] == "raid" and row["date"] == "2026-01-20"  # the earliest report's
    assert row["source_url"] == "https://khmertimes.example/kt-1"  # one link a log can hold
    assert row["every_source_url"].count("https://") == 3
    assert row["evidence"].startswith("Khmer Times: ") and " | VOD: " in row["evidence"]
    assert "types reported" in row["notes"]
    assert merged.attrs["merges"] == 1 and merged.attrs["rows_in"] == 3
    assert merge_summary(merged) == "1 row from 3 drafts: 1 merge (3 rows into 1)"


def test_another_event_the_same_day_elsewhere_stays_apart(three_outlets):
    poipet = _draft(_row("kt-2", "Khmer Times", 12, place="Poipet",
                         province="Banteay Meanchey"))
    merged = merge_drafts([*three_outlets, poipet])
    assert len(merged) == 2
    alone = merged.set_index("id").loc["kt-2"]
    assert alone["merged_from"] == "kt-2" and alone["people"] == 12
    assert pd.isna(alone["count_range"]) and alone["place"] == "Poipet"


@pytest.mark.parametrize("other", [
    {"type_": "deportation"},  # another family
    {"date": "2026-01-24"},  # four days later: outside the window
    {"district": "Svay Teab", "place": "Svay Teab"},  # another district than the first
])
def test_rows_that_are_not_one_event_stay_apart(other):
    first = _row("a", "VOD", 40, district="Bavet")
    assert len(merge_drafts([_draft(first), _draft(_row("b", "CamboJA", 40, **other))])) == 2


def test_window_month_dates_and_one_article():
    day = _draft(_row("a", "VOD", 40))
    month = _draft(_row("b", "CamboJA", 38, date="2026-01"))
    assert len(merge_drafts([day, month])) == 1  # a month covers its whole period
    later = _draft(_row("c", "CamboJA", 40, date="2026-01-25"))
    assert len(merge_drafts([day, later])) == 2
    assert len(merge_drafts([day, later], window_days=5)) == 1
    # Two rows of one article (one link) were kept apart by the extractor: they stay apart.
    same = _draft(_row("d", "VOD", 41, url="https://vod.example/a"))
    assert len(merge_drafts([day, same])) == 2


def test_a_national_report_joins_the_one_event_near_it():
    bavet = _draft(_row("a", "VOD", 40))
    national = _draft(_row("n", "AFP", 50, place="Cambodia", province=None))
    merged = merge_drafts([bavet, national])
    assert len(merged) == 1 and merged.iloc[0]["province"] == "Svay Rieng"
    assert merged.iloc[0]["people"] == 40
    poipet = _draft(_row("p", "CamboJA", 9, place="Poipet", province="Banteay Meanchey"))
    assert len(merge_drafts([bavet, poipet, national])) == 3  # two candidates: no guess


def test_colliding_ids_get_the_draft_name_and_totals_never_merge():
    a, b = _draft(_row("draft-1", "VOD", 40)), _draft(_row("draft-1", "CamboJA", 41))
    merged = merge_drafts([a, b], names=["vod", "cj"])
    assert merged.iloc[0]["merged_from"] == "vod:draft-1;cj:draft-1"
    total = _draft(_row("t", "CamboJA", 3000, kind="total"))
    assert len(merge_drafts([a, total])) == 2
    assert family("Rescue") == family("arrest") == "operation" and family("escape") == "escape"


def test_undo_restores_the_rows(three_outlets):
    merged = merge_drafts(three_outlets)
    back = unmerge(merged, merged.iloc[0]["id"], three_outlets)
    assert back["id"].tolist() == ["kt-1", "vod-1", "cj-1"]
    assert back["people"].tolist() == [40, 45, 42]
    assert back["merged_from"].tolist() == ["kt-1", "vod-1", "cj-1"]
    assert back["source"].tolist() == ["Khmer Times", "VOD", "CamboJA"]
    # The same as merging with those rows kept apart (what `merge --apart ID` does).
    apart = merge_drafts(three_outlets, apart={"kt-1", "vod-1", "cj-1"})
    pd.testing.assert_frame_equal(back, apart, check_dtype=False)
    with pytest.raises(ValueError, match="no row"):
        unmerge(merged, "nope", three_outlets)


def test_a_merged_log_merges_again_and_keeps_its_history(three_outlets):
    log = merge_drafts(three_outlets[:2])
    again = merge_drafts([log])  # nothing new: the row stays as it was
    assert again.iloc[0]["merged_from"] == "kt-1;vod-1"
    assert again.iloc[0]["every_source_url"] == log.iloc[0]["every_source_url"]
    assert again.iloc[0]["count_range"] == "people 40–45 across 2 sources"
    merged = merge_drafts([log, three_outlets[2]])
    assert merged.iloc[0]["merged_from"] == "kt-1;vod-1;cj-1"
    assert merged.iloc[0]["every_source_url"].count("https://") == 3
    back = unmerge(merged, merged.iloc[0]["id"], [log, three_outlets[2]])
    assert back["merged_from"].tolist() == ["kt-1;vod-1", "cj-1"]
    assert len(merge_drafts([log, three_outlets[2]], apart={"vod-1"})) == 2


def test_keep_no_rows_are_left_out_and_counted(three_outlets):
    rejected = _draft(_row("x", "Rumour", 400, place="Poipet", province="Banteay Meanchey"))
    rejected["keep"] = "no"
    merged = merge_drafts([*three_outlets, rejected])
    assert len(merged) == 1 and "keep" not in merged.columns
    assert merged.attrs["left_out"] == 1
    assert merge_summary(merged).endswith("; 1 row left out (keep = no)")


def test_merging_is_near_linear():
    provinces = ["Svay Rieng", "Kandal", "Kampot", "Takeo", "Pursat"]
    rows = [_row(f"r{i}", f"S{i % 3}", i % 50, province=provinces[i % 5],
                 date=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(6000)]
    start = time.perf_counter()
    merged = merge_drafts([_draft(*rows)])
    assert time.perf_counter() - start < 5
    assert merged["merged_from"].str.split(";").map(len).sum() == 6000  # each row once


def test_cli_merge_writes_the_log_and_never_overwrites_an_input(three_outlets, tmp_path):
    paths = []
    for frame, name in zip(three_outlets, ["kt", "vod", "cj"], strict=True):
        paths.append(write_draft(frame, tmp_path / f"{name}.csv"))
    runner = CliRunner()
    before = paths[0].read_bytes()
    refused = runner.invoke(app, ["merge", *map(str, paths), "--out", str(paths[0])])
    assert refused.exit_code == 2 and "would overwrite the input" in refused.output
    assert paths[0].read_bytes() == before
    out = tmp_path / "log.csv"
    done = runner.invoke(app, ["merge", *map(str, paths), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "1 row from 3 drafts: 1 merge (3 rows into 1)" in done.output
    log = pd.read_csv(out)
    assert log["people"].tolist() == [40] and log["source"].iloc[0].count(";") == 2
    apart = runner.invoke(app, ["merge", *map(str, paths), "--out", str(out),
                                "--apart", "cj-1"])
    assert apart.exit_code == 0 and len(pd.read_csv(out)) == 2
    assert len(merge_files(paths)) == 1
    unknown = runner.invoke(app, ["merge", *map(str, paths), "--out", str(out),
                                  "--apart", "nope"])
    assert unknown.exit_code == 2 and unknown.output.count("\n") == 1
    assert "no draft row has the id nope" in unknown.output
