"""Up next in real browsers: the moderator orders the next questions by keyboard (and by
dragging), the presenter's "next" list follows, and the highlighted question shows a running
timer in the console and on the presenter screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    approve,
    ask,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser

FIRST = "Which clinics will receive the new cold-chain fridges first?"
SECOND = "How will the volunteers be paid during the rainy season?"
TIMER = re.compile(r"^\d+:[0-5]\d$")


def open_presenter(moderator, presenter, server):
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter_url = moderator.locator("#presenter-url").input_value()
    moderator.goto(f"{server.url}/m/{SLUG}/console")
    wait_online(moderator)
    presenter.goto(presenter_url)
    wait_online(presenter)


def select_live(moderator, text):
    """Show the Live tab and select the question (then the keys act on it)."""
    moderator.locator("#queue-tab-live").click()
    row = moderator.locator("#queue-list .queue-row", has_text=text)
    row.locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(text)


def test_up_next_orders_the_presenter_and_the_highlight_shows_a_timer(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    presenter = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    open_console(moderator, qa_server)
    open_presenter(moderator, presenter, qa_server)
    for text in (FIRST, SECOND):
        ask(asker, text)
    for text in (FIRST, SECOND):
        approve(moderator, text)

    up_next = moderator.locator("#up-next-list .up-next-row")
    upcoming = presenter.locator("#presenter-upcoming .presenter-text")
    expect(up_next).to_have_count(0)

    # Two new questions (no votes) go up next by keyboard, in the order chosen.
    select_live(moderator, FIRST)
    moderator.keyboard.press("u")
    expect(up_next).to_have_text([FIRST])
    select_live(moderator, SECOND)
    moderator.keyboard.press("u")
    expect(up_next).to_have_text([FIRST, SECOND])
    expect(moderator.locator(".detail-actions [data-action=up_next]")).to_contain_text(
        "Remove from up next")
    expect(upcoming.nth(0)).to_have_text(FIRST)
    expect(upcoming.nth(1)).to_have_text(SECOND)

    # Shift+K moves the selected question earlier; the presenter follows.
    moderator.keyboard.press("Shift+K")
    expect(up_next).to_have_text([SECOND, FIRST])
    expect(upcoming.nth(0)).to_have_text(SECOND)
    expect(upcoming.nth(1)).to_have_text(FIRST)
    assert_accessible(moderator)

    # Dragging is the pointer's way to the same order.
    up_next.filter(has_text=FIRST).drag_to(up_next.filter(has_text=SECOND))
    expect(up_next).to_have_text([FIRST, SECOND])
    expect(upcoming.nth(0)).to_have_text(FIRST)

    # Highlighting the first takes it out of up next and starts its timer on both screens.
    select_live(moderator, FIRST)
    moderator.keyboard.press("h")
    expect(moderator.locator("#now-answering .now-text")).to_have_text(FIRST)
    expect(up_next).to_have_text([SECOND])
    expect(upcoming.nth(0)).to_have_text(SECOND)
    expect(presenter.locator("#presenter-highlight .presenter-text")).to_have_text(FIRST)
    for page, timer in ((moderator, "#now-answering .timer"),
                        (presenter, "#presenter-highlight .timer")):
        clock = page.locator(timer)
        expect(clock).to_have_text(TIMER)
        shown = clock.inner_text()
        expect(clock).not_to_have_text(shown)   # it keeps counting, second by second
        expect(clock).to_have_text(TIMER)
    expect(moderator.locator("#now-answering .answer-timer")).to_contain_text("Answering for")
    assert_accessible(moderator)
    assert_accessible(presenter)

    for page in (asker, moderator, presenter):
        assert page.js_errors == []


# --- the presenter screen fits a projector --------------------------------------------------

#: Long questions, as people write them: the next three must still show whole cards.
LONG = [
    "Cuando lleguen las lluvias, ¿qué plan tienen para que las brigadas de vacunación sigan "
    "llegando a las comunidades ribereñas de Loreto, donde los caminos quedan cortados?",
    "What share of the emergency fund went to community kitchens in the northern districts, "
    "and who decided how it was divided between the neighbourhood committees?",
    "社区卫生工作者在偏远山区如何获得持续的培训和药品供应？在雨季道路中断的时候，他们又是怎样和医院保持联系的？",
    "How will the clinics keep the cold chain for vaccines working during the long power cuts "
    "that hit the coast every summer, and who pays for the generators?",
]

#: Where each key element of the presenter lies, against the viewport and its container.
PRESENTER_FIT = """() => {
  const view = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  const problems = [];
  const within = (inner, outer) => inner.left >= outer.left - 1 && inner.top >= outer.top - 1
    && inner.right <= outer.right + 1 && inner.bottom <= outer.bottom + 1;
  const check = (el, container, what) => {
    if (!el || !el.checkVisibility()) { problems.push(`${what}: not shown`); return; }
    const box = el.getBoundingClientRect();
    if (!within(box, view)) problems.push(`${what} outside the viewport ${JSON.stringify(box)}`);
    const outer = el.closest(container);
    if (!within(box, outer.getBoundingClientRect())) {
      problems.push(`${what} clipped by ${container}`);
    }
  };
  check(document.querySelector('#presenter-highlight .presenter-text'), '#presenter-highlight',
        'current question');
  const cards = [...document.querySelectorAll('#presenter-upcoming .presenter-card')];
  cards.forEach((card, index) => check(card, '.presenter-next', `next card ${index + 1}`));
  const clock = document.querySelector('.presenter-clock [data-clock-item]');
  check(clock, '.presenter-top', 'clock');
  const url = document.querySelector('.presenter-url');
  check(url, '.presenter-join', 'join URL');
  for (const selector of ['#presenter-highlight', '.presenter-next', '.presenter-join',
                          '.presenter-screen']) {
    const box = document.querySelector(selector);
    if (box.scrollHeight > box.clientHeight + 1) problems.push(`${selector} overflows`);
  }
  if (document.documentElement.scrollHeight > innerHeight + 1) problems.push('page scrolls');
  const urlStyle = getComputedStyle(url);
  const urlLines = url.getBoundingClientRect().height / parseFloat(urlStyle.lineHeight);
  if (urlLines > 1.2 || url.scrollWidth > url.clientWidth + 1) {
    problems.push(`join URL: ${urlLines.toFixed(2)} lines, ${url.scrollWidth}/${url.clientWidth}`);
  }
  return { problems, cards: cards.length,
           clockPx: parseFloat(getComputedStyle(clock).fontSize), height: innerHeight };
}"""


@pytest.fixture(scope="module")
def long_questions_presenter(qa_server, browser):
    """A presenter link for a screen with a long highlighted question and long ones next."""
    asker_context = browser.new_context(locale="es-PE")
    moderator_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    asker, moderator = asker_context.new_page(), moderator_context.new_page()
    join_as_attendee(asker, qa_server, 1)
    open_console(moderator, qa_server)
    for text in LONG:
        ask(asker, text)
        approve(moderator, text)
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    url = moderator.locator("#presenter-url").input_value()
    moderator.goto(f"{qa_server.url}/m/{SLUG}/console")
    wait_online(moderator)
    select_live(moderator, LONG[0])
    moderator.keyboard.press("h")
    expect(moderator.locator("#now-answering .now-text")).to_have_text(LONG[0])
    moderator_context.close()
    asker_context.close()
    return url


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)],
                         ids=["720p", "768p", "1080p"])
def test_the_presenter_fits_the_projector_with_nothing_clipped(long_questions_presenter, new_page,
                                                              size):
    presenter = watch(new_page(locale="en-GB"))
    presenter.set_viewport_size({"width": size[0], "height": size[1]})
    for lang in ("es", "zh_Hans", "en"):
        presenter.goto(f"{long_questions_presenter}?lang={lang}")
        wait_online(presenter)
        expect(presenter.locator("#presenter-upcoming .presenter-card")).to_have_count(3)
        presenter.wait_for_function("() => document.fonts.status === 'loaded'")
        found = presenter.evaluate(PRESENTER_FIT)
        assert found["problems"] == [], (lang, size, found)
        # The clock reads from the back of the room: 48 px and more on a 1080-line screen.
        assert found["clockPx"] >= 0.044 * found["height"], (lang, size, found)
    assert_accessible(presenter)
    assert presenter.js_errors == []
