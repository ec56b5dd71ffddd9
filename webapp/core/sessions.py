"""Session cookies that only pages write.

Sessions slide (`PERMANENT_SESSION_LIFETIME` counts from the last request), so Flask sets the
cookie again on every response. A page's images and static files are requests too, and they
run alongside the person's next click: an image answered after a language change, a login or
a join link would set the cookie back to what it held before. Those responses leave the
cookie alone unless they changed the session themselves.
"""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface

#: Endpoints of files a page loads beside itself (images, scripts, styles).
SUBRESOURCE_ENDPOINTS = frozenset({
    "static", "static_current", "static_other_version", "media.image", "media.accent"})


class PageSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; subresources never re-send an unchanged cookie."""

    def should_set_cookie(self, app, session) -> bool:
        """Pages slide the session as before; subresources send it only when they changed it."""
        if request.endpoint in SUBRESOURCE_ENDPOINTS:
            return session.modified
        return super().should_set_cookie(app, session)


def init_app(app) -> None:
    """Use these sessions for `app`."""
    app.session_interface = PageSessionInterface()
