"""A document as the text extraction reads: the headline alone, then the body line by
line in bounded pieces, datelines stripped and a repeated headline read once.
"""

from __future__ import annotations

import re

from tracker.domain.events import DocumentIngested


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# "[Capital FM] Nairobi --", "KYIV (Reuters) -": where and who filed it, not a sentence part
_DATELINE = re.compile(
    r"^\s*(?:\[[^\]\n]{1,60}\]\s*)?(?:[A-Z][\w.']*(?:\s+[A-Z][\w.']*){0,3}"
    r"(?:,\s*[A-Z0-9][\w.']*(?:\s+[A-Z0-9][\w.']*){0,2})?"
    r"\s*(?:\([^)\n]{1,40}\))?\s+(?:--|\u2014|\u2013|-)\s+)?"
)


# Soft hyphens and zero-width characters: invisible on a page, but a word they sit in
# ("Pram\u00adono", "toxin \u200cfrom") is two words, or no name, to the parser.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A zero-width space between two words is where a line may break: a space ("Keir\u200bStarmer").
_BREAK = re.compile("(?<=\\S)\u200b(?=\\S)")


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", _BREAK.sub(" ", text))


def _undated(line: str) -> str:
    match = _DATELINE.match(line)
    return line[match.end() :] if match and match.end() else line


def reading(document: DocumentIngested, max_chars: int, piece_chars: int) -> list[str]:
    """The document as pieces to parse: the headline alone, then the body in bounded pieces.

    A body that opens by repeating the headline loses the repetition; text past
    ``max_chars`` is not read.
    """
    title = " ".join(_visible(document.title).split())
    body = _visible(document.content or document.summary or "")
    summary = _visible(document.summary or "")
    if summary and _fold(summary) not in _fold(body):
        body = f"{summary}\n\n{body}"
    body = body.strip()[:max_chars]
    if title and _fold(body).startswith(_fold(title)):
        # Drop the repeated headline: as many characters as it takes to cover it.
        target, taken = _fold(title), 0
        while taken < len(body) and len(_fold(body[:taken])) < len(target):
            taken += 1
        body = body[taken:].lstrip(" .:-—\n")
    pieces = [title] if title else []
    # A line is a unit of its own: feed summaries stack a standfirst, a lead and a
    # "Continue reading" link on separate lines, and a parse across them is wrong.
    for line in body.splitlines():
        line = _undated(line.strip()).strip()
        while len(line) > piece_chars:
            cut = line.rfind(". ", 0, piece_chars)
            cut = cut + 1 if cut > piece_chars // 2 else piece_chars
            pieces.append(line[:cut].strip())
            line = line[cut:].strip()
        if line:
            pieces.append(line)
    return pieces
