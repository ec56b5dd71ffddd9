"""Absolute links for e-mails, built the same way in a request, a worker or the CLI."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

#: Used for links when neither BASE_URL nor a request says where the site lives.
FALLBACK_BASE_URL = "http://127.0.0.1:5000"


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint`: BASE_URL when set, else the current request's host."""
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or FALLBACK_BASE_URL)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
