"""The one background loop: it ticks, survives a failing tick, stops, ends when idle.

Real background tasks and sleeps through the Socket.IO server's API, under threading and
eventlet alike; the test waits with the same API's `sleep`, so an eventlet hub gets to run the
loop while the test waits.
"""

from __future__ import annotations

import logging
import time

import pytest
import socketio
from flask import current_app

from webapp.realtime.ticker import Ticker

INTERVAL = 0.01


@pytest.fixture(params=["threading", "eventlet"])
def runner(request):
    return socketio.Server(async_mode=request.param)


def wait_until(runner, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        runner.sleep(INTERVAL)


def test_it_ticks_every_interval_until_stopped(runner):
    ticks = []
    ticker = Ticker("test", lambda: ticks.append(1), INTERVAL, runner=runner)
    ticker.start()
    ticker.start()  # already running: no second loop
    wait_until(runner, lambda: len(ticks) >= 5)
    ticker.stop()
    assert not ticker.running
    stopped_at = len(ticks)
    # Let the stopped loop wake up more than once: a second ticker counts the time passing.
    witness = []
    other = Ticker("witness", lambda: witness.append(1), INTERVAL, runner=runner)
    other.start()
    wait_until(runner, lambda: len(witness) >= 5)
    other.stop()
    assert len(ticks) <= stopped_at + 1  # at most the tick that was already under way


def test_a_failing_tick_is_logged_and_the_next_one_runs(runner, caplog):
    calls = []

    def tick():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return True

    ticker = Ticker("flaky", tick, INTERVAL, runner=runner)
    with caplog.at_level(logging.ERROR, logger="webapp.realtime.ticker"):
        ticker.start()
        wait_until(runner, lambda: len(calls) >= 3)
    ticker.stop()
    assert any("flaky: tick failed" in record.getMessage() for record in caplog.records)


def test_an_idle_ticker_ends_by_itself_and_starts_again(runner):
    ticks = []
    ticker = Ticker("idle", lambda: ticks.append(1) and False, INTERVAL,
                    idle_stop=3 * INTERVAL, runner=runner)
    ticker.start()
    wait_until(runner, lambda: not ticker.running)
    ended_after = len(ticks)
    assert ended_after >= 3
    ticker.start()
    wait_until(runner, lambda: len(ticks) > ended_after)
    ticker.stop()


def test_a_tick_runs_inside_the_application_context(app):
    from webapp.extensions import socketio as flask_socketio

    names = []
    ticker = Ticker("context", lambda: names.append(current_app.name), INTERVAL, app=app)
    ticker.start()
    wait_until(flask_socketio, lambda: names)
    ticker.stop()
    assert names[0] == app.name
