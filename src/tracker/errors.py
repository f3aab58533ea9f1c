"""The errors tracker raises on purpose.

Everything expected derives from one root, so entry points can tell a known
failure (one clear line, non-zero exit) from a bug (a traceback)::

    TrackerError
    ├── ConfigError          a settings file, variable or option is malformed
    ├── InputError           a user-supplied value (date, key, question) is wrong
    │   └── NotFoundError    it names a story, question or key that does not exist
    ├── StorageError         the database failed or refused
    │   ├── ConcurrencyError an append's expected version did not match
    │   └── SchemaError      the database schema is not the one this code speaks
    ├── ServiceLockedError   another service already runs on this (SQLite) database
    └── ClaimLostError       a poll's claim on its feed ran out and another process took it

Exit statuses: ConfigError and InputError are usage errors (2); the rest are 1.

Whatever prints an error (the CLI, the API, the story page) passes its message
through ``shown``, so a megabyte of junk given as a value comes back as a line.
"""

from __future__ import annotations

import re

ECHO_LIMIT = 80  # characters of a quoted value an error echoes back
MESSAGE_LIMIT = 500  # characters of a whole message
# A value as repr() or click quote it: not an apostrophe inside a word ("service's").
_QUOTED = re.compile(r"(?<!\w)(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")(?!\w)")
_LONG_WORD = re.compile(rf"\S{{{2 * ECHO_LIMIT + 1},}}")


def shown(message: str) -> str:
    """``message`` fit to print: each quoted value cut to ``ECHO_LIMIT`` characters and an
    ellipsis, an unquoted word past twice that cut too, and the whole to ``MESSAGE_LIMIT``.

    Option names, hints and paths of a sensible length come through whole.
    """

    def quoted(match: re.Match[str]) -> str:
        text = match.group()
        if len(text) <= ECHO_LIMIT + 2:
            return text
        return text[: ECHO_LIMIT + 1] + "\u2026" + text[-1]

    clipped = _QUOTED.sub(quoted, message)
    clipped = _LONG_WORD.sub(lambda m: m.group()[:ECHO_LIMIT] + "\u2026", clipped)
    if len(clipped) > MESSAGE_LIMIT:
        clipped = clipped[:MESSAGE_LIMIT] + "\u2026"
    return clipped


class TrackerError(Exception):
    """Root of every error tracker raises deliberately."""

    exit_code = 1


class ConfigError(TrackerError):
    """A configuration file, environment variable or option is malformed."""

    exit_code = 2


class InputError(TrackerError):
    """A value given by the user cannot be used (bad date, unknown question...)."""

    exit_code = 2


class NotFoundError(InputError):
    """A story, question or fact key the user named does not exist."""


class StorageError(TrackerError):
    """The database failed; the message says what and where."""


class ConcurrencyError(StorageError):
    """A stream was not at the version the writer expected."""

    def __init__(self, stream: str, expected: object, actual: int) -> None:
        super().__init__(f"stream {stream!r} is at version {actual}, expected {expected}")
        self.stream = stream
        self.expected = expected
        self.actual = actual


class SchemaError(StorageError):
    """The database schema is older or newer than this version of tracker."""


class ServiceLockedError(TrackerError):
    """Another tracker service holds this database."""


class ClaimLostError(TrackerError):
    """A poll's feed is no longer claimed by its service (the claim ran out and another
    process took it, or the feed was removed); the poll stores nothing."""
