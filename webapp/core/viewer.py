"""The viewer's own time zone: chosen explicitly, or detected by the browser into a cookie."""

from __future__ import annotations

from flask import request, session

from webapp.core.timeutil import is_valid_timezone

COOKIE = "tz"


def viewer_timezone() -> str | None:
    """The zone the browser told us (cookie), if valid, to show times in."""
    for candidate in (session.get("tz"), request.cookies.get(COOKIE)):
        if candidate and is_valid_timezone(candidate):
            return candidate
    return None
