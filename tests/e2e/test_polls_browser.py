"""Polls in real browsers: a moderator writes a poll in the meeting's three languages and
launches it from the console, a Chinese and a Spanish attendee answer it, each reading it in
their language, and the presenter shows the result with its text alternative; axe on each."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import join_as_attendee, open_console, wait_online, watch

pytestmark = pytest.mark.browser

QUESTION = {"zh_Hans": "下一届交流会在哪里举办？", "es": "¿Dónde será el próximo encuentro?",
            "en": "Where should the next exchange be held?"}
OPTIONS = [{"zh_Hans": "北京", "es": "Pekín", "en": "Beijing"},
           {"zh_Hans": "利马", "es": "Lima", "en": "Lima"}]


def _write_poll(console):
    console.locator("[data-poll-new]").click()
    form = console.locator("[data-poll-form]")
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option("single")
    form.locator("select[name=results]").select_option("live")
    for code, text in QUESTION.items():
        form.locator(f"[data-poll-question] [data-lang={code}]").fill(text)
    while form.locator("[data-poll-options] [data-option]").count() < len(OPTIONS):
        form.locator("[data-poll-add-option]").click()
    for index, option in enumerate(OPTIONS):
        for code, text in option.items():
            form.locator(f"[data-option='{index}'] [data-lang={code}]").fill(text)
    form.locator("button[type=submit]").click()
    expect(form).to_be_hidden()


def _answer(attendee, option_text):
    card = attendee.locator(".poll-card")
    expect(card).to_be_visible()
    card.get_by_label(option_text).check()
    card.locator("button[type=submit]").click()
    expect(card.locator(".poll-sent")).to_be_visible()


def test_a_poll_launched_live_is_answered_in_two_languages(qa_server, new_page):
    moderator = watch(new_page(locale="en-GB"))
    presenter = watch(new_page(locale="en-GB"))
    chinese = watch(new_page(locale="zh-CN"))
    spanish = watch(new_page(locale="es-PE"))
    open_console(moderator, qa_server)
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter.goto(moderator.locator("#presenter-url").input_value())
    wait_online(presenter)
    moderator.go_back()
    moderator.reload()
    wait_online(moderator)
    join_as_attendee(chinese, qa_server, 0)
    join_as_attendee(spanish, qa_server, 1)

    _write_poll(moderator)
    row = moderator.locator(".poll-row", has_text=QUESTION["en"])
    expect(row).to_have_class(re.compile("is-draft"))
    assert_accessible(moderator)
    row.locator("button[data-role=open]").click()
    expect(row).to_have_class(re.compile("is-open"))

    # Each attendee reads the poll in their own language and answers it.
    expect(chinese.locator(".poll-card .poll-question")).to_have_text(QUESTION["zh_Hans"])
    expect(spanish.locator(".poll-card .poll-question")).to_have_text(QUESTION["es"])
    _answer(chinese, "利马")
    _answer(spanish, "Lima")
    assert_accessible(spanish)

    # The presenter shows the open poll growing live, with a table for screen readers.
    poll = presenter.locator(".presenter-poll")
    expect(poll.locator(".presenter-poll-question")).to_have_text(QUESTION["en"])
    table = poll.locator("table")
    expect(table).to_contain_text("Lima")
    expect(table.locator("tr", has_text="Lima")).to_contain_text("2")
    expect(table.locator("tr", has_text="Beijing")).to_contain_text("0")
    assert_accessible(presenter)

    # Closing the poll reaches the attendees' cards; the console offers the answers as CSV.
    row.locator("button[data-role=close]").click()
    expect(spanish.locator(".poll-card")).to_contain_text("cerrada")
    csv_link = row.locator("a[download]")
    expect(csv_link).to_have_attribute("href", re.compile(r"/polls/\d+\.csv$"))
    download = moderator.request.get(qa_server.url + csv_link.get_attribute("href"))
    assert download.ok and download.text().count("\n") == 3  # the header and two answers
    for page in (moderator, presenter, chinese, spanish):
        assert page.dialogs == [] and page.js_errors == [], page.url
