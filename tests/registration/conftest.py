"""Registration fixtures: a valid form input, the outbox, organisers."""

from __future__ import annotations

import itertools
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.factories import make_meeting, make_user
from webapp.accounts.models import RoleKind
from webapp.registration.services import RegistrationInput

_numbers = itertools.count(1)


def person(**overrides) -> RegistrationInput:
    """A valid sign-up; every call gets a new e-mail address."""
    n = next(_numbers)
    values = dict(name=f"María Quispe {n}", email=f"person{n}@example.org",
                  organisation="Asociación Peruana de Salud", organisation_type="ngo",
                  position="Coordinadora", country="PE", language="en", consent=True,
                  answers={})
    values.update(overrides)
    return RegistrationInput(**values)


def outbox(app) -> list:
    """E-mails written to the instance outbox (no SMTP_URL), oldest first.

    Runs the mail worker's pass first, as `puente serve`'s background worker would have.
    """
    from webapp.mail import run_pending

    run_pending()
    folder = Path(app.config["PUENTE_OUTBOX"])
    if not folder.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def mails_to(app, address: str) -> list:
    return [m for m in outbox(app) if m["To"] == address]


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=2)


@pytest.fixture
def organiser(meeting):
    return make_user(meeting=meeting, role=RoleKind.ORGANISER)


@pytest.fixture
def moderator(meeting):
    return make_user(meeting=meeting, role=RoleKind.MODERATOR)
