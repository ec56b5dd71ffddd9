"""Focus and announcements on the live pages, checked as behaviour: where the focus is after
each action (never <body>), that the pinned ask box never covers it on a phone, and how often
the ask box's live region speaks while someone types."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    approve,
    ask,
    join_as_attendee,
    open_console,
    switch_language,
    watch,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

ACTIVE = """() => {
  const node = document.activeElement;
  return node ? { tag: node.tagName, id: node.id, cls: node.className,
                  kind: node.dataset.kind || null,
                  post: node.closest('[data-post-id]')?.dataset.postId || null,
                  row: node.closest('.queue-row')?.dataset.id || null } : null;
}"""


def active(page):
    info = page.evaluate(ACTIVE)
    assert info and info["tag"] != "BODY", f"focus fell to <body>: {info}"
    return info


def phone_page(new_page, locale="en-GB"):
    page = watch(new_page(locale=locale))
    page.set_viewport_size(PHONE)
    return page


def count_live_changes(page):
    """Record every text the ask box's live regions take from now on."""
    page.evaluate("""() => {
      window.liveTexts = [];
      const regions = document.querySelectorAll(
        '#ask-form [aria-live], #ask-form [role=status], #ask-form [role=alert]');
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const region = record.target.nodeType === 1 ? record.target : record.target.parentElement;
          window.liveTexts.push(region.closest('[aria-live], [role]').textContent);
        }
      });
      for (const region of regions) {
        observer.observe(region, { childList: true, characterData: true, subtree: true });
      }
    }""")


LIVE = [
    "Which districts kept a waiting list for the vaccination brigades?",
    "How were the community kitchens supplied during the lockdown?",
    "What did the volunteers learn about talking to older neighbours?",
    "Could the hotline model work in the Peruvian Andes?",
]


@pytest.fixture(scope="module")
def live_questions(qa_server, browser):
    """Four approved questions, asked by the demo's attendee 2 (the tests vote as others)."""
    context = browser.new_context(locale="en-GB")
    asker, moderator = context.new_page(), browser.new_context(locale="en-GB").new_page()
    join_as_attendee(asker, qa_server, 2)
    open_console(moderator, qa_server)
    for text in LIVE:
        ask(asker, text)
        approve(moderator, text)
    moderator.context.close()
    context.close()
    return LIVE


def test_counter_speaks_only_near_the_limit(qa_server, new_page):
    page = phone_page(new_page)
    join_as_attendee(page, qa_server, 0)
    assert page.locator("#ask-remaining").get_attribute("aria-live") is None
    box = page.locator("#ask-text")
    box.focus()
    count_live_changes(page)

    page.keyboard.type("How do the brigades share their shift list?")  # 43 characters
    expect(page.locator("#ask-remaining")).to_have_text("457 characters left")
    assert page.evaluate("window.liveTexts") == []
    assert box.get_attribute("aria-invalid") is None

    limit = int(page.locator("#qa-live").get_attribute("data-max-length"))
    box.fill("x" * (limit - 55))  # still clear of the last tenth: silent
    page.keyboard.type("y" * 10)  # crosses into it once
    page.wait_for_function("() => window.liveTexts.length > 0")
    assert page.evaluate("window.liveTexts") == ["50 characters left"]

    page.keyboard.type("z" * 51)  # past the limit: one more announcement, the box is invalid
    page.wait_for_function("() => window.liveTexts.length > 1")
    assert page.evaluate("window.liveTexts") == ["50 characters left",
                                                 "Please shorten your question."]
    expect(box).to_have_attribute("aria-invalid", "true")
    for _ in range(6):
        page.keyboard.press("Backspace")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    box.fill("")
    assert page.js_errors == [] and page.console_errors == []


