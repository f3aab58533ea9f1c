"""A statement as a sentence gives it: who said what, how and in what mood."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracker.ingest.rules import Modality
from tracker.ingest.voices import Speaker

# Nouns of a reaction not given: "no comment from the Kremlin", "no word from Moscow"
SILENCE_NOUNS = frozenset({"comment", "reaction", "response", "word"})
QUOTES = re.compile(r"[\"“”«»]([^\"“”«»]{3,}?)[\"“”«»]")


@dataclass(frozen=True, slots=True)
class Said:
    speaker: Speaker
    verb: str  # lemma of the reporting verb, or "according to", or "headline"
    mode: str  # direct | reported
    content: str
    tense: str
    speaker_span: tuple[int, int]  # character offsets of the speaker's phrase in the sentence
    quote: str | None = None
    negated: bool = False
    modality: Modality = "actual"
    habitual: bool = False
    when_text: str = ""  # the reporting verb's own clause, where its date is
    # the reporting verb happened, whatever it reports: "said it would not comment"
    spoken: bool = False


def span_of(token: Any, sent: Any) -> tuple[int, int]:
    """Where a phrase sits in its sentence, as character offsets."""
    base = sent.start_char
    return token.left_edge.idx - base, token.right_edge.idx - base + len(token.right_edge)
