"""mapper.extract.triggers: event triggers of a sentence, pruned and subsumed."""

from __future__ import annotations

import pytest

from mapper import extract as ex
from mapper.extract.triggers import find_triggers, owner, subsume


def _types(text: str) -> list[tuple[str, bool]]:
    return [(c.type, c.strong) for c in find_triggers(ex.light(text))]


@pytest.mark.parametrize("text, expected", [
    ("Les autorités ont expulsé 42 ressortissants", [("deportation", True)]),
    ("Police raided a compound", [("raid", True)]),
    ("l'ambassade signale une perte de contact", [("disappearance", True)]),
    ("Le ministère a mis en garde les recruteurs", [("warning", True)]),
    ("Officers searched the building", [("raid", False)]),
    ("The crackdown on scam centres", []),  # a campaign, not an operation on a site
])
def test_find_triggers(text, expected):
    assert _types(text) == expected


def test_weak_triggers_and_statements_give_way_to_events():
    # "warned" (a statement) and "freed" (weak) yield to the strong deportation
    assert _types("Officials warned that 30 freed workers were deported") == [
        ("deportation", True)]


def test_raid_subsumes_the_arrests_said_with_it():
    cues = find_triggers(ex.light("Police raided a compound and arrested the managers"))
    assert [c.type for c in cues] == ["raid", "arrest"]
    kept = subsume(cues, [])
    assert [(c.type, c.strong) for c in kept] == [("raid", True)]


def test_a_raid_takes_the_arrests_said_with_it_and_their_count():
    """docs/EXTRACT.md section 2: people detained in the raid are the raid's people."""
    text = "Police raided a compound and arrested 12 suspects"
    cues = find_triggers(ex.light(text))
    assert [c.type for c in subsume(cues, ex.find_counts(text))] == ["raid"]
    rows = ex.extract(text + " in Kampot on Monday.", published="2026-01-20", lang="en")
    assert rows[["type", "people"]].values.tolist() == [["raid", 12]]


def test_owner_is_the_closest_trigger_before():
    cues = find_triggers(ex.light("215 foreigners were rescued and later deported"))
    assert owner(0, cues).type == "rescue"  # nothing before: the first after
    assert owner(cues[1].start + 1, cues).type == "deportation"


def test_a_count_belongs_to_the_trigger_it_is_the_passive_subject_of():
    from mapper.extract.triggers import count_owner
    # Invented: "12 workers" is who was rescued, not who was abducted.
    text = ex.light("Amid reports of abductions in the area, 12 workers were rescued.")
    cues = find_triggers(text)
    start = text.index("12")
    assert count_owner(start, start + len("12 workers"), cues, text).type == "rescue"
    assert owner(start, cues).type == "disappearance"


@pytest.mark.parametrize("text", [
    "The latest operation took place on Monday in Kampot, with 40 arrests.",
    "L'opération, menée le 3 mai à Kampot, a visé un immeuble.",
])
def test_an_operation_told_as_carried_out_is_a_raid(text):
    # Invented sentences: a police operation carried out at a place.
    assert [t for t, _ in _types(text)][:1] == ["raid"]


def test_a_number_of_arrests_counts_people():
    assert [h.value for h in ex.find_counts("with 40 arrests of three nationalities")] == [40]


@pytest.mark.parametrize("text", [
    "The court issued an arrest warrant for the compound's owner.",
    "The worker died of a cardiac arrest in the compound.",
])
def test_a_warrant_or_a_cardiac_arrest_is_not_an_arrest(text):
    # Invented sentences.
    assert "arrest" not in [t for t, _ in _types(text)]
