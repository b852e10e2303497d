"""How extraction does on real excerpts it was not written against (issue 13).

* ``tests/data/blind_articles/`` (48 excerpts, frozen before the rules were reworked) measures
  and never teaches: its misses are never listed (bench/score_articles.py refuses to). The
  issue's floors are held here as a strict xfail until they are met, so meeting them fails
  the suite until the test is promoted.
* ``tests/data/tuning_articles/`` (43 excerpts) and ``tuning_articles_2/`` (40) are the
  development sets; the figures below guard what has been reached.

Figures at the last scoring (bench/score_articles.py, docs/EXTRACT.md "Measured"): tuning
F1 0.45 and 0.32; blind F1 0.45 (0.47 without the 5 articles whose page the in-sample
excerpts also use), people right 0.27 (0.22), 6 (5) running totals counted as events.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from score_articles import SETS, evaluate, in_sample_urls

from mapper.extract import Extractor


@pytest.fixture(scope="module")
def extractor(reference):
    return Extractor(reference.gazetteer)


@pytest.fixture(scope="module")
def blind(extractor):
    return evaluate(extractor, SETS["blind"], in_sample_urls())


@pytest.mark.parametrize(("name", "size", "f1", "people"), [
    ("tuning", (43, 44), 0.44, 0.39), ("tuning2", (40, 47), 0.36, 0.27)])
def test_the_tuning_sets_keep_what_was_reached(extractor, name, size, f1, people):
    tuning = evaluate(extractor, SETS[name])
    assert (tuning["articles"], tuning["gold"]) == size
    assert tuning["f1"] >= f1 - 0.005 and tuning["people_right"] >= people - 0.005


def test_the_blind_set_does_not_fall_back(blind):
    assert (blind["articles"], blind["gold"]) == (43, 60)
    assert blind["f1"] >= 0.45 and blind["totals_counted"] <= 5


@pytest.mark.xfail(strict=True, reason="issue 13 floors not met: blind F1 0.47, precision "
                   "0.43, people right 0.22, 5 totals counted (floors 0.8, 0.8, 0.7, 0)")
def test_the_blind_set_meets_the_issue_13_floors(blind):
    assert blind["f1"] >= 0.8 and blind["precision"] >= 0.8
    assert blind["people_right"] >= 0.7
    assert blind["totals_counted"] == 0
