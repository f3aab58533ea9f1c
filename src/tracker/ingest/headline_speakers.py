"""Statements a headline makes by its shape: "Petrov: plan is a dead end", "'It is over':
Biden quiets Democrats", "Ceasefire agreed - Russian delegation", and a headline verb the
parser took for a noun ("Trump calls for ...")."""

from __future__ import annotations

import re
from typing import Any

from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.said import Said, span_of
from tracker.ingest.voices import Speaker, Voices

_HEADLINE = re.compile(r"^\s*([^:]{2,60}?)\s*:\s+(\S.{3,})$")
# "'There was a trail of blood': Ari Fleischer was nearly caught in the shooting"
_QUOTE_FIRST = re.compile("^\\s*[\"\u201c'\u2018](.{3,200}?)[\"\u201d'\u2019]\\s*:\\s+(\\S.{3,})$")
# words in quotation marks, single or double, within a headline
_QUOTED = re.compile(
    "(?:^|(?<=\\s))['\u2018\"\u201c][^'\u2018\u2019\"\u201c\u201d]{3,120}?['\u2019\"\u201d](?=\\s|$|[,.:;!?])"
)
# "Russia, Ukraine conclude ceasefire agreement - Russian delegation"
_TRAILING = re.compile("^(.{8,}?)\\s+[-\u2013\u2014]\\s+([^-\u2013\u2014]{2,50})$")
# "18-Year-Old Man Arrested After Running Toward US Capitol: Cops"
_TRAILING_COLON = re.compile("^(.{8,}?):\\s+([^:]{2,50})$")
_ON = frozenset({"on", "over", "about"})
_TOPIC = re.compile(r"\s(?:on|over|about)\s")
_LIVE = re.compile(r"[-\u2013\u2014]\s*(live|as it happened)\W*$", re.IGNORECASE)


