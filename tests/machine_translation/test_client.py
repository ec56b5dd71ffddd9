"""The LibreTranslate client against a real local server: answers, codes, every failure."""

from __future__ import annotations

import logging

import pytest

from tests.support.libretranslate import FakeLibreTranslate
from webapp.machine_translation import LibreTranslate

LOGGER = "webapp.machine_translation"


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def test_translates_with_the_documented_request(libretranslate):
    client = LibreTranslate(libretranslate.url + "/")

    assert client.translate("Where is room B?", "en", "es") == "[es] Where is room B?"
    assert libretranslate.translations == [
        {"q": "Where is room B?", "source": "en", "target": "es", "format": "text"}]


def test_sends_the_api_key_when_set(libretranslate):
    libretranslate.api_key = "k-123"

    assert LibreTranslate(libretranslate.url, "k-123").translate("Hi", "en", "es") == "[es] Hi"
    assert libretranslate.translations[-1]["api_key"] == "k-123"


@pytest.mark.parametrize("key", [None, "wrong"])
def test_a_missing_or_bad_api_key_is_no_suggestion(libretranslate, logs, key):
    libretranslate.api_key = "k-123"

    assert LibreTranslate(libretranslate.url, key).translate("Hi", "en", "es") is None
    assert "HTTP 403" in logs.text and "TRANSLATE_API_KEY" in logs.text
    assert "k-123" not in logs.text


@pytest.mark.parametrize("listed", ["zh-Hans", "zh"])
def test_simplified_chinese_maps_to_what_the_server_lists(listed):
    fake = FakeLibreTranslate(languages=("en", "es", listed)).start()
    try:
        client = LibreTranslate(fake.url)
        assert client.translate("Hi", "en", "zh_Hans") == f"[{listed}] Hi"
        assert client.translate("你好", "zh_Hans", "es") == "[es] 你好"
        assert fake.translations[1]["source"] == listed
    finally:
        fake.stop()


def test_reads_the_language_list_once(libretranslate):
    client = LibreTranslate(libretranslate.url)
    client.translate("One", "en", "es")
    client.translate("Two", "es", "en")

    assert [path for _method, path, _body in libretranslate.requests].count("/languages") == 1


def test_a_failed_language_list_is_asked_again(libretranslate, logs):
    client = LibreTranslate(libretranslate.url)
    libretranslate.languages_mode = "500"
    assert client.translate("One", "en", "es") is None
    assert "languages: no suggestion (HTTP 500" in logs.text

    libretranslate.languages_mode = None
    assert client.translate("One", "en", "es") == "[es] One"


def test_a_pair_the_server_does_not_offer_is_not_asked():
    fake = FakeLibreTranslate(languages=("en", "es")).start()
    try:
        assert LibreTranslate(fake.url).translate("Hi", "en", "zh_Hans") is None
        assert fake.translations == []
    finally:
        fake.stop()


@pytest.mark.parametrize(("mode", "logged"), [
    ("500", "HTTP 500, server error"),
    ("429", "HTTP 429, rate limited"),
    ("malformed", "malformed JSON"),
    ("missing", "answer without translatedText"),
])
def test_a_failing_server_is_no_suggestion_and_a_log_line(libretranslate, logs, mode, logged):
    libretranslate.mode = mode

    assert LibreTranslate(libretranslate.url).translate("Hi", "en", "es") is None
    assert f"en->es: no suggestion ({logged}" in logs.text
    assert "Hi" not in logs.text  # an attendee's text stays out of the logs


def test_a_slow_server_is_no_suggestion_after_the_timeout(libretranslate, logs):
    libretranslate.mode = "slow"

    assert LibreTranslate(libretranslate.url, timeout=0.2).translate("Hi", "en", "es") is None
    assert not libretranslate.answered.is_set()  # gave up before the server answered
    assert "en->es: no suggestion (timed out" in logs.text


def test_a_stopped_server_is_no_suggestion(libretranslate, logs):
    client = LibreTranslate(libretranslate.url)
    client.translate("Warm the language list", "en", "es")
    libretranslate.stop()

    assert client.translate("Hi", "en", "es") is None
    assert "en->es: no suggestion (" in logs.text
    assert "refused" in logs.text.lower()
