"""Who did what to what: claims a question can turn on, with polarity and modality.

An event rule names actions (verb lemmas, "set up", "take effect"), the objects one of
them must act on, who must do it (``agent_side``), who must take part
(``participants``, in the clause), where (``place``: any place the clause names must be
one of these), and ``context`` the sentence or headline must hold. Only the
modalities a rule lists answer it: by default what happened, or is said not to have.

``Claim`` is what one reading finds; ``claim_finder`` finds them, reading actions itself
and the act as a noun (``noun_claims``), its absence (``absences``) and a headline's
words (``headline_claims``), with where (``claim_places``), whose act it is
(``claim_sides``) and the words a rule looks at (``claim_words``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.ingest.rules import FactTarget, Modality, QuestionRule


@dataclass(frozen=True, slots=True)
class Claim:
    rule: QuestionRule
    targets: tuple[FactTarget, ...]
    value: bool
    modality: Modality
    tense: str
    how: str  # action | nominal | event-noun | anchored | without | none-left | headline
    when_text: str = ""  # the verb's own clause, where its date is ("signed ... on Thursday")
    dated: str = ""  # the words that date the act itself ("eleven years ago", "in 2015")
