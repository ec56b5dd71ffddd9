"""Live Q&A in real browsers: attendee, moderator and presenter on one real server process."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.blns import load_blns
from tests.support.qa_browser import (
    SLUG,
    ask,
    card_with_text,
    join_as_attendee,
    login_moderator,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser


def test_ask_approve_highlight_present_answer(qa_server, new_page):
    attendee = watch(new_page(locale="es-PE", timezone_id="America/Lima"))
    moderator = watch(new_page(locale="en-GB", timezone_id="Asia/Shanghai"))
    presenter = watch(new_page(locale="zh-CN", timezone_id="Asia/Shanghai"))

    join_as_attendee(attendee, qa_server, 0)
    assert_accessible(attendee)

    login_moderator(moderator, qa_server)
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console")
    wait_online(moderator)
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter_url = moderator.locator("#presenter-url").input_value()
    assert f"/m/{SLUG}/present/" in presenter_url
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console")
    wait_online(moderator)

    presenter.goto(presenter_url)
    # The projector has no login: its token admits it to the live connection.
    wait_online(presenter)

    question = "¿Cómo organizaron los voluntarios la desinfección en cada comunidad?"
    status = ask(attendee, question)
    assert status  # "sent, a moderator will review it" in Spanish
    mine = card_with_text(attendee, question)
    expect(mine).to_have_class(re.compile(r"\bmine\b"))
    expect(mine).to_have_class(re.compile(r"\bpending\b"))

    # The moderator sees it in Pending, selects it and approves with the keyboard.
    row = moderator.locator("#queue-list .queue-row", has_text=question)
    row.wait_for()
    row.locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(question)
    moderator.keyboard.press("a")
    moderator.locator("#queue-tab-live").click()
    live_row = moderator.locator("#queue-list .queue-row", has_text=question)
    live_row.wait_for()
    live_row.locator(".queue-select").click()
    moderator.keyboard.press("h")
    moderator.locator("#now-answering .now-text", has_text=question).wait_for()

    # The attendee's card is now live, in place.
    attendee.wait_for_function(
        """(text) => [...document.querySelectorAll('.q-card')].some((card) =>
              card.querySelector('.q-text').textContent === text &&
              !card.classList.contains('pending'))""", arg=question)
    # Askers do not vote for their own question: the button says why and stays off.
    own_vote = card_with_text(attendee, question).locator(".vote-button")
    expect(own_vote).to_be_disabled()
    expect(own_vote).to_have_attribute("title", re.compile(r"\S"))

    # The presenter screen shows the highlighted question.
    presenter.locator("#presenter-highlight .presenter-text", has_text=question).wait_for()
    assert_accessible(presenter)

    # A written answer marks it answered; the attendee reads it in the Answered view.
    answer = "Con brigadas de voluntarios por edificio y turnos de 12 horas."
    moderator.fill("#answer-text", answer)
    moderator.locator("#answer-send").click()
    moderator.locator("#queue-tab-answered").click()
    moderator.locator("#queue-list .queue-row", has_text=question).wait_for()
    assert_accessible(moderator)

    attendee.locator("label[for=view-answered]").click()
    expect(card_with_text(attendee, question).locator(".q-answer-text")).to_have_text(answer)
    assert_accessible(attendee)

    for page in (attendee, moderator, presenter):
        assert page.js_errors == []
        assert page.dialogs == []
        assert page.console_errors == []


def nasty_strings() -> list[str]:
    corpus = load_blns()
    wanted = [
        lambda s: s.startswith("<script>"),
        lambda s: "onerror=" in s,
        lambda s: "onmouseover" in s.lower(),
        lambda s: "\u202e" in s or "\u0627\u0644" in s,  # right-to-left
        lambda s: any(ord(c) > 0x1F000 for c in s),  # emoji
        lambda s: any("\u4e00" <= c <= "\u9fff" for c in s),  # Chinese
        lambda s: "{{" in s or "${" in s,
    ]
    picked = []
    for test in wanted:
        found = next((s for s in corpus if s.strip() and s not in picked and test(s)), None)
        if found:
            picked.append(found)
    picked.append(("Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ "
                   "̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳ ̞̥̱̳̭r̛̗̘e͙p͠r̼̞̻̭̗e̺̠̣͟s̘͇̳͍̝͉e͉̥̯̞̲͚̬͜ǹ̬͎͎̟̖͇̤"
                   "t͍̬̤͓̼̭͘ͅi̪̱n͠g̴͉ ͏͉ͅc̬̟h͡a̫̻̯͘o̫̟̖͍̙̝͉s̗̦̲.̨̹͈̣")[:500])
    picked.append(("<img src=x onerror=alert(1)> 很长的问题 " * 40)[:500])
    return picked


def test_naughty_questions_render_as_text(qa_server, new_page):
    strings = nasty_strings()
    assert len(strings) >= 8
    pages = [watch(new_page(locale="zh-CN")), watch(new_page(locale="es-PE"))]
    for index, page in enumerate(pages):
        join_as_attendee(page, qa_server, index + 1)
    chunks = [strings[: len(strings) // 2], strings[len(strings) // 2:]]
    for page, chunk in zip(pages, chunks, strict=True):
        for text in chunk:
            ask(page, text)
            card = card_with_text(page, text)
            assert card.locator(".q-text").evaluate("node => node.textContent") == text
        # Nothing the questions contained became markup.
        assert page.locator(".q-card img, .q-card script, .q-card iframe").count() == 0
    assert_accessible(pages[0])
    for page in pages:
        assert page.dialogs == []
        assert page.js_errors == []
        assert page.console_errors == []


def test_new_questions_wait_behind_a_pill_and_dismissals_tell_the_asker(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    reader = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    join_as_attendee(reader, qa_server, 1)
    login_moderator(moderator, qa_server)
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console")
    wait_online(moderator)

    kept = "How many community volunteers took part in Wuchang district?"
    dropped = "Is there a recording of the previous session?"
    ask(asker, kept)
    ask(asker, dropped)
    reader_cards = reader.locator(".q-card").count()

    # Approve one: the reader's list does not move, a pill offers it instead.
    moderator.locator("#queue-list .queue-row", has_text=kept).locator(".queue-select").click()
    moderator.keyboard.press("a")
    pill = reader.locator("#new-pill")
    pill.wait_for(state="visible")
    expect(pill).to_have_text("1 new question")
    assert reader.locator(".q-card").count() == reader_cards
    pill.click()
    expect(pill).to_be_hidden()
    card_with_text(reader, kept)

    # Dismiss the other from the keyboard with a reason; the asker reads why.
    moderator.locator("#queue-list .queue-row", has_text=dropped).locator(".queue-select").click()
    moderator.keyboard.press("d")
    moderator.locator("#dismiss-dialog").wait_for(state="visible")
    moderator.keyboard.press("2")
    moderator.keyboard.press("Enter")
    moderator.locator("#queue-tab-dismissed").click()
    moderator.locator("#queue-list .queue-row", has_text=dropped).wait_for()
    asker.locator("label[for=view-mine]").click()
    expect(card_with_text(asker, dropped).locator(".q-state")).to_have_text(
        "Dismissed: off topic")

    # Shortcuts are ignored while typing, and the overlay lists them.
    moderator.locator("#queue-search").fill("ad")
    assert moderator.locator("#dismiss-dialog").is_hidden()
    moderator.keyboard.press("Escape")
    moderator.locator(".queue-tabs [aria-selected=true]").focus()  # shortcuts act in the queue
    moderator.keyboard.press("?")
    moderator.locator("#shortcuts-dialog").wait_for(state="visible")
    assert_accessible(moderator)
    for page in (asker, reader, moderator):
        assert page.js_errors == [] and page.dialogs == [] and page.console_errors == []


def test_a_draft_survives_a_reload(qa_server, new_page):
    page = watch(new_page(locale="zh-CN"))
    join_as_attendee(page, qa_server, 2)
    draft = "社区防控的经验能否推广到秘鲁的亚马孙地区？"
    page.fill("#ask-text", draft)
    assert page.locator("#ask-language").input_value() == ""  # the server guesses on sending
    page.reload()
    wait_online(page)
    assert page.locator("#ask-text").input_value() == draft
    assert page.js_errors == [] and page.console_errors == []
