"""tracker: an event-sourced news update tracker with bitemporal as-of queries."""

__version__ = "0.1.0"
