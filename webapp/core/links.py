"""Absolute links for e-mails, built the same way in a request, a worker or the CLI.

A link that carries a secret (join, presenter, invitation) must point at Puente itself: it is
built from BASE_URL, or, without BASE_URL, from the request's host, which Flask has already
checked against TRUSTED_HOSTS (an unknown `Host` is answered with 400 before any view runs).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

#: Used for links when neither BASE_URL, a trusted request nor `puente serve` (which records
#: the address it listens on as PUENTE_SERVED_URL) says where the site lives.
FALLBACK_BASE_URL = "http://127.0.0.1:5000"


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint`: BASE_URL when set, else the (trusted) request's host."""
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context() and current_app.config.get("TRUSTED_HOSTS"):
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or current_app.config.get("PUENTE_SERVED_URL") or FALLBACK_BASE_URL)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
