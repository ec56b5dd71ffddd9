"""Reflow (WCAG 1.4.10): at 320 px and at 200 % text nothing scrolls sideways, except data
tables inside their own labelled scroll box; and the live pages' semantics a screen reader
relies on (the languages of board posts and names, named reaction groups and vote buttons)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    approve,
    ask,
    card_with_text,
    join_as_attendee,
    login_moderator,
    open_console,
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

