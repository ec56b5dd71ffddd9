"""Heading outline of the live pages: the meeting title first, one <h1>, each panel an <h2>."""

from __future__ import annotations

from tests.factories import make_registration
from tests.qa.test_views import _create_presenter_link, _staff_client, joined
from tests.support.html import parse
from webapp.accounts.models import RoleKind

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

def outline(page) -> list[tuple[str, str]]:
    """(tag, text) of every heading in document order."""
    return [(element.tag, element.text) for element in page.descendants()
            if element.tag in HEADINGS]

def assert_no_skipped_levels(headings):
    level = 0
    for tag, text in headings:
        assert int(tag[1]) <= level + 1, f"{tag} {text!r} skips a level"
        level = int(tag[1])

def test_live_page_title_is_the_only_h1_and_comes_before_the_clock(client, meeting):
    joined(client, make_registration(meeting))
    page = parse(client.get(f"/m/{meeting.slug}/live").data)
    headings = outline(page.one("main"))
    assert [tag for tag, _text in headings].count("h1") == 1
    assert headings[0] == ("h1", meeting.title)
    assert page.one("h1.live-meeting a").attr("href") == f"/m/{meeting.slug}"
    assert ("h2", "Agenda clock") in headings
    assert_no_skipped_levels(headings)
    for panel, heading in (("#panel-questions", "Questions"), ("#panel-board", "Message board")):
        assert page.one(panel).all("h2")[0].text == heading

def test_console_and_presenter_put_their_h1_first(app, client, meeting):
    _staff_client(client, meeting, role=RoleKind.ORGANISER)
    console = outline(parse(client.get(f"/m/{meeting.slug}/console").data).one("main"))
    assert [tag for tag, _text in console].count("h1") == 1
    assert console[0][0] == "h1" and str(meeting.title) in console[0][1]
    assert_no_skipped_levels(console)
    path = _create_presenter_link(client, meeting).split("://", 1)[1].split("/", 1)[1]
    presenter = outline(parse(app.test_client().get(f"/{path}").data))
    assert [tag for tag, _text in presenter].count("h1") == 1
    assert presenter[0] == ("h1", meeting.title)
    assert_no_skipped_levels(presenter)
