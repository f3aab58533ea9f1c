"""What a plan implies: what someone will, could or plans to do is not done yet.

"will establish hubs" says the hubs are not established as of the article:
``established/hubs`` = false, ``implied``, dated by publication.
"""

from __future__ import annotations

import re

from tracker.ingest.open_fact import OpenFact, sentence
from tracker.ingest.rules import FactWords

_MODALS = frozenset({"will", "would", "could", "can", "may", "might", "shall", "should", "must"})
# Past participles the suffix rule gets wrong.
_IRREGULAR = {
    "be": "been",
    "begin": "begun",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "choose": "chosen",
    "come": "come",
    "do": "done",
    "draw": "drawn",
    "fight": "fought",
    "find": "found",
    "give": "given",
    "go": "gone",
    "have": "had",
    "hold": "held",
    "keep": "kept",
    "lead": "led",
    "leave": "left",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "run": "run",
    "say": "said",
    "see": "seen",
    "seek": "sought",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "shoot": "shot",
    "sign": "signed",
    "speak": "spoken",
    "spend": "spent",
    "stand": "stood",
    "strike": "struck",
    "take": "taken",
    "tell": "told",
    "think": "thought",
    "win": "won",
    "withdraw": "withdrawn",
    "write": "written",
}


def past_form(lemma: str) -> str:
    """A verb's past participle, for what a plan says is not done yet."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    return lemma + "ed"


def implied(found: list[OpenFact], words: FactWords) -> list[OpenFact]:
    """What someone will, could or plans to do is not done yet: "will establish hubs"
    says the hubs are not established as of the article."""
    not_yet = []
    for fact in found:
        if fact.value is not True or fact.rule not in (
            "open.clause",
            "open.passive",
            "open.place",
        ):
            continue
        if fact.modality not in ("future", "conditional", "planned", "possible"):
            continue
        said = fact.predicate.split("-")
        if not fact.lemma or said[0] not in _MODALS or not fact.object:
            continue
        if fact.lemma in words.state_verbs:
            continue  # "will include", "will remain": no act that could be done already
        rest = [w for w in said[1:] if w not in ("be", fact.lemma) and w not in _MODALS]
        predicate = "-".join([past_form(fact.lemma), *rest[-1:]])
        not_yet.append(
            OpenFact(
                subject=fact.subject,
                predicate=predicate,
                object=fact.object,
                value=False,
                modality="implied",
                rule="open.implied",
                quote=fact.quote,
                text=sentence(f"Not yet: {fact.text.rstrip('.')}"),
                tense="present",
                when_text="",
                condition=None,
                lemma=fact.lemma,
            )
        )
    return not_yet
