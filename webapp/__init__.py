"""Puente: registration, agenda, live Q&A and message board for large online meetings.

This module stays import-light on purpose: `python -m webapp serve` must be able to
monkey-patch eventlet before Flask, SQLAlchemy or any socket library is imported.
"""


def create_app(config=None):
    """Build a configured Flask application (see `webapp.app.build_app`)."""
    from webapp.app import build_app  # monkey-patching order: `serve` patches before Flask loads

    return build_app(config)
