"""The read-only HTTP API and the story pages (`tracker serve`): thin, like the CLI.

Every route parses its query, calls one use case in ``tracker.app`` and renders the
result as JSON (the shapes of the CLI's ``--json``) or as a page.
"""
