"""The shell in a real browser: language switch, both clocks, no console errors, axe clean."""

import pytest

from tests.support.axe import assert_accessible
from tests.support.server import prepared_env, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    env = prepared_env(tmp_path_factory.mktemp("browser"))
    with running_server(env) as running:
        yield running


def test_visitor_switches_to_spanish_and_sees_both_clocks(demo_server, new_page):
    page = new_page(locale="en-US", timezone_id="America/Lima")
    page.goto(demo_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("#language-select", "es")
        page.locator("#language-change").click()
    assert page.locator("html").get_attribute("lang") == "es"
    # The organiser texts follow the switch too: the title is the Spanish one now.
    page.get_by_role("link", name="Puente del Pacífico, sesión 11").click()
    page.wait_for_url("**/m/pacific-bridge-11")
    # The browser's zone (Lima) was remembered: the server shows Beijing time and Lima's.
    page.reload()
    first = page.locator(".agenda .dual-time").first
    assert first.locator("[data-local-time]").count() == 0, "viewer time not rendered by server"
    text = first.inner_text()
    assert "10:00 Shanghái" in text and "21:00 Lima (-1 día)" in text
    assert page.js_errors == []


@pytest.mark.parametrize("path", ["/", "/m/pacific-bridge-11", "/m/pacific-bridge-10", "/login",
                                  "/no-such-page"])
@pytest.mark.parametrize("locale", ["en-GB", "es-PE", "zh-CN"])
def test_pages_have_no_accessibility_violations(demo_server, new_page, path, locale):
    page = new_page(locale=locale)
    page.goto(demo_server.url + path)
    page.reload()  # second view: both clocks rendered server-side
    assert_accessible(page)
    assert page.js_errors == []
