"""Browser steps the organiser's screens share: log in as the demo admin, open the demo
meeting's organiser page."""

import re

from tests.support.server import ADMIN


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
