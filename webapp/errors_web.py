"""Translated error pages; never a stack trace to the visitor."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    SecurityError,
    ServiceUnavailable,
)

from webapp.extensions import db

logger = logging.getLogger(__name__)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def _render(status: int, error: HTTPException | None = None):
    if _wants_json():
        return jsonify({"error": {"code": status, "message": error.name if error else ""}}), status
    return render_template("errors/error.html", status=status), status


def init_app(app) -> None:
    """Register the error pages (JSON errors for clients that ask for JSON)."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, error)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        """A `Host` outside TRUSTED_HOSTS: no URL can be built, so no templated page."""
        message = _("This server does not answer for that host name.")
        if _wants_json():
            return jsonify({"error": {"code": 400, "message": message}}), 400
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code, error)

    @app.errorhandler(SQLAlchemyTimeoutError)
    def database_busy(error):
        """Every pooled connection is in use: ask the client to retry instead of failing."""
        logger.warning("database pool exhausted on %s %s", request.method, request.path)
        db.session.rollback()
        response, status = _render(503, ServiceUnavailable())
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500, InternalServerError())
