"""One document read sentence by sentence into its events.

Who said what (``speakers``, named through the document's ``cast``), what each sentence
answers for each question rule (``verdicts``; per fact key the verdict that beats the
others), and, for a story's article, every open fact (``facts``). A sentence is read with
the one before and after it, where what a rule is about may be named, and the whole text,
where its context may be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from tracker.domain.events import DocumentIngested, FactAsserted
from tracker.domain.log import NewEvent
from tracker.ingest.cast import Cast
from tracker.ingest.claim_finder import ClaimFinder
from tracker.ingest.claim_places import placed_elsewhere
from tracker.ingest.dates import in_years_past, resolve_clause
from tracker.ingest.document_events import (
    answer,
    answer_event,
    open_fact_asserted,
    statement_event,
)
from tracker.ingest.facts import FactReader
from tracker.ingest.parsing import said_word, sentence_cased, unquoted
from tracker.ingest.rules import ExtractionConfig, QuestionRule
from tracker.ingest.said import Said
from tracker.ingest.speakers import StatementFinder
from tracker.ingest.verdicts import Finding, Verdict, claim_findings, said_findings
from tracker.ingest.voices import Speaker, Voices


class DocumentReading:
    """The statements, answers and open facts of one document's sentences."""

    def __init__(
        self,
        document: DocumentIngested,
        sentences: list[tuple[Any, bool]],
        *,
        config: ExtractionConfig,
        voices: Voices,
        statements: StatementFinder,
        claims: ClaimFinder,
        model: str,
        open_facts: bool,
        reparse: Callable[[str], Any] | None = None,
        title_case: TitleCase | None = None,
    ) -> None:
        self.document = document
        self.sentences = sentences
        # sentences parsed again without the marks of quoted words, for the question
        # rules, when one is needed
        self._reparse = reparse
        self._unquoted: dict[int, Any] = {}
        self._cased: dict[int, Any] = {}
        self.config = config
        self.title_case = title_case or TitleCase.of(config, voices)
        self.statements = statements
        self.claims = claims
        self.producer = {"config_version": config.version, "model": model}
        self.source = {
            "title": document.title,
            "url": document.url,
            "feed": document.feed,
            "published_at": document.published_at,
        }
        self.cast = Cast(voices, config.person_roles, config.body_nouns)
        for index, (sent, _headline) in enumerate(sentences):
            self.cast.add(sent, index)
        self.whole = " ".join([document.title] + [s.text for s, _ in sentences])
        lead = [s for s, headline in sentences if not headline][:1]
        self._elsewhere = frozenset(
            rule.id for rule in config.rules if any(placed_elsewhere(s, rule) for s in lead)
        )
        self.reader = FactReader(voices, config) if open_facts else None
        self._events: list[NewEvent] = []
        self._verdicts: dict[str, Verdict] = {}
        self._opened: dict[str, FactAsserted] = {}
        self._previous: Speaker | None = None
        self._kept = 0

    def read(self) -> list[NewEvent]:
        """The statements, then each fact key's answer, as events."""
        for index, (sent, headline) in enumerate(self.sentences):
            if len(sent) > self.config.max_sentence_tokens:
                continue
            self._sentence(index, sent, headline)
        for verdict in self._verdicts.values():
            self._events.append(answer_event(self.document, verdict, self.producer, self.source))
        return self._events

    def facts(self) -> list[FactAsserted]:
        """Every fact the document states: the answers, then the open facts of other keys."""
        answered = [
            answer(self.document, v, self.producer, self.source) for v in self._verdicts.values()
        ]
        keys = {f.key for f in answered}
        return answered + [f for key, f in self._opened.items() if key not in keys]

    def _sentence(self, index: int, sent: Any, headline: bool) -> None:
        sentence = " ".join(sent.text.split())
        title = self.document.title
        around = " ".join(
            [title] + [s.text for s, _ in self.sentences[max(0, index - 1) : index + 2]]
        )
        said = self._said(sent, index, headline)
        if headline and not any(self._well_named(item) for item in said):
            # nothing said, or said by a name with a verb in it ("Witkoff Tells Kyiv ..."):
            # a Title Case headline, read again in sentence case
            cased = self._sentence_cased(sent)
            if cased is not None:
                said = [
                    _as_written(i, cased.text, sent.text)
                    for i in self._said(cased, index, headline)
                ] or said
        for item in said:
            self.cast.learn(item.speaker)
        self._statements(said, index, sentence)
        if said:
            self._previous = said[-1].speaker
        if self.reader is not None and headline:
            self.reader.heading(sent, cast=self.cast, index=index)
        elif self.reader is not None:
            self._open_facts(self.reader, sent, index, sentence)
        for rule in self.config.rules:
            for found in self._rule_verdicts(rule, sent, said, around, index, headline):
                held = self._verdicts.get(found.key)
                if held is None or found.beats(held):
                    self._verdicts[found.key] = found

    def _said(self, sent: Any, index: int, headline: bool) -> list[Said]:
        return [
            replace(item, speaker=self.cast.resolve(item.speaker, _phrase(sent, item), index))
            for item in self.statements.find(
                sent,
                self._previous,
                headline=headline,
                narrated=None if self._previous else self.cast.subject_before(index),
            )
        ]

    def _well_named(self, item: Said) -> bool:
        """Whether a statement's speaker has a name with no verb of saying in it."""
        verbs = self.title_case.said_verbs
        return not any(
            word[:1].isupper() and said_word(word.casefold(), verbs)
            for word in item.speaker.name.split()[1:]
        )

    def _sentence_cased(self, sent: Any) -> Any | None:
        """A headline In Title Case parsed again with its small words and verbs of saying
        in lower case, or None when it is not in Title Case."""
        words = self.title_case
        cased = sentence_cased(sent.text, words.said_words, words.said_verbs)
        if cased is None or self._reparse is None:
            return None
        return self._reparse(cased)

    def _claims(self, rule: QuestionRule, sent: Any, title: str, headline: bool) -> list[Finding]:
        return claim_findings(
            self.claims,
            rule,
            sent,
            title,
            self._previous,
            self.whole,
            headline,
            elsewhere=rule.id in self._elsewhere,
        )

    def _rules_cased(self, index: int, sent: Any) -> Any | None:
        """A headline In Title Case parsed again with its small words, verbs of saying and
        the words of the questions' rules (their actions, objects and topics) in lower
        case; None when it is not in Title Case. Parsed once."""
        if index not in self._cased:
            words = self.title_case
            cased = sentence_cased(sent.text, words.rule_words, words.rule_verbs, past=True)
            reparse = self._reparse
            self._cased[index] = reparse(cased) if reparse is not None and cased else None
        return self._cased[index]

    def _without_marks(self, index: int, sent: Any) -> Any | None:
        """The sentence parsed again without the marks of its quoted words, or None when
        it has none; parsed once."""
        if index not in self._unquoted:
            plain = unquoted(sent.text)
            reparse = self._reparse
            self._unquoted[index] = reparse(plain) if reparse is not None and plain else None
        return self._unquoted[index]

    def _statements(self, said: list[Said], index: int, sentence: str) -> None:
        for item in said:
            if (item.spoken or not item.negated) and item.modality == "actual":
                self._kept += 1
                if self._kept > self.config.max_statements:
                    break
                self._events.append(
                    statement_event(
                        self.config,
                        self.document,
                        item,
                        index,
                        sentence,
                        self.producer,
                        self.source,
                    )
                )

    def _open_facts(self, reader: FactReader, sent: Any, index: int, sentence: str) -> None:
        opened = self._opened
        for fact in reader.read(sent, cast=self.cast, index=index, previous=self._previous):
            if fact.key not in opened and len(opened) < self.config.facts.max_facts:
                opened[fact.key] = open_fact_asserted(
                    self.config, self.document, fact, sentence, self.producer, self.source
                )

    def _rule_verdicts(
        self,
        rule: QuestionRule,
        sent: Any,
        said: list[Said],
        title: str,
        index: int,
        headline: bool,
    ) -> list[Verdict]:
        sentence = " ".join(sent.text.split())
        if rule.kind == "statement":
            found = said_findings(rule, said, sent.text, title)
        else:
            # the sentence as written first; without the marks of its quoted words only
            # when that finds nothing (the parse of either may be the one that fails)
            found = self._claims(rule, sent, title, headline)
            if not found and rule.objects.find(title):
                plain = self._without_marks(index, sent)
                if plain is not None:
                    found = self._claims(rule, plain, title, headline)
            if not found and headline and rule.objects.find(sent.text):
                # "First French Troops Arrive In Ukraine": read with the words of the
                # questions' rules in lower case
                cased = self._rules_cased(index, sent)
                if cased is not None:
                    found = self._claims(rule, cased, title, headline)
        verdicts = []
        for value, tense, _modality, quote, keys, how, own, dated in found:
            if in_years_past(dated, published=self.document.published_at, since=rule.since):
                continue  # what happened years ago is the story's past, not its news
            when = resolve_clause(
                own,
                sentence,
                published=self.document.published_at,
                tense=tense,
                holidays=self.config.holidays,
            )
            for key in keys:
                verdicts.append(
                    Verdict(
                        rule,
                        key,
                        value,
                        when.moment,
                        when.precision,
                        headline,
                        index,
                        sentence,
                        quote,
                        how,
                    )
                )
        return verdicts


