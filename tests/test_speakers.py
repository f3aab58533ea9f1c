"""Who said what, for any speaker, in the shapes news uses; with the real model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.trackers import article

from tracker.domain.events import DocumentIngested
from tracker.ingest.extract import RuleExtractor
from tracker.ingest.parsing import sentence_cased
from tracker.ingest.reading import reading

THURSDAY = datetime(2026, 1, 8, 15, 0, tzinfo=UTC)
KEY = "moscow/commented-on/paris-meeting"


def doc(text: str, title: str = "", **fields: object) -> DocumentIngested:
    return article(text, title, THURSDAY, source="feed", **fields)


def said(extractor: RuleExtractor, text: str, title: str = "") -> list[tuple[str, str | None]]:
    return [
        (e.data["speaker_name"], e.data["side"])
        for e in extractor.extract(doc(text, title))
        if e.type == "StatementReported"
    ]


def spoken(extractor: RuleExtractor, text: str, *fields: str) -> list[tuple[object, ...]]:
    """The given fields of each statement found in ``text``."""
    return [
        tuple(e.data[f] for f in fields)
        for e in extractor.extract(doc(text))
        if e.type == "StatementReported"
    ]


def answers(extractor: RuleExtractor, text: str, title: str = "") -> list[object]:
    return [
        e.data["value"]
        for e in extractor.extract(doc(text, title))
        if e.type == "FactAsserted" and e.data["key"] == KEY
    ]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Ivan Petrov, Russia's envoy to the OSCE, said the plan was a dead end.",
            "",
            [("Ivan Petrov", "russia")],
        ),
        (
            "The plan was condemned on Friday by the Russian defence ministry.",
            "",
            [("Russian defence ministry", "russia")],
        ),
        ("", "Petrov: plan is a dead end", [("Petrov", None)]),
        ("", "Plan is a dead end, Kremlin says", [("Kremlin", "russia")]),
        (
            "According to a Ukrainian deputy minister, the talks went nowhere.",
            "",
            [("Ukrainian deputy minister", "ukraine")],
        ),
        (
            '"We will not be intimidated," said Olga Ivanova, a spokeswoman for Russia\'s '
            "mission to the UN.",
            "",
            [("Olga Ivanova", "russia")],
        ),
        (
            "Zelenskiy said the talks were useful. He added that more work was needed.",
            "",
            [("Zelenskiy", "ukraine"), ("Zelenskiy", "ukraine")],
        ),
        ("Turkish officials said the talks would resume.", "", [("Turkish officials", "other")]),
        ("The report was published on Tuesday.", "", []),
        ("Trump's golfing partner says the president cheats on the course.", "", []),
    ],
    ids=[
        "appositive",
        "passive-agent",
        "headline-colon",
        "headline-says",
        "according-to",
        "quote-first",
        "pronoun",
        "other-side",
        "no-speech",
        "not-a-voice",
    ],
)
def test_speakers_are_found_without_a_whitelist(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Nikolai Orlov opened the session on Monday. Later the Russian deputy minister "
            "added that the talks had stalled.",
            "",
            [("Nikolai Orlov", "russia")],
        ),
        (
            "The envoy, Daniel Brooks, spoke to reporters in Geneva on Friday.",
            'Talks "on track", envoy says',
            [("Daniel Brooks", None)],
        ),
        (
            "Pavel Sorokin made the remarks on Tuesday.",
            "Sorokin warns Europe it will regret the deployment",
            [("Pavel Sorokin", None)],
        ),
        (
            "A spokesman for Greta Holm said the visit was cancelled.",
            "",
            [("spokesman", None)],
        ),
        (
            "Officials said the vote was delayed.\nInterior minister Anna Berg: 'We will not "
            "give in' to the strikers",
            "",
            [("Officials", None), ("Interior minister Anna Berg", None)],
        ),
        ("", "Kenya: Aviation Workers Suspend Strike After Deal With Government", []),
        ("", "Botswana: Malaria Claims One As Cases Rise", []),
        ("", "Sudan: Truce Talks Resume in Jeddah, Says Amina Diallo", [("Amina Diallo", None)]),
        ("The map shows that two roads lead to the border.", "", []),
        ("The survey showed that most coastal towns are at risk.", "", [("survey", None)]),
        ("The party showed it had learned nothing from the defeat.", "", []),
        ("", "'This is over': Puigdemont's doubts caught on camera", [("Puigdemont", None)]),
        (
            "Lars Kemp sued the station, claiming he had been wrongly dismissed.",
            "",
            [("Lars Kemp", None)],
        ),
        (
            "Tomas Lind has turned to television. The Swedish director, who won an award in "
            "Cannes for his film Winter, said he was writing a series.",
            "",
            [("Tomas Lind", "other")],
        ),
        (
            "Daniel Okoth, a former vice-president, says he was the victim of an attack\n"
            "A senior opposition leader in Kenya has said gunmen tried to kill him at his home "
            "on Wednesday.",
            "Opposition figure alleges grenade attack on home",
            [("Daniel Okoth", None)] * 3,
        ),
        (
            "Greta Holm named as a witness in court papers\nAn Oslo gun dealer named in court "
            "papers as a witness said he had met the gunman once.",
            "",
            [("Greta Holm", None)],
        ),
        (
            "Lars Kemp lost his job after the station's management team told him he was no "
            "longer welcome. He later sued the station, claiming he had been wrongly dismissed.",
            "",
            [("station's management team", None), ("Lars Kemp", None)],
        ),
        (
            "Tomas Lind has turned to television after revealing he is writing a series. The "
            "minister resigned after weeks of tweeting. She left before saying goodbye.",
            "",
            [("Tomas Lind", None)],
        ),
        (
            "Tomas Lind has turned to television.\nThe Swede confirmed he is writing a series.",
            "Director Tomas Lind to make a TV series",
            [("Tomas Lind", "other")],
        ),
        (
            "",
            "In wake of the hacking row, Trump calls for partnering with Russia on world problems",
            [("Trump", "united-states")],
        ),
        (
            "More research is urgently needed, say the scientists, but they also caution that "
            "the bans on net fishing may cause more harm than good.",
            "",
            [("scientists", None), ("scientists", None)],
        ),
        (
            "Pavel Sorokin published a long article on Telegram accusing Macron of warmongering.",
            "",
            [("Pavel Sorokin", None)],
        ),
        ("Pavel Sorokin will publish an article accusing Macron of warmongering.", "", []),
        (
            '"We have not moved an inch," a senior French officer said on Wednesday.',
            "",
            [("senior French officer", "france")],
        ),
        ("", "Anna Berg: Sweden 'not ready' for the vote", [("Anna Berg", None)]),
        ("", "Ukraine war: 'heaviest shelling' in months", []),
        (
            'The United States is "no longer part of" the security guarantees for Ukraine '
            "agreed in Paris, Matthew Whitaker, the US ambassador to NATO, told reporters in "
            "Brussels on Thursday.",
            "",
            [("Matthew Whitaker", "united-states")],
        ),
    ],
    ids=[
        "role-after-name",
        "role-in-headline",
        "surname-in-headline",
        "indefinite-role-is-someone-else",
        "standfirst-colon",
        "place-label-is-no-voice",
        "label-before-a-colon-is-no-subject",
        "label-then-says-name",
        "document-verb-needs-document",
        "document-verb",
        "showed-is-no-speech",
        "quote-headline-possessive",
        "claiming-after-any-verb",
        "role-with-a-relative-clause",
        "a-lead-introduces-the-headlines-person",
        "an-indefinite-lead-is-the-standfirsts-subject",
        "he-after-a-team-is-the-person-before",
        "after-revealing-a-clause",
        "a-nationality-is-the-person",
        "headline-verb-parsed-as-a-noun",
        "they-after-a-speaker-of-the-same-sentence",
        "a-medium-speaks-for-its-author",
        "a-medium-yet-to-come-says-nothing",
        "an-officer-speaks",
        "a-headline-label-then-a-quote",
        "a-section-label-then-a-quote",
        "name-and-apposition-before-a-conjoined-verb",
    ],
)
def test_a_speaker_is_the_person_the_document_names(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin declines to comment on the Paris summit.", [False]),
        ("Lavrov refused to discuss the Paris guarantees with reporters.", [False]),
        ("Moscow has so far said nothing about the Paris declaration.", [False]),
        ("There was no immediate comment from the Kremlin on the Paris meeting.", [False]),
        (
            "The plan for a reassurance force was condemned on Friday by the Russian defence "
            "ministry.",
            [True],
        ),
        (
            "The Russian embassy in Paris said the doping ban on its athletes was political.",
            [],
        ),
        ("Peskov said Macron's pension reform was France's own business.", []),
        (
            "Viktor Orlov, a pro-war Russian military blogger, wrote that the Paris guarantees "
            "were theatre.",
            [],
        ),
        (
            "Britain opened a logistics hub near Lviv on Monday. Russia's embassy in London said "
            "the site was a legitimate target.",
            [True],
        ),
        (
            "Russia's foreign ministry said it would not comment on the Paris declaration.",
            [False],
        ),
        (
            "Paris dismissed a Russian defence ministry claim that French troops were deployed "
            "near Kharkiv.",
            [True],
        ),
        ("The Kremlin has kept its counsel on the Paris guarantees.", [False]),
        (
            "France has 1,200 soldiers in Ukraine. Maria Zakharova said the troops were occupiers.",
            [True],
        ),
        ("Will Russia respond to the Paris summit?", []),
        ("Lavrov will comment on the Paris declaration on Monday.", []),
        ("If Moscow responds to the Paris guarantees, Kyiv will answer.", []),
        (
            "Sergei Ryabkov said a meeting of European diplomats in Paris on Iran's nuclear "
            "programme was pointless.",
            [],
        ),
        (
            "Russia's foreign ministry expressed concern on Tuesday about the Paris declaration.",
            [True],
        ),
        ("The Russian delegation made a strong start at the Paris chess tournament.", []),
    ],
    ids=[
        "declines",
        "refused-to-discuss",
        "said-nothing",
        "no-comment-from",
        "passive-on-topic",
        "paris-in-speaker-phrase",
        "macron-off-topic",
        "blogger-is-no-voice-of-the-state",
        "the-site-points-back",
        "said-it-would-not-comment",
        "a-claim-named-as-a-noun",
        "kept-its-counsel",
        "the-troops-points-back",
        "question",
        "future",
        "conditional",
        "another-topic-excluded",
        "a-verb-and-its-object-say-it",
        "made-a-start-says-nothing",
    ],
)
def test_moscow_commented_reads_negation_mood_and_topic_from_the_parse(
    extractor: RuleExtractor, text: str, expected: list[object]
) -> None:
    assert answers(extractor, text) == expected


def test_extracted_events_carry_their_source(extractor: RuleExtractor) -> None:
    document = doc(
        "Kremlin spokesman Dmitry Peskov said the Paris declaration was a dangerous step.",
        "Kremlin rejects Paris plan",
        url="https://news.example/kremlin",
        feed="wire",
    )
    events = extractor.extract(document)
    assert {e.type for e in events} == {"StatementReported", "FactAsserted"}
    for event in events:
        evidence = event.data["evidence"]
        assert evidence["title"] == "Kremlin rejects Paris plan"
        assert evidence["url"] == "https://news.example/kremlin"
        assert evidence["feed"] == "wire"
        assert evidence["published_at"].startswith("2026-01-08T15:00")
        assert event.data["producer"]["rule"] and event.data["producer"]["model"]


def test_a_batch_extracts_what_each_document_would_alone(extractor: RuleExtractor) -> None:
    documents = [
        doc("Russia and Ukraine signed a ceasefire on Tuesday.", "Truce"),
        doc("Stocks rose in Tokyo.", "Markets"),
        doc("Lavrov said the Paris summit was theatre.", ""),
    ]
    batched = extractor.extract_many(documents)
    alone = [extractor.extract(d) for d in documents]
    assert [[(e.event_id, e.data) for e in b] for b in batched] == [
        [(e.event_id, e.data) for e in a] for a in alone
    ]
    assert [len(b) for b in batched] == [1, 0, 2]


def test_text_is_read_in_bounded_pieces_and_never_past_the_limit() -> None:
    body = ("Peskov said the talks were theatre. " * 4000).strip()
    document = doc(body, "A long one")
    pieces = reading(document, max_chars=50_000, piece_chars=2_000)
    assert pieces[0] == "A long one"
    assert all(len(p) <= 2_000 for p in pieces)
    assert sum(len(p) for p in pieces[1:]) <= 50_000


def test_text_in_another_language_is_not_parsed(extractor: RuleExtractor) -> None:
    german = (
        "Der Kreml hat die Pariser Erklärung scharf kritisiert. Sprecher Dmitri Peskow sagte "
        "am Donnerstag, die Sicherheitsgarantien seien eine Provokation und würden den Krieg "
        "nur verlängern, wie die Agentur meldete."
    )
    assert extractor.extract(doc(german, "Kreml kritisiert Paris")) == []


def test_a_hostile_text_yields_bounded_work_and_events(extractor: RuleExtractor) -> None:
    limits = extractor.config
    run_on = "Peskov said the Paris summit was a provocation and " * 3000
    assert len(said(extractor, run_on)) <= limits.max_statements
    many = "Peskov said the Paris summit was a provocation. " * 3000
    statements = said(extractor, many)
    assert 0 < len(statements) <= limits.max_statements


@pytest.mark.parametrize(
    "title",
    [
        "UN urged to launch global effort to end offshore tax evasion",
        "Botswana: Government Urged to Review Subsidies and Boost Tax Collection",
        "Government: to review subsidies and boost tax collection",
        "Tottenham Hotspur v Manchester United: Premier League \u2013 live!",
    ],
)
def test_headlines_that_only_look_like_speech_say_nothing(
    extractor: RuleExtractor, title: str
) -> None:
    """The one urged, a plan after a colon and a live page are no one speaking."""
    assert said(extractor, "Latest updates follow.", title) == []


def test_a_headline_label_with_a_verb_after_it_still_speaks(extractor: RuleExtractor) -> None:
    assert said(extractor, "More follows.", "Peskov: Paris plan is a dead end") == [
        ("Peskov", "russia")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capital the verb is said in gives an unnamed ministry its side
        (
            "In Moscow, the foreign ministry said the Paris guarantees were a step to war.",
            [("foreign ministry", "russia")],
        ),
        # a noun's participle is what the noun is, not what was said
        ("The force proposed by Emmanuel Macron was discussed in Kyiv.", []),
        # a reporting verb read under a misparsed clause: the speaker is the one above
        (
            "Vladimir Putin made his first remarks on the guarantees agreed in Paris, telling "
            "his Security Council that Western troops would never be accepted.",
            [("Vladimir Putin", "russia")],
        ),
    ],
)
def test_speakers_from_places_and_misparsed_clauses(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_a_documents_finding_of_silence_is_silence(extractor: RuleExtractor) -> None:
    """What a review found is evidence of the silence, not the review's own words."""
    text = (
        "Russia's foreign ministry has issued no statement on the multinational force since "
        "the Paris summit, a review of its website by AFP found."
    )
    assert answers(extractor, text) == [False]


