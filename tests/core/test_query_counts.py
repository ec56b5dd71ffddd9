"""SQL statements per page and per join snapshot: a fixed handful, whatever the meeting's size.

Each page is measured twice, on a meeting with `SMALL` agenda items (two speakers each,
questions, registrations and posts in proportion) and on one three times that size; the two
counts must be equal, so a query per item, speaker, question or registration (an N+1) fails
here. Each page also has an upper bound, so a repeated query (the meeting or the user's roles
read three times) cannot come back either.

Statements are counted with a `before_cursor_execute` listener on the application's real
engine. Every measured request runs in its own application context, as in production: a fresh
session (nothing already in its identity map) and a fresh `g` (the user loaded again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.conftest import forget_request_caches, login
from tests.factories import (
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_series,
    make_speaker,
    make_user,
)
from tests.support.sql import statements_of
from webapp.accounts import permissions
from webapp.accounts.models import MeetingRole, RoleKind
from webapp.accounts.services import grant_role
from webapp.board.models import Post
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings.models import MeetingStatus
from webapp.qa import presenter_services
from webapp.qa.models import QuestionStatus, Vote

SMALL = 3
LARGE = 3 * SMALL

#: Most statements each page may run, whatever the meeting's size. Before the agenda, roles
#: and snapshot were loaded once, the live page ran 7 with three items (13 with nine), the
#: console 9 (15), the organiser agenda 8 (14), the registrations list 17, the dashboard 16,
#: an attendee's join snapshot 16 and a moderator's 14 (more with pinned and staff posts).
#: A snapshot's agenda part (items and speakers, for the live agenda lists) reads two more.
#: Its polls part reads the meeting's polls (and, when there are any, their counted answers,
#: the attendee's own and the moderators' written answers: one statement each).
LIMITS = {
    "meeting page": 5,
    "live page": 4,
    "console page": 5,
    "presenter page": 5,
    "agenda page": 5,
    "registrations page": 13,
    # 13, the survey's responses, agenda items and questions, and one aggregate per figure
    # the organisers asked for: votes, top questions, question languages, board posts and
    # reactions over time, attendees online (samples and peak), registration answers.
    "dashboard": 28,
    # 24: the stored report, the agenda with its speakers, and the figures of each section
    # (attendance, questions, polls, board, survey), each read in a few aggregates.
    "report page": 24,
    "attendee join snapshot": 16,
    "staff join snapshot": 14,
}


@dataclass
class Scene:
    """A meeting of a given size and the people who look at it."""
    meeting: object
    attendee: object
    organiser: object


def build_scene(items: int) -> Scene:
    """A live meeting with `items` agenda items (two speakers each) and, per item, two
    registrations, two questions (one answered, one anonymous), a vote and a board post."""
    meeting = make_meeting(status=MeetingStatus.LIVE)
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    registrations = []
    for n in range(items):
        speakers = [make_speaker(meeting, name=f"Speaker {n}a"),
                    make_speaker(meeting, name=f"Speaker {n}b")]
        item = make_agenda_item(meeting, speakers)
        pair = [make_registration(meeting), make_registration(meeting)]
        registrations.extend(pair)
        asked = make_question(meeting, pair[0], agenda_item_id=item.id,
                              speaker_id=speakers[0].id)
        make_question(meeting, pair[1], anonymous=True, status=QuestionStatus.ANSWERED)
        make_question(meeting, pair[1], status=QuestionStatus.PENDING)
        db.session.add(Vote(question_id=asked.id, registration_id=pair[1].id, created_at=utcnow()))
        db.session.add(Post(meeting_id=meeting.id, registration_id=pair[0].id,
                            text=f"Saludos desde Lima {n}", pinned=n % 2 == 0))
        db.session.add(Post(meeting_id=meeting.id, user_id=make_user().id, pinned=True,
                            text=f"Anuncio {n}"))
    db.session.commit()
    return Scene(meeting, registrations[0], organiser)


def count_statements(app, action: Callable[[], object]) -> list[str]:
    """The SQL statements `action` runs, in a fresh application context (own session, own `g`)."""
    return statements_of(app, action)[1]


def attendee_client(app, scene: Scene):
    client = app.test_client()
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(scene.meeting.id): scene.attendee.id}
    return client


def organiser_client(app, scene: Scene):
    client = app.test_client()
    forget_request_caches()
    login(client, scene.organiser.email)
    forget_request_caches()
    return client


def get_ok(client, url: str) -> Callable[[], None]:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def page_action(app, scene: Scene, page: str) -> Callable[[], None]:
    meeting = scene.meeting
    organiser_pages = {
        "console page": f"/m/{meeting.slug}/console",
        "agenda page": f"/organiser/meetings/{meeting.id}/agenda",
        "registrations page": f"/organiser/meetings/{meeting.id}/registrations",
        "dashboard": f"/organiser/meetings/{meeting.id}/",
        "report page": f"/organiser/meetings/{meeting.id}/report",
    }
    if page == "meeting page":
        return get_ok(app.test_client(), f"/m/{meeting.slug}")
    if page == "live page":
        return get_ok(attendee_client(app, scene), f"/m/{meeting.slug}/live")
    if page == "presenter page":
        token = presenter_services.rotate_token(scene.organiser, meeting)
        return get_ok(app.test_client(), f"/m/{meeting.slug}/present/{token}")
    return get_ok(organiser_client(app, scene), organiser_pages[page])


def join_action(app, scene: Scene, who: str, socket_client_factory) -> Callable[[], None]:
    from tests.conftest import csrf_token_from

    client = (attendee_client if who == "attendee" else organiser_client)(app, scene)
    forget_request_caches()
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    forget_request_caches()
    sio = socket_client_factory(scene.meeting.id, token=token, flask_client=client)
    assert sio.is_connected()
    sio.get_received()

    def join():
        ack = sio.emit("join", {}, callback=True)
        assert "snapshot" in ack, ack

    return join


def measure(app, page: str, items: int, socket_client_factory) -> int:
    scene = build_scene(items)
    if page.endswith("join snapshot"):
        action = join_action(app, scene, page.split()[0], socket_client_factory)
    else:
        action = page_action(app, scene, page)
    action()  # warm up: first-request work (template compiling, lazy caches) is not counted
    return len(count_statements(app, action))


@pytest.mark.parametrize("page", list(LIMITS))
def test_statements_do_not_grow_with_the_meeting(app, socket_client_factory, page):
    small = measure(app, page, SMALL, socket_client_factory)
    large = measure(app, page, LARGE, socket_client_factory)
    assert small == large, f"{page}: {small} statements with {SMALL} items, {large} with {LARGE}"
    assert large <= LIMITS[page], f"{page}: {large} statements (at most {LIMITS[page]})"


def test_organiser_home_reads_series_with_the_meetings(app):
    """The organiser's list of meetings names each one's series: not one query per series.

    The series are someone else's (a session run for another organisation's series): the
    organiser's own series are on the page anyway and would hide a query per meeting."""
    organiser = make_user()
    client = None

    def home_with(meetings: int) -> int:
        nonlocal client
        for _ in range(meetings):
            meeting = make_meeting(series_id=make_series().id)
            grant_role(organiser, meeting.id, RoleKind.ORGANISER)
        if client is None:
            client = organiser_client(app, Scene(None, None, organiser))
        fetch = get_ok(client, "/organiser/")
        fetch()
        return len(count_statements(app, fetch))

    small, large = home_with(SMALL), home_with(LARGE - SMALL)
    assert small == large, f"organiser home: {small} statements, then {large} with more meetings"


