"""Organiser services without a client: meetings, series, agenda, questions, lists, CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_agenda_item, make_registration, make_speaker
from tests.support.forms import meeting_details as details
from webapp.agenda import services as agenda
from webapp.agenda.models import ItemKind, SpeakerRole
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings import services as meetings
from webapp.meetings.models import (
    BoardMode,
    MeetingStatus,
    ModerationMode,
    OrganisationRole,
    RegistrationMode,
)
from webapp.realtime.models import MeetingEvent
from webapp.registration import admin_services
from webapp.registration.export import neutralise, registrations_csv
from webapp.registration.models import (
    OrganisationType,
    QuestionKind,
    RegistrationStatus,
)

# --- meetings ------------------------------------------------------------------------------

def test_create_meeting_stores_utc_and_makes_the_creator_organiser(cast):
    meeting = meetings.create_meeting(cast.organiser_a, details())
    assert meeting.status == MeetingStatus.DRAFT
    # 10:00 in Shanghai (UTC+8) is 02:00 UTC.
    assert meeting.starts_at == datetime(2026, 12, 3, 2, 0)
    assert meeting.planned_end == datetime(2026, 12, 3, 4, 0)
    assert meeting.latest_end == datetime(2026, 12, 3, 4, 30)
    assert [(o.role, o.name) for o in meeting.organisations] == [
        (OrganisationRole.HOST, "Asociación Puente Pacífico"),
        (OrganisationRole.PARTNER, "上海社区健康促进会"),
        (OrganisationRole.PARTNER, "Red de Salud Comunitaria"),
    ]
    assert meetings.get_managed(cast.organiser_a, meeting.id, write=True) is meeting
    # Shown back as the wall-clock times that were entered.
    shown = meetings.MeetingDetails.of(meeting)
    assert shown.starts_local == datetime(2026, 12, 3, 10, 0)
    assert shown.partners == ["上海社区健康促进会", "Red de Salud Comunitaria"]


def test_lima_wall_clock_is_converted_too(cast):
    meeting = meetings.create_meeting(cast.admin, details(
        timezone="America/Lima", starts_local=datetime(2026, 12, 2, 21, 0),
        planned_end_local=datetime(2026, 12, 2, 23, 0), latest_end_local=None))
    assert meeting.starts_at == datetime(2026, 12, 3, 2, 0)


def test_only_organisers_create_meetings(cast):
    with pytest.raises(Forbidden):
        meetings.create_meeting(cast.moderator_a, details())
    with pytest.raises(Forbidden):
        meetings.create_meeting(cast.speaker_a, details())


@pytest.mark.parametrize("change, error", [
    (dict(slug="Bad Slug"), InvalidInput),
    (dict(slug="meeting-1" + "x" * 80), InvalidInput),
    (dict(timezone="Mars/Olympus"), InvalidInput),
    (dict(planned_end_local=datetime(2026, 12, 3, 9, 0)), InvalidInput),
    (dict(latest_end_local=datetime(2026, 12, 3, 11, 0)), InvalidInput),
    (dict(title="a\x00b"), InvalidInput),
    (dict(title="   "), InvalidInput),
    (dict(capacity=0), InvalidInput),
    (dict(languages=["fr"]), InvalidInput),
    (dict(recording_url="javascript:alert(1)"), InvalidInput),
    (dict(series_id=999), InvalidInput),
])
def test_bad_details_are_refused(cast, change, error):
    with pytest.raises(error):
        meetings.create_meeting(cast.admin, details(**change))


def test_slug_taken_is_a_conflict(cast):
    with pytest.raises(Conflict):
        meetings.create_meeting(cast.admin, details(slug=cast.meeting_b.slug))


def test_moderator_reads_but_cannot_change(cast):
    assert meetings.get_managed(cast.moderator_a, cast.meeting_a.id) is cast.meeting_a
    with pytest.raises(Forbidden):
        meetings.get_managed(cast.moderator_a, cast.meeting_a.id, write=True)
    with pytest.raises(Forbidden):
        meetings.update_details(cast.moderator_a, cast.meeting_a,
                                meetings.MeetingDetails.of(cast.meeting_a))


def test_staff_of_another_meeting_gets_not_found(cast):
    for user in (cast.organiser_b, cast.speaker_a):
        with pytest.raises(NotFound):
            meetings.get_managed(user, cast.meeting_a.id)
    with pytest.raises(NotFound):
        meetings.set_published(cast.organiser_b, cast.meeting_a, False)
    assert meetings.managed_meetings(cast.organiser_b) == [cast.meeting_b]
    assert set(meetings.managed_meetings(cast.admin)) == {cast.meeting_a, cast.meeting_b}


def test_more_seats_promote_the_waiting_list(cast):
    meeting = cast.meeting_a
    meeting.capacity = 1
    db.session.commit()
    make_registration(meeting, status=RegistrationStatus.CONFIRMED)
    waiting = make_registration(meeting, status=RegistrationStatus.WAITLISTED)
    values = meetings.MeetingDetails.of(meeting)
    values.capacity = 2
    meetings.update_details(cast.organiser_a, meeting, values)
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_publish_and_back_to_draft(cast):
    meeting = cast.meeting_a
    meetings.set_published(cast.organiser_a, meeting, False)
    assert meeting.status == MeetingStatus.DRAFT
    meetings.set_published(cast.organiser_a, meeting, True)
    assert meeting.status == MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.ENDED
    db.session.commit()
    with pytest.raises(Conflict):
        meetings.set_published(cast.organiser_a, meeting, False)


def test_settings_are_logged_for_live_pages(cast):
    meeting = cast.meeting_a
    meetings.update_qa_settings(cast.organiser_a, meeting, moderation=ModerationMode.POST,
                                open_=False, anonymous=False, max_length=300,
                                after_meeting=True)
    meetings.update_board_settings(cast.organiser_a, meeting, mode=BoardMode.READ_ONLY,
                                   slow_seconds=30)
    events = db.session.scalars(select(MeetingEvent).where(
        MeetingEvent.meeting_id == meeting.id).order_by(MeetingEvent.seq)).all()
    assert [e.type for e in events] == ["qa_settings_changed", "board_settings_changed"]
    assert events[0].payload == {"settings": {"moderation": "post", "open": False,
                                              "anonymous_allowed": False, "max_length": 300,
                                              "ended": False, "after_meeting_questions": True}}
    assert events[1].payload == {"mode": "read_only", "slow_seconds": 30}
    with pytest.raises(InvalidInput):
        meetings.update_board_settings(cast.organiser_a, meeting, mode=BoardMode.OPEN,
                                       slow_seconds=-1)
    with pytest.raises(Forbidden):
        meetings.update_qa_settings(cast.moderator_a, meeting, moderation=ModerationMode.PRE,
                                    open_=True, anonymous=True, max_length=500)


def test_series_create_and_edit(cast):
    series = meetings.create_series(cast.organiser_a, slug="ngo-exchange",
                                    title="Intercambio · 交流")
    with pytest.raises(Conflict):
        meetings.create_series(cast.admin, slug="ngo-exchange", title="Again")
    meetings.update_series(cast.organiser_a, series, slug="ngo-exchange-2", title="Nuevo")
    assert (series.slug, series.title) == ("ngo-exchange-2", "Nuevo")
    with pytest.raises(Forbidden):  # organising another meeting gives no right to the series
        meetings.update_series(cast.organiser_b, series, slug="taken", title="Taken")
    with pytest.raises(Forbidden):
        meetings.create_series(cast.moderator_a, slug="x", title="x")
    meeting = meetings.create_meeting(cast.admin, details(series_id=series.id,
                                                          session_number=12))
    assert meeting.series is series and meeting.session_number == 12


# --- agenda --------------------------------------------------------------------------------

def test_agenda_items_with_ordered_speakers(cast):
    meeting = cast.meeting_a
    chen = agenda.add_speaker(cast.organiser_a, meeting.id, name="陈晓北",
                              title="主任医师", affiliation="上海某医院")
    rosa = agenda.add_speaker(cast.organiser_a, meeting.id, name="Rosa Quispe Mamani")
    item = agenda.add_item(cast.organiser_a, meeting.id, title="Mesa redonda",
                           kind=ItemKind.PANEL, planned_minutes=40,
                           speaker_ids=[rosa.id, chen.id])
    assert [s.name for s in item.speakers] == ["Rosa Quispe Mamani", "陈晓北"]
    agenda.update_item(cast.organiser_a, item, title="Mesa redonda", kind=ItemKind.PANEL,
                       planned_minutes=45, speaker_ids=[chen.id, rosa.id])
    assert [s.name for s in item.speakers] == ["陈晓北", "Rosa Quispe Mamani"]
    assert item.planned_minutes == 45


def test_panel_of_experts_with_roles_in_order(cast):
    """The expert group of four and its moderator on one item, each with a role."""
    meeting = cast.meeting_a
    names = ["Guo Yi", "Liu Laiyu", "Wu Yongming", "Zhou Hao", "Moderadora"]
    people = {name: agenda.add_speaker(cast.organiser_a, meeting.id, name=name,
                                       affiliation="Nanfang Hospital") for name in names}
    chosen = [(people["Moderadora"].id, SpeakerRole.MODERATOR)] + [
        (people[name].id, "panellist") for name in names[:4]]
    item = agenda.add_item(cast.organiser_a, meeting.id, title="Grupo de expertos",
                           kind=ItemKind.PANEL, planned_minutes=60, speakers=chosen)
    assert [(link.speaker.name, link.role, link.position) for link in item.speaker_links] == [
        ("Moderadora", SpeakerRole.MODERATOR, 0), ("Guo Yi", SpeakerRole.PANELLIST, 1),
        ("Liu Laiyu", SpeakerRole.PANELLIST, 2), ("Wu Yongming", SpeakerRole.PANELLIST, 3),
        ("Zhou Hao", SpeakerRole.PANELLIST, 4)]
    assert [s.name for s in item.speakers] == ["Moderadora", *names[:4]]
    payload = next(row for row in agenda.agenda_payload(meeting) if row["id"] == item.id)
    assert [(s["name"], s["role"]) for s in payload["speakers"]][:2] == [
        ("Moderadora", "moderator"), ("Guo Yi", "panellist")]

    # Reordered and one removed: the kept links move, the removed one is gone.
    agenda.update_item(cast.organiser_a, item, title="Grupo de expertos", kind=ItemKind.PANEL,
                       planned_minutes=60, speakers=[
                           (people["Zhou Hao"].id, "panellist"),
                           (people["Moderadora"].id, "moderator"),
                           (people["Guo Yi"].id, "speaker")])
    db.session.expire_all()
    assert [(link.speaker.name, link.role.value, link.position)
            for link in item.speaker_links] == [
        ("Zhou Hao", "panellist", 0), ("Moderadora", "moderator", 1), ("Guo Yi", "speaker", 2)]


def test_speakers_per_item_refused(cast):
    meeting = cast.meeting_a
    guo = make_speaker(meeting, name="Guo Yi")
    with pytest.raises(InvalidInput, match="only once"):
        agenda.add_item(cast.organiser_a, meeting.id, title="X",
                        speakers=[(guo.id, "panellist"), (guo.id, "moderator")])
    foreign = make_speaker(cast.meeting_b, name="Otro")
    with pytest.raises(InvalidInput, match="this meeting"):
        agenda.add_item(cast.organiser_a, meeting.id, title="X",
                        speakers=[(guo.id, "panellist"), (foreign.id, "panellist")])
    with pytest.raises(InvalidInput):
        agenda.add_item(cast.organiser_a, meeting.id, title="X", speakers=[(guo.id, "chair")])
    many = [make_speaker(meeting, name=f"Speaker {n}") for n in range(31)]
    with pytest.raises(InvalidInput, match="At most 30"):
        agenda.add_item(cast.organiser_a, meeting.id, title="X",
                        speakers=[(s.id, "speaker") for s in many])
    item = agenda.add_item(cast.organiser_a, meeting.id, title="Thirty",
                           speakers=[(s.id, "speaker") for s in many[:30]])
    assert len(item.speaker_links) == 30
    db.session.refresh(meeting)
    assert [i.title for i in meeting.agenda_items] == ["Thirty"]


def test_reorder_and_delete_keep_positions_dense(cast):
    meeting = cast.meeting_a
    first = agenda.add_item(cast.organiser_a, meeting.id, title="Apertura")
    second = agenda.add_item(cast.organiser_a, meeting.id, title="Ponencia")
    third = agenda.add_item(cast.organiser_a, meeting.id, title="Cierre")
    agenda.move_item(cast.organiser_a, third, -1)
    db.session.refresh(meeting)
    assert [i.title for i in meeting.agenda_items] == ["Apertura", "Cierre", "Ponencia"]
    agenda.move_item(cast.organiser_a, first, -1)  # already first: nothing moves
    agenda.delete_item(cast.organiser_a, first)
    db.session.refresh(meeting)
    assert [(i.position, i.title) for i in meeting.agenda_items] == [(0, "Cierre"),
                                                                     (1, "Ponencia")]
    schedule = agenda.timetable(meeting)
    assert schedule[0].planned_start == meeting.starts_at
    assert second.position == 1


def test_agenda_refuses_other_meetings_speakers_and_staff(cast):
    foreign = make_speaker(cast.meeting_b, name="Otro")
    with pytest.raises(InvalidInput):
        agenda.add_item(cast.organiser_a, cast.meeting_a.id, title="X",
                        speaker_ids=[foreign.id])
    item = make_agenda_item(cast.meeting_a)
    with pytest.raises(NotFound):
        agenda.get_item(cast.organiser_b, cast.meeting_a.id, item.id)
    with pytest.raises(NotFound):
        agenda.get_item(cast.organiser_b, cast.meeting_b.id, item.id)
    with pytest.raises(Forbidden):
        agenda.update_item(cast.moderator_a, item, title="Nope")
    with pytest.raises(InvalidInput):
        agenda.add_item(cast.organiser_a, cast.meeting_a.id, title="X", planned_minutes=-5)


# --- registration questions and list ------------------------------------------------------

def test_custom_questions_editor(cast):
    mid = cast.meeting_a.id
    q1 = admin_services.add_question(cast.organiser_a, mid, label="¿Necesita interpretación?",
                                     kind=QuestionKind.CHECKBOX)
    q2 = admin_services.add_question(cast.organiser_a, mid, label="您的专业领域",
                                     kind=QuestionKind.CHOICE, required=True,
                                     choices=["公共卫生", "Salud mental", "  "])
    assert q2.choices == ["公共卫生", "Salud mental"]
    with pytest.raises(InvalidInput):
        admin_services.add_question(cast.organiser_a, mid, label="x", kind=QuestionKind.CHOICE,
                                    choices=["only one"])
    admin_services.move_question(cast.organiser_a, q2, -1)
    assert (q2.position, q1.position) == (0, 1)
    admin_services.delete_question(cast.organiser_a, q2)
    assert q1.position == 0
    with pytest.raises(Forbidden):
        admin_services.add_question(cast.moderator_a, mid, label="x")
    with pytest.raises(NotFound):
        admin_services.get_question(cast.organiser_b, cast.meeting_b.id, q1.id)


def test_list_filters_sorts_and_pages(cast):
    meeting = cast.meeting_a
    make_registration(meeting, name="Zhang Wei 张伟", country="CN", language="zh_Hans",
                      organisation_type=OrganisationType.HEALTH, organisation="上海医院")
    make_registration(meeting, name="María Quispe", country="PE", language="es",
                      organisation_type=OrganisationType.NGO,
                      status=RegistrationStatus.WAITLISTED)
    joined = make_registration(meeting, name="Ana 100%_real", country="PE",
                               first_joined_at=datetime(2026, 12, 3, 2, 5))
    make_registration(cast.meeting_b, name="Elsewhere")
    wanted = admin_services.RegistrationFilter
    assert admin_services.list_registrations(cast.organiser_a, meeting.id, wanted()).total == 3
    page = admin_services.list_registrations(cast.moderator_a, meeting.id,
                                             wanted(search="张伟"))
    assert [r.name for r in page.rows] == ["Zhang Wei 张伟"]
    page = admin_services.list_registrations(cast.organiser_a, meeting.id,
                                             wanted(search="100%_"))
    assert [r.name for r in page.rows] == ["Ana 100%_real"]
    page = admin_services.list_registrations(cast.organiser_a, meeting.id,
                                             wanted(country="pe", sort="name"))
    assert [r.name for r in page.rows] == ["Ana 100%_real", "María Quispe"]
    page = admin_services.list_registrations(cast.organiser_a, meeting.id,
                                             wanted(status="waitlisted"))
    assert [r.name for r in page.rows] == ["María Quispe"]
    page = admin_services.list_registrations(cast.organiser_a, meeting.id, wanted(joined="yes"))
    assert page.rows == [joined]
    page = admin_services.list_registrations(
        cast.organiser_a, meeting.id, wanted(sort="name", descending=True, page=2),
        page_size=2)
    assert (page.page, page.pages, [r.name for r in page.rows]) == (2, 2, ["Ana 100%_real"])
    # Nonsense filter values are ignored rather than failing.
    page = admin_services.list_registrations(cast.organiser_a, meeting.id, wanted(
        status="'; DROP TABLE registrations; --", sort="password", page=-3))
    assert page.total == 3
    with pytest.raises(NotFound):
        admin_services.list_registrations(cast.organiser_b, meeting.id, wanted())


def test_figures_count_types_countries_and_attendance(cast):
    meeting = cast.meeting_a
    now = datetime(2026, 11, 20, 10, 0)
    for n, (country, kind) in enumerate([("CN", OrganisationType.HEALTH),
                                         ("CN", OrganisationType.GOVERNMENT),
                                         ("PE", OrganisationType.HEALTH)]):
        make_registration(meeting, country=country, organisation_type=kind,
                          created_at=now + timedelta(days=n * 2),
                          first_joined_at=now if n == 0 else None)
    make_registration(meeting, country="PE", status=RegistrationStatus.CANCELLED,
                      created_at=now + timedelta(days=4))
    figures = admin_services.figures(cast.moderator_a, meeting.id)
    assert figures.by_country == [("CN", 2), ("PE", 1)]
    assert figures.by_organisation_type == [("health", 2), ("government", 1)]
    assert figures.joined == 1 and figures.confirmed == 3
    assert figures.attendees_by_country == [("CN", 1)]
    assert figures.per_day[0] == ("2026-11-20", 1)
    assert figures.per_day[-1] == ("2026-11-24", 4)
    assert len(figures.per_day) == 5
    assert admin_services.attendance(cast.organiser_a, meeting.id)[0].country == "CN"


def test_csv_has_bom_names_answers_and_no_formulas(cast):
    meeting = cast.meeting_a
    question = admin_services.add_question(cast.organiser_a, meeting.id, label="=Interés",
                                           kind=QuestionKind.CHOICE,
                                           choices=["Salud", "卫生"])
    make_registration(meeting, name="张伟", organisation="上海医院",
                      answers={str(question.id): "卫生"})
    make_registration(meeting, name="=HYPERLINK(\"http://x\")", organisation="+51 Perú",
                      position="-1", email="@evil@example.org")
    rows = admin_services.all_registrations(cast.organiser_a, meeting.id)
    data = registrations_csv(rows, [question])
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][-1] == "'=Interés"
    assert table[1][1] == "张伟" and table[1][-1] == "卫生"
    assert table[2][1] == "'=HYPERLINK(\"http://x\")"
    assert table[2][3] == "'+51 Perú" and table[2][6] == "'-1"
    assert table[2][2] == "'@evil@example.org"
    assert neutralise("María") == "María" and neutralise(None) == ""
    with pytest.raises(Forbidden):
        admin_services.all_registrations(cast.moderator_a, meeting.id)


def test_csv_gives_readable_labels_beside_codes(cast):
    meeting = cast.meeting_a
    make_registration(meeting, name="张伟", country="CN", organisation_type=OrganisationType.HEALTH,
                      status=RegistrationStatus.WAITLISTED)
    rows = admin_services.all_registrations(cast.organiser_a, meeting.id)
    table = list(csv.reader(io.StringIO(
        registrations_csv(rows, language="zh_Hans").decode("utf-8-sig"))))
    assert table[0][:12] == ["ID", "Name", "E-mail", "Organisation", "Organisation type code",
                             "Organisation type", "Position", "Country code", "Country",
                             "Language", "Status code", "Status"]
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["Organisation type code"], row["Organisation type"]) == (
        "health", "Hospital or health service")
    assert (row["Country code"], row["Country"]) == ("CN", "中国")
    assert (row["Status code"], row["Status"]) == ("waitlisted", "On the waiting list")


def test_registration_of_another_meeting_is_not_found(cast):
    theirs = make_registration(cast.meeting_b)
    with pytest.raises(NotFound):
        admin_services.get_registration(cast.organiser_a, cast.meeting_a.id, theirs.id)
    assert admin_services.registrations_by_ids(cast.organiser_a, cast.meeting_a.id,
                                               [theirs.id]) == []


def test_registration_mode_round_trips(cast):
    values = meetings.MeetingDetails.of(cast.meeting_a)
    values.registration_mode = RegistrationMode.APPROVAL
    values.capacity = None
    meetings.update_details(cast.admin, cast.meeting_a, values)
    assert cast.meeting_a.registration_mode == RegistrationMode.APPROVAL
    assert cast.meeting_a.capacity is None