def test_what_is_said_around_a_parenthetical_verb_keeps_its_spaces(
    extractor: RuleExtractor,
) -> None:
    text = "Matthew Whitaker warned allies. Europe, he said, would have to provide the backstop."
    events = extractor.extract(doc(text))
    contents = [e.data["content"] for e in events if e.type == "StatementReported"]
    assert contents[-1] == "Europe would have to provide the backstop"


def contents(extractor: RuleExtractor, text: str) -> list[tuple[str, str]]:
    return [
        (e.data["speaker_name"], e.data["content"])
        for e in extractor.extract(doc(text))
        if e.type == "StatementReported"
    ]


def test_a_second_speaker_joined_by_but_speaks_for_themselves(extractor: RuleExtractor) -> None:
    text = "The mayor says the bridge will cost $40m but the governor says it will cost twice that."
    assert contents(extractor, text) == [
        ("mayor", "the bridge will cost $40m"),
        ("governor", "it will cost twice that"),
    ]


def test_a_unit_before_a_stop_ends_the_sentence(extractor: RuleExtractor) -> None:
    text = (
        "The ministry says the new port is worth $80m. Harbour board chair Maria Lopes "
        "disagrees, saying the berths alone are worth more."
    )
    assert [name for name, _ in contents(extractor, text)] == ["ministry", "Maria Lopes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "add" speaks only with a clause
        ("The company added the clause to its terms of service on Monday.", []),
        ('"We are ready," the company added.', [("company", "We are ready")]),
        # a participle with its own subject is that subject's
        (
            "The union has stepped up its push for talks, with Ambassador Karim Haddad "
            "outlining a plan to end the fighting.",
            [("Karim Haddad", "a plan to end the fighting")],
        ),
        # a body's whole name, and the body its members speak for
        (
            "The plan would fail, said the Ministry of Foreign Affairs of Latvia.",
            [("Ministry of Foreign Affairs of Latvia", "The plan would fail")],
        ),
        (
            "Members of the Senate Committee on Public Accounts questioned the budget.",
            [("Members of the Senate Committee on Public Accounts", "the budget")],
        ),
    ],
)
def test_who_speaks_in_participles_bodies_and_additions(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert contents(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "he" before anyone has spoken is the person just named as a subject
        (
            'Finance Minister Anna Berg on Friday visited the flooded port. "Time is short," '
            "she said.",
            [("Anna Berg", "Time is short")],
        ),
        # ... and no one when no person was named
        ('The storm hit the coast on Monday. "It was terrible," she said.', []),
        # a speaker the parser hangs as an apposition of the last name before the verb
        (
            "The depots have been built in Poland by Germany and the Netherlands, the "
            "coalition of donors said in a statement on Monday.",
            [("coalition", "The depots have been built in Poland by Germany and the Netherlands")],
        ),
        # a relative pronoun is the one it stands for
        (
            "The minister toured the port with her deputy, Tomas Varga, who said the cranes "
            "were ready.",
            [("Tomas Varga", "the cranes were ready")],
        ),
        (
            "Varga, who has run the port for a decade and says it has never been busier, "
            "was speaking to a newspaper.",
            [("Varga", "it has never been busier")],
        ),
        # a verb whose only object is a pronoun says nothing one can quote
        ("The mayor faced a council that mocks him.", []),
        # a speaker the parser hangs on the phrase before a subjectless "said"
        (
            "Presenting the annual index, which ranks ports on the speed of their customs, "
            "its author, Lena Sorensen, said most ports had become slower.",
            [("Lena Sorensen", "most ports had become slower")],
        ),
        # an air force speaks
        (
            "Forty drones were shot down overnight, Poland's air force said.",
            [("Poland's air force", "Forty drones were shot down overnight")],
        ),
    ],
)
def test_who_speaks_after_a_narrated_person_or_an_apposition(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert contents(extractor, text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kremlin on Paris summit: 'a dangerous step'", [("Kremlin", "a dangerous step")]),
        (
            "Opposition leaders in the Baltic states on the budget: 'a betrayal'",
            [("Opposition leaders", "a betrayal")],
        ),
        ("Ukraine war: Russia strikes Kyiv again", []),
    ],
)
def test_a_headline_speaker_may_name_their_topic_before_the_colon(
    extractor: RuleExtractor, title: str, expected: list[tuple[str, str]]
) -> None:
    found = [
        (e.data["speaker_name"], e.data["content"])
        for e in extractor.extract(doc("The talks went on.", title))
        if e.type == "StatementReported"
    ]
    assert found == expected


