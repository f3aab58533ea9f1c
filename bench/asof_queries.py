"""As-of queries at one million events: rebuild throughput and query latency.

Run: .venv/bin/python bench/asof_queries.py [--events 1000000] [--keys 10000]
     [--question-assertions 10000] [--db URL | --pg]

Builds a log of FactAsserted events over KEYS fact keys (valid times spread over
2026, recorded over a simulated year; the question's key gets QUESTION_ASSERTIONS of
them, true or false at random), catches every projection up event by event,
rebuilds the facts projection from zero, then
times as-of queries at random (valid, known) instants. The peer, measured in the
same run on the same log, is what answering without the timeline costs: one
full read of the log, folding every assertion in Python.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pg_cluster import Cluster

from tracker import app
from tracker.bootstrap import bootstrap
from tracker.config import load_settings, shipped_config_dir
from tracker.domain.events import Evidence, FactAsserted, Producer, new_event
from tracker.domain.story import Assertion, answer, winner
from tracker.store.engine import make_engine
from tracker.store.migrations import upgrade

YEAR = datetime(2026, 1, 1, tzinfo=UTC)
MOSCOW_KEY = "moscow/commented-on/paris-meeting"


class SimulatedClock:
    def __init__(self) -> None:
        self.now = YEAR

    def __call__(self) -> datetime:
        return self.now


def key_name(i: int) -> str:
    return MOSCOW_KEY if i == 0 else f"actor-{i % 97}/claim-{i}/object-{i % 13}"


def build(url: str, events: int, keys: int, on_question: int, clock: SimulatedClock) -> list[int]:
    """Append the log; returns the key numbers it asserted (fewer than ``keys`` when
    the log is small), so later queries only name keys that exist."""
    settings = load_settings(
        config_dir=shipped_config_dir(), environ={}, overrides={"database": {"url": url}}
    )
    tracker = bootstrap(settings=settings, clock=clock)
    rng = random.Random(1)
    producer = Producer(kind="rule", rule="bench")
    batch = 1000
    used: set[int] = set()
    every = max(1, events // on_question) if on_question else 0
    step = timedelta(seconds=365 * 24 * 3600 / events * batch)
    for start in range(0, events, batch):
        clock.now += step
        out = []
        for n in range(start, min(start + batch, events)):
            i = 0 if every and n % every == 0 else rng.randrange(1, keys)
            used.add(i)
            key = key_name(i)
            subject, predicate, *rest = key.split("/")
            valid = YEAR + timedelta(hours=rng.randrange(365 * 24))
            item = FactAsserted(
                key=key,
                subject=subject,
                predicate=predicate,
                object=rest[0] if rest else None,
                value=rng.random() < 0.5 if i == 0 else rng.randrange(1000),
                valid_from=valid,
                valid_precision="instant",
                evidence=Evidence(document=f"doc-{n // 20}", quote="a short supporting quote"),
                producer=producer,
            )
            out.append(new_event(item, "bench", str(n), occurred_at=valid))
        tracker.log.append(f"bench:{start // batch}", out)
    tracker.close()
    return sorted(used)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_ms(action: object, runs: list[tuple[datetime, datetime]]) -> list[float]:
    out = []
    for at, known in runs:
        start = time.perf_counter()
        action(at, known)  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--question-assertions", type=int, default=10_000)
    parser.add_argument("--db", help="database URL (default: a new SQLite file here)")
    parser.add_argument(
        "--pg", action="store_true", help="on a throwaway PostgreSQL cluster (fsync on)"
    )
    args = parser.parse_args()

    cluster = Cluster(durable=True) if args.pg else None
    try:
        run(args, cluster.url if cluster else args.db)
    finally:
        if cluster is not None:
            cluster.stop()


def run(args: argparse.Namespace, given: str | None) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch:
        url = given or f"sqlite:///{Path(scratch) / 'asof.db'}"
        engine = make_engine(url)
        upgrade(engine)  # PostgreSQL asks for it; an embedded file would do it itself
        engine.dispose()
        clock = SimulatedClock()
        t0 = time.perf_counter()
        # A small log keeps the question's share of a large one: all of 10,000 events on
        # one key would leave the other keys empty and time nothing but that key.
        on_question = min(args.question_assertions, max(1, args.events // 100))
        used = build(url, args.events, args.keys, on_question, clock)
        built = time.perf_counter() - t0

        settings = load_settings(
            config_dir=shipped_config_dir(), environ={}, overrides={"database": {"url": url}}
        )
        tracker = bootstrap(settings=settings, clock=clock)
        t0 = time.perf_counter()
        tracker.runner.catch_up()  # every projection current, as in a live database
        catch_up_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        counts = app.rebuild(tracker, ["facts"])
        rebuild_s = time.perf_counter() - t0
        applied = counts["facts"]

        rng = random.Random(2)
        runs = [
            (
                YEAR + timedelta(hours=rng.randrange(365 * 24)),
                YEAR + timedelta(hours=rng.randrange(365 * 24)),
            )
            for _ in range(args.queries)
        ]
        question = tracker.story.question("moscow-commented")
        assert question is not None
        on_key = len(tracker.queries.assertions([MOSCOW_KEY])[MOSCOW_KEY])
        one_question = timed_ms(lambda at, k: tracker.queries.answer(question, at, k), runs)
        # The same answer as a fold over every timeline row of the key, as it was once made.
        folded = timed_ms(
            lambda at, k: answer(question, tracker.queries.assertions(question.facts, k), at, k),
            runs[:20],
        )
        named = [i for i in used if i != 0] or used
        hist_keys = [key_name(rng.choice(named)) for _ in runs]
        histories = []
        for key in hist_keys:
            start = time.perf_counter()
            app.history(tracker, key)
            histories.append((time.perf_counter() - start) * 1000)
        whole = timed_ms(
            lambda at, k: tracker.queries.state_at(at, k), runs[: max(20, args.queries // 10)]
        )

        # The peer: no timeline, so read the whole log and fold every assertion.
        at, known = runs[0]
        start = time.perf_counter()
        assertions: list[Assertion] = []
        for event in tracker.log.iter_after(0, page_size=10_000):
            if event.data.get("key") == MOSCOW_KEY:
                assertions.append(
                    Assertion(
                        str(event.event_id),
                        MOSCOW_KEY,
                        event.data["value"],
                        datetime.fromisoformat(event.data["valid_from"]),
                        event.position,
                        event.recorded_at,
                        None,
                    )
                )  # type: ignore[arg-type]
        winner(assertions, at, known)
        scan_ms = (time.perf_counter() - start) * 1000
        tracker.close()

    print(
        f"log: {args.events:,} FactAsserted events over {args.keys:,} keys "
        f"(built in {built:.1f}s) on {url.split(':')[0]}"
    )
    print(
        f"rebuild (facts projection, set-wise): {applied:,} events in {rebuild_s:.1f}s = "
        f"{applied / rebuild_s:,.0f} events/s   (target >= 100,000/s on SQLite)"
    )
    print(
        "catch-up of every projection from zero, event by event: "
        f"{args.events / catch_up_s:,.0f} events/s"
    )
    print(f"{'as-of query':44} {'median ms':>10} {'p99 ms':>9}  target (median)")
    for name, values, target in (
        (f"one question ({on_key:,} assertions on its key)", one_question, "<= 1 ms"),
        ("  the same, folded from the key's rows", folded, "(peer)"),
        ("one key's history", histories, "< 10 ms"),
        (f"whole state ({args.keys:,} keys)", whole, "< 250 ms"),
    ):
        print(
            f"{name:44} {statistics.median(values):10.2f} {percentile(values, 0.99):9.2f}  {target}"
        )
    print(
        f"peer: one question by reading and folding the whole log: {scan_ms:,.0f} ms "
        f"({scan_ms / statistics.median(one_question):,.0f}x the timeline's median)"
    )


if __name__ == "__main__":
    main()
