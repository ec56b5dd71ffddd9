"""Organiser pages in a real browser: log in, open the editor, list and dashboard; axe clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.server import ADMIN, prepared_env, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    env = prepared_env(tmp_path_factory.mktemp("organiser-browser"))
    with running_server(env) as running:
        yield running


def log_in(page, base_url):
    page.goto(base_url + "/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.get_by_role("button", name=re.compile("Log in|Iniciar sesión|登录")).click()
    page.wait_for_url(base_url + "/")


def open_demo_meeting(page, base_url) -> str:
    page.goto(base_url + "/organiser/")
    page.locator("table a", has_text="Pacific Bridge").first.click()
    page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/$"))
    return page.url.rstrip("/")


@pytest.mark.parametrize("locale", ["en-GB", "es-PE", "zh-CN"])
def test_organiser_pages_have_no_accessibility_violations(demo_server, new_page, locale):
    page = new_page(locale=locale, timezone_id="Asia/Shanghai")
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    assert page.locator("svg.chart title").count() == 10  # 8, and the survey's two
    assert_accessible(page)
    for suffix in ("/registrations", "/details", "/agenda", "/questions", "/qa", "/staff",
                   "/speakers/new", "/questions/new"):
        page.goto(meeting_url + suffix)
        assert_accessible(page)
    # The editors of one item and one speaker: every language side by side.
    for listing in ("/agenda", "/speakers"):
        page.goto(meeting_url + listing)
        page.locator("table tbody th a").first.click()
        page.wait_for_load_state()
        expect(page.locator(".i18n-values").first).to_be_visible()
        assert_accessible(page)
    assert page.js_errors == []


def test_organiser_filters_and_reorders_with_the_keyboard(demo_server, new_page):
    page = new_page()
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    page.goto(meeting_url + "/registrations")
    rows = page.locator("table.registrations tbody tr").count()
    assert rows > 1
    page.select_option("#f-language", "zh_Hans")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*language=zh_Hans.*"))
    for lang in page.locator("table.registrations tbody td:nth-child(5)").all_inner_texts():
        assert lang == "简体中文"
    # Move the second agenda item up using only the keyboard.
    page.goto(meeting_url + "/agenda")
    titles = page.locator("table tbody th a").all_inner_texts()
    up = page.locator("table tbody tr").nth(1).get_by_role("button", name=re.compile("^Up"))
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    moved = page.locator("table tbody th a").all_inner_texts()
    assert moved[:2] == [titles[1], titles[0]]
    assert page.js_errors == []