def test_channels_speak_from_a_side_but_not_for_it(extractor: RuleExtractor) -> None:
    text = (
        "Emmanuel Macron rejected claims by pro-Kremlin Telegram channels that said the Paris "
        "guarantees were a declaration of war."
    )
    assert ("pro-Kremlin Telegram channels", "russia") in said(extractor, text)
    assert answers(extractor, text) == []


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # "the company" is the organisation just named acting
        (
            "",
            "Siemens opened a plant in Lviv on Monday. The company said it would hire 400 workers.",
            ["Siemens"],
        ),
        # a lead's "Watchdog" is the organisation the next lines name acting, not the one
        # a headline's bare passive acts on
        (
            "Ministry told to publish its arms contracts",
            "Watchdog says the public has a right to know. The ministry has been urged by "
            "Transparency International to publish every contract.",
            ["Transparency International", "Transparency International"],
        ),
        # "an aid group" is some other group
        (
            "",
            "Oxfam delivered food to Kharkiv. An aid group said the roads were closed.",
            ["aid group"],
        ),
    ],
)
def test_an_organisation_named_by_its_kind_is_the_one_just_named(
    extractor: RuleExtractor, title: str, text: str, expected: list[str]
) -> None:
    assert [name for name, _ in said(extractor, text, title)] == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # "what the report says" names no words
        ("What the audit report says, and what it means politically", "The port opened.", []),
        # a gerund with nothing after it reports nothing
        (
            "After weeks of posting, the mayor and team face open questioning this coming week",
            "The port opened.",
            [],
        ),
        # ... but one with a clause does
        (
            "",
            "The minister spoke for an hour, questioning whether the port would open.",
            [("minister", "whether the port would open")],
        ),
        # a dateline after a dash is no speaker
        ("Port reopens after strike - Regional News Briefs - March 3, 2026", "It opened.", []),
    ],
)
def test_no_words_no_statement(
    extractor: RuleExtractor, title: str, text: str, expected: list[tuple[str, str]]
) -> None:
    found = [
        (e.data["speaker_name"], e.data["content"])
        for e in extractor.extract(doc(text, title))
        if e.type == "StatementReported"
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a full name the recogniser does not tag, as an apposition, is the speaker
        (
            "Russia's ambassador to France, Alexei Meshkov, said on Thursday that the plan "
            "was dangerous.",
            [("Alexei Meshkov", "russia")],
        ),
        # a name of one word, or a body, stays the role
        ("The news agency, Interfax, said the talks had failed.", [("news agency", None)]),
        # a document speaks for whoever made it
        (
            "Not a single parliament has ratified the guarantees, according to a tally by "
            "the European Council on Foreign Relations.",
            [("European Council on Foreign Relations", None)],
        ),
        ("According to a report from Reuters, the talks failed.", [("Reuters", None)]),
        ("A report by analysts found that the hubs were empty.", [("report", None)]),
        # a post and a name without commas: the parser reads "France Alexei Meshkov" as
        # one name
        (
            '"The Paris plans are adventurism," Russian Ambassador to France Alexei Meshkov '
            "told the Izvestia newspaper.",
            [("Alexei Meshkov", "russia")],
        ),
        (
            "Ukraine's Ambassador to the United Kingdom Valerii Zaluzhnyi welcomed the vote.",
            [("Valerii Zaluzhnyi", "ukraine")],
        ),
        # a post with no name after it, or a body's name, stays the role
        (
            "Russia's ambassador to the United Nations Security Council said the plan was "
            "dangerous.",
            [("Russia's ambassador", "russia")],
        ),
    ],
    ids=[
        "untagged-apposition",
        "one-word-name",
        "tally-by",
        "report-from",
        "unnamed-makers",
        "post-then-name",
        "post-then-name-after-a-long-place",
        "post-then-body",
    ],
)
def test_the_name_behind_a_role_or_a_document(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_a_headlines_fronted_words_are_what_was_said(extractor: RuleExtractor) -> None:
    """ "Not a single French soldier in Ukraine, Paris says": the parser makes the words a
    second subject of "says"; their "not" does not silence Paris, and Paris is France."""
    events = extractor.extract(
        doc(
            "Developing story; more to follow.",
            "Not a single French soldier in Ukraine, Paris says after Russian claims",
        )
    )
    spoken = [
        (e.data["speaker_name"], e.data["side"], e.data["content"])
        for e in events
        if e.type == "StatementReported"
    ]
    assert spoken == [("Paris", "france", "Not a single French soldier in Ukraine")]


def test_who_was_asked_did_not_speak(extractor: RuleExtractor) -> None:
    """ "Asked whether Moscow had commented, the embassy referred reporters to the
    ministry": the embassy was asked; it said nothing about the guarantees."""
    text = (
        "Asked whether Moscow had commented on the guarantees agreed in Paris, the Russian "
        "embassy in Ottawa referred reporters to the foreign ministry."
    )
    assert said(extractor, text) == []
    assert answers(extractor, text) == []
    asked = "Asked about the Paris summit, Peskov said it was a provocation."
    assert said(extractor, asked) == [("Peskov", "russia")]
    assert answers(extractor, asked) == [True]


def test_a_military_facility_is_a_topic_of_the_summit(extractor: RuleExtractor) -> None:
    text = (
        "The Russian defence ministry said any military facility set up by Britain or "
        "France in Ukraine would be destroyed at the first opportunity."
    )
    assert answers(extractor, text) == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parser hangs "confirmed" on the apposition it follows
        (
            "The US is no longer backing the Paris security framework for Ukraine, a White "
            "House official confirmed on Thursday.",
            [("White House official", "united-states")],
        ),
        # a "said" after the clause attributes it, even a clause about not commenting
        (
            "Moscow has still not commented on the plans for military hubs in Ukraine, a "
            "Western diplomat in Moscow said, noting that state media had barely covered it.",
            [("Western diplomat", None)],
        ),
    ],
    ids=["official-confirmed", "diplomat-said"],
)
def test_an_attribution_after_its_clause(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_speech_with_only_a_topic(extractor: RuleExtractor) -> None:
    """ "has addressed reports linking ...": the embassy spoke, about the reports."""
    text = (
        "The Embassy of the Russian Federation in Ghana has addressed reports linking a "
        "supposed Russian citizen to an incident."
    )
    assert said(extractor, text) == [("Embassy", "russia")]
    assert said(extractor, "Peskov did not address reports that troops had arrived.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'One grinning corporal told our reporter: "We\'re here to keep the peace."',
            [("One grinning corporal", None)],
        ),
        ("A French colonel said the hub was operational.", [("French colonel", "france")]),
    ],
    ids=["corporal", "colonel"],
)
def test_ranks_and_people_by_what_they_do_speak(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # the recogniser takes "Russian MoD" for a person; its adjective still gives a side
        (
            "",
            "Interfax: Russian MoD says Western hubs 'will be destroyed'",
            [("Russian MoD", "russia")],
        ),
        # a spokesman of the body named just before speaks for its side
        (
            "The Russian embassy in Paris said it had no reaction to the announcement. An "
            'embassy spokesman told AFP: "We have nothing to add."',
            "",
            [("Russian embassy", "russia"), ("embassy spokesman", "russia")],
        ),
        (
            'An embassy spokesman told AFP: "We have nothing to add."',
            "",
            [("embassy spokesman", None)],
        ),
    ],
    ids=["adjective-in-a-misread-name", "body-named-before", "body-named-nowhere"],
)
def test_a_side_from_a_misread_name_or_the_body_before(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a voice, a colon and a quotation: the voice says it
        (
            "Asked whether French soldiers were already in Ukraine, Catherine Vautrin was "
            'categorical: "No French soldier is deployed in Ukraine today."',
            [("Catherine Vautrin", "france")],
        ),
        ('Peskov was blunt: "There is nothing to discuss in Paris."', [("Peskov", "russia")]),
        ('The message was clear: "We will not ratify."', []),
        # the agency a speaker's words came through is no second speaker
        (
            "Peskov said the presence of foreign troops remained unacceptable, according to "
            "Interfax.",
            [("Peskov", "russia")],
        ),
        (
            "Washington backs the guarantees, but Moscow has said nothing about them, "
            "according to a senior EU official.",
            [("senior EU official", "eu")],
        ),
    ],
    ids=["categorical-colon", "blunt-colon", "no-voice-before-colon", "via-agency", "not-said"],
)
def test_a_colon_quotation_and_the_agency_a_statement_came_through(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_the_latest_to_turn_to_tv_after_revealing(extractor: RuleExtractor) -> None:
    """The infinitive on "the latest director" is done by whoever became that director, so
    the gerund after it reports that person's words."""
    text = (
        "Michael Haneke has become the latest film director to turn his hand to the small "
        "screen after revealing he is working on a 10-part TV series."
    )
    assert said(extractor, text) == [("Michael Haneke", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "State investigators later determined the package did not contain anything hazardous.",
            [("State investigators", None)],
        ),
        ("The court ruled that the ban was lawful.", [("court", None)]),
        ("Putin has ruled Russia for a quarter of a century.", []),
        ("The panel determined the order of the speeches.", []),
    ],
    ids=["determined-that", "ruled-that", "ruled-a-country", "determined-an-order"],
)
def test_a_finding_reports_only_with_a_clause(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_a_no_after_the_colon_is_what_was_said(extractor: RuleExtractor) -> None:
    """ "replied: "Categorically not."": the reply was made; its "not" is its words."""
    text = (
        "Asked whether any of the hubs had opened, Defence Secretary John Healey replied: "
        '"Not yet, and not until the guns fall silent."'
    )
    found = [
        (e.data["speaker_name"], e.data["content"])
        for e in extractor.extract(doc(text))
        if e.type == "StatementReported"
    ]
    assert found == [("John Healey", '"Not yet, and not until the guns fall silent."')]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # "the Kremlin" must not take the words of the alias "Kremlin spokesman"
        (
            'Dmitry Peskov declined to comment. The Kremlin spokesman said he had "no '
            'information about any such meeting".',
            "",
            [("Kremlin spokesman", "russia")],
        ),
        # a headline's role, read as the government, is the person the body gives it to
        (
            "Russia's sports minister Mikhail Degtyarev on Thursday called the doping ban "
            '"a political decision dressed up as science".',
            "Russia's sports minister slams doping ban as 'political'",
            [("Mikhail Degtyarev", "russia"), ("Mikhail Degtyarev", "russia")],
        ),
        # and no one else
        (
            "Putin met Xi in Beijing. Russia's foreign minister said the talks were useful.",
            "",
            [("Russia's foreign minister", "russia")],
        ),
        # a role's apposed name, which the recogniser took for a place
        (
            "Russia's ambassador to the United Nations, Vassily Nebenzia, told the Security "
            "Council that the guarantees were a blueprint for war.",
            "",
            [("Vassily Nebenzia", "russia")],
        ),
    ],
    ids=["kremlin-spokesman", "headline-role", "role-nobody-else", "apposed-misread-name"],
)
def test_roles_the_document_names(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


def test_the_kremlin_spokesman_is_the_actor(extractor: RuleExtractor) -> None:
    text = 'The Kremlin spokesman said he had "no information about any such meeting".'
    speakers = [e.data["speaker"] for e in extractor.extract(doc(text))]
    assert speakers == ["peskov"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Zelensky, speaking in Kyiv, called on allies "not to wait for Putin\'s permission".',
            [("Zelensky", "ukraine")],
        ),
        (
            'Kyiv\'s chief negotiator Rustem Umerov said he was "cautiously hopeful" a truce '
            'could be agreed before summer, while the Kremlin said it saw "no grounds for '
            'optimism" yet.',
            [("Rustem Umerov", "ukraine"), ("Kremlin", "russia")],
        ),
    ],
    ids=["name-read-as-passive-subject", "while-the-kremlin-said"],
)
def test_a_subject_misread_and_a_report_set_against_another(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_the_defense_department_is_washington(extractor: RuleExtractor) -> None:
    text = "Drought topped the list of threats to its bases, said the US Department of Defense."
    speakers = [
        (e.data["speaker"], e.data["side"])
        for e in extractor.extract(doc(text))
        if e.type == "StatementReported"
    ]
    assert speakers == [("washington", "united-states")]


def test_a_quote_headline_whose_verb_the_parser_took_for_a_noun(
    extractor: RuleExtractor,
) -> None:
    title = "'Extraordinary success': Trump lauds first year at State of the Union \u2013 video"
    assert said(extractor, "Nothing more.", title) == [("Trump", "united-states")]
    # a headline quotation before someone named only as an object is no one's
    assert said(extractor, "Nothing more.", "'A new dawn': the summit in Paris") == []


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ('The Kremlin ignored the question reporters put to it: "Are French troops here?"', "", []),
        ("Nothing.", "'Provocation': Starmer hub announcement angers Moscow", []),
        (
            "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart. Russia's "
            "defence minister said the talks were useful.",
            "",
            [("Russia's defence minister", "russia")],
        ),
    ],
    ids=["colon-after-no-voice", "quote-headline-no-speaker", "other-minister"],
)
def test_what_a_review_found_of_speakers(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


def test_a_voice_inside_a_documents_allegation_still_spoke(extractor: RuleExtractor) -> None:
    """A claim under "claimed" answers no question, but a voice the claim quotes is still
    reported as speaking."""
    text = "A leaked report claimed that Zelensky told aides the hubs were ready."
    assert said(extractor, text) == [("leaked report", None), ("Zelensky", "ukraine")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Duma Speaker Vyacheslav Volodin said the hub opened by Britain and France near "
            'Lviv was "a legitimate target from day one".',
            "a legitimate target from day one",
        ),
        (
            "Dmitry Medvedev wrote on Telegram on Monday that the guarantees promised to Kyiv "
            "in Paris amounted to 'a declaration of intent to fight Russia'.",
            "a declaration of intent to fight Russia",
        ),
        (
            "Lavrov said the hub opened by Britain near Lviv was a legitimate target, prompting "
            "London to summon the Russian ambassador.",
            "was a legitimate target",
        ),
    ],
    ids=["participle-read-as-a-clause", "quote-after-the-subject", "not-the-reporters-words"],
)
def test_what_was_said_runs_to_the_end_of_the_last_clause(
    extractor: RuleExtractor, text: str, words: str
) -> None:
    contents = [
        e.data["content"] for e in extractor.extract(doc(text)) if e.type == "StatementReported"
    ]
    assert len(contents) == 1
    assert words in contents[0] and "prompting" not in contents[0]


