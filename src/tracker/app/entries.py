"""A feed's entries as documents: each one's identity, its text bounded, its fingerprint."""

from __future__ import annotations

from datetime import datetime

from tracker.app.articles import ArticleText
from tracker.domain.documents import bounded, content_hash, document_id
from tracker.domain.events import DocumentIngested, TextSource
from tracker.domain.feeds import Feed, entry_identity, normalise_link
from tracker.ingest.parse import FeedEntry


def identified(feed: Feed, entries: tuple[FeedEntry, ...]) -> list[tuple[str, FeedEntry]]:
    """Each entry with its identity; an entry repeated word for word is kept once.

    Items sharing a GUID are told apart by their link (else title), and the one that keeps
    the bare identity is chosen by content, not position: swapping them between polls
    changes nothing.
    """
    groups: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        identity = entry_identity(
            feed.added_url,
            guid=entry.guid,
            link=entry.link,
            title=entry.title,
            published=entry.published,
        )
        groups.setdefault(identity, []).append(entry)
    out: list[tuple[str, FeedEntry]] = []
    taken: set[str] = set()
    for identity, group in groups.items():

        def words(e: FeedEntry) -> tuple[str, str, str, str]:
            return normalise_link(e.link or ""), e.title, e.summary, e.content

        distinct = sorted({words(e): e for e in group}.items(), key=lambda item: item[0])
        for index, (_, entry) in enumerate(distinct):
            chosen = identity
            if index:
                chosen = f"{identity} {normalise_link(entry.link or '') or entry.title}"
            if chosen in taken:
                continue
            taken.add(chosen)
            out.append((chosen, entry))
    return out


def bounded_document(
    title: str, summary: str, content: str, limit: int
) -> tuple[str, str, str, int]:
    """Title, summary and content cut to ``limit`` characters together, and how many were
    cut. The title keeps at most 1,000."""
    title, cut_title = bounded(title, min(limit, 1000))
    summary, cut_summary = bounded(summary, max(0, limit - len(title)))
    content, cut_content = bounded(content, max(0, limit - len(title) - len(summary)))
    return title, summary, content, cut_title + cut_summary + cut_content


def incoming_document(
    feed: Feed,
    entry: FeedEntry,
    identity: str,
    seen: datetime,
    *,
    limit: int,
    article: ArticleText | None = None,
) -> DocumentIngested:
    """A feed entry as a document; with ``article``, its content is the article's text
    when it was read, and the document says which text it holds."""
    title, summary, content, cut = bounded_document(
        entry.title, entry.summary, entry.content, limit
    )
    # The feed's words are the fingerprint, whichever text is stored: the next poll finds
    # the entry unchanged without reading its article again. Tracking parameters are not
    # content: the same article under a new utm_ is unchanged.
    fingerprint = content_hash(title, summary, content, normalise_link(entry.link or ""))
    text_source: TextSource = "feed"
    if article is not None and article.text is not None:
        title, summary, content, cut = bounded_document(
            entry.title, entry.summary, article.text, limit
        )
        text_source = "article"
    return DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="feed",
        title=title or (entry.link or "(untitled)"),
        content=content or summary,
        content_hash=fingerprint,
        published_at=entry.published or seen,
        published_precision="instant" if entry.published else "first-seen",
        url=entry.link,
        feed=feed.name,
        summary=summary or None,
        author=entry.author,
        truncated_chars=cut,
        text_source=text_source,
        article_url=article.url if article is not None else None,
        article_error=article.error if article is not None else None,
    )
