""""Duplicate as the next session": what the organisers prepared is copied, shifted to the new
date; nothing any attendee did or left is."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.factories import (
    make_meeting,
    make_question,
    make_registration,
    make_series,
    make_speaker,
    make_user,
)
from webapp.accounts.models import MeetingRole, RoleKind
from webapp.agenda import services as agenda
from webapp.agenda.models import AgendaItem, ItemKind, Speaker, SpeakerRole
from webapp.board.models import Post
from webapp.core.i18n_text import LocalizedText
from webapp.core.timeutil import local_to_utc, to_zone
from webapp.errors import Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.feedback.models import FeedbackQuestion, FeedbackResponse, FeedbackSurvey
from webapp.meetings import duplicate
from webapp.meetings.models import (
    BoardMode,
    Meeting,
    MeetingOrganisation,
    MeetingStatus,
    ModerationMode,
    OrganisationRole,
)
from webapp.polls.models import Poll, PollAnswer, PollKind, PollStatus
from webapp.qa.models import Question
from webapp.registration.models import QuestionKind, Registration, RegistrationQuestion
from webapp.reports.models import MeetingReport

ZONE = "America/Lima"


def _count(model, meeting) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.meeting_id == meeting.id))


@pytest.fixture
def eleventh(app):
    """The eleventh session, ended, with everything organisers prepare and attendees leave."""
    organiser = make_user("org@example.org")
    series = make_series(organiser, slug="cn-pe", title="Intercambio")
    tenth = make_meeting(slug="intercambio-10", session_number=10, series_id=series.id,
                         starts_at=local_to_utc(datetime(2027, 5, 29, 19, 0), ZONE),
                         status=MeetingStatus.ENDED, timezone=ZONE)
    start = local_to_utc(datetime(2027, 6, 12, 19, 0), ZONE)  # a Saturday evening in Lima
    meeting = make_meeting(
        slug="intercambio-11", session_number=11, series_id=series.id, timezone=ZONE,
        title=LocalizedText({"es": "11.º intercambio", "zh_Hans": "第11次交流会"}),
        starts_at=start, planned_end=start + timedelta(hours=2),
        latest_end=start + timedelta(hours=3, minutes=30), status=MeetingStatus.ENDED,
        partner_timezones=["Asia/Shanghai"], languages=["es", "zh_Hans"],
        default_language="es", qa_moderation=ModerationMode.POST, anonymous_questions=False,
        question_max_length=800, board_mode=BoardMode.READ_ONLY, board_slow_seconds=30,
        capacity=300, retention_days=90, stream_url="https://meet.example.org/abc",
        recording_url="https://video.example.org/11", wall_published=True,
        presenter_token_hash="a" * 64, last_seq=500)
    for role in (RoleKind.ORGANISER, RoleKind.MODERATOR, RoleKind.INTERPRETER):
        db.session.add(MeetingRole(meeting_id=meeting.id,
                                   user_id=make_user(f"{role.value}@example.org").id,
                                   role=role, created_at=start))
    db.session.add(MeetingRole(meeting_id=meeting.id, user_id=organiser.id,
                               role=RoleKind.ORGANISER, created_at=start))
    db.session.add(MeetingRole(meeting_id=meeting.id,
                               user_id=make_user("speaker@example.org").id,
                               role=RoleKind.SPEAKER, created_at=start))
    db.session.add(MeetingOrganisation(meeting_id=meeting.id, name=LocalizedText("SIRONET"),
                                       role=OrganisationRole.HOST, position=0))
    db.session.commit()
    experts = [make_speaker(meeting, name=name, affiliation=LocalizedText("Nanfang Hospital"))
               for name in ("Guo Yi", "Liu Laiyu", "Wu Yongming", "Zhou Hao")]
    chair = make_speaker(meeting, name="Moderadora")
    merino = make_speaker(meeting, name="Merino")
    agenda.add_item(organiser, meeting.id, title="Apertura", kind=ItemKind.OPENING,
                    planned_minutes=20, speaker_ids=[merino.id])
    panel = agenda.add_item(organiser, meeting.id, title="Grupo de expertos",
                            kind=ItemKind.PANEL, planned_minutes=60,
                            speakers=[(chair.id, "moderator")]
                            + [(s.id, "panellist") for s in experts])
    db.session.get(AgendaItem, panel.id).actual_start = start + timedelta(minutes=25)
    db.session.add(RegistrationQuestion(meeting_id=meeting.id, position=0,
                                        label=LocalizedText("¿Organización?"),
                                        kind=QuestionKind.TEXT, required=True))
    poll = Poll(meeting_id=meeting.id, agenda_item_id=panel.id, kind=PollKind.SINGLE,
                question=LocalizedText("¿Útil?"), options=["Sí", "No"],
                status=PollStatus.CLOSED, opened_at=start, closed_at=start, answer_count=1,
                results_rev=3)
    db.session.add(poll)
    db.session.add(FeedbackSurvey(meeting_id=meeting.id, open_early=True, closed=True))
    db.session.add(FeedbackQuestion(meeting_id=meeting.id, position=0,
                                    label=LocalizedText("¿Qué mejorar?")))
    db.session.commit()
    registration = make_registration(meeting)
    make_question(meeting, registration)
    db.session.add(Post(meeting_id=meeting.id, text="¡Gracias!"))
    db.session.add(PollAnswer(poll_id=poll.id, registration_id=registration.id,
                              value={"choice": 0}))
    db.session.add(FeedbackResponse(meeting_id=meeting.id, registration_id=registration.id,
                                    overall=5))
    db.session.add(MeetingReport(meeting_id=meeting.id))
    db.session.commit()
    return meeting, organiser, tenth


def test_everything_prepared_is_copied_and_nothing_personal(eleventh):
    meeting, organiser, _tenth = eleventh
    starts_local = datetime(2027, 6, 26, 19, 0)
    new = duplicate.duplicate(organiser, meeting.id, starts_local=starts_local)
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)

    # The meeting: a numbered draft in the same series with the same settings.
    assert (new.status, new.session_number, new.series_id) == (MeetingStatus.DRAFT, 12,
                                                               meeting.series_id)
    assert new.title.to_json_value() == {"es": "12.º intercambio", "zh_Hans": "第12次交流会"}
    assert new.slug == "intercambio-12"
    for name in ("timezone", "partner_timezones", "languages", "default_language",
                 "qa_moderation", "anonymous_questions", "question_max_length", "board_mode",
                 "board_slow_seconds", "capacity", "retention_days", "registration_mode",
                 "description", "qa_open"):
        assert getattr(new, name) == getattr(meeting, name), name
    assert (new.stream_url, new.recording_url, new.wall_published, new.presenter_token_hash,
            new.last_seq) == (None, None, False, None, 0)
    assert [(o.name, o.role) for o in new.organisations] == [("SIRONET", OrganisationRole.HOST)]

    # Dates: the chosen start; the end and latest end keep their distance from it.
    assert new.starts_at == local_to_utc(starts_local, ZONE)
    assert new.planned_end - new.starts_at == timedelta(hours=2)
    assert new.latest_end - new.starts_at == timedelta(hours=3, minutes=30)

    # Agenda: the same items, speakers with their roles in order; no recorded times.
    assert [(i.title, i.kind, i.planned_minutes, i.actual_start) for i in new.agenda_items] == [
        ("Apertura", ItemKind.OPENING, 20, None), ("Grupo de expertos", ItemKind.PANEL, 60, None)]
    panel = new.agenda_items[1]
    assert [(link.speaker.name, link.role) for link in panel.speaker_links] == [
        ("Moderadora", SpeakerRole.MODERATOR), ("Guo Yi", SpeakerRole.PANELLIST),
        ("Liu Laiyu", SpeakerRole.PANELLIST), ("Wu Yongming", SpeakerRole.PANELLIST),
        ("Zhou Hao", SpeakerRole.PANELLIST)]
    assert all(link.speaker.meeting_id == new.id for link in panel.speaker_links)
    assert _count(Speaker, new) == 6
    planned = agenda.timetable(new)
    assert [row.planned_start - new.starts_at for row in planned] == [
        timedelta(0), timedelta(minutes=20)]

    # Staff: organisers, moderators and interpreters; a speaker's account is not.
    roles = sorted((r.user.email, r.role.value) for r in db.session.scalars(
        select(MeetingRole).where(MeetingRole.meeting_id == new.id)))
    assert roles == [("interpreter@example.org", "interpreter"),
                     ("moderator@example.org", "moderator"), ("org@example.org", "organiser"),
                     ("organiser@example.org", "organiser")]

    # Registration form, polls (drafts, on the new item), survey questions.
    (question,) = db.session.scalars(select(RegistrationQuestion)
                                     .where(RegistrationQuestion.meeting_id == new.id))
    assert (question.label, question.kind, question.required) == ("¿Organización?",
                                                                  QuestionKind.TEXT, True)
    (poll,) = db.session.scalars(select(Poll).where(Poll.meeting_id == new.id))
    assert (poll.question, poll.options, poll.status, poll.agenda_item_id, poll.answer_count,
            poll.opened_at, poll.results_rev) == ("¿Útil?", ["Sí", "No"], PollStatus.DRAFT,
                                                  panel.id, 0, None, 0)
    survey = db.session.get(FeedbackSurvey, new.id)
    assert (survey.open_early, survey.closed) == (True, False)
    assert _count(FeedbackQuestion, new) == 1

    # Nothing attendees did: registrations, questions, posts, answers, responses, reports.
    for model in (Registration, Question, Post, FeedbackResponse, MeetingReport):
        assert _count(model, new) == 0, model
    assert db.session.scalar(select(func.count()).select_from(PollAnswer)
                             .where(PollAnswer.poll_id == poll.id)) == 0
    # The source is untouched.
    assert _count(Registration, meeting) == 1 and len(meeting.agenda_items) == 2


def test_suggestions_same_weekday_and_time_one_interval_later(eleventh):
    meeting, _organiser, tenth = eleventh
    # Sessions two weeks apart: the next one two weeks later, same weekday and local time.
    assert duplicate.interval(meeting) == timedelta(weeks=2)
    suggested = duplicate.suggested_start(meeting)
    assert suggested == datetime(2027, 6, 26, 19, 0)
    assert suggested.weekday() == to_zone(meeting.starts_at, ZONE).weekday()
    # Alone in its series: one year on (52 weeks: same weekday).
    tenth.series_id = None
    db.session.commit()
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert duplicate.interval(meeting) == timedelta(weeks=52)
    assert duplicate.suggested_start(meeting) == datetime(2028, 6, 10, 19, 0)
    # A title without the number stays; a taken address gets another.
    meeting.title = LocalizedText("Intercambio de ONG")
    make_meeting(slug="intercambio-12")
    assert str(duplicate.suggested_title(meeting)) == "Intercambio de ONG"
    assert duplicate.suggested_slug(meeting) == "intercambio-2"


def test_refused_to_moderators_other_organisers_and_bad_input(eleventh):
    meeting, organiser, _tenth = eleventh
    moderator = db.session.scalar(select(MeetingRole).where(
        MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.MODERATOR)).user
    starts = datetime(2027, 6, 26, 19, 0)
    with pytest.raises(Forbidden):
        duplicate.duplicate(moderator, meeting.id, starts_local=starts)
    other = make_meeting(slug="otra")
    stranger = make_user("other-org@example.org", meeting=other, role=RoleKind.ORGANISER)
    with pytest.raises(NotFound):
        duplicate.duplicate(stranger, meeting.id, starts_local=starts)
    # An organiser of the meeting who does not organise its series.
    meeting_only = db.session.scalar(select(MeetingRole).where(
        MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.ORGANISER,
        MeetingRole.user_id != organiser.id)).user
    with pytest.raises(Forbidden):
        duplicate.duplicate(meeting_only, meeting.id, starts_local=starts)
    with pytest.raises(InvalidInput):
        duplicate.duplicate(organiser, meeting.id, starts_local=datetime(2020, 1, 1, 10, 0))
    with pytest.raises(InvalidInput):
        duplicate.duplicate(organiser, meeting.id, starts_local=starts, slug="Not a slug")
    with pytest.raises(InvalidInput):
        duplicate.duplicate(stranger, other.id, starts_local=starts)  # not in a series
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 3


def test_the_staff_page_with_csrf(app, eleventh):
    meeting, _organiser, _tenth = eleventh
    client = app.test_client()
    login(client, "org@example.org")
    page = client.get(f"/organiser/meetings/{meeting.id}/next-session")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'value="2027-06-26T19:00"' in body and 'value="intercambio-12"' in body
    form = {"starts_local": "2027-06-26T19:00", "title-es": "12.º intercambio",
            "title-zh_Hans": "第12次交流会", "slug": "intercambio-12"}
    assert client.post(f"/organiser/meetings/{meeting.id}/next-session",
                       data=form).status_code == 400
    form["csrf_token"] = csrf_token_from(body)
    response = client.post(f"/organiser/meetings/{meeting.id}/next-session", data=form)
    assert response.status_code == 302
    new = db.session.scalar(select(Meeting).where(Meeting.slug == "intercambio-12"))
    assert response.headers["Location"].endswith(f"/organiser/meetings/{new.id}/details")
    assert new.status == MeetingStatus.DRAFT and len(new.agenda_items) == 2

    moderator = app.test_client()
    login(moderator, "moderator@example.org")
    assert moderator.get(
        f"/organiser/meetings/{meeting.id}/next-session").status_code == 403