@pytest.mark.parametrize(
    ("title", "speaker", "words"),
    [
        # the "no" of what a verb of saying reports is what was said, not silence
        ("No French soldiers in Ukraine yet, says Macron", "Macron", "No French soldiers"),
        ("France says no troops in Ukraine after erroneous report", "France", "no troops"),
    ],
    ids=["inverted-speaker", "says-no-thing"],
)
def test_a_no_in_what_was_said_is_no_silence(
    extractor: RuleExtractor, title: str, speaker: str, words: str
) -> None:
    events = extractor.extract(doc("Developing story; more to follow.", title))
    statements = [
        (e.data["speaker_name"], e.data["content"]) for e in events if e.type == "StatementReported"
    ]
    assert len(statements) == 1
    assert statements[0][0] == speaker and words in statements[0][1]


def test_saying_nothing_is_still_silence(extractor: RuleExtractor) -> None:
    assert answers(extractor, "The Kremlin said nothing about the Paris guarantees.") == [False]


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        (
            "Peskov said the plan was dangerous and warned that Moscow would respond.",
            [("Peskov", "the plan was dangerous"), ("Peskov", "that Moscow would respond")],
        ),
        # the second verb hung on the clause reported, in the tense of the saying
        (
            "Zelensky said the talks were difficult and called for more pressure on Moscow.",
            [("Zelensky", "the talks were difficult"), ("Zelensky", "for more pressure on Moscow")],
        ),
        (
            "The study warns that use of the nets may reduce protection, and calls for urgent "
            "research.",
            [
                ("study", "that use of the nets may reduce protection"),
                ("study", "for urgent research"),
            ],
        ),
        # in the mood of the saying, not of "would rise"
        (
            "The minister said prices would rise and urged calm.",
            [("minister", "prices would rise"), ("minister", "calm")],
        ),
        # its own words, not the first report's quotation
        (
            'Zelensky said the vote was "a turning point" and asked the others to follow.',
            [("Zelensky", 'the vote was "a turning point"'), ("Zelensky", "to follow")],
        ),
        # after an event that cannot speak, whatever its tense
        (
            "Zelensky said the talks collapsed and called for more pressure on Moscow.",
            [("Zelensky", "the talks collapsed"), ("Zelensky", "for more pressure on Moscow")],
        ),
        # contrasts: a subject that acts, or can speak, may have said it
        (
            "The SBU said the suspect was detained in Odesa and admitted spying for Moscow.",
            [("SBU", "the suspect was detained in Odesa and admitted spying for Moscow")],
        ),
        (
            "Rubio said his Russian counterpart was calm and confirmed the talks would go on.",
            [("Rubio", "his Russian counterpart was calm and confirmed the talks would go on")],
        ),
        # contrasts: the reported voice's own verb, and a verb in another tense
        (
            "Zelensky said Russia rejected the plan and demanded more land.",
            [("Zelensky", "Russia rejected the plan and demanded more land")],
        ),
        (
            "Peskov said Kyiv rejects the plan and demands more weapons.",
            [("Peskov", "Kyiv rejects the plan and demands more weapons")],
        ),
    ],
    ids=[
        "clause-of-first",
        "joined-to-clause",
        "present",
        "mood",
        "own-words",
        "event-subject",
        "acting-subject",
        "speaking-subject",
        "voice",
        "tense",
    ],
)
def test_a_second_verb_of_saying_is_a_second_statement(
    extractor: RuleExtractor, text: str, statements: list[tuple[str, str]]
) -> None:
    events = extractor.extract(doc(text))
    assert [
        (e.data["speaker_name"], e.data["content"]) for e in events if e.type == "StatementReported"
    ] == statements


