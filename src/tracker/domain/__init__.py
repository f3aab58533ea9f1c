"""The pure core: events, facts, the state fold and as-of queries. Standard library only."""
