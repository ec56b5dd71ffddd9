"""The live agenda clock with a fake clock: recorded times, status, overrun, projection, warning."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import demo_agenda, make_meeting, make_speaker, make_user
from tests.support.people import attendee, staff
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services as clock
from webapp.agenda.models import AgendaItemSpeaker, SpeakerRole
from webapp.core.timeutil import iso_utc
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.realtime.models import Audience


@pytest.fixture
def items(meeting):
    meeting.latest_end = meeting.starts_at + timedelta(hours=3, minutes=30)
    return demo_agenda(meeting)


def at(meeting, minutes):
    return meeting.starts_at + timedelta(minutes=minutes)


def test_before_the_start_the_projection_is_the_plan(app, meeting, items):
    state = clock.state(meeting, at(meeting, -30))
    assert state["status"] == "published" and state["current_item_id"] is None
    assert state["projected_end"] == iso_utc(meeting.planned_end)
    assert state["overrun_minutes"] == 0 and state["past_latest_end"] is False


def test_start_end_and_jump_record_times_and_status(app, meeting, items, mod, events):
    state = clock.start_next(mod, now=at(meeting, 3))
    assert meeting.status == MeetingStatus.LIVE
    assert items[0].actual_start == at(meeting, 3) and state["current_item_id"] == items[0].id
    clock.start_next(mod, now=at(meeting, 15))
    assert items[0].actual_end == at(meeting, 15) and items[1].actual_start == at(meeting, 15)
    clock.end_current(mod, now=at(meeting, 40))
    state = clock.state(meeting, at(meeting, 42))
    assert state["current_item_id"] is None and state["status"] == "live"
    # between items the rest of the plan runs from now: 25+10+25+25+5 = 90 min
    assert state["projected_end"] == iso_utc(at(meeting, 42 + 90))
    state = clock.jump_to(mod, items[5].id, now=at(meeting, 45))
    assert state["current_item_id"] == items[5].id
    with pytest.raises(Conflict):
        clock.jump_to(mod, items[5].id, now=at(meeting, 46))
    clock.jump_to(mod, items[2].id, now=at(meeting, 50))
    assert items[5].actual_end == at(meeting, 50)
    changes = events.of("clock_changed")
    assert len(changes) == 5 and all(e.seq and e.audience == Audience.EVERYONE for e in changes)
    assert [e.seq for e in changes] == sorted(e.seq for e in changes)


def test_elapsed_overrun_and_projection_with_a_fake_clock(app, meeting, items, mod):
    clock.start_next(mod, now=at(meeting, 0))         # opening, 10 min planned
    state = clock.state(meeting, at(meeting, 25))
    assert state["elapsed_minutes"] == 25 and state["item_overrun_minutes"] == 15
    # 25 now + remaining 110 planned minutes of later items
    assert state["projected_end"] == iso_utc(at(meeting, 135))
    assert state["overrun_minutes"] == 15
    state = clock.state(meeting, at(meeting, 4))
    assert state["projected_end"] == iso_utc(meeting.planned_end)
    assert state["overrun_minutes"] == 0 and state["item_overrun_minutes"] == 0


def test_latest_end_warning_and_time_left_for_questions(app, meeting, items, mod):
    for minute in (0, 12, 35, 70, 85):  # everything runs late; panel starts at 85
        clock.start_next(mod, now=at(meeting, minute))
    clock.start_next(mod, now=at(meeting, 150))         # Q&A starts 150 min in
    state = clock.state(meeting, at(meeting, 160))
    assert state["qa_minutes_left"] == 210 - 5 - 160    # latest end minus closing minus now
    assert state["past_latest_end"] is False
    state = clock.state(meeting, at(meeting, 207))
    assert state["past_latest_end"] is True and state["qa_minutes_left"] == 0
    assert state["overrun_minutes"] == 207 + 5 - 120


def test_ending_the_last_item_ends_the_meeting(app, meeting, items, mod):
    for minute in range(0, 70, 10):  # seven items, ten minutes apart
        clock.start_next(mod, now=at(meeting, minute))
    assert meeting.status == MeetingStatus.LIVE
    assert items[-1].actual_start == at(meeting, 60)
    clock.end_current(mod, now=at(meeting, 64))
    assert meeting.status == MeetingStatus.ENDED
    state = clock.state(meeting, at(meeting, 300))
    assert state["projected_end"] == iso_utc(at(meeting, 64)) and state["overrun_minutes"] == 0
    with pytest.raises(Conflict):
        clock.start_next(mod, now=at(meeting, 301))


def test_start_next_after_the_last_item_ends_the_meeting(app, meeting, items, mod):
    clock.jump_to(mod, items[-1].id, now=at(meeting, 0))
    clock.start_next(mod, now=at(meeting, 9))
    assert meeting.status == MeetingStatus.ENDED and items[-1].actual_end == at(meeting, 9)


def test_end_meeting_explicitly(app, meeting, items, mod):
    clock.start_next(mod, now=at(meeting, 0))
    clock.end_meeting(mod, now=at(meeting, 30))
    assert meeting.status == MeetingStatus.ENDED and items[0].actual_end == at(meeting, 30)


def test_errors(app, meeting, items, mod):
    with pytest.raises(Conflict):
        clock.end_current(mod, now=at(meeting, 0))
    with pytest.raises(InvalidInput):
        clock.jump_to(mod, "3", now=at(meeting, 0))
    other = make_meeting()
    foreign_item = demo_agenda(other)[0]
    with pytest.raises(NotFound):
        clock.jump_to(mod, foreign_item.id, now=at(meeting, 0))


@pytest.mark.parametrize("role, allowed", [
    (None, False), (RoleKind.SPEAKER, False), (RoleKind.MODERATOR, True),
    (RoleKind.ORGANISER, True)])
def test_authorisation_matrix(app, meeting, items, registration, role, allowed):
    if role is None:
        actor = attendee(registration)
    else:
        user = make_user(meeting=meeting, role=role)
        actor = staff(user, meeting, role)
    calls = [lambda: clock.start_next(actor, now=at(meeting, 0)),
             lambda: clock.jump_to(actor, items[2].id, now=at(meeting, 5)),
             lambda: clock.end_current(actor, now=at(meeting, 9)),
             lambda: clock.end_meeting(actor, now=at(meeting, 10))]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(Forbidden):
                call()
    assert (meeting.status == MeetingStatus.ENDED) is allowed


def test_snapshot_part(app, meeting, items, me):
    part = clock.snapshot(me)
    assert part["timezone"] == "Asia/Shanghai"
    assert [i["id"] for i in part["items"]] == [i.id for i in items]


def test_the_clock_names_who_is_on_with_their_roles(app, meeting, items, mod):
    chair, guo = make_speaker(meeting, name="Moderadora"), make_speaker(meeting, name="Guo Yi")
    db.session.add_all([
        AgendaItemSpeaker(agenda_item_id=items[0].id, speaker_id=chair.id, position=0,
                          role=SpeakerRole.MODERATOR),
        AgendaItemSpeaker(agenda_item_id=items[0].id, speaker_id=guo.id, position=1,
                          role=SpeakerRole.PANELLIST)])
    db.session.commit()
    assert clock.state(meeting, at(meeting, -5))["current_speakers"] == []
    state = clock.start_next(mod, now=at(meeting, 0))
    assert state["current_speakers"] == [{"name": "Moderadora", "role": "moderator"},
                                         {"name": "Guo Yi", "role": "panellist"}]


def test_a_plan_read_once_gives_every_later_moment_what_the_meeting_gives(app, meeting, items,
                                                                          mod):
    """Joining attendees share one plan per meeting state; only their `now` differs."""
    guo = make_speaker(meeting, name="Guo Yi")
    db.session.add(AgendaItemSpeaker(agenda_item_id=items[-2].id, speaker_id=guo.id,
                                     position=0, role=SpeakerRole.PANELLIST))
    db.session.commit()
    for minute in (0, 12, 35, 70, 85, 150):  # the Q&A (second to last) runs from 150
        clock.start_next(mod, now=at(meeting, minute))
    plan = clock.plan_of(meeting)
    for minute in (151, 160, 207, 400):
        assert clock.state_at(plan, at(meeting, minute)) == clock.state(meeting,
                                                                        at(meeting, minute))
    assert clock.state_at(plan, at(meeting, 160))["current_speakers"] == [
        {"name": "Guo Yi", "role": "panellist"}]