@pytest.mark.parametrize(
    "text",
    [
        "Leonid Slutsky said the Paris guarantees were a provocation.",
        "Kosachev said the security guarantees agreed in Paris meant nothing.",
        "Vasily Nebenzia told the Security Council the Paris declaration was a road to war.",
    ],
)
def test_more_of_the_russian_states_voices_are_moscow(extractor: RuleExtractor, text: str) -> None:
    assert answers(extractor, text) == [True]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Sybiha said the guarantees must be ratified without delay.", "ukraine"),
        ("Elbridge Colby said the Pentagon would not take part in the planning.", "united-states"),
        ("Luke Pollard said the hubs were planned for the spring.", "united-kingdom"),
    ],
)
def test_the_other_sides_usual_voices_have_their_side(
    extractor: RuleExtractor, text: str, side: str
) -> None:
    assert [s for _, s in said(extractor, text)] == [side]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Developing story.", "No comment on Paris summit, says Kremlin"),
        ("Developing story.", "No reaction yet to Paris summit, says Kremlin"),
        ("Developing story.", "Kremlin says no plans to comment on Paris summit"),
        ("Peskov said no more about the Paris summit.", "Kremlin on Paris summit"),
        ("Peskov answered no questions about the Paris summit on Monday.", ""),
    ],
    ids=["no-comment-says", "no-reaction-says", "no-plans-to-comment", "no-more", "no-questions"],
)
def test_a_fronted_or_said_no_that_is_silence_stays_silence(
    extractor: RuleExtractor, text: str, title: str
) -> None:
    assert answers(extractor, text, title) == [False]


