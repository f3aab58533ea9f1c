"""Persistence: SQLAlchemy Core tables, the event log, engines and migrations.

No database driver exception leaves this package; they become StorageError.
"""
