"""Extraction with the real spaCy model: statements, answers, dates, and end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.cli import run
from support.feedserver import FeedServer, rss
from support.trackers import article, make_tracker

from tracker import app
from tracker.app import Tracker
from tracker.config import shipped_config_dir
from tracker.domain.events import DocumentIngested
from tracker.ingest.curated import load_curated, statements_recovered
from tracker.ingest.dates import resolve_clause, resolve_when
from tracker.ingest.extract import RuleExtractor, load_extraction_config

KEY = "moscow/commented-on/paris-meeting"
THURSDAY = datetime(2026, 1, 8, 15, 0, tzinfo=UTC)


def doc(
    text: str, *, title: str = "World news", published: datetime = THURSDAY
) -> DocumentIngested:
    return article(text, title, published)


def answers(extractor: RuleExtractor, document: DocumentIngested) -> list[object]:
    return [
        e.data["value"]
        for e in extractor.extract(document)
        if e.type == "FactAsserted" and e.data["key"] == KEY
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kremlin spokesman Dmitry Peskov said the Paris declaration was a dangerous step.",
            [True],
        ),
        ('"Western troops in Ukraine are unacceptable," Zakharova told reporters.', [True]),
        ("According to Lavrov, the security guarantees agreed in Paris are worthless.", [True]),
        ("The Kremlin has not commented on the Paris meeting.", [False]),
        ("Peskov declined to comment on the Paris declaration.", [False]),
        ("Russia has yet to respond to the security guarantees agreed in Paris.", [False]),
        ("Lavrov said Russia would retaliate against new sanctions on oil.", []),
        ("Zelensky said Moscow has yet to respond to the Paris declaration.", []),
        ("Macron said French troops could be deployed after a ceasefire.", []),
        ("Putin has repeatedly warned against Western troops in Ukraine.", []),
    ],
    ids=[
        "said",
        "quoted",
        "according-to",
        "not-commented",
        "declined",
        "yet-to-respond",
        "off-topic",
        "other-speaker-about-moscow",
        "other-speaker",
        "standing-position",
    ],
)
def test_moscow_commented_is_answered_only_by_a_russian_voice_on_topic(
    extractor: RuleExtractor, text: str, expected: list[object]
) -> None:
    assert answers(extractor, doc(text)) == expected


def test_a_negation_never_answers_true(extractor: RuleExtractor) -> None:
    text = "The Kremlin did not immediately respond to questions about the Paris summit."
    assert answers(extractor, doc(text)) == [False]


def test_statements_name_the_speaker_the_verb_and_the_words(extractor: RuleExtractor) -> None:
    events = extractor.extract(
        doc(
            '"Paris is playing with fire," Zakharova wrote on Wednesday. '
            "Foreign Minister Sergei Lavrov said the talks were theatre."
        )
    )
    said = [e.data for e in events if e.type == "StatementReported"]
    assert [(s["speaker"], s["verb"], s["mode"]) for s in said] == [
        ("zakharova", "write", "direct"),
        ("lavrov", "say", "reported"),
    ]
    assert said[0]["quote"] == "Paris is playing with fire"
    assert said[0]["said_at"].startswith("2026-01-07")  # Wednesday, in a Thursday story
    for event in events:
        producer = event.data["producer"]
        assert producer["rule"] and producer["config_version"] and producer["model"]
        assert event.data["evidence"]["sentence"]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Moscow's envoy to the UN said the Paris talks changed nothing.", ["moscow"]),
        ("Zelensky's office said the guarantees were a first step.", ["zelensky"]),
        ("Trump's golfing partner says the president cheats on the course.", []),
        ("How Trump's cuts to public lands threaten future dinosaur discoveries.", []),
        (
            '"We are barely conscious," said Stephen Colbert, whose show followed Trump\'s speech.',
            ["stephen-colbert"],  # an unlisted speaker, never Trump
        ),
    ],
    ids=["voice-for-institution", "voice-for-person", "partner", "not-a-voice", "relative"],
)
def test_an_actor_named_beside_the_speaker_is_not_the_speaker(
    extractor: RuleExtractor, text: str, speakers: list[str]
) -> None:
    said = [
        e.data["speaker"] for e in extractor.extract(doc(text)) if e.type == "StatementReported"
    ]
    assert said == speakers


def test_statement_content_is_one_line_even_across_a_headline(extractor: RuleExtractor) -> None:
    events = extractor.extract(
        doc("Critics were unmoved.", title="Zelensky says the guarantees are  a first step")
    )
    (content,) = [e.data["content"] for e in events if e.type == "StatementReported"]
    assert content == "the guarantees are a first step"


def test_the_seed_article_yields_its_curated_statements(extractor: RuleExtractor) -> None:
    curated = load_curated()
    hits = statements_recovered(curated, extractor.extract(curated.document))
    assert hits >= 10, f"{hits} of {len(curated.statements)}"
    # The article says Moscow had not commented; extraction must not claim it had.
    assert True not in answers(extractor, curated.document)


@pytest.mark.parametrize(
    ("text", "tense", "expected", "precision"),
    [
        ("on Tuesday", "past", "2026-01-06", "day"),
        ("on Thursday", "past", "2026-01-08", "day"),
        ("on Friday", "future", "2026-01-09", "day"),
        ("yesterday", "past", "2026-01-07", "day"),
        ("on the eve of Orthodox Christmas", "past", "2026-01-06", "day"),
        ("on January 5", "past", "2026-01-05", "day"),
        ("on 30 December", "past", "2025-12-30", "day"),
        ("at some point", "past", "2026-01-08", "publication"),
    ],
)
def test_dates_resolve_against_the_publication_time(
    text: str, tense: str, expected: str, precision: str
) -> None:
    holidays = load_extraction_config(shipped_config_dir()).holidays
    resolved = resolve_when(
        f"He said it {text}.", published=THURSDAY, tense=tense, holidays=holidays
    )
    assert resolved.moment.date().isoformat() == expected and resolved.precision == precision


@pytest.mark.parametrize(
    ("own", "sentence", "expected"),
    [
        # counted back from the sentence's own day, else from publication
        (
            "the ceasefire signed in Istanbul a day earlier",
            "Peskov said on Tuesday that Russia would observe the ceasefire signed in Istanbul "
            "a day earlier.",
            "2026-01-05",
        ),
        ("ratified two days earlier", "Rome ratified two days earlier.", "2026-01-06"),
        ("opened the previous day", "The hub opened the previous day.", "2026-01-07"),
        # "a day earlier than planned" is when it was planned for
        (
            "signed on Thursday, a day earlier than planned",
            "It was signed on Thursday, a day earlier than planned.",
            "2026-01-08",
        ),
        # "before the summit" counts from the summit; another clause's count is its own
        (
            "signed two days before the summit",
            "It was signed two days before the summit.",
            "2026-01-08",
        ),
        (
            "signed on Monday",
            "It was signed on Monday, a week before the vote a day earlier.",
            "2026-01-05",
        ),
    ],
)
def test_a_day_earlier_counts_back_from_the_clause_s_day(
    own: str, sentence: str, expected: str
) -> None:
    holidays = load_extraction_config(shipped_config_dir()).holidays
    resolved = resolve_clause(own, sentence, published=THURSDAY, tense="past", holidays=holidays)
    assert resolved.moment.date().isoformat() == expected


# -- end to end: seed, then a feed with a Russian reaction two days later ---------------


@pytest.fixture
def tracker(migrated_url: str) -> Iterator[Tracker]:
    built = make_tracker(migrated_url, fetch={"allow_private_networks": True})
    yield built
    built.close()


REACTION = "Kremlin rejects Paris security guarantees"


def test_a_russian_reaction_in_a_feed_changes_the_answer_from_its_day(
    tracker: Tracker, server: FeedServer
) -> None:
    app.seed(tracker)
    before_poll = tracker.clock()
    server.mutable["reaction"] = rss(
        [
            {
                "guid": "r1",
                "title": REACTION,
                "link": "http://news.invalid/r1",
                "pubDate": "Thu, 08 Jan 2026 14:00:00 GMT",
                "description": "Kremlin spokesman Dmitry Peskov said on Thursday that the security "
                "guarantees agreed in Paris were a dangerous step toward escalation.",
            },
            {
                "guid": "d1",
                "title": "Markets rally in Asia",
                "link": "http://news.invalid/d1",
                "pubDate": "Thu, 08 Jan 2026 09:00:00 GMT",
                "description": "Stocks rose in Tokyo and Seoul on Thursday.",
            },
            {
                "guid": "d2",
                "title": "Lavrov on sanctions",
                "link": "http://news.invalid/d2",
                "pubDate": "Thu, 08 Jan 2026 10:00:00 GMT",
                "description": "Lavrov said Russia would answer new sanctions on its oil exports.",
            },
            {
                "guid": "d3",
                "title": "Zelensky in Paris",
                "link": "http://news.invalid/d3",
                "pubDate": "Wed, 07 Jan 2026 10:00:00 GMT",
                "description": "Zelensky said Moscow had yet to respond to the Paris declaration.",
            },
        ]
    )
    app.add_feed(tracker, server.url("/mutable/reaction"), name="wire")
    (polled,) = app.poll(tracker)
    assert polled["new"] == 4
    day_before = datetime(2026, 1, 7, 23, 59, 59, tzinfo=UTC)
    reaction_day = datetime(2026, 1, 8, 23, 59, 59, tzinfo=UTC)
    assert app.ask(tracker, "moscow-commented", at=day_before)["answer"] is False
    after = app.ask(tracker, "moscow-commented", at=reaction_day)
    assert after["answer"] is True and after["since"].startswith("2026-01-08")
    (evidence,) = after["evidence"]
    documents = {d["doc_id"]: d for d in _documents(tracker)}
    assert documents[evidence["document"]]["title"] == REACTION
    assert "Peskov" in evidence["sentence"]
    known_then = app.ask(tracker, "moscow-commented", at=reaction_day, known_at=before_poll)
    assert known_then["answer"] is False
    peskov = app.statements(tracker, by="peskov")
    assert len(peskov) == 1 and peskov[0]["said_at"].startswith("2026-01-08")


MOVES = {
    "moscow-commented": (
        "Kremlin hits back",
        "Lavrov said on Friday that the Paris declaration was a provocation.",
        True,
    ),
    "us-backs-guarantees": (
        "US retreats",
        "The United States would no longer back the "
        "security guarantees for Ukraine, officials said on Monday.",
        False,
    ),
    "ceasefire-signed": (
        "Truce in Istanbul",
        "Russia and Ukraine signed a ceasefire in Istanbul on 23 July.",
        True,
    ),
    "guarantees-ratified": (
        "Done",
        "The security guarantees for Ukraine have been formally "
        "ratified by all participating countries.",
        True,
    ),
    "french-troops-deployed": (
        "Arrival",
        "The first French troops arrived in Ukraine on 11 August.",
        True,
    ),
    "uk-france-hubs-established": (
        "Hubs open",
        "Britain and France opened their military hubs in Ukraine on 29 September.",
        True,
    ),
}


def test_every_question_moves_from_a_feed_with_its_source(
    tracker: Tracker, server: FeedServer
) -> None:
    app.seed(tracker)
    seeded = {a["question"]: a["answer"] for a in app.state(tracker)["answers"]}
    items = [
        {
            "guid": question,
            "title": title,
            "link": f"http://news.invalid/{question}",
            "pubDate": "Sat, 31 Oct 2026 09:00:00 GMT",
            "description": text,
        }
        for question, (title, text, _) in MOVES.items()
    ]
    server.mutable["moves"] = rss(items)
    app.add_feed(tracker, server.url("/mutable/moves"), name="wire")
    (polled,) = app.poll(tracker)
    assert polled["new"] == len(MOVES)
    for question, (title, _, expected) in MOVES.items():
        assert seeded[question] is not expected, question  # each one must change
        view = app.ask(tracker, question)
        assert view["answer"] is expected, question
        source = next(e["source"] for e in view["evidence"] if e["producer"] != "curated")
        assert source["title"] == title and source["feed"] == "wire"
        assert source["url"] == f"http://news.invalid/{question}"


def test_human_output_names_the_source_of_an_answer(migrated_url: str, server: FeedServer) -> None:
    title, text, _ = MOVES["ceasefire-signed"]
    server.mutable["truce"] = rss(
        [
            {
                "guid": "t",
                "title": title,
                "link": "http://news.invalid/t",
                "pubDate": "Sat, 25 Jul 2026 09:00:00 GMT",
                "description": text,
            }
        ]
    )
    env = {"TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1"}
    db = ["--db", migrated_url]
    assert run(*db, "feeds", "add", server.url("/mutable/truce"), "--name", "wire", env=env)
    assert run(*db, "poll", env=env).returncode == 0
    shown = run(*db, "ask", "ceasefire-signed", env=env).stdout
    assert "YES since 2026-07-23" in shown
    assert f'source: "{title}" (wire, 2026-07-25) http://news.invalid/t' in shown
    history = run(*db, "history", "ceasefire-signed", env=env).stdout
    assert f'source: "{title}"' in history


def _documents(tracker: Tracker) -> list[dict[str, object]]:
    import sqlalchemy as sa

    from tracker.store.schema import documents

    with tracker.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(documents))]


def test_ingest_an_article_file_from_the_command_line(sqlite_url: str, tmp_path: Path) -> None:
    article = tmp_path / "reaction.txt"
    article.write_text(
        "Moscow reacts to Paris\n\nThe Kremlin said on Friday that the "
        "multinational force planned in Paris would be a legitimate target.\n"
    )
    assert run("--db", sqlite_url, "seed").returncode == 0
    ingest = (
        "--db",
        sqlite_url,
        "ingest",
        str(article),
        "--published",
        "2026-01-10",
        "--url",
        "https://news.invalid/moscow-reacts",
        "--json",
    )
    done = run(*ingest)
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert view["outcome"] == "new" and view["facts"] == [f"{KEY} = true"]
    again = json.loads(run(*ingest).stdout)
    assert again["outcome"] == "unchanged" and again["appended"] == 0
    asked = json.loads(
        run("--db", sqlite_url, "ask", "moscow-commented", "--at", "2026-01-09", "--json").stdout
    )
    assert asked["answer"] is True and asked["since"].startswith("2026-01-09")
    early = json.loads(
        run("--db", sqlite_url, "ask", "moscow-commented", "--at", "2026-01-08", "--json").stdout
    )
    assert early["answer"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt", "--published", "2026-01-10"], "no such file"),
        (["EMPTY", "--published", "2026-01-10"], "is empty"),
        (["ARTICLE", "--published", "last week"], "--published: cannot read"),
        (["ARTICLE"], "Missing option '--published'"),
        (["ARTICLE", "--published", "2026-01-10", "--url", "javascript:alert(1)"], "--url"),
    ],
)
def test_ingest_refuses_bad_input_in_one_line(
    sqlite_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "article.txt").write_text("Title\n\nBody text.\n")
    paths = {
        "EMPTY": str(tmp_path / "empty.txt"),
        "ARTICLE": str(tmp_path / "article.txt"),
        "missing.txt": str(tmp_path / "missing.txt"),
    }
    result = run("--db", sqlite_url, "ingest", *[paths.get(a, a) for a in args])
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
