"""Registration fixtures: a meeting with room for two, its organiser and moderator."""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_user
from webapp.accounts.models import RoleKind


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=2)


@pytest.fixture
def organiser(meeting):
    return make_user(meeting=meeting, role=RoleKind.ORGANISER)


@pytest.fixture
def moderator(meeting):
    return make_user(meeting=meeting, role=RoleKind.MODERATOR)
