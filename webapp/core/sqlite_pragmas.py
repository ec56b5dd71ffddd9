"""SQLite settings for a multi-reader web app: WAL, foreign keys, a busy timeout."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_app(_app) -> None:
    """Turn on SQLite foreign keys and WAL for every connection (no-op elsewhere)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
