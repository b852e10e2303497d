"""How the gazetteer does on real place strings it was not built from.

* ``blind_places.csv`` (324 strings from real reporting in 10 languages, frozen before the
  geocoder was rebuilt) measures; nothing was ever tuned on it. Issue 11's floors are held
  here; those not yet met are strict xfails, so meeting one fails the suite until it is
  promoted to a plain test.
* ``tuning_places.csv`` and ``tuning_places_2.csv`` are the development sets.
* Unknown village names: 3,000 villages held out of the gazetteer (bench/fuzzy_threshold.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(BENCH))

from fuzzy_threshold import held_out, score  # noqa: E402  (bench/, beside tests/)
from score_places import score as score_places  # noqa: E402
from score_places import summary  # noqa: E402


@pytest.fixture(scope="module")
def figures(reference):
    return {name: summary(score_places(DATA / f"{name}.csv", reference.gazetteer))
            for name in ("blind_places", "tuning_places", "tuning_places_2")}


def test_blind_set_is_mostly_placed_in_the_right_province(figures):
    blind = figures["blind_places"]
    assert blind["cambodian"] == 235
    assert blind["right"] >= 0.85, "measured 86.0% at the last scoring (issue 11)"
    assert blind["ambiguous placed in a province"] == 0


def test_blind_set_meets_the_wrong_province_floor(figures):
    assert figures["blind_places"]["wrong"] <= 0.005  # issue 11's floor; measured 0.4 %


@pytest.mark.xfail(strict=True, reason="issue 11 floors not met yet: blind set 86.0% right, "
                   "1 string abroad placed (targets 95%, 0)")
def test_blind_set_meets_the_issue_11_floors(figures):
    blind = figures["blind_places"]
    assert blind["right"] >= 0.95
    assert blind["abroad placed in a province"] == 0


@pytest.mark.parametrize("name", ["tuning_places", "tuning_places_2"])
def test_development_sets_place_nothing_in_a_wrong_province(figures, name):
    tuning = figures[name]
    assert tuning["wrong"] == 0
    assert tuning["abroad placed in a province"] == 0
    assert tuning["right"] >= 0.75


def test_unknown_village_names_rarely_go_to_a_wrong_province(geodata_dir):
    from mapper.reference import Reference

    gazetteer, unknown = held_out(Reference.load(geodata_dir))
    tally = score(gazetteer, unknown)
    assert len(unknown) > 900
    assert tally["wrong"] / len(unknown) <= 0.01
