"""Running totals and earlier events are told apart from the article's event (issue 13):
made-up sentences of the kinds docs/EXTRACT.md describes."""

from __future__ import annotations

import pandas as pd
import pytest

from mapper import summarise as sm
from mapper.extract import Extractor
from mapper.ingest import read_incidents


@pytest.fixture(scope="module")
def extractor(reference):
    return Extractor(reference.gazetteer)


def _rows(extractor, text: str, published: str = "2026-01-20") -> pd.DataFrame:
    return extractor.extract(text, published=published, lang="en")


def test_a_running_total_is_kept_as_a_total_not_an_event(extractor):
    rows = _rows(extractor, "Since June, more than 3,000 foreigners have been arrested "
                            "across 17 provinces.")
    assert rows["kind"].tolist() == ["total"] and rows["people"].tolist() == [3000]


def test_an_event_and_the_total_it_brings_are_two_rows_of_two_kinds(extractor):
    rows = _rows(extractor, "Police arrested 80 people in Kratie on Monday, bringing the "
                            "total since July to 3,000.")
    kinds = dict(zip(rows["kind"], rows["people"], strict=True))
    assert kinds == {"event": 80, "total": 3000}
    assert rows.set_index("kind").at["event", "province"] == "Kratie"


def test_a_sum_told_with_its_own_day_stays_an_event(extractor):
    rows = _rows(extractor, "On Monday a total of 215 Vietnamese were deported through the "
                            "Bavet checkpoint.")
    assert rows["kind"].tolist() == ["event"]
    assert rows["destination"].tolist() == ["VN"]


def test_an_earlier_event_is_background(extractor):
    rows = _rows(extractor, "In March 2025, police raided the same compound in Kampot and "
                            "freed 40 workers.")
    assert rows["kind"].tolist() == ["background"]
    french = extractor.extract("L'an dernier, la police avait fait une descente dans ce "
                               "complexe de Kampot.", published="2026-01-20", lang="fr")
    assert french["kind"].tolist() == ["background"]


def test_summaries_list_totals_and_never_count_them(tmp_path, reference):
    log = tmp_path / "log.csv"
    log.write_text("id,date,type,place,people,kind\n"
                   "a,2026-01-20,raid,Bavet,80,\n"
                   "b,2026-01-31,arrest,Bavet,3000,total\n"
                   "c,2025-03-02,raid,Bavet,40,background\n", encoding="utf-8")
    from mapper.pipeline import locate

    summary = sm.summarise(locate([log], reference=reference), reference=reference)
    svay_rieng = summary.provinces.set_index("adm1_code").loc["KH-20"]
    assert (svay_rieng["incidents"], svay_rieng["people"]) == (2, 120)
    assert summary.lines.set_index("line").at["running_total", "rows"] == 1
    assert summary.listed["running_total"]["people"].tolist() == [3000]


def test_a_kind_column_holding_incident_types_is_refused_with_a_hint(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("id,date,place,kind\na,2026-01-20,Bavet,raid\n", encoding="utf-8")
    frame = read_incidents([log])
    assert frame["status"].tolist() == ["invalid"]
    assert "name this column 'type'" in frame["message"].iloc[0]