def test_skip_link_and_nothing_hidden_behind_the_ask_box(qa_server, live_questions, new_page):
    page = phone_page(new_page)
    join_as_attendee(page, qa_server, 1)
    page.locator(".q-card .vote-button").first.wait_for()

    # Second stop in the Tab order, before the clock, the tabs and every vote button.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert active(page)["id"] == "skip-to-ask"
    expect(page.locator("#skip-to-ask")).to_have_text("Skip to the question box")
    page.keyboard.press("Enter")
    assert active(page)["id"] == "ask-text"

    # Walk the page with the keyboard: whatever has the focus stays clear of the pinned box.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#tab-questions").focus()
    seen = 0
    for _ in range(30):
        page.keyboard.press("Tab")
        geometry = page.evaluate("""() => {
          const node = document.activeElement;
          const box = document.getElementById('ask-form');
          if (!node || box.contains(node) || node === document.body) return null;
          const rect = node.getBoundingClientRect();
          if (!rect.height) return null;
          return { id: node.id, cls: node.className, top: rect.top, bottom: rect.bottom,
                   boxTop: box.getBoundingClientRect().top,
                   sticky: getComputedStyle(box).position === 'sticky' };
        }""")
        if geometry is None:
            continue
        seen += 1
        assert geometry["sticky"]
        assert geometry["top"] >= 0
        assert geometry["bottom"] <= geometry["boxTop"] + 0.5, geometry
    assert seen >= 10
    assert page.js_errors == [] and page.console_errors == []


