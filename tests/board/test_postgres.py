"""The board and the clock on PostgreSQL: keyset paging, reactions, export, a clock run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from tests.factories import demo_agenda, make_meeting, make_registration, make_user
from tests.support.blns import blns_strings
from tests.support.people import attendee, staff
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
from webapp.board import services
from webapp.board.models import Post
from webapp.core.timeutil import utcnow
from webapp.errors import InvalidInput
from webapp.extensions import db

pytestmark = [pytest.mark.postgres, pytest.mark.blns]


def test_board_and_clock_on_postgres(pg_app):
    meeting = make_meeting()
    registration = make_registration(meeting)
    me = attendee(registration)
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    mod = staff(user, meeting)
    now = utcnow()
    db.session.execute(insert(Post), [
        {"meeting_id": meeting.id, "registration_id": registration.id, "text": f"p{n}",
         "created_at": now, "updated_at": now, "pinned": False, "hidden": False}
        for n in range(1234)])
    db.session.commit()
    seen, page = [], services.snapshot(me)
    seen = [p["text"] for p in page["posts"]]
    while page["more"]:
        page = services.page(me, page["before"])
        seen = [p["text"] for p in page["posts"]] + seen
    assert seen == [f"p{n}" for n in range(1234)]
    for n, text in enumerate(blns_strings()):
        try:
            post = services.post(me, text, f"b{n}")
        except InvalidInput:
            db.session.rollback()
            continue
        db.session.expire_all()
        assert db.session.get(Post, post.id).text == text
    services.react(me, post.id, "applause")
    services.hide(mod, post.id, "reason · 原因")
    assert services.export_csv(user, meeting).startswith(b"\xef\xbb\xbf")
    items = demo_agenda(meeting)
    clock_services.start_next(mod, now=meeting.starts_at)
    state = clock_services.state(meeting, meeting.starts_at + timedelta(minutes=30))
    assert state["current_item_id"] == items[0].id and state["item_overrun_minutes"] == 20
