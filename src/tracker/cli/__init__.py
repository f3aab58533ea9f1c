"""The ``tracker`` command line (the ``tracker`` script runs :func:`main`)."""

from tracker.cli.main import cli, main

__all__ = ["cli", "main"]
