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


def test_an_announced_or_planned_happening_is_no_incident(extractor):
    # docs/EXTRACT.md section 8: only what has happened is annotated (invented sentences).
    assert _rows(extractor, "Officials said 40 Thai workers will be deported next week.").empty
    assert _rows(extractor, "The ministry plans to repatriate 120 stranded workers.").empty
    assert extractor.extract("Les 30 ressortissants seront rapatriés demain.",
                             published="2026-01-20", lang="fr").empty


def test_a_planned_handover_neither_absorbs_the_arrest_nor_takes_its_count(extractor):
    rows = _rows(extractor, "Police detained 25 foreigners in Kampot on Monday, and 18 of "
                            "them were sent to the immigration department for deportation.")
    assert rows["type"].tolist() == ["arrest"] and rows["people"].tolist() == [25]


def test_a_return_home_in_french_is_a_handover(extractor):
    rows = extractor.extract("Douze ressortissants détenus par la police sont rentrés chez "
                             "eux le 3 janvier.", published="2026-01-20", lang="fr")
    assert rows["type"].tolist() == ["deportation"]


def test_a_kind_of_crime_named_without_a_count_is_no_incident(extractor):
    # Invented: trends and crime categories, not happenings (docs/EXTRACT.md section 1).
    assert _rows(extractor, "The embassy voiced concern over recent cases involving "
                            "missing Thai nationals.").empty
    assert _rows(extractor, "The tycoon was sanctioned over kidnappings linked to job "
                            "scams.").empty
    kept = _rows(extractor, "Police said 3 Thai nationals went missing in Koh Kong on "
                            "Monday.")
    assert kept["type"].tolist() == ["disappearance"]


@pytest.mark.parametrize("text, kind", [
    # Invented: a figure over a period of more than a week between two dates is a total...
    ("Between March 2 and 25, 310 Thai workers were rescued from compounds.", "total"),
    ("Du 3 février au début mars, 95 ressortissants ont été expulsés.", "total"),
    # ... a batch handed over over two days stays an event.
    ("Between January 13 and 14, 38 Vietnamese were deported through Bavet.", "event"),
    # "as of <month>" closes a running figure; "last month" tells an earlier event.
    ("More than 70 Kenyans had been rescued as of November, the embassy said.", "total"),
    ("Last month, police arrested 40 people in Kratie.", "background"),
])
def test_periods_and_earlier_months(extractor, text, kind):
    lang = "fr" if "ont été" in text else "en"
    rows = extractor.extract(text, published="2026-01-20", lang=lang)
    assert rows["kind"].tolist() == [kind]


def test_a_sentence_that_brought_the_total_keeps_its_own_places(extractor):
    rows = _rows(extractor, "The arrests in Kratie, brought to 900 the total number "
                            "detained since May.")
    assert sorted(rows["kind"]) == ["event", "total"]
    assert rows.set_index("kind").at["event", "province"] == "Kratie"
    assert rows.set_index("kind").at["total", "people"] == 900


def test_arrests_told_after_a_campaign_total_belong_to_the_total(extractor):
    # Invented: the period is in one sentence, the figure of the raids in the next.
    rows = _rows(extractor, "From October 2 to November 20, police raided 40 sites across "
                            "the country. During the raids, 1,210 suspects were arrested. "
                            "On Monday, police raided a casino in Kampot and detained 30 "
                            "people.")
    kinds = sorted(zip(rows["kind"], rows["people"], strict=True))
    assert kinds == [("event", 30), ("total", 1210)]
