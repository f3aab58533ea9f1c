"""The name the benchmarks in bench/ import from here (they put tests/ on sys.path)."""

from support.pg_cluster import Cluster

__all__ = ["Cluster"]
