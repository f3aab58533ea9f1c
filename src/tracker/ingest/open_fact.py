"""An open fact read from one clause, and the words it is made of.

Every sentence shape (``actives``, ``passives``, ``copulas``, ...) builds its facts with
``fact``: the subject's and object's keys, the value, the rule that read it, and the
clause's mood (``base``), with a sentence of its own to show (``text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker.ingest.voices import slug

if TYPE_CHECKING:
    from tracker.ingest.participants import Name

_SPELLED = {"wo": "will", "'ll": "will", "ca": "can", "'d": "would", "sha": "shall"}


@dataclass(frozen=True, slots=True)
class OpenFact:
    """A fact read from one clause, before its date and evidence are attached."""

    subject: str
    predicate: str
    object: str | None
    value: bool | str
    modality: str  # asserted | future | possible | planned | conditional | reported | ...
    rule: str
    quote: str
    text: str
    tense: str = "past"
    when_text: str = ""
    condition: str | None = None
    lemma: str = ""  # the verb's lemma, for what a plan implies

    @property
    def key(self) -> str:
        return "/".join(p for p in (self.subject, self.predicate, self.object) if p)


def fact(
    subject: Name,
    predicate: str,
    obj: Name | None,
    value: bool | str,
    rule: str,
    base: dict[str, Any],
    text: str,
) -> OpenFact:
    """The fact ``subject`` ``predicate`` ``obj``, in the mood ``base`` holds."""
    return OpenFact(
        subject=subject.slug,
        predicate=predicate,
        object=obj.slug if obj else None,
        value=value,
        rule=rule,
        text=sentence(text),
        **base,
    )


def flat(text: str) -> str:
    """``text`` on one line, one space between words."""
    return " ".join(text.split())


def sentence(text: str) -> str:
    """``text`` as a sentence of its own: a capital first, a full stop last."""
    text = flat(text).strip(" ,;")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def clause_part(token: Any, top: Any) -> bool:
    """Whether ``token`` sits in a clause hanging inside ``top``'s phrase."""
    while token.i != top.i and token.head.i != token.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return True
        token = token.head
    return False


def modal(verb: Any) -> list[str]:
    """The verb's modals, spelled out: "won't establish" -> ["will"]."""
    words = []
    for child in verb.children:
        if child.dep_ == "aux" and child.tag_ == "MD":
            words.append(_SPELLED.get(child.lower_, child.lower_))
    return words


def verb_words(verb: Any) -> str:
    """The verb as the sentence says it: "had not issued", "will establish"."""
    keep = [
        c
        for c in verb.children
        if c.dep_ in ("aux", "auxpass", "neg", "prt") and not (c.dep_ == "aux" and c.lower_ == "to")
    ]
    tokens = sorted([verb, *keep], key=lambda t: t.i)
    return " ".join(t.text for t in tokens)


def predicate(verb: Any, *extra: str) -> str:
    """A fact's predicate from its verb: modal, verb as written, particle, then ``extra``."""
    prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    return slug(" ".join([*modal(verb), verb.lower_, *prt, *extra]))