# --- the per-request memo of meeting roles ------------------------------------------------

def role_queries(app, action: Callable[[], object]) -> int:
    return sum("FROM meeting_roles" in statement for statement in count_statements(app, action))


def test_a_page_reads_the_users_roles_once(app):
    """The page loader, the service and the page header all ask; the table is read once."""
    scene = build_scene(1)
    client = organiser_client(app, scene)
    url = f"/organiser/meetings/{scene.meeting.id}/registrations"
    assert role_queries(app, get_ok(client, url)) == 1
    assert role_queries(app, get_ok(client, url)) == 1, "each request reads them afresh"


def test_a_role_change_in_the_request_is_seen_at_once(app):
    meeting = make_meeting()
    user = make_user()
    with app.test_request_context():
        assert permissions.roles_in(user, meeting.id) == frozenset()
        grant_role(user, meeting.id, RoleKind.MODERATOR)
        assert permissions.roles_in(user, meeting.id) == {RoleKind.MODERATOR}
        db.session.delete(db.session.scalars(select(MeetingRole)).one())
        db.session.commit()
        assert permissions.roles_in(user, meeting.id) == frozenset()


def test_roles_are_not_remembered_outside_a_request(app):
    """The command line and workers have no request: every question reads the table."""
    meeting = make_meeting()
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    assert role_queries(app, lambda: [permissions.roles_in(user, meeting.id)
                                      for _ in range(3)]) == 3


def test_a_vote_reads_its_question_and_meeting_in_one_statement(app):
    """Votes come in storms: the question, its meeting (has it ended?) and the vote itself."""
    from tests.support.people import attendee
    from webapp.qa import services as qa_services

    meeting = make_meeting(status=MeetingStatus.LIVE)
    question = make_question(meeting, make_registration(meeting), status=QuestionStatus.LIVE)
    voter = attendee(make_registration(meeting))
    question_id = question.id
    db.session.commit()
    statements = count_statements(app, lambda: qa_services.vote(voter, question_id, True))
    # Under TESTING the tally goes out at once (in production it is coalesced): leave it out.
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")
               and " IN (" not in s]
    # One read before the write (the question joined to its meeting), one for the new count.
    assert len(selects) == 2, "\n".join(selects)


def test_an_agenda_edit_logs_the_agenda_in_the_same_statements_whatever_its_length(app):
    """`agenda_changed` carries every item with its speakers; an edit of a 700-item agenda
    (or a long one edited many times in a session) must not read the speakers item by item."""
    from webapp.agenda.services import record_agenda_changed
    from webapp.meetings.models import Meeting

    def edit(items: int) -> int:
        meeting_id = build_scene(items).meeting.id

        def log_change():
            record_agenda_changed(db.session.get(Meeting, meeting_id))
            db.session.rollback()

        return len(count_statements(app, log_change))

    small, large = edit(SMALL), edit(LARGE)
    assert small == large, \
        f"agenda_changed: {small} statements with {SMALL} items, {large} with {LARGE}"
