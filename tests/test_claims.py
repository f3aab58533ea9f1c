"""Claims that move the five event questions, read from the parse, with the real model."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.trackers import article

from tracker.config import load_story, shipped_config_dir
from tracker.domain.events import DocumentIngested
from tracker.errors import ConfigError
from tracker.ingest.extract import RuleExtractor, load_extraction_config

SATURDAY = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)


def doc(text: str, title: str = "") -> DocumentIngested:
    return article(text, title, SATURDAY)


def facts(extractor: RuleExtractor, text: str, title: str = "") -> dict[str, object]:
    return {
        e.data["key"]: e.data["value"]
        for e in extractor.extract(doc(text, title))
        if e.type == "FactAsserted"
    }


CEASEFIRE = "russia-ukraine/signed/ceasefire"
US = "united-states/backs/security-guarantees"
RATIFIED = "participating-countries/ratified/security-guarantees"
TROOPS = "france/deployed-troops-to/ukraine"
UK_HUBS = "united-kingdom/established/military-hubs"
FR_HUBS = "france/established/military-hubs"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia and Ukraine signed a ceasefire in Istanbul on Thursday.", {CEASEFIRE: True}),
        (
            "A ceasefire between Russia and Ukraine came into force on Monday.",
            {CEASEFIRE: True},
        ),
        (
            "The Kremlin said Russia would honour the ceasefire it signed with Ukraine.",
            {CEASEFIRE: True},
        ),
        ("Talks between Russia and Ukraine ended without a ceasefire.", {CEASEFIRE: False}),
        (
            "Four years on, there is still no ceasefire between Russia and Ukraine.",
            {CEASEFIRE: False},
        ),
        ("Russia has yet to sign a ceasefire with Ukraine.", {CEASEFIRE: False}),
        ("Russia refused to sign the ceasefire Ukraine had accepted.", {CEASEFIRE: False}),
        ("Peskov denied that Russia had agreed to a ceasefire with Ukraine.", {CEASEFIRE: False}),
        ("Israel and Hamas signed a ceasefire in Cairo.", {}),
        ("Russia and Ukraine are expected to sign a ceasefire next week.", {}),
        ("Will Russia and Ukraine sign a ceasefire?", {}),
        ("If Russia and Ukraine agree a ceasefire, French troops will deploy.", {}),
        ("Russia and Ukraine could sign a ceasefire within days.", {}),
    ],
    ids=[
        "signed",
        "came-into-force",
        "relative-clause",
        "without",
        "no-ceasefire",
        "yet-to",
        "refused",
        "denied",
        "another-war",
        "expected",
        "question",
        "conditional",
        "modal",
    ],
)
def test_a_ceasefire_answers_only_when_it_happened_or_is_said_not_to_have(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The United States on Tuesday backed the security guarantees for Ukraine.",
            {US: True},
        ),
        ("Washington stood behind the guarantees agreed for Ukraine in Paris.", {US: True}),
        ("The United States would no longer back the guarantees for Ukraine.", {US: False}),
        (
            "Washington withdrew its support for the security guarantees for Ukraine.",
            {US: False},
        ),
        ("France backed the security guarantees for Ukraine.", {}),
        ("The United States could back the guarantees for Ukraine if Europe pays.", {}),
        (
            "The United States has repeated its support for the guarantees for Ukraine.",
            {US: True},
        ),
        (
            "The United States is no longer part of the security guarantees for Ukraine.",
            {US: False},
        ),
    ],
    ids=[
        "backed",
        "stood-behind",
        "no-longer",
        "withdrew",
        "another-backer",
        "conditional",
        "repeated-its-support",
        "no-longer-part-of",
    ],
)
def test_us_backing_follows_what_washington_does_and_undoes(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The first French troops arrived in Ukraine on Tuesday.", {TROOPS: True}),
        ("No French soldier has crossed into Ukraine.", {TROOPS: False}),
        ("French troops arrived in Romania for a NATO exercise.", {}),
        ("French troops are stationed in Romania, not in Ukraine.", {}),
        ("Macron said French troops could be deployed to Ukraine after a ceasefire.", {}),
        ("France plans to deploy several thousand soldiers to Ukraine.", {}),
        ("French soldiers rehearsed the deployment of a brigade to Ukraine.", {}),
        ("Macron welcomed the deployment of French troops to Ukraine.", {TROOPS: True}),
    ],
    ids=[
        "arrived",
        "none-crossed",
        "elsewhere",
        "not-there",
        "could",
        "plans",
        "rehearsed-the-deployment",
        "welcomed-the-deployment",
    ],
)
def test_french_troops_count_only_in_ukraine_and_only_once_there(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Britain opened its first military hub in Ukraine on Monday.", {UK_HUBS: True}),
        (
            "The military hubs that France and the United Kingdom set up in Ukraine are busy.",
            {UK_HUBS: True, FR_HUBS: True},
        ),
        (
            "Neither Britain nor France has yet established a hub in Ukraine.",
            {UK_HUBS: False, FR_HUBS: False},
        ),
        ("Britain and France will set up military hubs in Ukraine after a ceasefire.", {}),
        (
            "The security guarantees for Ukraine have been formally ratified by all "
            "participating countries.",
            {RATIFIED: True},
        ),
        (
            "Not a single parliament has ratified the security guarantees for Ukraine.",
            {RATIFIED: False},
        ),
        (
            "Zelensky stressed the importance of the countries formally ratifying "
            "their commitments to Ukraine.",
            {},
        ),
        ("Zelensky urged the countries to ratify the guarantees for Ukraine.", {}),
        (
            "Britain drew a sharp rebuke from Moscow on Monday after opening a military hub "
            "in Ukraine.",
            {UK_HUBS: True},
        ),
        ("Britain will be rebuked after opening a military hub in Ukraine.", {}),
        ("MPs called for Britain to start building military hubs in Ukraine.", {}),
        (
            "John Healey rejected calls from some MPs for Britain to start building its "
            "military facilities in western Ukraine before a ceasefire.",
            {},
        ),
        (
            "Latvia's parliament on Tuesday ratified the country's security commitment to Ukraine.",
            {RATIFIED: True},
        ),
        ("The Finnish parliament voted down the Ukraine security pledge.", {RATIFIED: False}),
        (
            "The shelling of Kharkiv went on until Russia agreed to a ceasefire with Ukraine "
            "on Friday.",
            {CEASEFIRE: True},
        ),
    ],
    ids=[
        "hub-opened",
        "relative-clause-both",
        "neither-nor",
        "will",
        "ratified-passive",
        "not-a-single",
        "gerund",
        "urged",
        "after-opening-as-its-verb",
        "after-opening-in-a-future",
        "called-for-them-to-start",
        "a-ceasefire-as-a-time-deep-in-the-clause",
        "one-countrys-commitment",
        "a-pledge-voted-down",
        "went-on-until-it-happened",
    ],
)
def test_hubs_and_ratification_follow_the_same_reading(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Zelensky toured the British-run logistics hub near Rivne on Friday.",
            "",
            {UK_HUBS: True},
        ),
        ("Zelensky could not tour the British hub near Rivne on Friday.", "", {}),
        ("Macron visited French troops at their base near Odesa on Friday.", "", {TROOPS: True}),
        (
            "The British hubs promised to Kyiv remain on paper, with planners in London still "
            "waiting.",
            "",
            {UK_HUBS: False},
        ),
        ("", "Opening of first French hub in Ukraine delayed by dispute", {FR_HUBS: False}),
        (
            '"We have not deployed a single soldier to Ukraine," French Foreign Minister '
            "Jean-Noel Barrot said.",
            "",
            {TROOPS: False},
        ),
        (
            "Any French soldier who sets foot in Ukraine would be a target, Moscow said.",
            "",
            {"moscow/commented-on/paris-meeting": True},
        ),
        ("", "Not a single French soldier in Ukraine, Paris says", {TROOPS: False}),
        (
            "Crowds gathered for the opening of the British logistics hub near Lviv on Monday.",
            "",
            {UK_HUBS: True},
        ),
        ("Ministers will attend the planned opening of the British hub near Lviv.", "", {}),
        (
            "British engineers brought the maintenance hub at Odesa into operation on Monday.",
            "",
            {UK_HUBS: True},
        ),
        (
            "The hubs Britain promised in Kyiv are still on the drawing board, officials said.",
            "",
            {UK_HUBS: False},
        ),
        ("France inaugurated a training hub near Bila Tserkva on Thursday.", "", {FR_HUBS: True}),
        ("France inaugurated a training hub near Tallinn on Thursday.", "", {}),
    ],
    ids=[
        "toured-the-hub",
        "not-toured-says-nothing",
        "visited-troops-there",
        "reduced-relative-subject",
        "delayed-noun-phrase",
        "we-is-the-speaker",
        "any-who-is-hypothetical",
        "none-in-a-report",
        "event-noun",
        "planned-event-noun",
        "into-operation",
        "still-on-the-drawing-board",
        "place-with-two-words",
        "place-elsewhere",
    ],
)
def test_presence_and_absence_read_through_the_parse(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "American backing for the Ukraine guarantees was reaffirmed in Brussels on Monday.",
            "",
            {US: True},
        ),
        (
            "With US support for the Kyiv guarantees still frozen, allies met in Rome.",
            "",
            {US: False},
        ),
        (
            "Macron said he regretted Washington's decision to abandon the security "
            "guarantees for Ukraine.",
            "",
            {US: False},
        ),
        ("", "Trump pledges US backing for Ukraine guarantees after talks", {US: True}),
        (
            "Any US role in the guarantees agreed in Paris would be a mistake, Moscow said.",
            "",
            {"moscow/commented-on/paris-meeting": True},
        ),
    ],
    ids=["nominal-reaffirmed", "nominal-frozen", "decision-to", "headline-noun-verb", "any-role"],
)
def test_an_act_named_as_a_noun_answers_by_what_is_said_of_it(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("", "Alliance completes ratification of Ukraine guarantees", {RATIFIED: True}),
        ("", "Senate blocks ratification of Ukraine security pledge", {RATIFIED: False}),
        ("", "Kyiv presses allies to ratify guarantees", {}),
        ("", "Will parliaments ratify the Ukraine guarantees?", {}),
        (
            "Allies agreed the security guarantees in Paris. No country has ratified them yet.",
            "",
            {RATIFIED: False},
        ),
        (
            "Nothing has been ratified, an official said of the Ukraine guarantees.",
            "",
            {RATIFIED: False},
        ),
        (
            "More than a year after diplomacy began, no ceasefire has been signed between "
            "Moscow and Kyiv.",
            "",
            {CEASEFIRE: False},
        ),
        (
            "Three months after it was signed, the Russia-Ukraine ceasefire is broadly holding.",
            "",
            {CEASEFIRE: True},
        ),
    ],
    ids=[
        "headline-words",
        "headline-negative",
        "headline-to-ratify",
        "headline-question",
        "pronoun-object",
        "nothing-ratified",
        "began-is-not-signed",
        "after-it-was-signed",
    ],
)
def test_headlines_pronouns_and_ellipses_keep_their_meaning(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("", "Britain, France to set up military hubs in Ukraine after truce", {}),
        ("", "UK and France open logistics hub in Poland to supply Ukraine", {}),
        ("A British-funded gas trading hub opened in Lviv on Tuesday.", "", {}),
        (
            "There was no comment from Paris on the arrival of French troops in Ukraine.",
            "",
            {TROOPS: True},
        ),
        (
            "Half of French voters support sending soldiers to Ukraine, a poll found.",
            "",
            {},
        ),
        (
            "Ukraine said Russian forces had violated the ceasefire 60 times this week.",
            "",
            {CEASEFIRE: True},
        ),
        ("", "Rubio stops short of endorsing Ukraine guarantees", {US: False}),
        (
            "Two weeks into the ceasefire, French soldiers remain in Poland, not in Ukraine.",
            "",
            {CEASEFIRE: True},
        ),
        ("Hubs will open in Ukraine a month after a ceasefire, Starmer said.", "", {}),
        ("", "UK, France still to open Ukraine hubs", {UK_HUBS: False, FR_HUBS: False}),
        (
            "With no ceasefire in sight, fighting around Pokrovsk went on overnight.",
            "",
            {CEASEFIRE: False},
        ),
        (
            'Vance told them the United States stood "firmly behind" the security guarantees '
            "for Ukraine agreed in Paris.",
            "",
            {US: True},
        ),
        (
            "Asked about the Paris guarantees for Ukraine, Trump said the United States was "
            '"not backing that deal anymore".',
            "",
            {US: False},
        ),
        (
            "Moscow protested at Britain's ratification of its security guarantees to Ukraine.",
            "",
            {RATIFIED: True},
        ),
        (
            "US backing for the Paris security guarantees remains off the table, the envoy said.",
            "",
            {US: False},
        ),
    ],
    ids=[
        "headline-to-is-future",
        "headline-place-elsewhere",
        "another-kind-of-hub",
        "arrival-is-an-event",
        "support-sending-is-a-wish",
        "violated-means-it-exists",
        "stops-short",
        "weeks-into-the-ceasefire",
        "after-a-ceasefire-is-pending",
        "still-to-open",
        "with-no-ceasefire-in-sight",
        "object-read-as-next-subject",
        "that-deal",
        "possessive-event-noun",
        "off-the-table",
    ],
)
def test_what_a_fresh_batch_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Russia and Ukraine are far from a ceasefire, NATO's commander said on Friday.",
            "",
            {CEASEFIRE: False},
        ),
        (
            "Six months on, the British and French military hubs promised in Paris have yet "
            "to be built.",
            "",
            {UK_HUBS: False, FR_HUBS: False},
        ),
        ("France has no plans to redeploy troops to Mali, a spokesman said.", "", {}),
    ],
    ids=["be-far-from-is-no-bare-be", "denied-needs-no-place", "denied-elsewhere"],
)
def test_what_is_denied_and_where(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Zelenskyy thanked the parliaments of the coalition of the willing for ratifying "
            "their security commitments.",
            "",
            {RATIFIED: True},
        ),
        (
            "",
            "Guarantees still unratified three months after Paris, Kyiv complains",
            {RATIFIED: False},
        ),
        (
            '"Not one country has ratified the commitments yet," Zelensky said.',
            "",
            {RATIFIED: False},
        ),
        (
            'Witkoff said that US support for the guarantees for Ukraine was "as firm as ever".',
            "",
            {US: True},
        ),
        (
            "Rubio said the United States was a close ally of Europe, even as its backing for "
            "the Ukraine guarantees stays frozen.",
            "",
            {US: False},
        ),
        (
            'Trump said that the United States "fully supports" the security guarantees its '
            "allies agreed in Paris.",
            "",
            {US: True},
        ),
        (
            '"We\'re not backing that anymore," Trump said when asked about the Paris '
            "guarantees for Ukraine.",
            "",
            {US: False},
        ),
        (
            "Six weeks after Paris, the British and French military hubs promised to Ukraine "
            "remain on paper.",
            "",
            {UK_HUBS: False, FR_HUBS: False},
        ),
    ],
    ids=[
        "credit-for-hung-on-a-noun",
        "headline-still-unratified",
        "zelensky-is-ukraine-context",
        "as-firm-as-ever",
        "its-backing",
        "noun-read-as-verb",
        "backing-that",
        "reduced-clause-tagged-past",
    ],
)
def test_what_the_owner_and_the_state_say(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


def test_a_dated_body_sentence_beats_a_headline_dated_by_publication(
    extractor: RuleExtractor,
) -> None:
    events = extractor.extract(
        doc(
            "Kyiv and Moscow signed a ceasefire in Istanbul on Thursday, officials said.",
            title="No ceasefire yet between Russia and Ukraine",
        )
    )
    (fact,) = [e.data for e in events if e.type == "FactAsserted"]
    assert fact["value"] is True
    assert fact["valid_from"].startswith("2026-08-13")  # Thursday before a Saturday story
    assert fact["valid_precision"] == "day"


def test_a_body_repeating_its_headline_is_read_once(extractor: RuleExtractor) -> None:
    title = "Peskov: Paris plan is a dead end"
    events = extractor.extract(doc(f"{title}. The Kremlin gave no details.", title))
    said = [e.data for e in events if e.type == "StatementReported"]
    assert [(s["speaker"], s["content"]) for s in said] == [("peskov", "Paris plan is a dead end")]


def _readme_example(marker: str) -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    after = readme.split(f"<!-- example: {marker} -->", 1)[1]
    return after.split("```toml", 1)[1].split("```", 1)[0]


def test_the_readme_example_adds_a_question_without_code(tmp_path: Path) -> None:
    shipped = shipped_config_dir()
    name = "stories/paris-summit-2026.toml"
    (tmp_path / "stories").mkdir()
    (tmp_path / name).write_text((shipped / name).read_text() + "\n" + _readme_example("story"))
    story = load_story(tmp_path)
    config = load_extraction_config(tmp_path, frozenset(q.id for q in story.questions))
    extractor = RuleExtractor(story, config)
    key = "putin-zelensky/met/in-person"

    def met(text: str) -> list[object]:
        return [
            e.data["value"]
            for e in extractor.extract(doc(text))
            if e.type == "FactAsserted" and e.data["key"] == key
        ]

    assert met("Putin met Zelensky in Istanbul on Monday.") == [True]
    assert met("Putin and Zelensky have never met.") == [False]
    assert met("Putin will meet Zelensky next month.") == []
    assert met("Will Putin meet Zelensky?") == []


@pytest.mark.parametrize("since", ['"someday"', "42", '"2026-13-01"'])
def test_a_story_start_that_is_no_date_is_refused_in_one_line(tmp_path: Path, since: str) -> None:
    shipped = shipped_config_dir()
    name = "stories/paris-summit-2026.toml"
    (tmp_path / "stories").mkdir()
    text = (shipped / name).read_text()
    assert "since = 2026-01-06" in text
    (tmp_path / name).write_text(text.replace("since = 2026-01-06", f"since = {since}"))
    with pytest.raises(ConfigError) as caught:
        load_extraction_config(tmp_path)
    assert "story.since" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            'id = "x"\nquestion = "nope"\nkind = "event"\nfact = "a/b"\nactions = ["meet"]\n'
            'objects = ["x"]',
            "no question 'nope'",
        ),
        (
            'id = "x"\nquestion = "leaders-met"\nkind = "event"\nfact = "a/b"\nobjects = ["x"]',
            "an event rule needs actions and objects",
        ),
        (
            'id = "x"\nquestion = "leaders-met"\nkind = "event"\nfact = "nokey"\n'
            'actions = ["meet"]\nobjects = ["x"]',
            "expected subject/predicate",
        ),
        (
            'id = "x"\nquestion = "leaders-met"\nkind = "statement"\nfact = "a/b"\n'
            'side = "mars"\ntopics = ["x"]',
            "unknown side 'mars'",
        ),
        (
            'id = "x"\nquestion = "leaders-met"\nkind = "event"\nfact = "a/b"\n'
            'actions = ["meet"]\nobjects = ["x"]\ntrue_when = ["someday"]',
            "modalities among",
        ),
        (
            'id = "x"\nquestion = "leaders-met"\nkind = "event"\nfact = "a/b"\n'
            'actions = ["meet"]\nobjects = ["x"]\noutside_sides = ["venus"]',
            "unknown side 'venus'",
        ),
    ],
    ids=[
        "unknown-question",
        "no-actions",
        "bad-key",
        "unknown-side",
        "bad-modality",
        "unknown-outside-side",
    ],
)
def test_a_malformed_rule_is_refused_in_one_line(tmp_path: Path, rule: str, message: str) -> None:
    shipped = shipped_config_dir()
    name = "stories/paris-summit-2026.toml"
    (tmp_path / "stories").mkdir()
    (tmp_path / name).write_text((shipped / name).read_text() + "\n[[rules]]\n" + rule + "\n")
    with pytest.raises(ConfigError) as caught:
        known = {q.id for q in load_story(shipped).questions} | {"leaders-met"}
        load_extraction_config(tmp_path, frozenset(known))
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an auxiliary before its subject makes a condition
        (
            "Should Washington withdraw its backing for the guarantees, Europe would have to "
            "replace American intelligence.",
            {},
        ),
        (
            "Were France to deploy troops to Ukraine, Moscow would have to respond.",
            {},
        ),
        # a noun of time with its clause is a condition; past, it happened
        (
            "Paris said it could move troops to Ukraine the moment a ceasefire between Russia "
            "and Ukraine is signed.",
            {},
        ),
        # a verb of presence needs a place of its own
        ("French troops were ready to leave for Ukraine, Macron said.", {}),
        ("The French force for Ukraine remains on paper.", {}),
        ("About 400 French soldiers are now in Odesa, the ministry said.", {TROOPS: True}),
        ("France now has 900 soldiers stationed in Ukraine.", {TROOPS: True}),
        # who takes part is the subject, or an argument naming the thing, not another noun
        # (the hub they guard is there)
        ("British troops are guarding the UK-French hub at Lviv.", {UK_HUBS: True, FR_HUBS: True}),
        (
            "Lavrov said the French soldiers who arrived in Ukraine were occupiers.",
            {TROOPS: True, "moscow/commented-on/paris-meeting": True},
        ),
        # what a phrase of time names is when, not what
        (
            "Work on the first military hub has not begun in Ukraine, two weeks after the "
            "ceasefire between Russia and Ukraine.",
            {CEASEFIRE: True},
        ),
        # an aim is not an act
        ("Pressure is mounting on parliaments to ratify the guarantees for Ukraine.", {}),
        ("The Dutch parliament voted to ratify the guarantees for Ukraine.", {RATIFIED: True}),
        # "without" an act other than the rule's says nothing of it
        (
            "Parliaments broke for the summer without ratifying the security guarantees "
            "for Ukraine.",
            {RATIFIED: False},
        ),
        # acts named as nouns, whose owner says whose act it is
        (
            "Macron said the US withdrawal of support for the guarantees for Ukraine was a "
            "mistake.",
            {US: False},
        ),
        ("Macron said a US withdrawal of support for the guarantees would be a mistake.", {}),
        (
            "Washington's reversal on the Ukraine guarantees drew criticism in Europe.",
            {US: False},
        ),
        (
            "Europe reacted to the news on the guarantees for Ukraine. The US is withdrawing "
            "its backing, the vice president announced.",
            {US: False},
        ),
        (
            "Hegseth said the Pentagon was committed to the air-defence part of the Paris "
            "guarantees.",
            {US: True},
        ),
        # the clause a sentence hangs its background on says what holds now
        (
            "Having briefly withdrawn its support in March, Washington now backs the Paris "
            "security guarantees again.",
            {US: True},
        ),
        ("Hubs ready to go 'the moment a ceasefire is signed' in Ukraine", {}),
        # stopping is not doing; what may happen is not a stance
        ("The US has stopped backing the Paris guarantees for Ukraine.", {US: False}),
        (
            "Some analysts say Washington may walk away from the guarantees for Ukraine.",
            {},
        ),
        # a clause whose mark says it is so keeps its own mood
        (
            "Now that the ceasefire between Russia and Ukraine is in force, France will plan "
            "its deployment.",
            {CEASEFIRE: True},
        ),
        (
            "Moscow turned down a proposal for a ceasefire with Ukraine on Tuesday.",
            {CEASEFIRE: False},
        ),
        # coordinated "no ..." phrases all say none
        (
            "There is no ceasefire with Russia, no ratification of the guarantees and not a "
            "single French soldier in Ukraine, Podolyak said.",
            {CEASEFIRE: False, RATIFIED: False, TROOPS: False},
        ),
        # "be" with what they are is no place
        ("A French officer said French soldiers in Ukraine were not peacekeepers.", {}),
        ("A base near Rivne now houses some 1,100 French troops.", {TROOPS: True}),
        # the act as a noun, undone by its verb
        (
            "Ratification of Italy's security commitments to Ukraine was blocked on Wednesday.",
            {RATIFIED: False},
        ),
        ("Ratification of the Ukraine guarantees is far from complete.", {}),
        # the context a rule needs may be anywhere in the document
        (
            "Fighting went on in Ukraine on Monday. Envoys met in Geneva for a third day. "
            "The talks ended on Thursday without a ceasefire.",
            {CEASEFIRE: False},
        ),
        ("The talks in Geneva ended on Thursday without a ceasefire.", {}),
        # a side refusing a ceasefire answers; one that may not does not
        (
            "Putin said Russia would not agree to a ceasefire while Ukraine is rearming.",
            {CEASEFIRE: False},
        ),
        ("Russia may not agree to a ceasefire with Ukraine this year, analysts say.", {}),
        # an absolute "with" asserts; a passive gerund names
        (
            "With the ceasefire holding in Ukraine, Zelenskyy said 19 members had ratified "
            "the guarantees.",
            {CEASEFIRE: True, RATIFIED: True},
        ),
        (
            "French troops would be in Ukraine within 30 days of a ceasefire being signed "
            "with Russia.",
            {},
        ),
        # "every member has ratified" says what happened; "any member that ratifies" not
        (
            "Every member of the coalition has now formally ratified its security commitments "
            "to Ukraine, the ministry said.",
            {RATIFIED: True},
        ),
        ("America stands with its allies on the security guarantees for Ukraine.", {US: True}),
        # two body sentences disagreeing on an act: the later one is the news
        (
            "An official said on Monday that the first French hub had opened in Rivne. The "
            "ministry later corrected the statement, saying no hub had been set up in Ukraine.",
            {FR_HUBS: False, UK_HUBS: False},
        ),
    ],
)
def test_conditions_aims_places_and_phrases_of_time(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


def test_a_headlines_not_belongs_to_its_verb(extractor: RuleExtractor) -> None:
    """The parser reads "Rubio: US will not back Ukraine guarantees" as one noun phrase
    under "guarantees"; its "not" denies the backing, not that guarantees exist."""
    found = facts(
        extractor,
        "Marco Rubio said on Monday that the United States would not back the guarantees.",
        "Rubio: US will not back Ukraine guarantees",
    )
    assert found == {US: False}


def test_what_waits_on_until_has_not_happened(extractor: RuleExtractor) -> None:
    text = (
        "Prime Minister Keir Starmer told MPs at Prime Minister's Questions on Wednesday that "
        "the military hubs Britain had promised to build in Ukraine with France did not yet "
        'exist, and would not until Russia agreed to stop fighting. "We are ready. The plans '
        'are ready. What is missing is a ceasefire," he said.'
    )
    title = "Starmer: hubs will come, but not before a ceasefire"
    assert facts(extractor, text, title) == {UK_HUBS: False, FR_HUBS: False}


def test_the_storys_own_hubs_are_context_enough_for_its_ceasefire(
    extractor: RuleExtractor,
) -> None:
    text = "Two weeks into the truce, the British and French military hubs have yet to be set up."
    found = facts(extractor, text, "Truce holds, but military hubs still only on paper")
    assert found == {CEASEFIRE: True, UK_HUBS: False, FR_HUBS: False}
    assert facts(extractor, "The truce holds.", "Truce holds") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an accusation may be false; the ceasefire it names is there
        (
            "Kyiv accused Moscow on Friday of breaching the ceasefire with a strike on Kharkiv.",
            {CEASEFIRE: True},
        ),
        (
            "Ukraine's defence minister said Kyiv will monitor the truce with Russia closely.",
            {CEASEFIRE: True},
        ),
        # an indefinite one may never come
        ("Moscow said it would respect any ceasefire agreed with Ukraine.", {}),
        ("Kyiv warned Moscow against breaching a future ceasefire with Ukraine.", {}),
    ],
    ids=["accused-of-breaching", "will-monitor-the-truce", "any-ceasefire", "a-future-one"],
)
def test_what_a_verb_does_to_the_ceasefire_says_there_is_one(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


MOSCOW = "moscow/commented-on/paris-meeting"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parser takes "agreed" for the main verb; "None" is still the subject
        ("None of the guarantees agreed in Paris has been ratified.", {RATIFIED: False}),
        ("Most of the guarantees agreed in Paris have been ratified.", {RATIFIED: True}),
        # the owner of the decision is who stops
        (
            "Washington's decision to stop backing the Paris guarantees shocked Europe.",
            {US: False},
        ),
        # what the act is called says it is there; an open question does not
        (
            "Starmer said that American support for the guarantees was the missing piece.",
            {US: True},
        ),
        ("US support for the guarantees is an open question.", {}),
        (
            "The United States fully supports the commitments made in Paris to protect "
            "Ukraine after the war.",
            {US: True},
        ),
        # a list's first noun shares the participle hung on its last
        (
            "The force includes about 2,400 French soldiers and 1,100 British troops "
            "stationed across central and western Ukraine.",
            {TROOPS: True},
        ),
        # "its" is the force named in the clause before
        (
            "France's reassurance force remains on standby at bases in eastern France, and "
            "not one of its soldiers has crossed into Ukraine.",
            {TROOPS: False},
        ),
        ("The French reassurance force had not materialised in Ukraine.", {TROOPS: False}),
        (
            "French and British soldiers now work side by side at a depot near Vinnytsia.",
            {TROOPS: True},
        ),
        (
            "Peskov ignored a question about the reassurance force and moved on.",
            {MOSCOW: False},
        ),
    ],
    ids=[
        "none-of-them-ratified",
        "most-of-them-ratified",
        "decision-to-stop-backing",
        "support-was-the-missing-piece",
        "support-an-open-question",
        "supports-the-commitments",
        "list-shares-the-participle",
        "its-soldiers",
        "had-not-materialised",
        "work-side-by-side",
        "ignored-a-question",
    ],
)
def test_subjects_owners_and_lists_the_parse_hides(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "as" read as a preposition: its object is who came into force
        (
            "Air raid sirens fell silent across Ukraine early Sunday as a ceasefire between "
            "Russia and Ukraine came into force at midnight.",
            {CEASEFIRE: True},
        ),
        # "no mention" is the mention's, not the ceasefire's
        (
            "He made no mention of the British and French troops now stationed in Ukraine "
            "under the ceasefire agreed in August.",
            {CEASEFIRE: True, TROOPS: True},
        ),
        ("No statement on the Paris summit was issued by the Kremlin.", {MOSCOW: False}),
        # what follows "but" holds
        (
            "Ratification in the Latvian Saeima had been delayed twice, but on Thursday MPs "
            "finally approved Latvia's security commitments to Ukraine by 81 votes to 9.",
            {RATIFIED: True},
        ),
    ],
    ids=["as-it-came-into-force", "no-mention-of", "no-statement-issued", "delayed-but-approved"],
)
def test_what_a_misread_preposition_or_a_but_leaves(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the place a move leaves or enters is its object
        ("French troops left Mali in 2022 and Niger in 2023.", {}),
        ("French troops left Ukraine on Monday.", {TROOPS: False}),
        ("French soldiers entered Ukraine on Monday.", {TROOPS: True}),
        # an indefinite noun with its clause, subject of "is", defines; it reports nothing
        ("A guarantee that has not been ratified is a promise, nothing more.", {}),
        ("The guarantee that was ratified on Monday is a promise kept.", {RATIFIED: True}),
        (
            "A ceasefire that was signed on Monday between Russia and Ukraine collapsed on Friday.",
            {CEASEFIRE: True},
        ),
    ],
    ids=[
        "left-mali",
        "left-ukraine",
        "entered-ukraine",
        "a-definition",
        "the-one-ratified",
        "a-ceasefire-that-was-signed",
    ],
)
def test_places_moved_from_and_things_defined(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # to remain, they are there
        (
            "Despite the row with Washington, French troops will remain in Ukraine, Emmanuel "
            "Macron said on Wednesday.",
            {TROOPS: True},
        ),
        ("If deployed, French troops will remain in Ukraine for years.", {}),
        ("Once a ceasefire is signed, French troops will stay in Ukraine for two years.", {}),
        ("Hundreds of French paratroopers rolled into western Ukraine yesterday.", {TROOPS: True}),
    ],
    ids=["will-remain", "if-deployed", "once-signed", "rolled-into"],
)
def test_what_will_go_on_is_there_now(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a headline that opens on a bare verb gives an order, not news
        ("", "Opinion: Ratify the guarantees, or they are worthless", {}),
        ("", "Ratify guarantees now, Zelensky tells allies", {}),
        ("", "Parliaments ratify Ukraine guarantees", {RATIFIED: True}),
        # what a side only claims may not be so; what it says is read as said
        (
            "French troops have been deployed to Ukraine, Russian state television claimed "
            "on Wednesday.",
            "",
            {},
        ),
        ("Russian state media alleged that French troops had arrived in Odesa.", "", {}),
        ("The ministry said French troops had arrived in Odesa.", "", {TROOPS: True}),
        # a reply named as a noun, with its author after "from"
        (
            "The ratification by Westminster of the UK's Paris commitments drew a sharp "
            "response from Moscow on Thursday.",
            "",
            {MOSCOW: True, RATIFIED: True},
        ),
        (
            "There was a furious reaction from the Kremlin to the Paris declaration.",
            "",
            {MOSCOW: True},
        ),
        ("The Kremlin made no response to the declaration.", "", {}),
    ],
    ids=[
        "opinion-imperative",
        "imperative-compound",
        "headline-ratify",
        "tv-claimed",
        "media-alleged",
        "ministry-said",
        "drew-a-response-from",
        "reaction-from-to",
        "no-response",
    ],
)
def test_calls_allegations_and_replies_named_as_nouns(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Denmark on Tuesday became the first country to ratify the Paris security guarantees.",
            {RATIFIED: True},
        ),
        (
            "Denmark's parliament on Tuesday became the first to ratify the Paris security "
            "guarantees.",
            {RATIFIED: True},
        ),
        ("Denmark wants to be the first country to ratify the Paris security guarantees.", {}),
        ("Denmark is expected to be the next country to ratify the Paris guarantees.", {}),
    ],
    ids=["first-country-to", "first-to", "wants-to-be-first", "next-to"],
)
def test_the_first_to_act_acted(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kyiv said Moscow's reaction to the Paris guarantees, a stream of threats, "
            '"shows exactly why they are needed".',
            {MOSCOW: True},
        ),
        # a reply still awaited has not come, and awaiting it ratifies nothing
        ("Moscow's reaction to the Paris guarantees is still awaited.", {}),
        ("Europe awaits Moscow's reaction to the Paris guarantees.", {}),
        ("The Paris guarantees still await ratification.", {RATIFIED: False}),
    ],
    ids=["owner-of-a-reaction", "reaction-awaited", "awaits-a-reaction", "awaits-ratification"],
)
def test_a_reply_by_its_owner_and_what_waits_on_it(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a stand on an act is no act
        ("A poll found that 54% of French voters oppose sending soldiers to Ukraine.", {}),
        ("Paris is considering deploying troops to Ukraine.", {}),
        ("France began deploying troops to Ukraine on Monday.", {TROOPS: True}),
        # a question answered no
        (
            "Asked by AFP whether any French soldiers were currently in Ukraine, an Elysee "
            'official replied: "Categorically not."',
            {TROOPS: False},
        ),
        (
            'Asked whether French soldiers were in Ukraine, the minister said: "We never '
            'comment on deployments."',
            {},
        ),
    ],
    ids=["oppose-sending", "considering-deploying", "began-deploying", "asked-no", "asked-other"],
)
def test_a_stand_on_an_act_and_a_question_answered_no(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what should have been is no stand
        (
            'Senator Mike Lee said the United States "should never have backed" the Paris '
            "security guarantees.",
            {},
        ),
        # "nothing to say" about the thing is silence on it
        (
            'Kremlin spokesman Dmitry Peskov said Moscow had "nothing to say" about reports '
            "that the coalition of the willing would send more troops to Ukraine.",
            {MOSCOW: False},
        ),
        # another summit in Paris
        (
            "Maria Zakharova dismissed the artificial intelligence summit that closed in Paris "
            'on Monday as "theatre for Western tech giants".',
            {},
        ),
        # what a passive's agent condemned is what it spoke about
        (
            "The arrival of French troops in Ukraine was condemned by Russia's foreign "
            'ministry on Wednesday as "the entry of an occupying contingent".',
            {MOSCOW: True, TROOPS: True},
        ),
    ],
    ids=["should-have-backed", "nothing-to-say", "ai-summit", "condemned-by"],
)
def test_counterfactuals_silence_other_summits_and_what_was_condemned(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a call, even where the parser takes the label before the colon for a subject
        (
            "France should not wait, argues a former general.",
            "Opinion: send the French troops now",
            {},
        ),
        # "as soon as" waits, as "once" does
        (
            "Macron said French soldiers stood ready to deploy to Ukraine as soon as a "
            "ceasefire is signed.",
            "",
            {},
        ),
        (
            "Russia and Ukraine signed a ceasefire as soon as the talks resumed.",
            "",
            {CEASEFIRE: True},
        ),
        # a public is not its state
        (
            "Sixty-one percent of Americans support US participation in security guarantees "
            "for Ukraine, according to a Gallup poll.",
            "",
            {},
        ),
        ("Nothing more.", "Most Americans back security guarantees for Ukraine", {}),
        # the lead says what kind of hub the headline means
        (
            "France's crisis centre opened a humanitarian logistics hub in Chernivtsi on Monday "
            "to store generators.",
            "France opens hub in Ukraine",
            {},
        ),
    ],
    ids=[
        "opinion-send",
        "as-soon-as",
        "signed-as-soon-as",
        "poll-share",
        "most-americans",
        "lead-kind",
    ],
)
def test_what_a_precision_trap_batch_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a reply waited for, asked for or not drawn was not made
        ("Europe is waiting for Moscow's reaction to the security guarantees.", "", {}),
        ("The Paris guarantees have not drawn a response from Moscow.", "", {}),
        ("Macron requested a response from Moscow to the Paris guarantees.", "", {}),
        # only a plain no answers the question no
        (
            'Asked whether French soldiers were in Ukraine, the minister replied: "No doubt '
            'about it."',
            "",
            {},
        ),
        (
            'Asked whether French soldiers were in Ukraine, the minister replied: "Not yet."',
            "",
            {TROOPS: False},
        ),
        # "while" sets a report against another, not any clause
        (
            "Putin said Russia would never sign a ceasefire while French troops remained in "
            "Ukraine.",
            "",
            {MOSCOW: True, CEASEFIRE: False},
        ),
        # what a speaking verb reports is its own; what "found" found is the Kremlin's
        (
            "Russian troops found French mercenaries in Kharkiv, according to the Kremlin.",
            "",
            {MOSCOW: True},
        ),
        (
            "Denmark became the first country to ratify the Paris security guarantees.",
            "",
            {RATIFIED: True},
        ),
    ],
    ids=[
        "waiting-for",
        "not-drawn",
        "requested",
        "no-doubt",
        "not-yet",
        "while-not-said",
        "according-after-found",
        "first-country-xcomp",
    ],
)
def test_what_a_review_found(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # what happened years ago is the story's past, not its news
        ("A decade ago, Russia and Ukraine signed a ceasefire in Minsk.", "", {}),
        ("In 2015 Russia and Ukraine agreed a ceasefire in Minsk.", "", {}),
        (
            "Russia and Ukraine signed a ceasefire in Istanbul on Thursday, two years after "
            "the talks began.",
            "",
            {CEASEFIRE: True},
        ),
        ("Unthinkable a year ago, the US has endorsed the Paris guarantees.", "", {US: True}),
        ("A year ago, Russia and Ukraine agreed a ceasefire in Riyadh.", "", {}),
        # a truce that did not hold was there to break: it says nothing of a signing
        ("The ceasefire between Russia and Ukraine did not hold.", "", {}),
        # what a work of fiction tells
        ("In the novel, French troops are deployed to Kharkiv.", "", {}),
        ("The series shows French troops deployed to Lviv.", "", {}),
        (
            "French special forces are deployed behind Russian lines in 'Black Sea', a "
            "thriller that opened on Wednesday.",
            "",
            {},
        ),
        ("In a show of resolve, France deployed 300 troops to Lviv on Monday.", "", {TROOPS: True}),
        ("France has deployed troops to Lviv in a series of rotations.", "", {TROOPS: True}),
        # the lead says where a headline's act took place, unless the headline says it
        (
            "France has opened a military logistics hub in eastern Romania, the defence "
            "ministry said.",
            "France opens military hub to support Ukraine",
            {},
        ),
        (
            "Britain has opened a military logistics hub in Lviv, the ministry said.",
            "Britain opens military hub to support Ukraine",
            {UK_HUBS: True},
        ),
        # the context named elsewhere in the document must be more than the thing itself
        (
            "Norway's parliament on Tuesday ratified a defence agreement with the United "
            "States. 'Our security guarantee is NATO,' the defence minister said.",
            "Norway ratifies security agreement",
            {},
        ),
        (
            "Norway's parliament on Tuesday ratified its security agreement. The pact is part "
            "of the guarantees for Ukraine agreed in Paris.",
            "Norway ratifies security agreement",
            {RATIFIED: True},
        ),
    ],
    ids=[
        "decade-ago",
        "in-2015",
        "years-after-is-no-date",
        "a-year-ago-said-of-now",
        "a-year-ago-fronted",
        "did-not-hold",
        "novel",
        "series-shows",
        "thriller",
        "show-of-resolve",
        "series-of",
        "lead-places-elsewhere",
        "lead-places-in-ukraine",
        "context-only-the-thing",
        "context-named-apart",
    ],
)
def test_history_fiction_and_where_the_lead_puts_it(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # the parser joins the second subject to the first object: the name before the verb
        (
            "The allies pledged security guarantees and the United States backed the framework.",
            "",
            {US: True},
        ),
    ],
    ids=["stranded-subject"],
)
def test_what_the_parse_strands(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Italy's cabinet on Monday approved a bill ratifying Rome's security commitments "
            "to Ukraine and sent it to parliament.",
            "",
            {},
        ),
        (
            "Italy's parliament on Monday approved a bill ratifying Rome's security "
            "commitments to Ukraine.",
            "",
            {RATIFIED: True},
        ),
        (
            "A Bundestag committee voted on Monday to ratify Germany's security commitments "
            "to Ukraine.",
            "",
            {},
        ),
        (
            "The Dutch government ratified the Netherlands' security commitments to Ukraine "
            "on Monday.",
            "",
            {RATIFIED: True},
        ),
        (
            "The Sejm passed the bill ratifying Poland's security commitments to Ukraine in "
            "its first reading on Monday.",
            "",
            {},
        ),
        (
            "The bill now goes to the Senate.",
            "Italy's cabinet approves Ukraine guarantees bill",
            {},
        ),
        # clearing a legislature is passing it; clearing the way is not
        (
            "Three months on, the Paris commitments have yet to clear a single national "
            "legislature, the minister said.",
            "",
            {RATIFIED: False},
        ),
        ("The Paris security commitments cleared the Bundestag on Thursday.", "", {RATIFIED: True}),
        (
            "The committee vote cleared the way for the ratification of the Paris commitments.",
            "",
            {},
        ),
        ("MPs meet today ahead of the ratification of the Paris security commitments.", "", {}),
    ],
    ids=[
        "cabinet-approves-bill",
        "parliament-approves-bill",
        "committee-votes-to",
        "government-ratifies",
        "first-reading",
        "cabinet-headline",
        "yet-to-clear-a-legislature",
        "cleared-the-bundestag",
        "the-way-for",
        "ahead-of",
    ],
)
def test_a_step_toward_ratifying_is_not_ratifying(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Russia and Ukraine agreed on Tuesday to a partial truce on energy strikes.", ""),
        ("Fighting continues on the front line.", "Ukraine, Russia agree energy truce"),
        ("Russia and Ukraine signed a maritime truce in the Black Sea on Friday.", ""),
    ],
    ids=["partial-truce", "energy-truce-headline", "maritime-truce"],
)
def test_a_truce_on_one_kind_of_strike_is_no_ceasefire(
    extractor: RuleExtractor, text: str, title: str
) -> None:
    assert facts(extractor, text, title) == {}


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # an event noun whose happening is denied did not happen; one that is only not
        # attended or answered did
        ("The opening of the British hub in Lviv has not happened.", "", {UK_HUBS: False}),
        ("The deployment of French troops to Ukraine has not taken place.", "", {TROOPS: False}),
        (
            "Ministers did not attend the opening of the British logistics hub near Lviv on "
            "Monday.",
            "",
            {UK_HUBS: True},
        ),
        # a relative clause the parser hung on the place inside the noun's phrase
        (
            "The guarantees for Ukraine, which Washington stopped backing last week, are now "
            "a European affair.",
            "",
            {US: False},
        ),
        (
            "The guarantees drawn up in Paris, which Washington has publicly endorsed, were a "
            "recipe for confrontation.",
            "",
            {US: True},
        ),
        ("The French force of reassurance is nowhere near Ukraine.", "", {TROOPS: False}),
        (
            "In a war game run by a London think tank, teams playing Russia and Ukraine "
            "signed a ceasefire in the third round, after which a French brigade deployed to "
            "Kyiv and British planners opened two hubs.",
            "",
            {},
        ),
        (
            "Funds were set aside for the French troops now deployed around Kyiv.",
            "",
            {TROOPS: True},
        ),
        (
            "Four months after the Paris summit, Ukraine still awaits the military hubs that "
            "Britain and France pledged to set up.",
            "",
            {UK_HUBS: False, FR_HUBS: False},
        ),
        (
            "The ratification of France's commitments under the Paris declaration was put off "
            "on Tuesday.",
            "",
            {RATIFIED: False},
        ),
        (
            "US envoy Steve Witkoff said Washington stood shoulder to shoulder with Europe on "
            "the guarantees for Ukraine.",
            "",
            {US: True},
        ),
        # "once" read as an adverb still opens its clause
        (
            "In a survey published on Sunday, 54% of French respondents approved of sending "
            "troops to Ukraine once a ceasefire is signed.",
            "",
            {},
        ),
        # a chamber that sends the text on to the next has taken a step
        (
            "Canada's House of Commons passed the bill enshrining Ottawa's security "
            "commitments to Ukraine by a wide margin, sending it to the Senate.",
            "",
            {},
        ),
        (
            "The Senate passed the bill ratifying France's security commitments to Ukraine on "
            "Tuesday, sending it to the president for signature.",
            "",
            {RATIFIED: True},
        ),
    ],
    ids=[
        "opening-not-happened",
        "deployment-not-taken-place",
        "opening-not-attended",
        "relative-on-the-place",
        "relative-through-participle",
        "nowhere-near",
        "war-game",
        "deployed-around",
        "still-awaits",
        "put-off",
        "shoulder-to-shoulder",
        "once-as-adverb",
        "sent-to-the-senate",
        "sent-to-the-president",
    ],
)
def test_what_two_more_blind_batches_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the thing itself, definite and placed in Ukraine, is there
        (
            "Dmitry Medvedev on Tuesday mocked the French military hub in the Odesa region as "
            "a holiday camp.",
            {MOSCOW: True, FR_HUBS: True},
        ),
        (
            "A British soldier was injured in an accident at the UK-run military hub in "
            "Vinnytsia region on Monday.",
            {UK_HUBS: True},
        ),
        (
            "The Russian ambassador told Le Figaro that French soldiers now in Ukraine were "
            "not peacekeepers.",
            {MOSCOW: True, TROOPS: True},
        ),
        # not one planned, named only by what is done toward it, or that any could be
        ("Moscow warned that the planned British hub near Lviv would be a target.", {MOSCOW: True}),
        (
            "Russia warned that French troops in Ukraine would be legitimate targets.",
            {MOSCOW: True},
        ),
        ("Work on the British military hub in Ukraine began last week.", {}),
        ("Life is quiet at the French base near Odesa.", {}),
        ("Life is quiet at the French hub near Odesa.", {FR_HUBS: True}),
        # what the sentence says outright beats what its phrase takes for granted
        ("The UK-French hubs in Ukraine have yet to open.", {UK_HUBS: False, FR_HUBS: False}),
    ],
    ids=[
        "mocked-the-hub",
        "accident-at-the-hub",
        "soldiers-now-in",
        "planned-hub",
        "bare-troops-in",
        "work-on-the-hub",
        "a-base-is-no-hub",
        "the-hub-near-odesa",
        "said-outright",
    ],
)
def test_a_thing_placed_in_ukraine_is_there(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # only the words that date the act itself: not a relative clause's year
        (
            "Russia, which annexed Crimea in 2014, signed a ceasefire with Ukraine on Monday.",
            "",
            {CEASEFIRE: True},
        ),
        (
            "Russia and Ukraine have signed a ceasefire ending a war that began in 2022.",
            "",
            {CEASEFIRE: True},
        ),
        ("Peskov said the Paris meeting ignored the lessons of 2014.", "", {MOSCOW: True}),
        (
            "Eleven years ago today, leaders of Russia, Ukraine, France and Germany agreed in "
            "Minsk on a ceasefire for eastern Ukraine, signed by Kyiv and Moscow's envoy.",
            "",
            {},
        ),
        # a thing named in a claim, a decision or its location is not said to be there
        (
            "Moscow's claim to have hit the French military hub near Odesa was false, the "
            "Elysee said.",
            "",
            {},
        ),
        (
            "Britain's hub near Lviv, announced in January, is not expected to open before 2027.",
            "",
            {},
        ),
        ("A decision on the British hub in Ukraine is expected next month.", "", {}),
        ("Officials are negotiating the location of the British hub in Ukraine.", "", {}),
        # a happening denied only as to when or how still happened
        ("The arrival of French troops in Odesa did not begin until Monday.", "", {TROOPS: True}),
        (
            "The opening of the British hub near Lviv did not go ahead on Tuesday as planned "
            "but took place on Wednesday.",
            "",
            {UK_HUBS: True},
        ),
        # figures of speech and true stories are no fiction
        (
            "Russia and Ukraine signed a ceasefire in a drama that played out overnight in "
            "Istanbul.",
            "",
            {CEASEFIRE: True},
        ),
        (
            "The French troops stationed in Ukraine took part in a war game with Ukrainian units "
            "on Tuesday.",
            "",
            {TROOPS: True},
        ),
        (
            "A new documentary series follows the French troops who deployed to Ukraine in July.",
            "",
            {TROOPS: True},
        ),
        # what a past sentence puts before or celebrates happened
        (
            "Celebrations for the ratification of the Ukraine security guarantees lasted into "
            "the night in Kyiv.",
            "",
            {RATIFIED: True},
        ),
        (
            "Shortly before the arrival of French troops in Odesa, Russia struck the port.",
            "",
            {TROOPS: True},
        ),
        (
            "MPs met ahead of the ratification of the Paris security commitments.",
            "",
            {RATIFIED: True},
        ),
        # the lead's own sentence says where; another act elsewhere is another act
        (
            "The first 300 soldiers reached Kyiv by train on Monday. Paris has also deployed "
            "500 troops to Romania.",
            "French troops arrive in boost for Kyiv",
            {TROOPS: True},
        ),
        # "once" told in the past happened
        (
            "Russia stepped up strikes on Lviv once Britain opened its hub there in March.",
            "",
            {UK_HUBS: True},
        ),
    ],
    ids=[
        "relative-clause-year",
        "war-that-began",
        "lessons-of-2014",
        "years-ago-today",
        "claim-to-have-hit",
        "announced-not-expected",
        "decision-on",
        "location-of",
        "not-until-monday",
        "not-on-tuesday-but",
        "drama",
        "took-part-in-a-war-game",
        "documentary-series",
        "celebrations-for",
        "shortly-before",
        "met-ahead-of",
        "lead-in-place-then-elsewhere",
        "once-in-the-past",
    ],
)
def test_what_a_review_of_the_new_rules_found(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whose hub it is must be said, in the sentence or around it
        (
            "Ukrainian drone maker Vyrii Dynamics opened a production hub in Vejle on Monday, "
            "the first of its kind outside Ukraine.",
            {},
        ),
        ("A Ukrainian firm opened a military logistics hub in Lviv on Monday.", {}),
        ("Britain opened a military logistics hub in Lviv on Monday.", {UK_HUBS: True}),
        # a month and a year date the act; so does the thing's own date
        ("In February 2015, Russia and Ukraine signed a ceasefire in Minsk.", {}),
        ("A ceasefire signed in February 2015 was broken within days at Debaltseve.", {}),
    ],
    ids=["production-hub", "whose-hub", "britain-opened", "month-and-year", "the-things-date"],
)
def test_what_an_eleventh_batch_taught(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a joint hub's compound names both owners
        (
            "The Franco-British military hub near Rivne opened on Monday.",
            "Hub opens near Rivne",
            {UK_HUBS: True, FR_HUBS: True},
        ),
        (
            "Zelensky toured the Anglo-French logistics hub near Rivne on Tuesday.",
            "",
            {UK_HUBS: True, FR_HUBS: True},
        ),
        # "for" after a noun of preparing points ahead
        ("The Rada has scheduled a vote for the ratification of the security guarantees.", "", {}),
        ("Kyiv is making arrangements for the arrival of French troops in Lviv.", "", {}),
        (
            "The ministry published guidelines for the deployment of French troops to Ukraine.",
            "",
            {},
        ),
        # "since last year" runs to now; a clock time is no year
        (
            "The British hub near Lviv has been operating since last year, officials said.",
            "",
            {UK_HUBS: True},
        ),
        (
            "The ceasefire between Russia and Ukraine came into force from 2000 GMT, Ukrainian "
            "officials said.",
            "",
            {CEASEFIRE: True},
        ),
        # a clause with its own subject keeps its own time
        (
            "A year ago nobody believed it, but French troops are now stationed near Odesa.",
            "",
            {TROOPS: True},
        ),
    ],
    ids=[
        "franco-british",
        "anglo-french",
        "vote-for",
        "arrangements-for",
        "guidelines-for",
        "since-last-year",
        "clock-time",
        "own-clause-own-time",
    ],
)
def test_what_a_second_review_found(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a demand's bare present is what is asked for, not what is
        ("Poland demanded that French troops leave Ukraine.", {}),
        ("Poland's demand that French troops leave Ukraine was rejected.", {}),
        ("Poland demanded that French troops be withdrawn from Ukraine.", {}),
        ("Poland insisted that French troops leave Ukraine immediately.", {}),
        # the indicative after a verb of saying still tells what is
        ("Poland said that French troops left Ukraine on Monday.", {TROOPS: False}),
        ("Macron told reporters that French troops remain in Ukraine.", {TROOPS: True}),
    ],
    ids=["demanded-that", "demand-that", "passive", "insisted", "said-that", "told-that"],
)
def test_what_is_demanded_has_not_happened(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a demand named as a noun, its clause a passive participle
        ("Zelensky repeated his demand that the guarantees be ratified by parliaments.", {}),
        ("The proposal that French troops be stationed in Ukraine was shelved.", {}),
        # "for X to be ratified": a passive infinitive is what is wanted
        ("Zelensky renewed his call for the security guarantees to be ratified.", {}),
        # an adjective of need: whatever the clause's verb, if not told in the past
        ("It is essential that the parliaments ratify the security guarantees.", {}),
        ("It is vital that the parliaments ratify the guarantees soon, Macron said.", {}),
        # ... but a clause told as so is so
        (
            "It is crucial that the ceasefire between Russia and Ukraine is holding, Zelensky "
            "said.",
            {CEASEFIRE: True},
        ),
        # what a noun only reports, hopes or fears, or says there is none of
        ("Amid reports that French troops had arrived in Odesa, Paris stayed silent.", {}),
        ("Rumours that a ceasefire had been signed swept Kyiv on Monday.", {}),
        ("Fears that the United States had withdrawn its backing for the guarantees grew.", {}),
        ("There was no confirmation from Moscow that a ceasefire had been signed.", {}),
        ("There is no evidence that French troops have been deployed to Ukraine.", {}),
        # the report confirmed or denied, and a noun that tells what is
        ("Paris confirmed reports that French troops had arrived in Odesa.", {TROOPS: True}),
        ("Kyiv denied reports that a ceasefire had been signed.", {CEASEFIRE: False}),
        (
            "Confirmation that French troops had arrived in Kyiv came from the Elysee.",
            {TROOPS: True},
        ),
    ],
    ids=[
        "demand-noun-passive",
        "proposal-passive",
        "call-for-to-be",
        "essential-that",
        "vital-that",
        "crucial-that-indicative",
        "amid-reports",
        "rumours",
        "fears",
        "no-confirmation",
        "no-evidence",
        "confirmed-reports",
        "denied-reports",
        "confirmation-that",
    ],
)
def test_what_a_noun_or_a_need_holds_is_not_told_as_so(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russia's "rejection" is a comment on the guarantees, not a vote on ratifying them
        ("The Kremlin rejected the Paris declaration outright.", {MOSCOW: True}),
        (
            "Russia's parliament voted to reject the security guarantees for Ukraine.",
            {MOSCOW: True},
        ),
        # a coalition member's is
        ("The Slovak parliament rejected the security guarantees for Ukraine.", {RATIFIED: False}),
    ],
    ids=["kremlin-rejects", "duma-rejects", "member-rejects"],
)
def test_an_outside_side_neither_ratifies_nor_blocks(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # told in the past of what was still to come, "before" misread as a preposition
        (
            "Vautrin said that no French soldier had been sent to Ukraine and that none "
            "would go before a ceasefire was signed.",
            "",
            {TROOPS: False},
        ),
        # "left for Ukraine" is going there, not leaving it
        (
            "French troops left for Ukraine before Russia and Ukraine signed a ceasefire.",
            "",
            {CEASEFIRE: True},
        ),
        # whichever ceasefire there may be
        ("Rubio backs a US role in monitoring any ceasefire between Russia and Ukraine.", "", {}),
        # what is only purported or claimed, through a "to" clause
        (
            "A video purporting to show French soldiers marching through Odesa was fake.",
            "",
            {},
        ),
        ("Russian media claimed to have found French troops deployed near Kharkiv.", "", {}),
        # a work named by its title, the kind of work apposed
        (
            "'Reassurance', an eight-part series, follows a platoon of French soldiers "
            "deployed to a hub outside Dnipro.",
            "",
            {},
        ),
        # what a thing will be once it is there
        (
            "Britain's military hubs in Ukraine would be ready within weeks of a ceasefire, "
            "Starmer said.",
            "",
            {},
        ),
        # what the thing acted on is called is not the thing
        (
            "Peskov warned against foreign troops in Ukraine, a warning Ukrainian officials "
            "dismissed as an attempt to relitigate the truce with Russia.",
            "",
            {},
        ),
        (
            "Russia dismissed the truce with Ukraine as a Western trick.",
            "",
            {CEASEFIRE: False},
        ),
        # a headline's verb the parser made a compound of its object
        (
            "The vote was delayed again.",
            "Ottawa delays vote on Ukraine commitments",
            {RATIFIED: False},
        ),
    ],
    ids=[
        "before-under-would",
        "left-for",
        "any-ceasefire",
        "purporting-to-show",
        "claimed-to-have",
        "work-in-apposition",
        "would-be-ready",
        "dismissed-as",
        "dismissed-the-truce-as",
        "headline-compound-verb",
    ],
)
def test_what_a_fourteenth_batch_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    "text",
    [
        "French army engineers crossed into Ukraine from Poland on Sunday.",
        "Some 150 French marines landed in Odesa on Monday.",
        "French commandos are now stationed near Kharkiv.",
    ],
    ids=["army-engineers", "marines", "commandos"],
)
def test_soldiers_of_any_kind_are_troops(extractor: RuleExtractor, text: str) -> None:
    assert facts(extractor, text) == {TROOPS: True}


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a participle the parser made a clausal subject takes its verb's mood
        (
            "Russia's ambassador to France said French soldiers sent to Ukraine \"would not "
            'be peacekeepers but participants in the conflict".',
            "",
            {MOSCOW: True},
        ),
        # the rule's thing named in a headline is no act of its own
        ("x", "US weighing intelligence role in Ukraine guarantees, officials say", {}),
        # a hub that is "weeks away" is not there yet
        (
            "Starmer said on Wednesday that the first British-French military hub in Ukraine "
            'was "weeks away".',
            "",
            {},
        ),
    ],
    ids=["csubj-under-would", "headline-thing-no-act", "weeks-away"],
)
def test_what_a_fifteenth_batch_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an undoing done by the thing itself says it was there; done to talks, none
        ("The ceasefire between Russia and Ukraine collapsed on Friday.", {CEASEFIRE: True}),
        ("Ceasefire talks between Russia and Ukraine collapsed on Friday.", {CEASEFIRE: False}),
        ("The ceasefire between Russia and Ukraine has not collapsed.", {CEASEFIRE: True}),
        # a share of a force withdrawn leaves the rest; the whole, none
        ("France began withdrawing part of its contingent from Ukraine on Monday.", {TROOPS: True}),
        ("France withdrew its contingent from Ukraine on Monday.", {TROOPS: False}),
        # the lack of the thing itself, not of something about it
        (
            "The ministry cited the lack of a ceasefire between Russia and Ukraine.",
            {CEASEFIRE: False},
        ),
        ("Kyiv complained about the lack of respect for the ceasefire with Russia.", {}),
    ],
    ids=[
        "ceasefire-collapsed",
        "talks-collapsed",
        "not-collapsed",
        "part-withdrawn",
        "all-withdrawn",
        "lack-of",
        "lack-of-respect",
    ],
)
def test_what_the_second_part_of_batch_15_taught(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a share of a plan rejected is a rejection; only people are withdrawn in part
        ("Russia rejected most of the ceasefire plan for Ukraine.", {CEASEFIRE: False}),
        # Russia's side is the subject's own, not what describes it
        (
            "Pro-Russian lawmakers in Slovakia blocked the ratification of the security "
            "guarantees.",
            {RATIFIED: False},
        ),
        (
            "Lithuania, Russia's neighbour, ratified the security guarantees on Monday.",
            {RATIFIED: True},
        ),
        # each unit there is there
        ("Macron visited each French unit in Ukraine last week.", {TROOPS: True}),
        # leaving Ukraine for home is leaving
        ("The last French soldiers left Ukraine for home on Friday.", {TROOPS: False}),
        # a distance is no time to wait
        ("The British hub in Lviv is only 70 km away from the Polish border.", {UK_HUBS: True}),
        # a report borne out, or acknowledged, is so
        (
            "Reports that French troops had arrived in Lviv turned out to be accurate.",
            {TROOPS: True},
        ),
        ("Paris acknowledged reports that French troops had arrived in Odesa.", {TROOPS: True}),
        # a trip called off is no hub called off
        ("The Defence Secretary cancelled a trip to the British hub near Lviv.", {UK_HUBS: True}),
        # any declaration is not the Paris one
        ("The US endorsed the Kyiv declaration on grain exports.", {}),
    ],
    ids=[
        "rejected-most-of",
        "pro-russian-lawmakers",
        "russias-neighbour",
        "each-unit",
        "left-ukraine-for-home",
        "km-away",
        "report-borne-out",
        "report-acknowledged",
        "trip-cancelled",
        "other-declaration",
    ],
)
def test_what_a_review_of_this_round_found(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # what one walks away from, named, is what was left
        (
            "\"We're not walking away from peace, we're walking away from open-ended "
            'promises," Vance told NBC.',
            "Vance confirms US no longer backs Paris guarantees",
            {US: False},
        ),
        # named by a pronoun, or not at all, it is the thing around
        (
            "Washington has not walked away from them, Rubio said.",
            "US stands by Ukraine guarantees",
            {US: True},
        ),
    ],
    ids=["walks-away-from-peace", "walks-away-from-them"],
)
def test_what_a_verb_names_it_acts_on(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a headline's act still to come
        (
            "Canada's House of Commons is expected to vote on ratifying Ottawa's share of the "
            "Paris security commitments before the end of April.",
            "Canadian vote on Ukraine commitments expected by spring",
            {},
        ),
        # guarantees of another kind
        (
            "The US development agency will guarantee up to $2 billion in loans to rebuild "
            "Ukraine's power network.",
            "US backs $2bn in loan guarantees for Ukrainian grid",
            {},
        ),
        # what a verb signs up to, named, is what it signs up to
        (
            "The United States withdrew its backing for the security guarantees framework "
            "agreed for Ukraine, after a dispute over how any ceasefire would be monitored. "
            'Karoline Leavitt said Washington "cannot sign up to commitments written by others".',
            "US pulls backing for Paris guarantees framework",
            {US: False},
        ),
    ],
    ids=["expected-by-spring", "loan-guarantees", "sign-up-to-named"],
)
def test_what_a_seventeenth_batch_taught(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what holds "only once" something else is done is not done
        (
            "Twenty-one of the 35 members have completed their national procedures, but the "
            "guarantees count as ratified only once all 35 have done so.",
            {},
        ),
        # told in the past, it happened then
        (
            "Latvia ratified the security guarantees for Ukraine once its elections were over.",
            {RATIFIED: True},
        ),
    ],
    ids=["only-once", "past-once"],
)
def test_what_holds_only_on_a_condition(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an act named as a noun that is "not up for negotiation" stands
        (
            "Witkoff said that US support for the Paris guarantees was not up for negotiation.",
            {US: True},
        ),
        # ... "up for negotiation", it is in doubt, not withdrawn
        ("Vance said US support for the Paris guarantees for Ukraine is up for negotiation.", {}),
        # "continued backing" goes on, whatever the sentence says of it
        (
            "Washington's continued backing for the Paris guarantees shows that the "
            "administration has not changed course.",
            {US: True},
        ),
        # a thing that has an act has it
        ("Witkoff said the guarantees agreed in Paris have full American backing.", {US: True}),
        ("The guarantees for Ukraine do not have full American backing.", {US: False}),
    ],
    ids=[
        "not-up-for-negotiation",
        "up-for-negotiation",
        "continued-backing",
        "have-backing",
        "not-have-backing",
    ],
)
def test_what_recurs_in_the_dev_halves(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # the lack of the thing, in a list of what was cited
        (
            "The ministry cited renewed fighting in Ukraine and the lack of a ceasefire with "
            "Russia.",
            "",
            {CEASEFIRE: False},
        ),
        # no sign of the thing, named or pointed back to in the sentence
        ("There is still no sign of the British military hubs in Ukraine.", "", {UK_HUBS: False}),
        (
            "Three months after London and Paris promised to set up military hubs in Ukraine, "
            "there is still no sign of them.",
            "Still no sign of UK-France hubs in Ukraine",
            {UK_HUBS: False, FR_HUBS: False},
        ),
    ],
    ids=["lack-in-a-list", "no-sign-of-named", "no-sign-of-them"],
)
def test_what_is_lacking_or_not_seen(
    extractor: RuleExtractor, text: str, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "with the ceasefire in force": it is there
        (
            "With the ceasefire between Russia and Ukraine in force, pressure is mounting on "
            "parliaments.",
            {CEASEFIRE: True},
        ),
        # "with a ceasefire in force" is a supposition; another war's is another's
        ("With a ceasefire in force, France would deploy troops to Ukraine.", {}),
        ("With the Gaza ceasefire in force, Israel reopened crossings.", {}),
    ],
    ids=["with-the-ceasefire-in-force", "with-a-ceasefire", "other-war"],
)
def test_a_thing_said_to_be_in_force_is_there(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # quoted words inside a clause: the parser reads "backs" as a noun between marks
        (
            'The White House said the United States "fully backs" the allied security '
            "guarantees for Ukraine.",
            {US: True},
        ),
        (
            "The White House said the United States \u201cfully backs\u201d the allied "
            "security guarantees for Ukraine.",
            {US: True},
        ),
        # quoted speech keeps its marks and its reading
        ('"We back the guarantees for Ukraine," the White House said.', {US: True}),
        # quoted words in a clause still told as a condition
        (
            'Omelchenko said French troops would be "welcome guests" in Ukraine once a '
            "ceasefire was signed.",
            {},
        ),
        # "once", read as an adverb, still opens a condition told in the past of what
        # was to come
        (
            "Omelchenko said French troops would be welcome guests in Ukraine once a "
            "ceasefire was signed.",
            {},
        ),
    ],
    ids=[
        "straight-marks",
        "curly-marks",
        "quoted-speech",
        "quoted-words-in-a-condition",
        "once-after-would",
    ],
)
def test_quoted_words_inside_a_clause(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


def test_quoted_words_keep_their_marks_in_the_evidence(extractor: RuleExtractor) -> None:
    text = 'The White House said the United States "fully backs" the guarantees for Ukraine.'
    (fact,) = [e for e in extractor.extract(doc(text)) if e.type == "FactAsserted"]
    assert '"fully backs"' in fact.data["evidence"]["sentence"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # another country named in the sentence, the act's own words naming Russia and
        # Ukraine: the country reacts to this story's ceasefire
        (
            "India on Friday welcomed the ceasefire agreement signed by Russia and Ukraine "
            "in Istanbul on Thursday.",
            {CEASEFIRE: True},
        ),
        # the act's own words name another war's parties, or none
        ("Israel and Hamas signed a ceasefire, the Russian foreign ministry said.", {}),
        ("The Gaza ceasefire signed in October held, Ukraine's Zelensky said.", {}),
    ],
    ids=["third-country-reacts", "other-parties", "other-war-named-in-the-thing"],
)
def test_an_excluded_party_rules_out_only_its_own_acts(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # welcoming the ceasefire itself says there is one
        (
            "China welcomes the ceasefire between Russia and Ukraine and is willing to take "
            "part in reconstruction.",
            {CEASEFIRE: True},
        ),
        ("The Pope hailed the truce between Russia and Ukraine.", {CEASEFIRE: True}),
        # a plan named after it, one that may come, or a welcome denied, says nothing
        ("Russia welcomed the ceasefire proposal from Ukraine.", {}),
        ("Moscow would welcome a ceasefire with Ukraine.", {}),
        ("Kyiv did not welcome the ceasefire with Russia.", {}),
    ],
    ids=["welcomes-the-ceasefire", "hailed-the-truce", "a-proposal", "would-welcome", "denied"],
)
def test_a_reaction_to_the_thing_itself_says_it_is_there(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "would" in what a past verb of saying reports is the "will" that was said
        (
            "Parnell said the United States would back the security guarantees for Ukraine.",
            {US: True},
        ),
        (
            "Parnell said the United States would continue to support the security "
            "guarantees for Ukraine.",
            {US: True},
        ),
        # still on a condition; or the speaker's own "would", quoted; or what might have been
        (
            "Parnell said the United States would back the security guarantees for Ukraine "
            "if Europe paid.",
            {},
        ),
        ('"We would back the guarantees for Ukraine," Vance said.', {}),
        ("Vance said the US would have backed the guarantees for Ukraine.", {}),
    ],
    ids=["would-back", "would-continue", "on-a-condition", "quoted-would", "would-have"],
)
def test_would_told_in_the_past_is_a_will(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what an act is "without" is not what it acts on
        (
            "Talks between Russia and Ukraine concluded in Abu Dhabi on Thursday without "
            "agreement on a ceasefire, although the sides agreed to exchange prisoners.",
            {CEASEFIRE: False},
        ),
        ("Russia and Ukraine signed a ceasefire without preconditions.", {CEASEFIRE: True}),
    ],
    ids=["concluded-without", "signed-without-preconditions"],
)
def test_what_an_act_is_without(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an act still in progress is not done
        (
            "British and French engineers are still building the first of the two military "
            "hubs in western Ukraine.",
            {},
        ),
        ("The British military hub in Lviv is being set up.", {}),
        ("The Bundestag is ratifying Germany's security commitments to Ukraine.", {}),
        # a state told in the progressive is so
        ("The British military hub near Lviv is operating.", {UK_HUBS: True}),
        # "are to open": arranged, still to come
        ("France and the United Kingdom are to open military hubs in Ukraine.", {}),
        (
            "The military hubs that France and the United Kingdom are to open in Ukraine "
            "have not yet been set up.",
            {UK_HUBS: False, FR_HUBS: False},
        ),
        # what a debate or a vote is on may not happen
        ("The debate on the deployment of French troops to Ukraine was suspended.", {}),
        ("Protests over the deployment of French troops in Odesa grew.", {TROOPS: True}),
    ],
    ids=[
        "still-building",
        "being-set-up",
        "is-ratifying",
        "is-operating",
        "are-to-open",
        "the-hubs-they-are-to-open",
        "debate-on",
        "protests-over",
    ],
)
def test_what_is_under_way_arranged_or_debated_is_not_done(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rule of how talks go is no news of the ceasefire
        (
            '"Nothing is agreed until everything is agreed," a Ukrainian official said of '
            "the ceasefire talks with Russia.",
            {},
        ),
        # naming the thing, it answers
        ("No ceasefire is agreed until Russia and Ukraine sign it.", {CEASEFIRE: False}),
    ],
    ids=["maxim", "names-the-thing"],
)
def test_a_maxim_is_no_news(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a sentence says came later is the news, however each is dated
        (
            "The Russian embassy in Paris declined to comment on Tuesday on the Paris "
            "summit. Later in the day, in a post on Telegram, the embassy said any French "
            'contingent on Ukrainian soil would be "a party to the conflict".',
            {MOSCOW: True},
        ),
        # without it, the day-dated silence stands
        (
            "The Russian embassy in Paris declined to comment on Tuesday on the Paris "
            "summit. In a post on Telegram, the embassy said any French contingent on "
            'Ukrainian soil would be "a party to the conflict".',
            {MOSCOW: False},
        ),
    ],
    ids=["later-in-the-day", "undated"],
)
def test_what_came_later_is_the_news(
    extractor: RuleExtractor, text: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # headlines In Title Case, read with the words of the questions' rules in lower case
        (
            "Russia, Ukraine Sign Ceasefire Deal In Istanbul",
            {"russia-ukraine/signed/ceasefire": True},
        ),
        ("First French Troops Arrive In Ukraine", {"france/deployed-troops-to/ukraine": True}),
        (
            "US Withdraws Backing For Ukraine Security Guarantees",
            {"united-states/backs/security-guarantees": False},
        ),
        (
            "Parliaments Ratify Ukraine Security Guarantees",
            {"participating-countries/ratified/security-guarantees": True},
        ),
        # and still answer nothing for a question, or for another war
        ("Will Russia And Ukraine Sign A Ceasefire?", {}),
        # a question that ends inside the headline asks its first part
        ("Is Washington Still Behind The Ukraine Guarantees? Senators Want Answers", {}),
        # what is so "or not" is not told
        ("Ratified Or Not, The Guarantees Are 'Not Worth The Paper'", {}),
        ("Israel And Hamas Sign Ceasefire In Cairo", {}),
    ],
)
def test_a_title_case_headline_answers_as_its_sentence_case_would(
    extractor: RuleExtractor, title: str, expected: dict[str, object]
) -> None:
    assert facts(extractor, "", title) == expected
