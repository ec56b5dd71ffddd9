"""Translations in real browsers: a moderator translates a Chinese question in the translation
console, a Spanish attendee reads it in Spanish with the original behind a toggle, and the
presenter opened with `?translation=es` shows both side by side."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    approve,
    ask,
    card_with_text,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser

CHINESE = "社区卫生服务中心的冷链设备什么时候到位？"
SPANISH = "¿Cuándo llegarán los equipos de cadena de frío a los centros de salud?"


def test_spanish_attendee_reads_a_chinese_question_in_spanish(qa_server, new_page):
    asker = watch(new_page(locale="zh-CN"))
    moderator = watch(new_page(locale="en-GB"))
    reader = watch(new_page(locale="es-PE"))
    presenter = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    join_as_attendee(reader, qa_server, 1)
    open_console(moderator, qa_server)
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter_url = moderator.locator("#presenter-url").input_value()
    presenter.goto(presenter_url + "?translation=es")
    wait_online(presenter)
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console")
    wait_online(moderator)

    ask(asker, CHINESE)
    approve(moderator, CHINESE)
    reader.locator("#new-pill").click()  # new questions wait behind the pill
    card_with_text(reader, CHINESE)

    # The translation console: the question lacks Spanish and English until translated.
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console/translations")
    wait_online(moderator)
    card = moderator.locator(".translation-card", has_text=CHINESE)
    expect(card.locator(".tag-missing")).to_have_count(2)
    moderator.locator("#needs-translation").click()
    expect(moderator.locator("#needs-translation")).to_have_attribute("aria-pressed", "true")
    expect(card).to_be_visible()
    box = card.locator("textarea[lang=es]").first
    box.fill(SPANISH)
    box.press("Enter")
    expect(card.locator(".tag-missing")).to_have_count(1)
    assert_accessible(moderator)

    # The Spanish reader sees the Spanish text first, labelled, the original behind a toggle.
    reader_card = reader.locator(".q-card", has_text=SPANISH)
    translated = reader_card.locator(".q-text[lang=es]")
    expect(translated).to_have_text(SPANISH)
    original = reader_card.locator(".q-text[lang=zh-Hans]")
    expect(original).to_be_hidden()
    expect(reader_card.locator(".translation-note")).to_contain_text(re.compile("chino"))
    toggle = reader_card.locator("button.translation-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(original).to_have_text(CHINESE)
    expect(translated).to_be_hidden()
    assert_accessible(reader)

    # The presenter shows the original and the Spanish side by side.
    pair = presenter.locator(".presenter-pair", has_text=CHINESE)
    expect(pair.locator(".presenter-translation")).to_have_text(SPANISH)
    expect(pair.locator(".presenter-text").first).to_have_text(CHINESE)
    assert_accessible(presenter)
    for page in (asker, moderator, reader, presenter):
        assert page.dialogs == [] and page.js_errors == [], page.url
