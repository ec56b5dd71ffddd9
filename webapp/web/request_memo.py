"""Answers kept for one request: the signed-in user's roles are read once per page.

The memo hangs on the request object, which Flask makes anew for every HTTP request and
Flask-SocketIO for every socket event, so no answer outlives the request that read it
(`g` would: it belongs to the application context, which tests keep across requests).
"""

from __future__ import annotations

from flask import has_request_context, request

from webapp.accounts import permissions

_ROLES = "puente_roles_memo"


def roles_memo() -> dict | None:
    """This request's memo of `(user id, meeting id) -> roles`; None outside a request."""
    if not has_request_context():
        return None
    memo = getattr(request, _ROLES, None)
    if memo is None:
        memo = {}
        setattr(request, _ROLES, memo)
    return memo


def init_app(_app) -> None:
    """Give `roles_in` this request's memo."""
    permissions.remember_roles_in(roles_memo)
