"""Q&A fixtures: the asker, on the shared meeting (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_registration
from tests.support.people import attendee


@pytest.fixture
def asker(meeting):
    return attendee(make_registration(meeting, name="Lucía Quispe",
                                      organisation="Red de Salud Comunitaria"))