@dataclass(frozen=True, slots=True)
class TitleCase:
    """The words a headline In Title Case is read again with, in lower case: for its
    statements, the small words and the verbs of saying; for the questions' rules, those
    and the rules' own actions and words. Built once per configuration."""

    said_words: frozenset[str]
    said_verbs: frozenset[str]
    rule_words: frozenset[str]
    rule_verbs: frozenset[str]

    @classmethod
    def of(cls, config: ExtractionConfig, voices: Voices) -> TitleCase:
        verbs = config.reporting_verbs - config.title_case_unsure
        actions = frozenset(
            action for rule in config.rules for action in rule.actions + rule.negative_actions
        )
        return cls(
            said_words=config.title_case_words,
            said_verbs=verbs,
            rule_words=config.title_case_words | _rule_words(config.rules, voices),
            rule_verbs=verbs | actions,
        )


def _rule_words(rules: tuple[QuestionRule, ...], voices: Voices) -> frozenset[str]:
    """The single words of the rules' objects and topics that are no place, side or actor:
    "troops", "ceasefire", "guarantees"; not "Ukraine" or "Kremlin"."""
    words = {
        word
        for rule in rules
        for terms in (rule.objects, rule.topics)
        for phrase in terms.words
        for word in phrase.casefold().split()
    }
    return frozenset(
        w
        for w in words
        if w.isalpha() and voices.side_in(w.title()) is None and voices.actor_named(w) is None
    )


def _as_written(item: Said, cased: str, written: str) -> Said:
    """A statement read from a headline's lower-cased words, with its words as written."""

    def back(words: str) -> str:
        at = cased.find(words)
        return written[at : at + len(words)] if at >= 0 else words

    return replace(
        item,
        content=back(item.content),
        quote=back(item.quote) if item.quote else item.quote,
        when_text=back(item.when_text),
    )


def _phrase(sent: Any, item: Said) -> Any:
    """The tokens of the speaker's phrase in ``sent``."""
    a, b = item.speaker_span
    return sent.doc.char_span(sent.start_char + a, sent.start_char + b, alignment_mode="expand")
