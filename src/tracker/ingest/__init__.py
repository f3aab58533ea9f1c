"""Getting documents in: curated story data, feeds (fetch, parse), extraction."""
