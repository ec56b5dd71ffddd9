"""Reflow (WCAG 1.4.10): at 320 px and at 200 % text nothing scrolls sideways, except data
tables inside their own labelled scroll box; and the live pages' semantics a screen reader
relies on (the languages of board posts and names, named reaction groups and vote buttons)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    approve,
    ask,
    card_with_text,
    join_as_attendee,
    login_moderator,
    open_console,
    switch_language,
    watch,
)
from webapp.core.language import name_language

pytestmark = pytest.mark.browser

#: Elements and words sticking out of the viewport, outside any table scroll box: what to fix.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-scroll") || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".table-scroll, .visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      const words = node.textContent.trim().slice(0, 30);
      out.push(`"${words}" in ${node.parentElement.tagName} ${Math.round(box.right)}`);
    }
  }
  return { scroll: document.documentElement.scrollWidth, client: width, out: out.slice(0, 5) };
}"""

LARGE_TEXT = "() => { document.documentElement.style.fontSize = '200%'; }"


def assert_no_sideways_scroll(page, what):
    page.wait_for_load_state()
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["client"], (what, found)


def organiser_screens(page, server):
    """Organiser home, the demo meeting's dashboard and its wide screens, as full URLs."""
    login_moderator(page, server)
    page.goto(server.url + "/organiser/")
    page.locator("table a", has_text="Pacific Bridge").first.click()
    page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/$"))
    meeting_url = page.url.rstrip("/")
    return [server.url + "/organiser/", meeting_url + "/", meeting_url + "/registrations",
            meeting_url + "/agenda", meeting_url + "/staff"]


@pytest.mark.parametrize("large_text", [False, True], ids=["320px", "200%-text"])
def test_organiser_screens_reflow_at_320_px(qa_server, new_page, large_text):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 720})
    for url in organiser_screens(page, qa_server):
        page.goto(url)
        if large_text:
            page.evaluate(LARGE_TEXT)
        assert_no_sideways_scroll(page, url)
        for box in page.locator(".table-scroll").all():
            assert box.get_attribute("tabindex") == "0"
            assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
        if not large_text:
            assert_accessible(page)
    if not large_text:  # the details page's file fields and logos fit a phone too
        page.goto(url.rsplit("/", 1)[0] + "/details")
        assert_no_sideways_scroll(page, "details")
    assert page.js_errors == []


def test_dashboard_charts_scale_to_the_screen(qa_server, new_page):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 720})
    dashboard = organiser_screens(page, qa_server)[1]
    page.goto(dashboard)
    charts = page.locator("svg.chart")
    assert charts.count() >= 8
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("viewBox")
        assert chart.bounding_box()["width"] <= 320


@pytest.mark.parametrize("large_text", [False, True], ids=["320px", "200%-text"])
def test_live_page_reflows(qa_server, new_page, large_text):
    page = watch(new_page())
    page.set_viewport_size({"width": 320 if not large_text else 390, "height": 720})
    join_as_attendee(page, qa_server, 0)
    if large_text:
        page.evaluate(LARGE_TEXT)
    assert_no_sideways_scroll(page, "live")
    expect(page.locator("label[for=view-mine]")).to_be_visible()
    page.locator("#tab-board").click()
    assert_no_sideways_scroll(page, "board")


def test_board_posts_names_and_votes_read_right(qa_server, new_page):
    page = watch(new_page(locale="es-PE"))
    join_as_attendee(page, qa_server, 2)
    question = "¿Cómo llegan las brigadas a las comunidades más alejadas?"
    ask(page, question)
    moderator = new_page()
    open_console(moderator, qa_server)
    approve(moderator, question)
    vote = card_with_text(page, question).locator(".vote-button")
    # Its name: the vote's own words and the question's text.
    expect(vote).to_have_accessible_name(re.compile(r"\d.*" + re.escape(question)))

    page.locator("#tab-board").click()
    page.fill("[data-board-form] textarea", "感谢各位的分享，收获很大。")
    page.locator("[data-board-form] button[type=submit]").click()
    post = page.locator("[data-board-posts] .board-post", has_text="收获很大")
    expect(post.locator(".board-text")).to_have_attribute("lang", "zh-Hans")
    name = post.locator(".board-meta strong")
    expected = name_language(name.inner_text())
    if expected:
        expect(name).to_have_attribute("lang", expected.replace("_", "-"))
    else:
        assert name.get_attribute("lang") is None
    group = post.locator(".board-reactions")
    expect(group).to_have_attribute("role", "group")
    assert (group.get_attribute("aria-label") or "").strip()
    assert_accessible(page)
    assert page.js_errors == [] and page.dialogs == []



#: The board's reactions and their names, as the translations have them.
REACTION_NAMES = {"thanks": "Thanks", "applause": "Applause", "like": "Like",
                  "insightful": "Insightful"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "webapp" / "translations"

#: The tops of a post's reaction chips (one line: one top) and the board's tab names' lines.
CHIP_TOPS = """(post) => [...post.querySelectorAll('.board-reactions > *')]
  .map((chip) => Math.round(chip.getBoundingClientRect().top))"""


@pytest.mark.parametrize("code", ["en", "es", "zh_Hans"])
def test_board_reactions_are_one_line_of_named_emoji_chips(qa_server, new_page, code):
    page = watch(new_page())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{qa_server.url}/m/{SLUG}")
    switch_language(page, code)
    join_as_attendee(page, qa_server, 1)
    translations = Translations.load(str(TRANSLATIONS), [code])
    page.locator("#tab-board").click()
    text = f"Saludos desde Iquitos ({code})"
    page.fill("[data-board-form] textarea", text)
    page.locator("[data-board-form] button[type=submit]").click()
    post = page.locator("[data-board-posts] .board-post", has_text=text)
    chips = post.locator(".board-reactions button.reaction")
    expect(chips).to_have_count(len(REACTION_NAMES))

    thanks = post.locator("button.reaction[data-kind=thanks]")
    thanks.click()
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".reaction-n")).to_have_text("1")
    for kind, word in REACTION_NAMES.items():
        chip = post.locator(f"button.reaction[data-kind={kind}]")
        name = translations.gettext(word)
        # Named in the page's language (with the count once there is one), the same in its tooltip.
        expect(chip).to_have_accessible_name(re.compile(re.escape(name)))
        assert name in (chip.get_attribute("title") or "")
        if kind != "thanks":
            expect(chip).to_have_attribute("aria-pressed", "false")
            expect(chip.locator(".reaction-n")).to_have_count(0)   # no "0" on a chip
    expect(thanks).to_have_accessible_name(re.compile(r"\b1\b"))
    tops = post.evaluate(CHIP_TOPS)
    assert len(set(tops)) == 1, tops
    assert_no_sideways_scroll(page, "board")
    assert_accessible(page)
    thanks.click()  # taken back: the count goes
    expect(thanks).to_have_attribute("aria-pressed", "false")
    expect(thanks.locator(".reaction-n")).to_have_count(0)
    assert page.js_errors == [] and page.dialogs == []
