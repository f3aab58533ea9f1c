"""The names the benchmarks in bench/ import from here (they put tests/ on sys.path)."""

from support.feedserver import FEEDS, FeedServer, rss

__all__ = ["FEEDS", "FeedServer", "rss"]
