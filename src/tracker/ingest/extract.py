"""The extraction step: documents in, the statements and facts they support out.

Whatever an extractor returns is appended in the same transaction as the
document, so a document is never stored without its extraction, or twice.

``RuleExtractor`` parses text with spaCy (sentences, dependency parse, entities,
lemmas), finds who said what (``speakers``) and who did what (``claims``), and
answers questions by the rules in ``extraction.toml`` (``rules``). A headline is
parsed as its own sentence, a body line repeating it is read once, and text is read
in bounded pieces. Each document gives at most one verdict per fact key: a sentence
that dates its event wins over one dated only by publication (a headline, say).
Every event records its rule, the config version, the model, the sentence and the
source (title, link, feed, publication time).

The model and its batches are ``parsing``; one document's sentences become events in
``document_reading``, with ``verdicts`` (what a sentence answers) and
``document_events`` (the events, their evidence and producer).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.config import Story
from tracker.domain.events import DocumentIngested, FactAsserted, new_event
from tracker.domain.log import NewEvent
from tracker.ingest.claim_finder import ClaimFinder
from tracker.ingest.document_reading import DocumentReading, TitleCase
from tracker.ingest.extraction_config import EXTRACTION_FILE, load_extraction_config
from tracker.ingest.parsing import load_model, parse, parse_one, readable, sentences
from tracker.ingest.reading import reading
from tracker.ingest.rules import ExtractionConfig, QuestionRule
from tracker.ingest.said import SILENCE_NOUNS
from tracker.ingest.speakers import StatementFinder
from tracker.ingest.verdicts import about
from tracker.ingest.voices import Voices

__all__ = [
    "EXTRACTION_FILE",
    "Extractor",
    "NoExtraction",
    "RuleExtractor",
    "StoryReading",
    "load_extraction_config",
    "load_model",
]


class Extractor(Protocol):
    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        """Events for a new or revised document; ids must derive from its identity and hash."""
        ...

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        """``extract`` for each document, in order; may batch the language model."""
        ...

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        """``extract``'s events and every other fact the text states (a story's article)."""
        ...


class NoExtraction:
    """Stores documents only."""

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return []

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        return [[] for _ in documents]

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        return []


@dataclass(frozen=True, slots=True)
class StoryReading:
    """One document read once: what ``extract`` gives, and every fact the text states."""

    events: list[NewEvent]  # statements and question answers, as ``extract`` returns them
    facts: list[FactAsserted]  # question answers first, then open facts; one per key


class RuleExtractor:
    """Attributed statements and question answers from documents' sentences."""

    def __init__(self, story: Story, config: ExtractionConfig) -> None:
        self.story = story
        self.config = config
        self.voices = Voices(story.actors, config)
        self.statements = StatementFinder(self.voices, config)
        self.claims = ClaimFinder(self.voices, config)
        self.title_case = TitleCase.of(config, self.voices)
        self._model_name: str | None = None
        # lemmas that make a text worth its entities: someone speaking or keeping silent
        # (a claim's places and agents fall back to the words when no entity is found)
        self._cues = (
            config.reporting_verbs | config.silence_verbs | SILENCE_NOUNS | {"accord", "silent"}
        )

    @property
    def nlp(self) -> Any:
        return load_model(self.config.models)

    def model_name(self) -> str:
        if self._model_name is None:
            meta = self.nlp.meta
            self._model_name = (
                f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"
            )
        return self._model_name

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return self.extract_many([document])[0]

    def readable(self, pieces: list[str]) -> bool:
        """Whether the text is in the model's language, by its share of common words."""
        return readable(pieces, self.config)

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        plans = [reading(d, self.config.max_chars, self.config.piece_chars) for d in documents]
        plans = [pieces if self.readable(pieces) else [] for pieces in plans]
        texts = [piece for pieces in plans for piece in pieces]
        starts = list(itertools.accumulate((len(pieces) for pieces in plans), initial=0))
        parsed: Iterator[Any] = iter(self._parse(texts, documents=starts))
        results = []
        for document, pieces in zip(documents, plans, strict=True):
            docs = [next(parsed) for _ in pieces]
            has_title = bool(document.title.strip())
            results.append(self._events(document, docs, has_title=has_title) if docs else [])
        return results

    def read_story(self, document: DocumentIngested) -> StoryReading:
        """Statements, question answers and every open fact of ``document``, from one parse.

        Open facts need every name, so the entity recogniser reads every piece here.
        """
        pieces = reading(document, self.config.max_chars, self.config.piece_chars)
        if not pieces or not self.readable(pieces):
            return StoryReading([], [])
        docs = self._parse(pieces, entities=True)
        facts: list[FactAsserted] = []
        events = self._events(document, docs, bool(document.title.strip()), facts=facts)
        return StoryReading(events, facts)

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        """What ``extract`` finds, then each open fact of a key no question answer took,
        as events with ids from the document's identity, hash and the fact's key."""
        read = self.read_story(document)
        taken = {e.data["key"] for e in read.events if e.type == FactAsserted.TYPE}
        events = list(read.events)
        for fact in read.facts:
            if fact.key in taken:
                continue
            taken.add(fact.key)
            events.append(
                new_event(
                    fact,
                    document.identity,
                    document.content_hash,
                    "open",
                    fact.key,
                    occurred_at=fact.valid_from,
                )
            )
        return events

    def open_facts(self, document: DocumentIngested) -> list[FactAsserted]:
        """Every fact ``document`` states (``read_story(document).facts``)."""
        return self.read_story(document).facts

    def about(self, rule: QuestionRule, text: str) -> list[str]:
        """The topics of ``rule`` that ``text`` is about; an ambiguous word needs its context."""
        return about(rule, text)

    def _parse(
        self, texts: list[str], *, entities: bool = False, documents: Sequence[int] = ()
    ) -> list[Any]:
        """Parse every text, the entity recogniser only where someone may speak or act
        (``parsing.parse``); ``documents`` holds the index of each document's first text."""
        return parse(
            self.nlp,
            texts,
            cues=self._cues,
            batch_size=self.config.batch_size,
            entities=entities,
            documents=documents,
        )

    def _events(
        self,
        document: DocumentIngested,
        docs: list[Any],
        has_title: bool,
        facts: list[FactAsserted] | None = None,
    ) -> list[NewEvent]:
        model = self.model_name()
        nlp = self.nlp
        document_reading = DocumentReading(
            document,
            list(sentences(docs, has_title)),
            reparse=lambda text: parse_one(nlp, text),
            config=self.config,
            voices=self.voices,
            statements=self.statements,
            claims=self.claims,
            model=model,
            open_facts=facts is not None,
            title_case=self.title_case,
        )
        events = document_reading.read()
        if facts is not None:
            facts += document_reading.facts()
        return events
