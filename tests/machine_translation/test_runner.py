"""Suggestions in the background: the caller never waits, every failure is only a log line."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import has_app_context
from sqlalchemy import text as sql

from tests.conftest import _make_app, base_config
from tests.support.live import wait_for
from webapp.extensions import db
from webapp.machine_translation import (
    delivers,
    runner_of,
    suggest_after_commit,
    suggest_later,
)
from webapp.machine_translation import runner as runner_module

LOGGER = "webapp.machine_translation"


@pytest.fixture
def app_config(tmp_path, libretranslate):
    return base_config(tmp_path, TRANSLATE_URL=libretranslate.url, TRANSLATE_TIMEOUT=1)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


class Inbox:
    """A `deliver` callback that records what it gets and whether an app context was there."""

    def __init__(self, fail_on: str | None = None):
        self.items: list[tuple[str, str]] = []
        self.contexts: list[bool] = []
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def __call__(self, language: str, text: str) -> None:
        with self._lock:
            self.contexts.append(has_app_context())
            if language == self.fail_on:
                raise RuntimeError("storage broke")
            self.items.append((language, text))


def test_delivers_each_target_in_an_app_context(app, libretranslate):
    inbox = Inbox()

    assert suggest_later(app, "Room?", "en", ["es", "en", "zh_Hans", "es"], inbox)

    wait_for(lambda: len(inbox.items) == 2, message=lambda: str(inbox.items))
    assert sorted(inbox.items) == [("es", "[es] Room?"), ("zh_Hans", "[zh-Hans] Room?")]
    assert all(inbox.contexts)
    assert len(libretranslate.translations) == 2  # the source language is not asked for


def test_the_api_key_reaches_the_server(tmp_path, libretranslate):
    libretranslate.api_key = "k-123"
    app = _make_app(base_config(tmp_path, TRANSLATE_URL=libretranslate.url,
                                TRANSLATE_API_KEY="k-123"))
    inbox = Inbox()

    suggest_later(app, "Hi", "en", ["es"], inbox)

    wait_for(lambda: inbox.items == [("es", "[es] Hi")], message=lambda: str(inbox.items))
    assert libretranslate.translations[0]["api_key"] == "k-123"


def test_without_translate_url_nothing_happens(tmp_path, libretranslate):
    app = _make_app(base_config(tmp_path))
    assert app.config["TRANSLATE_URL"] is None
    assert runner_of(app) is None
    assert suggest_later(app, "Hi", "en", ["es"], Inbox()) is False
    assert libretranslate.requests == []


def test_a_slow_server_does_not_hold_the_caller(app, libretranslate):
    runner_of(app).client.timeout = 30  # slow, but answering in time
    libretranslate.mode = "slow"
    inbox = Inbox()

    assert suggest_later(app, "Hi", "en", ["es"], inbox)
    # Returned; the server has the request and has not answered it yet.
    wait_for(libretranslate.received.is_set)
    assert not libretranslate.answered.is_set()

    libretranslate.release.set()
    wait_for(lambda: inbox.items == [("es", "[es] Hi")], message=lambda: str(inbox.items))


def test_a_server_slower_than_the_timeout_gives_no_suggestion(app, libretranslate, logs):
    libretranslate.mode = "slow"
    inbox = Inbox()

    assert suggest_later(app, "Hi", "en", ["es"], inbox)
    wait_for(lambda: "en->es: no suggestion (timed out" in logs.text)
    assert not libretranslate.answered.is_set()
    assert inbox.items == []


def test_a_stopped_server_gives_no_suggestion_and_no_error(app, libretranslate, logs):
    libretranslate.stop()
    inbox = Inbox()

    assert suggest_later(app, "Hi", "en", ["es"], inbox)

    wait_for(lambda: "no suggestion" in logs.text)
    assert inbox.items == []


@pytest.mark.parametrize("mode", ["500", "429", "malformed", "missing"])
def test_each_failure_is_logged_and_the_runner_keeps_going(app, libretranslate, logs, mode):
    libretranslate.mode = mode
    failed, inbox = Inbox(), Inbox()

    suggest_later(app, "Hi", "en", ["es"], failed)
    wait_for(lambda: "en->es: no suggestion" in logs.text)
    libretranslate.mode = None
    suggest_later(app, "Again", "en", ["es"], inbox)

    wait_for(lambda: inbox.items == [("es", "[es] Again")], message=lambda: str(inbox.items))
    assert failed.items == []


def test_a_bad_api_key_is_logged(app, libretranslate, logs):
    libretranslate.api_key = "the-right-one"
    inbox = Inbox()

    suggest_later(app, "Hi", "en", ["es"], inbox)

    wait_for(lambda: "HTTP 403" in logs.text)
    assert inbox.items == []


def test_a_failing_deliver_does_not_stop_the_other_languages(app, libretranslate, logs):
    inbox = Inbox(fail_on="es")

    suggest_later(app, "Hi", "en", ["es", "zh_Hans"], inbox)

    wait_for(lambda: inbox.items == [("zh_Hans", "[zh-Hans] Hi")],
             message=lambda: str(inbox.items))
    assert "delivering es failed" in logs.text


def test_a_full_queue_drops_the_suggestion(app, libretranslate, logs):
    runner = runner_of(app)
    libretranslate.mode = "slow"
    runner.workers = 1
    runner._jobs.maxsize = 1
    suggest_later(app, "First", "en", ["es"], Inbox())
    wait_for(libretranslate.received.is_set)  # the one task holds the first job

    assert suggest_later(app, "Second", "en", ["es"], Inbox()) is True
    assert suggest_later(app, "Third", "en", ["es"], Inbox()) is False
    assert "queue full" in logs.text


@pytest.fixture
def stored(monkeypatch):
    """A deliverer of kind `note`, as a domain registers one."""
    received: list[tuple] = []
    monkeypatch.setitem(runner_module._deliverers, "note", None)
    delivers("note")(lambda key, language, text: received.append((key, language, text)))
    return received


def test_suggestions_go_out_after_commit_to_the_registered_deliverer(app, libretranslate,
                                                                     stored):
    db.session.execute(sql("SELECT 1"))
    suggest_after_commit("note", 7, "Forgotten", "en", ["es"])
    db.session.rollback()

    db.session.execute(sql("SELECT 1"))
    suggest_after_commit("note", 8, "Kept", "en", ["es", "zh_Hans"])
    assert libretranslate.requests == []  # nothing before the commit
    db.session.commit()

    wait_for(lambda: len(stored) == 2, message=lambda: str(stored))
    assert sorted(stored) == [(8, "es", "[es] Kept"), (8, "zh_Hans", "[zh-Hans] Kept")]
    assert all(body["q"] == "Kept" for body in libretranslate.translations)


def test_an_unknown_kind_is_a_programming_error(app):
    with pytest.raises(LookupError, match="nobody"):
        suggest_after_commit("nobody", 1, "Hi", "en", ["es"])


def test_under_eventlet_the_caller_returns_and_suggestions_arrive():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-m", "tests.support.eventlet_translate_probe"],
                            cwd=root, capture_output=True, text=True, timeout=60, check=True)

    probe = json.loads(result.stdout)
    assert probe["answered_on_return"] is False
    assert probe["delivered"] == [["es", "[es] Hi"], ["zh_Hans", "[zh-Hans] Hi"]]
