"""Counting the SQL an action runs, for tests that hold a path to its statements."""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import event

from webapp.extensions import db


def statements_of(app, action: Callable[[], object]) -> tuple[object, list[str]]:
    """Run `action` in a fresh application context (own session, own `g`); return its result
    and the SQL statements it ran. `PUENTE_SHOW_QUERIES=1` prints them."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            result = action()
        finally:
            event.remove(engine, "before_cursor_execute", record)
    if os.environ.get("PUENTE_SHOW_QUERIES"):
        print("\n".join(["", *statements, f"-- {len(statements)} statements"]))
    return result, statements
