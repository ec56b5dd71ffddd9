"""The meeting report in a real browser: the staff page and the published public page pass
axe-core, print to a few A4 pages that carry the report and none of the page's controls, and
fit a phone's width and an A4 page's width without sideways scrolling."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import login_moderator
from webapp.demo import data

pytestmark = pytest.mark.browser

#: The demo's ended session, whose report has every section.
PAST_SLUG = "pacific-bridge-10"
TITLE = data.meeting_title(10)["en"]
#: A4's printable width at 96 CSS px per inch: 210 mm less the report's 16 mm side margins.
A4_CONTENT_PX = round((210 - 2 * 16) / 25.4 * 96)

OVERFLOW = """() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll('.report *')].filter(element => {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        if (style.display === 'none' || box.width === 0) return false;
        if (element.closest('.table-scroll') && !element.classList.contains('table-scroll'))
            return false;  // a table scrolls inside its own region on a phone
        return box.right > root.clientWidth + 1 || box.left < -1;
    }).map(element => element.tagName + '.' + element.className);
    return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
}"""

PRINT_OVERFLOW = """() => {
    const root = document.documentElement;
    const cut = [...document.querySelectorAll('.report *')].filter(element => {
        const style = getComputedStyle(element);
        if (style.display === 'none') return false;
        return element.scrollWidth > element.clientWidth + 1
            && ['auto', 'scroll', 'hidden'].includes(style.overflowX);
    }).map(element => element.tagName + '.' + element.className);
    return {scroll: root.scrollWidth, client: root.clientWidth, cut: cut.slice(0, 5)};
}"""


def _open_staff_report(page, server) -> str:
    login_moderator(page, server)
    page.goto(server.url + "/organiser/")
    page.locator("table a", has_text=TITLE).first.click()
    page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/$"))
    page.get_by_role("link", name="Report", exact=True).click()
    page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/report$"))
    expect(page.locator("h1.report-title")).to_have_text(TITLE)
    return page.url


def _pdf_text(page) -> tuple[int, str]:
    from pypdf import PdfReader

    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def _assert_prints_well(page) -> None:
    pages, text = _pdf_text(page)
    assert 1 <= pages <= 8, pages
    flat = " ".join(unicodedata.normalize("NFKC", text).split())  # "ﬁ" ligatures: "fi"
    for wanted in (TITLE, "Questions and answers", "Attendance", "Timing"):
        assert wanted in flat, wanted
    for control in ("Edit the texts", "Publish the report", "Unpublish", "Board posts to quote",
                    "Back to the meeting page", "Log out"):
        assert control not in flat, control
    # At an A4 page's width nothing sticks out or is cut off inside a scrolling box.
    page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1100})
    found = page.evaluate(PRINT_OVERFLOW)
    assert found["scroll"] <= found["client"] and found["cut"] == [], found
    page.emulate_media(media="screen")


def test_the_report_is_accessible_prints_on_a4_and_fits_a_phone(qa_server, new_page):
    staff = new_page(locale="en-GB", timezone_id="America/Lima")
    report_url = _open_staff_report(staff, qa_server)
    expect(staff.locator('[data-figure="registered"]')).to_be_visible()
    expect(staff.locator('table[data-breakdown="country"] tbody tr').first).to_be_visible()
    assert_accessible(staff)
    _assert_prints_well(staff)
    staff.get_by_role("link", name="Edit the texts").click()
    expect(staff.get_by_text("Note on attendance").first).to_be_visible()
    assert_accessible(staff)
    staff.goto(report_url)

    # Publish through the page's own button; the public page then opens to anyone.
    staff.get_by_role("button", name="Publish the report").click()
    staff.wait_for_url(report_url)
    expect(staff.get_by_role("button", name="Unpublish the report")).to_be_visible()

    visitor = new_page(locale="en-GB", timezone_id="Asia/Shanghai")
    response = visitor.goto(f"{qa_server.url}/m/{PAST_SLUG}/report?lang=en")
    assert response.status == 200
    expect(visitor.locator("h1.report-title")).to_have_text(TITLE)
    assert_accessible(visitor)
    _assert_prints_well(visitor)

    for language in ("es", "zh_Hans"):
        visitor.goto(f"{qa_server.url}/m/{PAST_SLUG}/report?lang={language}")
        assert_accessible(visitor)

    phone = new_page(locale="es-PE", timezone_id="America/Lima")
    phone.set_viewport_size({"width": 390, "height": 844})
    for language in ("en", "es", "zh_Hans"):
        phone.goto(f"{qa_server.url}/m/{PAST_SLUG}/report?lang={language}")
        expect(phone.locator('table[data-breakdown="organisation_type"]')).to_be_attached()
        found = phone.evaluate(OVERFLOW)
        assert found["scroll"] <= found["client"] and found["wide"] == [], (language, found)
    assert staff.js_errors == [] and visitor.js_errors == [] and phone.js_errors == []