class HeadlineSpeakers:
    """The speaker and words of a headline no verb of its parse attributed."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config

    def find(self, sent: Any, previous: Speaker | None) -> list[Said]:
        return (
            self._headline(sent, previous)
            or self._quote_headline(sent, previous)
            or self._trailing_headline(sent, previous)
            or self._noun_verb_headline(sent, previous)
        )

    def _headline(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "Petrov: plan is a dead end" — a short name before a colon is the speaker."""
        match = _HEADLINE.match(sent.text)
        if match is None or len(_TOPIC.split(match.group(1))[0].split()) > 6:
            return []  # a name, perhaps with its topic: "Late-night hosts on State of the Union"
        if len(match.group(1).split()) > 12:
            return []
        end = sent.start_char + match.end(1)
        tokens = [t for t in sent if t.idx + len(t) <= end]
        if not tokens:
            return []
        head = self._prefix_head(tokens, end)
        name = _prefix_name(head, tokens, end)
        actor = self.voices.actor_named(name)
        if not self._voice(head) and actor is None:
            return []
        if actor is None and (
            head.ent_type_ == "GPE" or name.casefold() in self.config.place_labels
        ):
            return []  # "Ukraine war: ...", "Kenya: ..." label a topic or a section, not a voice
        if not _says_something(sent, match):
            return []
        speaker = Speaker(
            name,
            actor.id if actor else None,
            (actor.group if actor else None) or self.voices.side_in(name),
        )
        content = match.group(2).strip().strip("\"“”'")
        quote = content if match.group(2).strip()[:1] in "\"“'" else None
        return [
            Said(
                speaker=speaker,
                verb="headline",
                mode="direct" if quote else "reported",
                content=" ".join(content.split()),
                quote=quote,
                tense="present",
                negated=False,
                modality="question" if content.endswith("?") else "actual",
                habitual=False,
                speaker_span=(0, match.end(1)),
            )
        ]

    def _prefix_head(self, tokens: list[Any], end: int) -> Any:
        """The head of the words before the colon: "Medvedev on Telegram: ..." is
        Medvedev speaking."""
        roots = [t for t in tokens if t.head.i == t.i or t.head.idx + len(t.head) > end]
        head = roots[0] if len(roots) == 1 and roots[0].pos_ in ("PROPN", "NOUN") else tokens[-1]
        if self._voice(head):
            return head
        # "Kremlin on Paris summit: ...", parsed with "summit" as the head: the one the
        # topic hangs from
        return next(
            (
                t
                for t in tokens
                if any(c.dep_ == "prep" and c.lower_ in _ON for c in t.children) and self._voice(t)
            ),
            head,
        )

    def _voice(self, head: Any) -> bool:
        """Whether a headline's word before a colon can be a speaker: a name, or a word that
        speaks ("hosts", "Kremlin")."""
        return (
            head.ent_type_ in ("PERSON", "ORG", "NORP")
            or (head.pos_ == "PROPN" and not head.ent_type_)
            or head.lemma_.lower() in self.config.voices
            or head.lower_ in self.config.voices
        )

    def _quote_headline(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """A headline that opens with a quote and a colon: the quote is the words of the
        subject that follows ("'It is over': Biden quiets Democrats"), when it is a voice."""
        match = _QUOTE_FIRST.match(sent.text)
        if match is None:
            return []
        start = sent.start_char + match.start(2)
        rest = [t for t in sent if t.idx >= start]
        subject = next((t for t in rest if t.dep_ in ("nsubj", "nsubjpass")), None) or next(
            (t for t in rest if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("ROOT", "attr")), None
        )
        lead = rest[0] if rest else None
        follows = lead.doc[lead.i + 1] if lead is not None and lead.i + 1 < sent.end else None
        if (
            lead is not None
            and follows is not None
            # "Trump lauds ...", with the verb read as a noun; not "Starmer hub announcement"
            and follows.lower_.removesuffix("s") in self.config.reporting_verbs
            and lead.dep_ != "poss"
            and (lead.ent_type_ == "PERSON" or self.voices.actor_named(lead.text) is not None)
            and (subject is None or self.voices.resolve(subject, previous) is None)
        ):
            # "'Extraordinary success': Trump lauds first year", parsed with "lauds" a noun
            subject = lead
        if subject is None or subject.dep_ == "poss":
            return []
        speaker = self.voices.resolve(subject, previous)
        if speaker is None:
            # "'This is over': Puigdemont's independence doubts caught on camera"
            owner = next((c for c in subject.children if c.dep_ == "poss"), None)
            if owner is None or owner.pos_ != "PROPN":
                return []
            subject, speaker = owner, self.voices.resolve(owner, previous)
            if speaker is None:
                return []
        quote = match.group(1).strip()
        return [
            Said(
                speaker=speaker,
                verb="headline",
                mode="direct",
                content=" ".join(quote.split()),
                quote=quote,
                tense="present",
                speaker_span=span_of(subject, sent),
            )
        ]

    def _trailing_headline(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "Ceasefire agreed - Russian delegation": a voice after a closing dash; "Iran
        has not agreed to all red lines: JD Vance", a person or a voice after a colon."""
        match = _TRAILING.match(sent.text)
        colon = match is None
        if colon:
            match = _TRAILING_COLON.match(sent.text)
        if match is None or len(match.group(2).split()) > 5:
            return []
        start = sent.start_char + match.start(2)
        tail = [t for t in sent if t.idx >= start]
        if any(t.ent_type_ == "DATE" or t.like_num for t in tail):
            return []  # "... - South African News Briefs - February 17, 2025" is a dateline
        heads = [t for t in tail if t.head.i == t.i or t.head.idx < start]
        if len(heads) != 1 or heads[0].pos_ not in ("NOUN", "PROPN"):
            return []
        if colon and not (
            heads[0].ent_type_ == "PERSON" or heads[0].lemma_.lower() in self.config.voices
        ):
            return []  # "... Claims a Modern Victim: An Amazon Van" names no one speaking
        speaker = self.voices.resolve(heads[0], previous)
        if speaker is None:
            return []
        content = " ".join(match.group(1).split())
        return [
            Said(
                speaker=speaker,
                verb="headline",
                mode="reported",
                content=content,
                tense="present",
                speaker_span=(match.start(2), match.end(2)),
                modality="question" if content.endswith("?") else "actual",
            )
        ]

    def _noun_verb_headline(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "Trump calls for partnering with Russia", parsed with "calls" a noun: a name,
        then a word that is a reporting verb's third person, then what was said."""
        for token in sent:
            if token.pos_ not in ("NOUN", "PROPN") or token.i == sent.start or token.ent_type_:
                continue  # "Malaria Claims", one name, is no one speaking
            word = token.lower_
            verbs = [w for w in (word[:-1], word[:-2]) if w in self.config.reporting_verbs]
            if not word.endswith("s") or not verbs:
                continue
            name = token.doc[token.i - 1]
            rest = token.doc[token.i + 1 : sent.end]
            if name.ent_type_ not in ("PERSON", "ORG", "NORP") or len(rest) < 2 or rest[0].is_punct:
                continue
            speaker = self.voices.resolve(name, previous)
            if speaker is None:
                continue
            return [
                Said(
                    speaker=speaker,
                    verb=verbs[0],
                    mode="reported",
                    content=" ".join(rest.text.split()),
                    tense="present",
                    speaker_span=span_of(name, sent),
                    modality="question" if rest.text.rstrip().endswith("?") else "actual",
                )
            ]
        return []


def _prefix_name(head: Any, tokens: list[Any], end: int) -> str:
    """The name the head of the words before the colon gives, without its topic."""
    aside = {
        t.i
        for c in head.children
        if c.dep_ == "prep" and c.i > head.i
        for t in c.subtree
        if t.idx < end
    }
    own = {t.i for t in head.subtree}
    return "".join(
        t.text_with_ws
        for t in tokens
        if t.i in own and t.i not in aside and (t.pos_ != "PUNCT" or t.text == "-")
    ).strip()


def _says_something(sent: Any, match: re.Match[str]) -> bool:
    """Whether what follows the colon is a statement: "Spurs v United: Premier League -
    live!" says nothing; "Whitaker: US 'no longer part' of guarantees" quotes its speaker."""
    rest = [t for t in sent if t.idx >= sent.start_char + match.start(2)]
    opens_quote = match.group(2)[:1] in "\"\u201c'\u2018"
    # "Peskov: No place for European troops": a denial needs no verb
    denial = rest[0].lower_ in ("no", "not", "never", "nothing", "none") and len(rest) >= 3
    if (
        not opens_quote
        and not denial
        and not any(t.pos_ in ("VERB", "AUX") for t in rest)
        and not _QUOTED.search(match.group(2))
    ):
        return False
    # "... - live!" is a live page; "Government: to review subsidies" a plan
    return opens_quote or not (_LIVE.search(match.group(2)) or rest[0].lower_ == "to")
