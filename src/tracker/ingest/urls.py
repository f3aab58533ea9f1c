"""Which URLs may be fetched, and how one is shown without its secrets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx

_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def check_feed_url(url: str, *, what: str = "feed") -> str | None:
    """Why a URL cannot be a feed's (or an alert's, an article's: ``what``), or None.

    Refused: anything httpx cannot parse, whitespace or control characters anywhere
    (a header-splitting CR/LF, an escape sequence for the terminal that shows it),
    schemes other than http(s), and credentials, which would be stored and shown.
    """
    # Shown without a password; an alert's URL may carry its token in the query too.
    shown = printable(redact_url(url, query=what == "alert"))
    if _CONTROL.search(url):
        return f"invalid URL {shown!r}: contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"invalid URL {shown!r}: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"invalid URL {shown!r}: only http and https {what} URLs are accepted"
    if not parts.hostname:
        return f"invalid URL {shown!r}: no host"
    if "" in parts.hostname.removesuffix(".").split(".") or len(parts.hostname) > 253:
        return f"invalid URL {shown!r}: malformed host name"
    if parts.username is not None or parts.password is not None:
        return (
            f"invalid URL {shown!r}: credentials in {_article(what)} {what} URL "
            "are refused (they would be stored and shown)"
        )
    try:
        httpx.URL(url).host  # noqa: B018 - decoding an IDNA host raises on a bad one
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return f"invalid URL {shown!r}: {first_line(exc)}"
    return None


def _article(noun: str) -> str:
    return "an" if noun[:1] in ("a", "e", "i", "o", "u") else "a"


def redact_url(url: str, *, query: bool = False) -> str:
    """``url`` fit to show: any password replaced by ``***``.

    ``query`` (a URL that may carry a token, as an alert channel's does) hides every
    query value and all of the user info too, since a token may stand as the user.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        if not query:
            return url
        # Unparsable: hide whatever could be user info, and every value after ? or &.
        return re.sub(r"([?&][^=&#]*)=[^&#]*", r"\1=***", re.sub(r"//[^/?#]*@", "//***@", url))
    netloc = parts.netloc
    if "@" in netloc:
        host = netloc.rsplit("@", 1)[1]
        netloc = f"***@{host}" if query else f"{parts.username or ''}:***@{host}"
    hidden = parts.query
    if query and hidden:
        hidden = "&".join(
            f"{pair.split('=', 1)[0]}=***" if "=" in pair else pair for pair in hidden.split("&")
        )
    if (netloc, hidden) == (parts.netloc, parts.query):
        return url
    return parts._replace(netloc=netloc, query=hidden).geturl()


def printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
