"""Open facts with the real spaCy model: every clause's subject/predicate/object, and the
seed article's recall against its curated facts (bench/story_recall.py)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.trackers import article

from tracker.domain.events import FactAsserted
from tracker.ingest.extract import RuleExtractor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import story_recall

TUESDAY = datetime(2026, 1, 6, 18, 0, tzinfo=UTC)
# The recall the rules reach on the seed today (36/49 = 0.73, development data); the 0.80
# aim is not met yet, and this guards what is there against regressions.
RECALL_FLOOR = 0.72


def facts(
    extractor: RuleExtractor, text: str, title: str = "World news"
) -> dict[str, FactAsserted]:
    found = extractor.open_facts(article(text, title, TUESDAY))
    return {f.key: f for f in found}


def test_a_negated_clause_is_a_false_fact(extractor: RuleExtractor) -> None:
    found = facts(extractor, "Moscow had not issued any comments on the Paris meeting.")
    fact = found["moscow/commented-on/paris-meeting"]
    assert fact.value is False
    assert fact.polarity == "negative"
    assert found["moscow/comment-on/paris-meeting"].producer.rule == "open.light-verb"


def test_coordinated_subjects_give_one_fact_each_with_the_condition(
    extractor: RuleExtractor,
) -> None:
    found = facts(
        extractor,
        "Starmer said that if a ceasefire is achieved, both the United Kingdom and France "
        "will establish military hubs across Ukraine.",
    )
    for side in ("united-kingdom", "france"):
        fact = found[f"{side}/will-establish/military-hubs"]
        assert fact.value is True
        assert fact.modality == "conditional"
        assert fact.condition == "if a ceasefire is achieved"
        # what will be done is not done yet
        assert found[f"{side}/established/military-hubs"].value is False
        assert found[f"{side}/established/military-hubs"].modality == "implied"


def test_a_passive_with_its_agents_names_the_members(extractor: RuleExtractor) -> None:
    found = facts(
        extractor, "The US delegation was represented by Steve Witkoff and Jared Kushner."
    )
    assert found["us-delegation/included/witkoff"].value is True
    assert found["us-delegation/included/kushner"].value is True


def test_a_gathering_is_attended_by_each_conjunct(extractor: RuleExtractor) -> None:
    found = facts(
        extractor,
        "The meeting brought together leaders from various European nations, Canada, and "
        "high-level officials from the European Union and NATO.",
    )
    for who in ("european-nations", "canada", "european-union", "nato"):
        assert found[f"meeting/attended-by/{who}"].value is True


def test_reported_speech_is_reported_and_a_pronoun_is_the_speaker(
    extractor: RuleExtractor,
) -> None:
    found = facts(
        extractor,
        "Zelensky arrived in Paris on Monday. He said Putin is not demonstrating readiness "
        "for peace.",
    )
    fact = found["putin/readiness-for/peace"]
    assert fact.value is False
    assert fact.modality == "reported"


def test_a_copula_and_an_attribute_take_string_values(extractor: RuleExtractor) -> None:
    found = facts(extractor, "The exact size of such a force remains unspecified.")
    assert found["force/size"].value == "unspecified"
    found = facts(extractor, "Russia has maintained a guarded stance on the ceasefire.")
    assert found["russia/stance-on/ceasefire"].value == "guarded"


def test_a_negated_copula_is_false(extractor: RuleExtractor) -> None:
    found = facts(extractor, "The soldiers would not be combat forces.")
    fact = found["troops/role/combat-forces"]  # soldiers and troops are one key
    assert fact.value is False
    assert fact.modality == "possible"


def test_warning_against_an_act_is_opposing_what_it_is_done_to(
    extractor: RuleExtractor,
) -> None:
    found = facts(extractor, "Opposition leaders warned against the deployment of soldiers abroad.")
    assert found["opposition-leaders/opposes/troops"].value is True
    assert "opposition-leaders/warned-against/deployment" not in found


def test_a_precondition_is_required_and_reported_it_is_the_speakers(
    extractor: RuleExtractor,
) -> None:
    found = facts(extractor, "The peace deal depends on Russian concessions.")
    assert found["peace-deal/requires/russian-concessions"].value is True
    found = facts(
        extractor,
        "Israeli officials said a ceasefire is only possible after the hostages are released.",
    )
    fact = found["israeli-officials/requires-hostages-before/ceasefire"]
    assert fact.value is True
    assert fact.modality == "reported"


def test_a_promise_named_as_a_noun_is_pledged_by_its_maker(extractor: RuleExtractor) -> None:
    found = facts(extractor, "Germany's commitment includes new air defence systems.")
    assert found["germany/pledged/air-defence-systems"].value is True


def test_a_demonstrative_points_back_to_the_noun_named_before(extractor: RuleExtractor) -> None:
    found = facts(
        extractor,
        "The EU will fund new border posts in Moldova. These posts will include modern scanners.",
    )
    assert found["border-posts/will-include/modern-scanners"].value is True


def test_a_summing_up_noun_is_what_the_sections_heading_names(
    extractor: RuleExtractor,
) -> None:
    found = facts(
        extractor,
        "The EU agreed a new border plan on Monday.\n\nDetails of the Border Posts\n\n"
        "The posts will be staffed by Moldovan officers. This scheme is designed to stop "
        "smuggling.",
    )
    assert found["border-posts/purpose"].value == "stop smuggling"


def test_a_delegation_attends_the_gathering_named_before(extractor: RuleExtractor) -> None:
    found = facts(
        extractor,
        "The summit in Jakarta saw participation from Asian leaders. The French delegation "
        "was led by Jean-Noel Barrot.",
    )
    assert found["summit/attended-by/france"].value is True


def test_what_an_effort_prepares_for_is_its_agents(extractor: RuleExtractor) -> None:
    found = facts(
        extractor,
        "The treaty represents an effort by African states to build a common market, while "
        "preparing for a customs union.",
    )
    assert found["african-states/preparing-for/customs-union"].value is True
    assert "treaty/preparing-for/customs-union" not in found


def test_a_fact_is_dated_by_its_sentence(extractor: RuleExtractor) -> None:
    found = facts(extractor, "Ukraine's key allies agreed on Monday to provide air defence.")
    fact = found["allies/agreed/air-defence"]
    assert fact.valid_from == datetime(2026, 1, 5, tzinfo=UTC)
    assert fact.valid_precision == "day"
    assert fact.evidence.sentence == "Ukraine's key allies agreed on Monday to provide air defence."
    assert fact.producer.kind == "rule"


# Other articles than the seed, from the shared feeds: the rules were not written on them.
OTHERS = [
    (
        "Southern Africa: SADC Deploys Disaster Response Team to Madagascar",
        "The Southern African Development Community (SADC) has deployed its Emergency Response "
        "Team (ERT) to support the Government of Madagascar following the impact of Tropical "
        "Cyclone Gezani, which made landfall on 10 February 2026. The cyclone resulted in loss "
        "of life, significant displacement, destruction of infrastructure.",
        {
            "southern-african-development-community/deployed/ert": True,
            "cyclone/resulted-in/displacement": True,
            "southern-african-development-community/role": "SADC",
        },
    ),
    (
        "Report on Russian hacking released after Trump briefing",
        "U.S. intelligence agencies released a declassified version of their report on Russian "
        "intervention in the 2016 U.S. election on Jan. 6, just hours after President-elect "
        "Donald Trump was briefed by American officials.",
        {"american-officials/briefed/trump": True},
    ),
    (
        "Obama urges GOP to show him a health care plan",
        "In an interview at the White House, Jan. 6, President Obama said he would publicly "
        "support a Republican plan to replace the Affordable Care Act if it was shown to "
        "provide the same benefits more cheaply.",
        {"obama/would-support/republican-plan": True, "obama/supported/republican-plan": False},
    ),
]


@pytest.mark.parametrize(("title", "text", "expected"), OTHERS, ids=["sadc", "hacking", "obama"])
def test_other_articles_give_sensible_facts(
    extractor: RuleExtractor, title: str, text: str, expected: dict[str, object]
) -> None:
    found = facts(extractor, text, title)
    for key, value in expected.items():
        assert found[key].value == value, key
    for fact in found.values():
        assert fact.subject and fact.predicate and fact.text
        assert fact.key == "/".join(p for p in (fact.subject, fact.predicate, fact.object) if p)
    # a date is when, never a thing: "made landfall on 10 February"
    assert not any("february" in key for key in found)


def test_the_seed_article_recall_and_its_speakers(extractor: RuleExtractor) -> None:
    result = story_recall.measure(extractor)
    assert result.recall >= RECALL_FLOOR, result.missed
    assert result.speakers_missed == []
    assert result.unmatched  # over-generation is measured, not hidden