def test_ask_box_keeps_the_focus(qa_server, live_questions, new_page):
    page = phone_page(new_page)
    join_as_attendee(page, qa_server, 1)

    # "Vote for this instead": the button stays focused, marked done.
    taken = page.evaluate("""() => {
      const card = [...document.querySelectorAll('.q-card')].find((node) => {
        const vote = node.querySelector('.vote-button');
        return vote && !vote.disabled && vote.getAttribute('aria-pressed') === 'false';
      });
      return card.querySelector('.q-text').textContent;
    }""")
    page.fill("#ask-text", taken)
    page.locator("#ask-submit").click()
    page.locator("#ask-similar").wait_for(state="visible")
    offer = active(page)
    assert "button" in offer["cls"]
    page.keyboard.press("Enter")
    expect(page.locator("#ask-status")).to_have_text(
        "Your vote was added. Your draft is kept below.")
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"
    assert active(page)["cls"] == offer["cls"]

    # "Send my question anyway": the offer closes, the focus goes back to the box.
    page.locator("#ask-send-anyway").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('ask-text').value === ''")
    assert active(page)["id"] == "ask-text"

    # Send, with the focus on the button that is disabled while sending.
    page.fill("#ask-text", "Which districts had the longest waiting lists for vaccines?")
    page.locator("#ask-submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        """() => !document.getElementById('ask-similar').hidden ||
                 document.getElementById('ask-text').value === ''""")
    if page.locator("#ask-similar").is_visible():
        page.locator("#ask-send-anyway").click()
        page.wait_for_function("() => document.getElementById('ask-text').value === ''")
    assert active(page)["id"] == "ask-text"
    assert page.js_errors == [] and page.console_errors == []


def test_reaction_keeps_the_focus_through_the_re_render(qa_server, new_page):
    page = phone_page(new_page)
    join_as_attendee(page, qa_server, 0)
    page.locator("#tab-board").click()
    page.fill("[data-board-form] textarea", "Greetings from the Lima volunteers.")
    page.locator("[data-board-form] button[type=submit]").click()
    post = page.locator("[data-board-posts] .board-post",
                        has_text="Greetings from the Lima volunteers.")
    button = post.locator("button.reaction").first
    button.focus()
    before = active(page)
    page.keyboard.press("Enter")
    expect(post.locator("button.reaction").first).to_have_attribute("aria-pressed", "true")
    after = active(page)
    assert (after["post"], after["kind"]) == (before["post"], before["kind"])
    page.keyboard.press("Enter")  # and again, taking it back
    expect(post.locator("button.reaction").first).to_have_attribute("aria-pressed", "false")
    assert active(page)["kind"] == before["kind"]
    assert page.js_errors == [] and page.console_errors == []


def test_console_focus_after_m_and_escape(qa_server, live_questions, new_page):
    moderator = watch(new_page(locale="en-GB"))
    open_console(moderator, qa_server)
    moderator.locator("#queue-tab-live").click()
    rows = moderator.locator("#queue-list .queue-row")
    rows.nth(1).wait_for()
    ids = [rows.nth(i).get_attribute("data-id") for i in range(2)]
    rows.first.locator(".queue-select").click()
    assert active(moderator)["row"] == ids[0]

    # m: the answered question leaves the Live list, its neighbour takes the focus.
    moderator.keyboard.press("m")
    expect(moderator.locator(f'#queue-list .queue-row[data-id="{ids[0]}"]')).to_have_count(0)
    assert active(moderator)["row"] == ids[1]

    # Escape out of a field goes back to the row it was opened from.
    moderator.keyboard.press("/")
    assert active(moderator)["id"] == "queue-search"
    moderator.keyboard.press("Escape")
    assert active(moderator)["row"] == ids[1]
    moderator.locator("#queue-list .queue-row", has_text="").nth(0).locator(".queue-select").click()
    selected = active(moderator)["row"]
    moderator.keyboard.press("r")
    assert active(moderator)["id"] == "answer-text"
    moderator.keyboard.press("Escape")
    assert active(moderator)["row"] == selected
    assert moderator.js_errors == [] and moderator.console_errors == []


def test_failed_registration_focuses_the_error_summary(qa_server, new_page):
    page = watch(new_page(locale="en-GB"))
    page.goto(f"{qa_server.url}/m/{SLUG}")
    page.locator(".registration-form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    page.wait_for_function("() => document.activeElement?.classList.contains('form-errors')")
    assert active(page)["id"] == "form-errors"


# --- the first screen of a phone -------------------------------------------------------------

#: How the live page's first screen (390×844) is used: questions wholly in view above the pinned
#: ask box, and the lines that controls' and tabs' words take.
FIRST_SCREEN = """() => {
  const lines = (el) => {
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width && !tops.some((top) => Math.abs(top - rect.top) < rect.height / 2)) {
          tops.push(rect.top);
        }
      }
    }
    return tops.length;
  };
  const askBox = document.getElementById('ask-form').getBoundingClientRect();
  const bottom = Math.min(innerHeight, askBox.top);
  const whole = [...document.querySelectorAll('#question-list .q-card')].filter((card) => {
    const box = card.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= bottom + 0.5;
  });
  return {
    questions: whole.length,
    send: lines(document.getElementById('ask-submit')),
    tabs: [...document.querySelectorAll('[role=tab]')].map((tab) => [tab.textContent, lines(tab)]),
    clock: lines(document.querySelector('.live-top [data-clock-item]')),
  };
}"""

#: Every shown checkbox and its label: they must share a line, the label after the box.
CHECKBOXES = """() => [...document.querySelectorAll('input[type=checkbox]')]
  .filter((input) => input.checkVisibility() && input.labels && input.labels.length)
  .map((input) => {
    const box = input.getBoundingClientRect();
    const label = input.labels[0].getBoundingClientRect();
    return { id: input.id, after: label.left >= box.right - 1,
             overlap: Math.min(box.bottom, label.bottom) - Math.max(box.top, label.top) };
  })"""


@pytest.mark.parametrize("code", ["en", "es", "zh_Hans"])
def test_a_phone_shows_three_questions_and_whole_words(qa_server, live_questions, new_page, code):
    page = phone_page(new_page)
    # The registration form's consent: box and label on one line at 390 px.
    page.goto(f"{qa_server.url}/m/{SLUG}")
    switch_language(page, code)
    checks = page.evaluate(CHECKBOXES)
    assert checks and all(c["overlap"] > 0 and c["after"] for c in checks), checks

    join_as_attendee(page, qa_server, 0)
    assert page.locator("html").get_attribute("lang").startswith(code[:2])
    expect(page.locator("#question-list .q-card")).not_to_have_count(0)
    found = page.evaluate(FIRST_SCREEN)
    assert found["questions"] >= 3, found
    assert found["send"] == 1, found          # "发送" on one line, not a character a line
    assert all(lines == 1 for _, lines in found["tabs"]), found
    assert found["clock"] == 1, found

    # The clock's details and who is online are one press away, and the press says so.
    details = page.locator("#live-details-toggle")
    end = page.locator(".live-top [data-clock-end]")
    expect(details).to_have_attribute("aria-expanded", "false")
    expect(end).to_be_hidden()
    details.click()
    expect(details).to_have_attribute("aria-expanded", "true")
    expect(end).to_be_visible()
    assert_accessible(page)
    details.click()
    expect(end).to_be_hidden()

    page.locator("#ask-options summary").click()
    checks = page.evaluate(CHECKBOXES)
    assert checks and all(c["overlap"] > 0 and c["after"] for c in checks), checks
    assert_accessible(page)
    assert page.js_errors == [] and page.console_errors == []
