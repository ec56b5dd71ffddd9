"""Two applications in one process share no live state: each counts, queues and knows its own."""

from __future__ import annotations

import pytest

from tests.conftest import _make_app, base_config
from webapp.accounts.participant import Participant
from webapp.core.ratelimit import rate_limits
from webapp.errors import RateLimited
from webapp.qa.services import tally_coalescer as coalescer
from webapp.realtime import handlers, state
from webapp.realtime.broadcaster import broadcaster
from webapp.realtime.presence import presence


@pytest.fixture
def two_apps(tmp_path):
    first = _make_app(base_config(tmp_path / "a", RATELIMIT_ENABLED=True))
    second = _make_app(base_config(tmp_path / "b", RATELIMIT_ENABLED=True))
    return first, second


def attendee(meeting_id: int, registration_id: int) -> Participant:
    return Participant(meeting_id, registration_id, None, frozenset(), "Ana")


def test_rate_limit_counts_are_per_application(two_apps):
    first, second = two_apps
    with first.app_context():
        rate_limits.hit("ask_question", "r1", "1/minute")
        with pytest.raises(RateLimited):
            rate_limits.hit("ask_question", "r1", "1/minute")
    with second.app_context():
        rate_limits.hit("ask_question", "r1", "1/minute")  # B has not counted anything


def test_presence_connections_and_cursors_are_per_application(two_apps):
    first, second = two_apps
    with first.app_context():
        presence.arrived(attendee(7, 70))
        handlers.remember("sid-a", attendee(7, 70))
        broadcaster.watch(7, 41)
        assert presence.online(7) == 1
        assert handlers.participant_for("sid-a") is not None
    with second.app_context():
        assert presence.online(7) == 0
        assert handlers.participant_for("sid-a") is None
        assert handlers.connections() == []
        assert 7 not in broadcaster._cursor
    assert state.of(first).broadcaster is not state.of(second).broadcaster
    assert state.of(first).presence.broadcaster is state.of(first).broadcaster


def test_coalescer_marks_are_per_application(two_apps):
    first, second = two_apps
    with first.app_context():
        coalescer.interval = 3600  # no flush: the mark stays pending
        coalescer.mark(7, [1, 2])
        assert coalescer.pending() == {7: {1, 2}}
        coalescer.run().ticker.stop()
    with second.app_context():
        assert coalescer.pending() == {}
        assert coalescer.interval == 0  # the test default, untouched by A
