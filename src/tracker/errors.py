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
"""

from __future__ import annotations


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
