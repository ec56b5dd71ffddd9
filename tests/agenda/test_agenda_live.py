"""Agenda edits reach open pages: every change is one logged `agenda_changed` event with the
agenda lists and the recomputed clock, sent to connected attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import csrf_token_from, login
from tests.factories import demo_agenda, make_user
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services, services
from webapp.meetings import services as meeting_services
from webapp.meetings.services import MeetingDetails


@pytest.fixture
def organiser(meeting):
    return make_user(meeting=meeting, role=RoleKind.ORGANISER)


@pytest.fixture
def items(meeting):
    return demo_agenda(meeting)


@pytest.fixture
def attendee_sio(registration, items, live_sockets):
    return live_sockets.attendee(registration)


def changes(received, sio, count=1) -> list[dict]:
    return received.until(sio, "agenda_changed", lambda got: len(got) >= count)


def test_shortening_the_running_item_on_the_agenda_page_reaches_attendees(
        app, meeting, items, organiser, mod, attendee_sio, received):
    clock_services.start_next(mod, now=meeting.starts_at)
    received(attendee_sio)
    browser = app.test_client()
    login(browser, organiser.email)
    page = f"/organiser/meetings/{meeting.id}/agenda/{items[0].id}"
    response = browser.post(page, data={
        "csrf_token": csrf_token_from(browser.get(page).get_data(as_text=True)),
        "title": "Opening", "kind": "opening", "planned_minutes": "2", "description": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]

    [change] = changes(received, attendee_sio)
    assert change["seq"] > 0
    clock = change["clock"]
    assert clock["current_item_id"] == items[0].id
    assert next(i for i in clock["items"] if i["id"] == items[0].id)["planned_minutes"] == 2
    assert [i["id"] for i in change["agenda"]] == [i.id for i in items]


def test_reordering_and_speakers_send_the_new_order_and_names(
        meeting, items, organiser, attendee_sio, received):
    speaker = services.add_speaker(organiser, meeting.id, name="Dr. Ana Ruiz")
    services.update_item(organiser, items[1], title="Community", kind="talk",
                         planned_minutes=20, speaker_ids=[speaker.id])
    services.move_item(organiser, items[1], -1)
    services.update_speaker(organiser, speaker, name="Dra. Ana Ruiz Tello")
    services.delete_speaker(organiser, speaker)
    assigned, moved, renamed, deleted = changes(received, attendee_sio, 4)

    assert assigned["agenda"][1]["speakers"] == [
        {"id": speaker.id, "name": "Dr. Ana Ruiz", "title": "", "photo": None, "role": "speaker"}]
    order = [items[1].id, items[0].id, *[i.id for i in items[2:]]]
    assert [i["id"] for i in moved["agenda"]] == order
    assert [i["id"] for i in moved["clock"]["items"]] == order
    assert renamed["agenda"][0]["speakers"][0]["name"] == "Dra. Ana Ruiz Tello"
    assert deleted["agenda"][0]["speakers"] == []
    assert assigned["seq"] < moved["seq"] < renamed["seq"] < deleted["seq"]


def test_a_speaker_on_no_item_changes_no_list(meeting, items, organiser, events):
    services.add_speaker(organiser, meeting.id, name="Dr. Ana Ruiz")
    assert events.of("agenda_changed") == []


def test_adding_and_deleting_items_change_the_lists(meeting, items, organiser, attendee_sio,
                                                    received):
    extra = services.add_item(organiser, meeting.id, title="Encore", planned_minutes=5)
    extra_id = extra.id
    services.delete_item(organiser, items[0])
    added, deleted = changes(received, attendee_sio, 2)
    assert added["agenda"][-1]["title"] == "Encore"
    assert [i["id"] for i in deleted["clock"]["items"]] == [i.id for i in items[1:]] + [extra_id]


def test_moving_the_first_item_up_changes_nothing_and_sends_nothing(
        meeting, items, organiser, attendee_sio, received, events):
    services.move_item(organiser, items[0], -1)
    assert events.of("agenda_changed") == []
    assert received(attendee_sio, "agenda_changed") == []


def test_new_meeting_times_reach_the_clock_other_details_do_not(
        meeting, items, organiser, attendee_sio, received, events):
    details = MeetingDetails.of(meeting)
    details.description = "Now with a description."
    meeting_services.update_details(organiser, meeting, details)
    assert events.of("agenda_changed") == []

    details.planned_end_local += timedelta(minutes=30)
    meeting_services.update_details(organiser, meeting, details)
    [change] = changes(received, attendee_sio)
    assert change["clock"]["planned_end"] == clock_services.state(meeting)["planned_end"]
    assert [i["id"] for i in change["agenda"]] == [i.id for i in items]


def test_a_join_snapshot_carries_the_agenda_lists(meeting, items, attendee_sio):
    ack = attendee_sio.emit("join", {}, callback=True)
    agenda = ack["snapshot"]["agenda"]
    assert [i["id"] for i in agenda] == [i.id for i in items]
    assert agenda == services.agenda_payload(meeting)
