"""OPML, the outline file every feed reader imports and exports: read warily, written plainly.

Reading goes through defusedxml with DTDs forbidden, so no entity can expand and no
external file or address is ever fetched; the outline tree is walked as it is parsed,
so a file nested too deeply or listing too many outlines is refused before it costs
more. No ElementTree object leaves this module: outlines become frozen values.
"""

from __future__ import annotations

import email.utils
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden

from tracker.domain.feeds import clean_tag

# Reader exports hold hundreds of feeds, a few thousand at most: far below these.
MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OUTLINES = 10_000
MAX_DEPTH = 32  # nested outlines
# Our own attributes (poll interval, full text), in a namespace other readers ignore.
NAMESPACE = "https://example.invalid/tracker/opml"

_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class OpmlError(ValueError):
    """The file as a whole is refused: not XML, not OPML, hostile or too big."""


@dataclass(frozen=True, slots=True)
class OutlineFeed:
    """One outline with an ``xmlUrl``: a feed to follow, as the file describes it."""

    url: str
    name: str | None
    tags: tuple[str, ...]  # enclosing folders as one path, then each category
    every: str | None = None
    full_text: bool = False


@dataclass(frozen=True, slots=True)
class Outlines:
    title: str | None
    feeds: tuple[OutlineFeed, ...]


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(_NOT_XML.sub(" ", value).split())
    return cleaned or None


def _check_encoding(data: bytes) -> None:
    """Refuse bytes that claim (or default to) UTF-8 and are not: the usual garbage."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with its byte order mark: expat reads it
    declared = _XML_DECLARATION.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return  # another declared encoding: expat decodes it, or says it cannot
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OpmlError(f"not UTF-8 text (byte {exc.start})") from None


def _attributes(element: ET.Element) -> dict[str, str]:
    # Readers disagree on case (xmlUrl, xmlURL, xmlurl): compare lower-cased.
    return {key.lower(): value for key, value in element.attrib.items()}


def read_opml(data: bytes) -> Outlines:
    """The feeds an OPML document lists, nested outlines included, with their tags.

    Raises ``OpmlError`` with a one-line reason when the document is refused.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"over the {MAX_OPML_BYTES} byte limit for an OPML file")
    if not data.strip():
        raise OpmlError("the file is empty")
    _check_encoding(data)
    # Every open element: its tag, and for an outline of the body its folder name
    # ("" for a feed or an unnamed folder); None for anything else.
    stack: list[tuple[str, str | None]] = []
    feeds: list[OutlineFeed] = []
    title: str | None = None
    outlines = 0
    saw_body = False
    with _refusals():
        for event, element in SafeET.iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True
        ):
            tag = str(element.tag)
            if event == "end":
                stack.pop()
                if tag == "title" and [t for t, _ in stack] == ["opml", "head"]:
                    title = _text(element.text)
                element.clear()
                continue
            if not stack and tag != "opml":
                shown = (_text(tag) or "?")[:60]
                raise OpmlError(f"not OPML: the root element is <{shown}>, not <opml>")
            if len(stack) >= MAX_DEPTH + 2:
                raise OpmlError(f"outlines nested more than {MAX_DEPTH} levels deep")
            parent, folder = stack[-1] if stack else ("", None)
            if not (tag == "outline" and _in_body(parent, folder, len(stack))):
                saw_body = saw_body or (tag == "body" and len(stack) == 1)
                stack.append((tag, None))
                continue
            outlines += 1
            if outlines > MAX_OUTLINES:
                raise OpmlError(f"more than {MAX_OUTLINES} outlines")
            attrs = _attributes(element)
            name = _text(attrs.get("text")) or _text(attrs.get("title"))
            url = attrs.get("xmlurl")
            stack.append((tag, (name or "") if url is None else ""))
            if url is None:
                continue
            folders = "/".join(f for _, f in stack[:-1] if f)
            feeds.append(_outline_feed(attrs, url, name, folders))
    if not saw_body:
        raise OpmlError("not OPML: no <body> in <opml>")
    return Outlines(title, tuple(feeds))


def _in_body(parent: str, folder: str | None, depth: int) -> bool:
    """Whether an outline under ``parent`` at ``depth`` is the body's: a feed or a folder."""
    return (parent == "body" and depth == 2) or (parent == "outline" and folder is not None)


def _outline_feed(attrs: dict[str, str], url: str, name: str | None, folders: str) -> OutlineFeed:
    """A feed's outline: its folders' path and its categories become its tags."""
    namespaced = f"{{{NAMESPACE}}}".lower()
    categories = (attrs.get("category") or "").split(",")
    return OutlineFeed(
        url=url.strip(),
        name=name,
        tags=tuple(dict.fromkeys(t for t in map(clean_tag, [folders, *categories]) if t)),
        every=_text(attrs.get(f"{namespaced}every")),
        full_text=(attrs.get(f"{namespaced}fulltext") or "").strip().lower()
        in ("true", "1", "yes"),
    )


@contextmanager
def _refusals() -> Iterator[None]:
    """What the XML parser raises, as an OpmlError with a one-line reason."""
    try:
        yield
    except DTDForbidden:
        raise OpmlError("refused: the file declares a DTD (entities are never expanded)") from None
    except DefusedXmlException as exc:
        raise OpmlError(f"refused: {type(exc).__name__}") from None
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    except RecursionError:
        raise OpmlError("nested too deeply") from None


@dataclass(frozen=True, slots=True)
class ExportedFeed:
    name: str
    url: str
    tags: tuple[str, ...]
    every_seconds: int
    full_text: bool


def write_opml(title: str, feeds: Iterable[ExportedFeed], *, created: datetime) -> bytes:
    """An OPML 2.0 document listing ``feeds``.

    Each feed sits in the folder its first tag names (a path is nested folders) and
    carries every tag in ``category``, so readers that know folders and readers that
    know categories both see them, and reading the file back gives the same tags.
    """
    root = ET.Element("opml", {"version": "2.0", "xmlns:tracker": NAMESPACE})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(title)
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(created)
    ET.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {"": body}
    for feed in feeds:
        tags = [t for t in (_clean(t) for t in feed.tags) if t]
        parent = body
        if tags:
            built = ""
            for segment in tags[0].split("/"):
                built = f"{built}/{segment}" if built else segment
                if built not in folders:
                    folders[built] = ET.SubElement(
                        parent, "outline", {"text": segment, "title": segment}
                    )
                parent = folders[built]
        attrs = {
            "type": "rss",
            "text": _clean(feed.name),
            "title": _clean(feed.name),
            "xmlUrl": _clean(feed.url),
        }
        if tags:
            attrs["category"] = ",".join(f"/{t}" if "/" in t else t for t in tags)
        attrs["tracker:every"] = str(feed.every_seconds)
        if feed.full_text:
            attrs["tracker:fullText"] = "true"
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