def test_invisible_characters_do_not_split_a_name(extractor: RuleExtractor) -> None:
    # a soft hyphen and a zero-width non-joiner, as a publisher's text carries them
    text = "Army spokesperson Donny Pram\u00adono said the troops would be ready \u200cby April."
    assert said(extractor, text) == [("Donny Pramono", None)]
    events = extractor.extract(doc(text))
    statement = next(e.data for e in events if e.type == "StatementReported")
    assert statement["content"] == "the troops would be ready by April"


def test_a_claim_named_with_its_author_after_it(extractor: RuleExtractor) -> None:
    # the claim's author given by "by" or "from", not before it
    text = "Russia rejected claims by Kyiv that its troops had shelled the plant."
    assert said(extractor, text) == [("Russia", "russia"), ("Kyiv", "ukraine")]
    text = "Kyiv rejected claims by the Kremlin that the Paris guarantees were a provocation."
    assert answers(extractor, text) == [True]


@pytest.mark.parametrize(
    "text",
    [
        "There was no confirmation from the Kremlin that Putin had read the Paris declaration.",
        "Zelensky is seeking a pledge from Washington that it will back the Paris guarantees.",
        "Zelensky is seeking Washington's pledge that it will back the Paris guarantees.",
        "Allies are pressing for a pledge by the Kremlin that it accepts the Paris guarantees.",
    ],
    ids=["none-made", "sought-from", "sought-possessive", "pressed-for"],
)
def test_a_statement_named_but_not_made(extractor: RuleExtractor, text: str) -> None:
    events = extractor.extract(doc(text))
    assert [e for e in events if e.type in ("StatementReported", "FactAsserted")] == []


def test_he_in_a_clause_is_the_person_the_sentence_began_with(extractor: RuleExtractor) -> None:
    text = (
        "British Prime Minister Keir Starmer will seek broader powers to regulate internet "
        "access, which he said on Sunday was needed to protect children."
    )
    assert said(extractor, text) == [("Keir Starmer", "united-kingdom")]


def test_a_confirmation_named_as_a_noun_is_a_statement(extractor: RuleExtractor) -> None:
    text = "The visit follows Kyiv's confirmation that it intends to buy the jets."
    assert said(extractor, text) == [("Kyiv", "ukraine")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a country the story does not follow is a side of its own
        (
            "Turkiye's President Recep Tayyip Erdogan said the visit would take place later.",
            [("Recep Tayyip Erdogan", "other")],
        ),
        (
            "Indonesian President Prabowo Subianto said the troops were ready.",
            [("Prabowo Subianto", "other")],
        ),
        # a party, a state, a city is no country
        ("Republican Senator Joan Whitfield said a treaty would help.", [("Joan Whitfield", None)]),
        ("California's governor Gavin Newsom said the state would sue.", [("Gavin Newsom", None)]),
        ("Lviv's mayor Andriy Sadovyi said the city was ready.", [("Andriy Sadovyi", None)]),
        (
            "Northern Ireland's First Minister Michelle O'Neill said the talks were useful.",
            [("Michelle O'Neill", None)],
        ),
    ],
    ids=["possessive-country", "nationality", "party", "state", "city", "nation-in-a-state"],
)
def test_a_persons_country_outside_the_story(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_according_to_attributes_the_whole_clause(extractor: RuleExtractor) -> None:
    text = (
        "According to the Russian embassy in London, the British-French plan to set up military "
        'hubs in Ukraine amounts to "a direct step towards escalation".'
    )
    events = extractor.extract(doc(text))
    statement = next(e.data for e in events if e.type == "StatementReported")
    assert statement["content"].startswith("the British-French plan to set up military hubs")
    assert "a direct step towards escalation" in statement["content"]
    assert answers(extractor, text) == [True]


def test_a_finite_verb_hung_on_the_phrase_before_it(extractor: RuleExtractor) -> None:
    # parsed with "the Russian embassy in France" apposed to "Telegram" and "called" as a
    # clause of "statement"
    text = (
        'In a statement posted on Telegram, the Russian embassy in France called the "force of '
        'reassurance" proposed by President Emmanuel Macron "a force of provocation".'
    )
    assert said(extractor, text) == [("Russian embassy", "russia")]
    assert answers(extractor, text) == [True]


@pytest.mark.parametrize(
    ("text", "expected", "answer"),
    [
        # the trailing verb of saying attributes the clause before it
        (
            "Washington's continued backing for the Paris guarantees shows that the US has "
            '"not broken with" its past, Russian foreign ministry spokeswoman Maria Zakharova '
            "told her weekly briefing on Wednesday.",
            [("Maria Zakharova", "russia")],
            [True],
        ),
        # not when the clause is a voice's report, whose source it names
        (
            "The Russian defence ministry said the Paris hubs were targets, Interfax reported.",
            [("Russian defence ministry", "russia")],
            [True],
        ),
    ],
    ids=["trailing-told", "source-of-a-report"],
)
def test_a_trailing_verb_of_saying(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str]], answer: list[object]
) -> None:
    assert said(extractor, text) == expected
    assert answers(extractor, text) == answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause with its own subject under a noun is that subject's
        (
            "There were reports that the ambassador of Russia in Paris warned the French "
            "foreign ministry.",
            [("ambassador", "russia")],
        ),
        # a zero-width space between two words is a space
        (
            "Prime Minister Keir\u200bStarmer said the hubs were ready.",
            [("Keir Starmer", "united-kingdom")],
        ),
    ],
    ids=["clause-with-its-subject", "zero-width-space"],
)
def test_what_the_review_found(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_according_to_keeps_to_its_own_speaker(extractor: RuleExtractor) -> None:
    text = (
        'According to Peskov, the Paris meeting was "a show", but Zelensky called it a historic '
        "success."
    )
    events = extractor.extract(doc(text))
    contents = {
        e.data["speaker_name"]: e.data["content"] for e in events if e.type == "StatementReported"
    }
    assert "Zelensky" not in contents["Peskov"]


@pytest.mark.parametrize(
    "text",
    [
        "Peskov was quoted by TASS as saying the Paris guarantees were a provocation.",
        "TASS quoted Peskov as saying the Paris guarantees were a provocation.",
        "Peskov was cited as saying that the Paris guarantees were a provocation.",
    ],
    ids=["quoted-by", "quoted-active", "cited"],
)
def test_the_one_quoted_as_saying_speaks(extractor: RuleExtractor, text: str) -> None:
    assert said(extractor, text) == [("Peskov", "russia")]
    assert answers(extractor, text) == [True]


def test_an_institution_named_again_by_its_kind_speaks(extractor: RuleExtractor) -> None:
    text = "The British Museum removed the word. The museum said it uses other terms."
    assert said(extractor, text) == [("museum", None)]


def test_a_body_goes_by_the_letters_the_text_gives_it(extractor: RuleExtractor) -> None:
    text = (
        "The European Legal Support Centre (ELSC) said incidents rose. ELSC told reporters "
        "that the pattern was clear."
    )
    assert said(extractor, text) == [
        ("European Legal Support Centre", None),
        ("European Legal Support Centre", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected", "answer"),
    [
        # a body that is no voice of its state does not answer for Moscow
        (
            "A Russian charity said the security guarantees for Ukraine were a provocation.",
            [("Russian charity", "russia")],
            [],
        ),
        # the name a description goes with
        (
            "The Russian airline Aeroflot said flights would resume.",
            [("Aeroflot", "russia")],
            [],
        ),
        # letters defined after words that are not the name, and the side of the name
        (
            "Kyiv and the European Union (EU) said talks went well. The EU said it would help.",
            [("Kyiv", "ukraine"), ("European Union", "eu")],
            [],
        ),
        # the source cited speaks, not the agency citing it
        (
            "Interfax cited a Kremlin source as saying the Paris guarantees were a provocation.",
            [("Kremlin source", "russia")],
            [True],
        ),
        # a foreign leader has a side of their own
        ("Hungarian leader Viktor Orban said Europe was wrong.", [("Viktor Orban", "other")], []),
    ],
    ids=["charity", "description-and-name", "letters-after-others", "cited-as", "leader"],
)
def test_what_the_second_review_found(
    extractor: RuleExtractor,
    text: str,
    expected: list[tuple[str, str | None]],
    answer: list[object],
) -> None:
    assert said(extractor, text) == expected
    assert answers(extractor, text) == answer


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # a role no one was given is not whoever the text only names
        (
            "Judge says Trump administration has made 'one empty threat after another' to "
            "deport Salvadoran national to Africa.",
            "US judge says wrongfully deported Kilmar Abrego Garcia can't be re-detained",
            [("US judge", "united-states"), ("Judge", "united-states")],
        ),
        # the person acting just before still is the one the role stands for
        (
            "Sergei Lavrov met his Turkish counterpart in Ankara. The minister said the Paris "
            "declaration changed nothing.",
            "",
            [("Sergei Lavrov", "russia")],
        ),
        # named in the main clause's own words, not only as its subject
        (
            "Dmitry Medvedev's Telegram post caused a stir. The former president said the "
            "Paris declaration was a declaration of war.",
            "",
            [("Dmitry Medvedev", "russia")],
        ),
        (
            "Reporters interviewed Sergei Lavrov on Monday. The minister said the Paris "
            "declaration changed nothing.",
            "",
            [("Sergei Lavrov", "russia")],
        ),
    ],
    ids=["named-not-acting", "acting-before", "owner-of-the-subject", "object-of-the-main-verb"],
)
def test_a_role_no_one_was_given(
    extractor: RuleExtractor, text: str, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text, title) == expected


