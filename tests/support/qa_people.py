"""A live, post-moderated meeting on a real server, and attendees who join it by its link."""

from __future__ import annotations

import socketio

from tests.support.bench_clients import Recorder
from tests.support.live_clients import Browserish
from tests.support.server import server_db


def prepare(env, attendees: int) -> dict:
    """A live, post-moderated meeting, a moderator and attendees with join tokens."""
    from tests.factories import make_meeting, make_registration, make_user
    from webapp.accounts.models import RoleKind
    from webapp.core.tokens import new_token
    from webapp.meetings.models import MeetingStatus, ModerationMode

    with server_db(env) as db:
        meeting = make_meeting(status=MeetingStatus.LIVE, qa_moderation=ModerationMode.POST)
        moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
        tokens = []
        for n in range(attendees):
            token, token_hash = new_token()
            make_registration(meeting, name=f"Asistente {n}", join_token_hash=token_hash)
            tokens.append(token)
        db.session.commit()
        return {"meeting_id": meeting.id, "slug": meeting.slug, "tokens": tokens,
                "moderator": moderator.email}


class Person(Browserish):
    """Someone who joins by their link in the e-mail, then opens sockets like the page."""

    def join_link(self, slug: str, token: str) -> None:
        path = f"/m/{slug}/join/{token}"
        csrf = self.csrf(path)
        response = self.http.post(self.base_url + path, data={"csrf_token": csrf},
                                  allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:300]

    def open(self, meeting_id: int, **options) -> tuple[socketio.Client, Recorder]:
        client = socketio.Client(reconnection=options.pop("reconnection", False), **options)
        listener = Recorder(client)
        client.connect(self.base_url, headers={"Cookie": self.cookie_header()},
                       transports=["websocket"],
                       auth={"csrf_token": self.csrf(), "meeting": meeting_id}, wait_timeout=10)
        self.sockets.append(client)
        return client, listener


def attendee(server, data, n: int) -> Person:
    """Attendee `n` of `prepare`'s meeting, joined by their link."""
    person = Person(server.url)
    person.join_link(data["slug"], data["tokens"][n])
    return person
