"""The editor services on PostgreSQL: exact text, time zones, positions, filters."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import make_meeting, make_registration, make_user
from webapp.accounts.models import RoleKind
from webapp.agenda import services as agenda
from webapp.errors import InvalidInput
from webapp.extensions import db
from webapp.meetings import services as meetings
from webapp.registration import admin_services
from webapp.registration.models import RegistrationStatus

pytestmark = pytest.mark.postgres


def test_editor_services_on_postgres(pg_app):
    admin = make_user(admin=True)
    meeting = meetings.create_meeting(admin, meetings.MeetingDetails(
        title="Intercambio · 交流 · 𝕿𝖊𝖘𝖙 👍🏾", slug="pg-exchange", timezone="Asia/Shanghai",
        starts_local=datetime(2026, 12, 3, 10, 0), planned_end_local=datetime(2026, 12, 3, 12, 0),
        description="Línea\r\n第二行", hosts=["Asociación Ñandú"], languages=["es", "zh_Hans"]))
    db.session.expire_all()
    assert meeting.title == "Intercambio · 交流 · 𝕿𝖊𝖘𝖙 👍🏾"
    assert meeting.description == "Línea\r\n第二行"
    assert meeting.starts_at == datetime(2026, 12, 3, 2, 0)
    with pytest.raises(InvalidInput):  # PostgreSQL cannot store NUL: refused before the insert
        agenda.add_speaker(admin, meeting.id, name="a\x00b")
    speaker = agenda.add_speaker(admin, meeting.id, name="陈晓北")
    items = [agenda.add_item(admin, meeting.id, title=t, speaker_ids=[speaker.id])
             for t in ("Uno", "Dos", "Tres")]
    agenda.move_item(admin, items[2], -1)
    agenda.delete_item(admin, items[0])
    db.session.expire_all()
    assert [(i.position, i.title) for i in meeting.agenda_items] == [(0, "Tres"), (1, "Dos")]
    other = make_meeting()
    organiser = make_user(meeting=other, role=RoleKind.ORGANISER)
    assert meetings.managed_meetings(organiser) == [other]
    make_registration(meeting, name="Ana 50%_off", country="PE")
    make_registration(meeting, name="张伟", country="CN", status=RegistrationStatus.WAITLISTED)
    wanted = admin_services.RegistrationFilter
    page = admin_services.list_registrations(admin, meeting.id, wanted(search="50%_"))
    assert [r.name for r in page.rows] == ["Ana 50%_off"]
    page = admin_services.list_registrations(admin, meeting.id, wanted(search="张"))
    assert [r.name for r in page.rows] == ["张伟"]
    figures = admin_services.figures(admin, meeting.id)
    assert dict(figures.by_country) == {"PE": 1, "CN": 1}