def test_a_post_on_x_ends_its_sentence(extractor: RuleExtractor) -> None:
    text = (
        '"They are there to reassure, not to fight," President Emmanuel Macron wrote on X. '
        "In Moscow, Security Council deputy chairman Dmitry Medvedev wrote on Telegram that "
        'the French "have come to the wrong war".'
    )
    assert said(extractor, text) == [("Emmanuel Macron", "france"), ("Dmitry Medvedev", "russia")]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        # "western Ukraine" is a region, not the West's forces
        (
            "Russia's defence ministry said its forces had struck military-industrial "
            "facilities in western Ukraine.",
            [],
        ),
        ("Peskov said Western forces in Ukraine would be legitimate targets.", [True]),
    ],
    ids=["western-ukraine", "western-forces"],
)
def test_a_region_is_no_side(extractor: RuleExtractor, text: str, answer: list[object]) -> None:
    assert answers(extractor, text) == answer


def test_a_relative_clause_hung_on_the_main_verb_reports_nothing(
    extractor: RuleExtractor,
) -> None:
    text = (
        "No French soldier has yet set foot in Ukraine as part of the reassurance force "
        "Emmanuel Macron announced in January."
    )
    assert said(extractor, text) == []
    # a past verb with its own subject still reports
    assert said(extractor, "Troops massed at the border, Zelensky warned on Monday.") == [
        ("Zelensky", "ukraine")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the quotation before "was quoted as saying" is what the one quoted said
        (
            '"We have told our American colleagues this directly," Ryabkov was quoted as saying.',
            [("Ryabkov", "russia")],
        ),
        (
            '"The technical issues have largely been settled," Darchiev was quoted by RIA '
            "Novosti as saying.",
            [("Darchiev", "russia")],
        ),
        # a free relative of naming: "it" is the clause's subject
        (
            "France's foreign ministry summoned the Russian ambassador over what it called "
            '"unacceptable threats" against French soldiers.',
            [("France's foreign ministry", "france")],
        ),
        # under a verb that reports on its own, that verb's one report
        (
            'The Kremlin condemned what it called a "reckless" plan to send troops to Ukraine.',
            [("Kremlin", "russia")],
        ),
    ],
    ids=["quoted-before", "quoted-by-before", "what-it-called", "condemned-what-it-called"],
)
def test_quoted_as_saying_and_what_it_called(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_a_name_cut_at_its_particle_is_whole(extractor: RuleExtractor) -> None:
    text = (
        '"Every package makes the Kremlin\'s war more expensive," Commission President '
        "Ursula von der Leyen wrote on X."
    )
    assert said(extractor, text) == [("Ursula von der Leyen", "eu")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # a headline's denial needs no verb
        ("Peskov: No place for European troops in Ukraine", [("Peskov", "russia")]),
        # a speaker of a chamber speaks
        ("Duma speaker: British and French hubs would be targets", [("Duma speaker", "russia")]),
        # a section's label before a colon still does not
        ("Ukraine war: no place for European troops", []),
    ],
    ids=["verbless-denial", "duma-speaker", "section-label"],
)
def test_headline_voices_before_a_colon(
    extractor: RuleExtractor, title: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, "x", title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "ruled out" says no, with no clause of its own
        (
            "Rubio ruled out sending American ground troops to Ukraine.",
            [("Rubio", "united-states")],
        ),
        # "responding to reports" is the occasion of what was said, not a second report
        (
            "France's armed forces ministry said on Monday that no French soldier was deployed "
            "in Ukraine, responding to online reports that French special forces were operating "
            "near Odesa.",
            [("France's armed forces ministry", "france")],
        ),
    ],
    ids=["ruled-out", "responding-to"],
)
def test_ruled_out_and_responding_to(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


def test_an_ally_of_putin_is_not_russia(extractor: RuleExtractor) -> None:
    text = (
        "Alexander Lukashenko, a close ally of Vladimir Putin, said the Paris talks were "
        "'a tea party for the defeated'."
    )
    assert said(extractor, text) == [("Alexander Lukashenko", None)]
    assert answers(extractor, text) == []


def test_the_arrival_said_to_be_a_provocation_points_to_the_headline(
    extractor: RuleExtractor,
) -> None:
    text = 'The Kremlin said the arrival was "a provocation" that Russia would take into account.'
    title = "First French troops of reassurance force arrive in Ukraine"
    assert answers(extractor, text, title) == [True]


def test_a_person_keeps_the_side_their_first_statement_gave_them(
    extractor: RuleExtractor,
) -> None:
    text = (
        "Russia's deputy prime minister, Alexander Novak, said on Monday that oil output "
        'would rise. "Prices are stable," Novak said.'
    )
    assert said(extractor, text) == [("Alexander Novak", "russia"), ("Alexander Novak", "russia")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials in Washington said the plan was sound.", [("Officials", "united-states")]),
        (
            "The foreign ministry in Kyiv said the plan was sound.",
            [("foreign ministry", "ukraine")],
        ),
        # posted abroad: the seat is the host's, not theirs
        ("A Western diplomat in Moscow said the plan was sound.", [("Western diplomat", None)]),
        ("The Russian embassy in London said the plan was sound.", [("Russian embassy", "russia")]),
    ],
    ids=["officials-in", "ministry-in", "diplomat-posted-abroad", "embassy-abroad"],
)
def test_a_voice_speaks_for_the_side_whose_seat_it_is_in(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert said(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kremlin spokesman Dmitry Peskov, asked about the European contingents, said "
            "Moscow's position was well known.",
            [("Dmitry Peskov", "Moscow's position was well known")],
        ),
        (
            "Zelensky, questioned by reporters in Kyiv on Monday, said the plan was sound.",
            [("Zelensky", "the plan was sound")],
        ),
        # a second verb of saying trails the first; the aside says nothing
        (
            "Kremlin spokesman Dmitry Peskov, asked about the contingents, said Moscow's "
            "position was well known, adding that the agreement says nothing about troops.",
            [
                (
                    "Dmitry Peskov",
                    "Moscow's position was well known, adding that the agreement says "
                    "nothing about troops",
                ),
                ("Dmitry Peskov", "that the agreement says nothing about troops"),
            ],
        ),
    ],
    ids=["asked-about", "questioned-by", "then-adding"],
)
def test_the_name_before_an_aside_speaks(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(extractor, text, "speaker_name", "content") == expected


def test_a_second_verb_of_saying_after_an_event_told_is_the_speakers(
    extractor: RuleExtractor,
) -> None:
    """ "said the arrival of French soldiers violated the agreements and warned ...": an
    arrival warns no one; the ministry does."""
    text = (
        "The Russian foreign ministry said on Tuesday that the arrival of French soldiers "
        "violated the agreements and warned Paris that it would bear responsibility."
    )
    assert spoken(extractor, text, "speaker_name", "verb") == [
        ("Russian foreign ministry", "say"),
        ("Russian foreign ministry", "warn"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Erdogan expressed his sadness over the health problem of the Emirati leader.",
            [("Erdogan", "express")],
        ),
        ("Macron voiced his sympathy over the deaths of the soldiers.", [("Macron", "voice")]),
        # a thing given is no statement
        ("Britain offered three warships to the mission.", []),
    ],
    ids=["expressed-sadness", "voiced-sympathy", "offered-warships"],
)
def test_feelings_voiced_are_statements(
    extractor: RuleExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(extractor, text, "speaker_name", "verb") == expected


def titled(extractor: RuleExtractor, title: str, text: str = "") -> list[tuple[str, str, str]]:
    """Each statement of a document with this headline: speaker, verb and content."""
    return [
        (e.data["speaker_name"], e.data["verb"], e.data["content"])
        for e in extractor.extract(doc(text, title))
        if e.type == "StatementReported"
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # "Warn" read as a proper noun of "Pilots Warn": read again with it in lower case;
        # the words stay as the headline wrote them
        (
            "Kenya: Pilots Warn of Fatigue Amid Ongoing Airport Staff Go-Slow",
            [("Pilots", "warn", "of Fatigue Amid Ongoing Airport Staff Go-Slow")],
        ),
        (
            "In Hungary, Marco Rubio Stresses Trump's Support for Viktor Orban",
            [("Marco Rubio", "stress", "Trump's Support for Viktor Orban")],
        ),
        (
            "The United States Warns Of New Sanctions On Iran",
            [("United States", "warn", "Of New Sanctions On Iran")],
        ),
        # a name the parse took with its verb ("Witkoff Tells") is read again
        (
            "'We Are With You': Witkoff Tells Kyiv US Guarantees Commitment Stands",
            [("Witkoff", "tell", "We Are With You'")],
        ),
        # a Title Case headline with no verb of saying stays silent, and a plural noun
        # that is a verb's form as well keeps its capital
        ("Iran Temporarily Closes Strait Of Hormuz Amid US Nuclear Talks", []),
        ("Trump's New Arms Rules Will Hit Southeast Asia", []),
        ("Botswana: Malaria Claims One As Cases Rise", []),
    ],
)
def test_a_headline_in_title_case_is_read_with_its_verbs_in_lower_case(
    extractor: RuleExtractor, title: str, expected: list[tuple[str, str, str]]
) -> None:
    assert titled(extractor, title) == expected


