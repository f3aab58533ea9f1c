"""What a sentence answers for a question rule, and which answer a document gives.

A statement rule is answered by what its side's officials say about its topics (or
decline to say); an event rule by the claims the sentence makes. Each finding becomes
one ``Verdict`` per fact key; the document keeps, per key, the verdict that ``beats``
the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from tracker.ingest.claim_finder import ClaimFinder
from tracker.ingest.rules import Modality, QuestionRule
from tracker.ingest.said import Said
from tracker.ingest.voices import Speaker

# Words that point back to what was just said: "called his remarks ...", "the site was ..."
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|his|her|their|its) (?:move|decision|remarks?|comments?|"
    r"statement|plan|step|site|deal|announcement|proposal|idea|initiative|vote|base|facility|"
    r"deployment|document|agreement|pledge|offer|report|reports|claims?|words|hubs?|force|"
    r"troops|soldiers|contingent|guarantees|sites?|arrival|ratification|withdrawal|opening|"
    r"signing|presence)\b",
    re.IGNORECASE,
)
# "called them 'a recipe for escalation'": the words begin with what they point back to
_POINTS_BACK = re.compile(r"(?:them|it|this|these)\b", re.IGNORECASE)
# A point of the compass before a name is geography, not a side: "western Ukraine".
_REGION = re.compile(r"\b(?i:western|eastern|northern|southern|central)\s+(?=[A-Z])")


class Finding(NamedTuple):
    """What one statement or claim of a sentence says for a rule, before it is dated."""

    value: bool
    tense: str
    modality: Modality
    quote: str | None
    keys: tuple[str, ...]
    how: str
    when_text: str
    dated: str = ""  # the words that date the act itself


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: QuestionRule
    key: str
    value: bool
    moment: datetime
    precision: str
    headline: bool
    index: int
    sentence: str
    quote: str | None
    how: str

    def beats(self, other: Verdict) -> bool:
        """Whether this verdict, rather than ``other``, is the document's for their key.

        A day-dated sentence beats one dated by publication, and a body sentence the
        headline. Then, for the same value, the earliest day (it held from then); for
        opposite values, the latest (it is the news), and on the same day the later
        sentence ("The ministry later corrected the statement ...").
        """
        mine = (self.precision == "day", not self.headline)
        theirs = (other.precision == "day", not other.headline)
        if (
            self.value != other.value
            and not other.headline
            and self.index > other.index
            and _LATER.match(self.sentence)
        ):
            return True  # "Later in the day, the embassy said ...": what came after
        if (
            self.rule.kind == "event"
            and self.value != other.value
            and not self.headline
            and not other.headline
        ):
            # two body sentences that disagree on an act: the later news, "later corrected";
            # a statement dated to its day still beats an undated "has not commented"; in
            # one sentence ("had been delayed, but on Thursday MPs approved"), the dated one
            if self.index == other.index and mine != theirs:
                return mine > theirs
            return (self.moment, self.index) > (other.moment, other.index)
        if mine != theirs:
            return mine > theirs
        if self.value == other.value:
            return self.moment < other.moment
        return (self.moment, self.index) > (other.moment, other.index)


# A sentence that opens by telling what came after the one before it.
_LATER = re.compile(
    r"\W*(?:later|hours later|shortly after(?:wards)?|afterwards|subsequently)\b", re.IGNORECASE
)


def said_findings(rule: QuestionRule, said: list[Said], text: str, title: str) -> list[Finding]:
    """What the statements of a sentence answer for a statement rule."""
    found = []
    for item in said:
        value = _statement_verdict(rule, item, text, title)
        if value is not None:
            keys = tuple(t.key for t in rule.facts)
            how = "negated" if not value else "said"
            found.append(
                Finding(
                    value,
                    item.tense,
                    item.modality,
                    item.quote,
                    keys,
                    how,
                    item.when_text,
                    item.when_text,  # "Lavrov said in 2015 ...": the verb's own words
                )
            )
    return found


def claim_findings(
    claims: ClaimFinder,
    rule: QuestionRule,
    sent: Any,
    title: str,
    previous: Speaker | None,
    whole: str,
    headline: bool,
    elsewhere: bool = False,
) -> list[Finding]:
    """What the claims of a sentence answer for an event rule, in the moods it allows;
    ``elsewhere``: the lead puts the act in a place that is not the rule's."""
    found: list[Finding] = []
    if headline and rule.excludes and rule.excludes.find(title):
        # "France opens hub in Ukraine" above "... opened a humanitarian logistics hub": the
        # lead says what kind
        return found
    # "Britain opens military logistics hub" above "... a hub in south-eastern Poland": the
    # lead says where, unless the headline says it too
    own_place = headline and elsewhere
    claimed = claims.find(sent, rule, title, previous, whole, own_place=own_place)
    if (
        headline
        and not own_place
        and not any(c.modality in (rule.true_when if c.value else rule.false_when) for c in claimed)
    ):
        # the parse of a headline is often wrong; its words may still say it
        claimed += claims.in_headline(sent, rule)
    named = [t for t in rule.facts if t.requires]
    for claim in claimed:
        allowed = rule.true_when if claim.value else rule.false_when
        if claim.modality not in allowed:
            continue
        if (
            claim.value
            and len(named) == len(rule.facts)
            and not any(t.requires.find(title) for t in named)
        ):
            continue  # "a Ukrainian firm opened a production hub": whose hub, is not said

        keys = tuple(t.key for t in claim.targets)
        how = claim.how if claim.value else f"{claim.how}.negated"
        found.append(
            Finding(
                claim.value,
                claim.tense,
                claim.modality,
                None,
                keys,
                how,
                claim.when_text,
                claim.dated,
            )
        )
    return found


def about(rule: QuestionRule, text: str) -> list[str]:
    """The topics of ``rule`` that ``text`` is about; an ambiguous word needs its context."""
    if rule.kind != "statement":
        return rule.objects.find(text)
    if rule.excludes and rule.excludes.find(text):
        return []  # "a meeting ... in Paris on Iran's nuclear programme" is another topic
    hits = []
    around = _REGION.sub(" ", text)  # "its forces had struck ... in western Ukraine"
    for term in rule.topics.find(text):
        near = rule.ambiguous.get(term)
        if near is None or near.find(around):
            hits.append(term)
    return hits


def _statement_verdict(rule: QuestionRule, item: Said, text: str, title: str) -> bool | None:
    if item.speaker.side != rule.side or not item.speaker.official:
        return None  # someone else's words, even about Moscow, answer nothing
    a, b = item.speaker_span
    rest = text[:a] + " " + text[b:]  # what was said, never the speaker's own phrase
    if item.negated:
        if item.modality not in rule.false_when:
            return None
        # "declined to comment" often names the topic elsewhere: the rest of the sentence,
        # else the headline and the sentences around
        if about(rule, rest) or about(rule, title):
            return False
        return None
    if item.modality not in rule.true_when or item.habitual:
        return None
    if about(rule, item.content) or about(rule, item.quote or ""):
        return True
    # "Russia's embassy said the site was a legitimate target" after "Britain opened its
    # hub": what the words point back to, in the sentence or the ones around
    points_back = _ANAPHOR.search(item.content) or _POINTS_BACK.match(item.content)
    if points_back and (about(rule, rest) or about(rule, title)):
        return True
    return None
