"""URL converters: ids in paths are signed 64-bit database integers or no page at all.

Werkzeug's `int` converter takes any number of digits; an id of 2^63 or more then reaches the
database driver, which cannot bind it (SQLite raises OverflowError, a 500). Replacing the
`int` converter app-wide makes every `<int:...>` rule refuse such ids while routing (404), so
no view has to remember. `query_id` does the same for ids in query strings.
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

INT64_MAX = 2**63 - 1


class Int64Converter(IntegerConverter):
    """`<int:...>` limited to 0..2^63-1 (or the rule's own narrower `max`)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.max = INT64_MAX if self.max is None else min(self.max, INT64_MAX)


def query_id(name: str) -> int | None:
    """An id from the query string: None when absent or not a number (as `type=int` did),
    404 when it is a number no row can have (below 1 or past 64 bits)."""
    raw = request.args.get(name, "")
    try:
        value = int(raw) if raw.isascii() else None
    except ValueError:
        value = None
    if value is None:
        return None
    if not 0 < value <= INT64_MAX:
        abort(404)
    return value


def init_app(app) -> None:
    """Install before any blueprint is registered: rules bind their converters when added."""
    app.url_map.converters["int"] = Int64Converter
