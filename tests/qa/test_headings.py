"""Heading outline of the live pages: the meeting title first, one <h1>, each panel an <h2>."""

from __future__ import annotations

from tests.conftest import csrf_token_from, forget_request_caches, login
from tests.factories import make_registration, make_user
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.live.sockets import SESSION_REGISTRATIONS

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

def outline(page) -> list[tuple[str, str]]:
    """(tag, text) of every heading in document order."""
    return [(element.tag, element.text) for element in page.descendants()
            if element.tag in HEADINGS]

def joined(client, registration) -> None:
    """What the join link POST leaves in the session."""
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(registration.meeting_id): registration.id}


def presenter_path(client, meeting) -> str:
    """Log an organiser in and create the meeting's presenter link; its path."""
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    forget_request_caches()
    login(client, user.email)
    forget_request_caches()
    html = client.get(f"/m/{meeting.slug}/console").get_data(as_text=True)
    response = client.post(f"/m/{meeting.slug}/console/presenter-link",
                           data={"csrf_token": csrf_token_from(html)})
    url = parse(response.data).one("input#presenter-url").attr("value")
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


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
    path = presenter_path(client, meeting)
    console = outline(parse(client.get(f"/m/{meeting.slug}/console").data).one("main"))
    assert [tag for tag, _text in console].count("h1") == 1
    assert console[0][0] == "h1" and str(meeting.title) in console[0][1]
    assert_no_skipped_levels(console)
    presenter = outline(parse(app.test_client().get(path).data))
    assert [tag for tag, _text in presenter].count("h1") == 1
    assert presenter[0] == ("h1", meeting.title)
    assert_no_skipped_levels(presenter)