def test_a_title_case_headline_is_recognised_by_its_capitals() -> None:
    words = frozenset({"of", "amid", "for"})
    verbs = frozenset({"warn", "call", "say", "deny"})
    assert sentence_cased("Traders Warn of Risks, Calls for Talks", words, verbs) == (
        "Traders warn of Risks, calls for Talks"
    )
    assert sentence_cased("Witness Denies Claims, Police Say", words, verbs) == (
        "Witness denies Claims, Police say"
    )
    # a past participle is a headline's passive: "Government Urged to Review Subsidies"
    assert sentence_cased("Government Urged to Review Subsidies", words, verbs) is None
    # the first word keeps its capital, and so do names in capitals and "Mc" names
    assert sentence_cased("Says EFCC McDonald Of Probe", words, verbs) == (
        "Says EFCC McDonald of Probe"
    )
    # a headline in sentence case is left as it is
    assert sentence_cased("Pilots warn of fatigue amid a go-slow", words, verbs) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            'Iran Has Not Agreed To All Trump\'s "Red Lines": JD Vance After Geneva Talks',
            [("JD Vance", "headline", 'Iran Has Not Agreed To All Trump\'s "Red Lines"')],
        ),
        (
            "18-Year-Old Man Arrested After Running Toward US Capitol With Shotgun: Cops",
            [
                (
                    "Cops",
                    "headline",
                    "18-Year-Old Man Arrested After Running Toward US Capitol With Shotgun",
                )
            ],
        ),
        # what follows the colon must be a person or a voice
        ("Qatar PM arrives in Venezuela on first trip since the ouster: What to know", []),
        ("A winter path in England takes a modern victim: An Amazon Van", []),
    ],
)
def test_a_person_or_a_voice_after_a_headlines_colon_speaks(
    extractor: RuleExtractor, title: str, expected: list[tuple[str, str, str]]
) -> None:
    assert titled(extractor, title) == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a headline's "Turkey's Erdogan" is the person the body names in full
        (
            "Turkey's Erdogan says Israel's recognition of Somaliland benefits nobody",
            "Turkish President Tayyip Erdogan said on Tuesday that the recognition would not "
            "benefit the region.",
            ["Tayyip Erdogan", "Tayyip Erdogan"],
        ),
        # letters a body goes by, behind its country's possessive
        (
            "Britain's TUC calls a general strike for the day of the debate",
            "The Trades Union Congress (TUC) said on Monday that the strike would be nationwide.",
            ["Trades Union Congress", "Trades Union Congress"],
        ),
    ],
)
def test_a_name_given_with_its_country_is_the_one_the_body_names(
    extractor: RuleExtractor, title: str, text: str, expected: list[str]
) -> None:
    assert [name for name, _verb, _content in titled(extractor, title, text)] == expected


def test_a_body_named_by_its_kind_goes_by_its_full_name(extractor: RuleExtractor) -> None:
    text = (
        "The Council on American-Islamic Relations (CAIR) condemned the post. CAIR said the "
        "lawmaker had labelled the identity as evil. The group warned the remarks could "
        "contribute to discrimination."
    )
    assert [name for name, _side in said(extractor, text)] == [
        "Council on American-Islamic Relations",
        "Council on American-Islamic Relations",
        "Council on American-Islamic Relations",
    ]


def test_a_verdict_is_no_statement_but_a_finding_that_is(extractor: RuleExtractor) -> None:
    text = (
        "The NT Supreme Court found Matt Wright guilty of attempting to pervert the course of "
        "justice. The court found that Wright had lied. Peskov declared the plan unacceptable."
    )
    assert spoken(extractor, text, "verb", "content") == [
        ("find", "that Wright had lied"),
        ("declare", "the plan unacceptable"),
    ]


def test_a_description_speaks_by_the_name_set_beside_it(extractor: RuleExtractor) -> None:
    text = (
        "Argentina's main labor umbrella, the General Confederation of Labor (CGT), confirmed "
        "on Monday it will stage a 24-hour nationwide strike."
    )
    assert spoken(extractor, text, "speaker_name", "verb") == [
        ("General Confederation of Labor", "confirm")
    ]
    # a description with no name beside it is no one
    assert spoken(extractor, "The main umbrella confirmed it will strike.", "verb") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # people in the plural who report a clause speak, whatever their trade
        ('"This is the only hustle we know," miners tell the BBC.', ["miners"]),
        ("Rights advocates said the comments were hateful.", ["Rights advocates"]),
        # not what things show or suggest, nor a plural that reports no clause
        ("These shots show he has reined that in.", []),
        ("Prices suggest that demand is weak.", []),
        ("Brokers said nothing.", []),
    ],
)
def test_people_in_the_plural_speak(
    extractor: RuleExtractor, text: str, expected: list[str]
) -> None:
    assert [name for name, _side in said(extractor, text)] == expected


def test_a_speaker_named_after_the_clause_joined_to_another(extractor: RuleExtractor) -> None:
    # the parser hangs "say" on the second clause and reads "experts" as its object
    text = (
        "India has signed a string of trade deals recently, but export growth will require "
        "deeper reforms, say experts."
    )
    # (a statement is kept only when its saying is told as done)
    assert spoken(extractor, text, "speaker_name", "content") == [
        ("experts", "export growth will require deeper reforms")
    ]
