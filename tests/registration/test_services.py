"""Registration services against a real database, no HTTP client."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from tests.factories import make_meeting, make_registration, make_user, run_by_series
from tests.support.mailbox import mails_to, outbox, token_in
from tests.support.people import person
from webapp.accounts.models import RoleKind
from webapp.core.timeutil import utcnow
from webapp.core.tokens import digest
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.mail import run_pending
from webapp.meetings.models import MeetingStatus, RegistrationMode, Series
from webapp.registration import services
from webapp.registration.models import (
    OrganisationType,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)


def statuses(meeting_id: int) -> dict:
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.meeting_id == meeting_id)
        .group_by(Registration.status)).all()
    return {status.value: count for status, count in rows}


# --- sign-up -------------------------------------------------------------------------------

def test_register_confirms_while_seats_last_then_waitlists(app, meeting):
    first = services.register(meeting, person(), viewer_timezone="America/Lima")
    second = services.register(meeting, person())
    third = services.register(meeting, person())
    assert [o.status for o in (first, second, third)] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    assert all(o.created for o in (first, second, third))
    assert first.registration.timezone == "America/Lima"
    assert first.registration.consent_at is not None
    assert services.seats_left(meeting) == 0
    assert services.waitlist_position(third.registration) == 1
    assert services.registration_state(meeting).mode == "waitlist"


def test_register_stores_text_exactly_and_the_email_lower_case(app, meeting):
    data = person(name="  陈晓北 Chen  ", email="Chen.XB@Example.ORG", position="",
                  organisation="Hospital «Central»")
    registration = services.register(meeting, data).registration
    db.session.expire_all()
    assert registration.name == "  陈晓北 Chen  "
    assert registration.email == "chen.xb@example.org"
    assert registration.organisation == "Hospital «Central»"
    assert registration.organisation_type == OrganisationType.NGO
    assert registration.join_token_hash and len(registration.join_token_hash) == 64


def test_approval_mode_gives_pending_and_approve_confirms(app, meeting):
    meeting.registration_mode = RegistrationMode.APPROVAL
    db.session.commit()
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    outcome = services.register(meeting, person())
    assert outcome.status == RegistrationStatus.PENDING
    services.approve(organiser, outcome.registration)
    assert outcome.registration.status == RegistrationStatus.CONFIRMED
    subjects = [m["Subject"] for m in mails_to(app, outcome.registration.email)]
    assert any("waiting for approval" in s for s in subjects)
    assert any("approved" in s for s in subjects)


def test_approve_when_full_puts_on_the_waiting_list(app):
    meeting = make_meeting(capacity=1, registration_mode=RegistrationMode.APPROVAL)
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    make_registration(meeting)
    pending = services.register(meeting, person()).registration
    services.approve(organiser, pending)
    assert pending.status == RegistrationStatus.WAITLISTED


def test_reject_frees_the_seat_and_promotes(app, meeting, organiser):
    a = services.register(meeting, person()).registration
    services.register(meeting, person())
    waiting = services.register(meeting, person()).registration
    services.reject(organiser, a)
    assert a.status == RegistrationStatus.REJECTED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert any("not accepted" in m["Subject"] for m in mails_to(app, a.email))
    with pytest.raises(Conflict):
        services.reject(organiser, a)


@pytest.mark.parametrize("state", [{"registration_mode": RegistrationMode.CLOSED},
                                   {"status": MeetingStatus.DRAFT},
                                   {"status": MeetingStatus.ENDED}])
def test_closed_and_draft_meetings_refuse_sign_ups(app, state):
    meeting = make_meeting(**state)
    with pytest.raises(Closed):
        services.register(meeting, person())
    assert db.session.scalar(select(func.count(Registration.id))) == 0


@pytest.mark.parametrize("field, value", [
    ("name", ""), ("name", "   "), ("name", "a\x00b"), ("name", "x" * 201),
    ("name", "two\nlines"), ("email", "not-an-email"), ("email", "a@b"),
    ("organisation_type", "alien"), ("country", "ZZ"), ("country", ""), ("language", "fr"),
    ("consent", False), ("position", "\x1b[31m"), ("organisation", "y" * 301),
])
def test_bad_input_is_refused_with_the_field_named(app, meeting, field, value):
    with pytest.raises(InvalidInput) as caught:
        services.register(meeting, person(**{field: value}))
    assert caught.value.details["field"] == field
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_custom_questions_are_checked_and_unknown_answers_dropped(app, meeting):
    text = RegistrationQuestion(meeting_id=meeting.id, label="Dietary needs?",
                                kind=QuestionKind.TEXT, required=True, position=0)
    choice = RegistrationQuestion(meeting_id=meeting.id, label="Session language",
                                  kind=QuestionKind.CHOICE, choices=["中文", "Español"],
                                  position=1)
    box = RegistrationQuestion(meeting_id=meeting.id, label="Photos ok", required=True,
                               kind=QuestionKind.CHECKBOX, position=2)
    db.session.add_all([text, choice, box])
    db.session.commit()
    with pytest.raises(InvalidInput) as caught:
        services.register(meeting, person(answers={str(choice.id): "中文", str(box.id): True}))
    assert caught.value.details["field"] == f"q_{text.id}"
    with pytest.raises(InvalidInput):
        services.register(meeting, person(answers={str(text.id): "no", str(box.id): True,
                                                   str(choice.id): "Klingon"}))
    with pytest.raises(InvalidInput):
        services.register(meeting, person(answers={str(text.id): "no"}))
    registration = services.register(meeting, person(answers={
        str(text.id): "vegetarian ", str(choice.id): "中文", str(box.id): True,
        "9999": "ignored", "status": "confirmed"})).registration
    assert registration.answers == {str(text.id): "vegetarian ", str(choice.id): "中文",
                                    str(box.id): True}


# --- no enumeration ------------------------------------------------------------------------

def test_known_email_changes_nothing_and_mails_the_link(app, meeting):
    first = services.register(meeting, person(email="ana@example.org", name="Ana"))
    old_hash = first.registration.join_token_hash
    again = services.register(meeting, person(email="ANA@example.org", name="Impostor",
                                              organisation="Evil Corp"))
    assert again.created is False
    assert again.registration.id == first.registration.id
    assert again.registration.name == "Ana"
    assert again.registration.join_token_hash == old_hash  # the link Ana has keeps working
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    latest = [m for m in mails_to(app, "ana@example.org") if "personal link" in m["Subject"]]
    assert len(latest) == 1
    token = token_in(latest[0])
    assert services.by_token(meeting, token).id == first.registration.id


def test_cancelled_person_can_register_again(app, meeting):
    registration = services.register(meeting, person(email="back@example.org")).registration
    services.cancel(registration)
    again = services.register(meeting, person(email="back@example.org", name="Back again"))
    assert again.registration.id == registration.id
    assert again.status == RegistrationStatus.CONFIRMED
    assert again.registration.name == "Back again"


def test_resend_link_mails_registered_addresses_only(app, meeting):
    registration = services.register(meeting, person(email="luis@example.org")).registration
    before = len(outbox(app))
    assert services.resend_link(meeting, "nobody@example.org") is None
    assert len(outbox(app)) == before
    db.session.commit()
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert services.resend_link(meeting, "Luis@Example.org") is None
    (mail,) = [m for m in mails_to(app, "luis@example.org") if "personal link" in m["Subject"]]
    assert services.by_token(meeting, token_in(mail)).id == registration.id
    for odd in ("", "\x00", "a" * 10_000, None):
        services.resend_link(meeting, odd)


# --- cancellation and the waiting list -----------------------------------------------------

def test_cancel_promotes_the_next_waitlisted_person_and_mails_them(app, meeting):
    a = services.register(meeting, person()).registration
    services.register(meeting, person())
    w1 = services.register(meeting, person()).registration
    w2 = services.register(meeting, person()).registration
    services.cancel(a)
    assert a.status == RegistrationStatus.CANCELLED
    assert w1.status == RegistrationStatus.CONFIRMED
    assert w2.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(w2) == 1
    promoted = [m for m in mails_to(app, w1.email) if "seat is free" in m["Subject"]]
    assert len(promoted) == 1
    assert services.by_token(meeting, token_in(promoted[0])).id == w1.id
    assert any("cancelled" in m["Subject"] for m in mails_to(app, a.email))
    services.cancel(a)  # twice is harmless and sends nothing more
    assert len([m for m in mails_to(app, a.email) if "cancelled" in m["Subject"]]) == 1


def test_cancelling_a_waitlisted_person_promotes_nobody(app, meeting):
    services.register(meeting, person())
    services.register(meeting, person())
    w1 = services.register(meeting, person()).registration
    w2 = services.register(meeting, person()).registration
    services.cancel(w1)
    assert w2.status == RegistrationStatus.WAITLISTED


def test_capacity_increase_promotes_in_order(app, meeting):
    for _ in range(2):
        services.register(meeting, person())
    waiting = [services.register(meeting, person()).registration for _ in range(3)]
    meeting.capacity = 4
    db.session.commit()
    promoted = services.capacity_changed(meeting)
    assert [r.id for r in promoted] == [waiting[0].id, waiting[1].id]
    assert waiting[2].status == RegistrationStatus.WAITLISTED
    meeting.capacity = None
    db.session.commit()
    assert [r.id for r in services.capacity_changed(meeting)] == [waiting[2].id]


def test_manual_promotion_goes_beyond_capacity(app, meeting, organiser):
    for _ in range(2):
        services.register(meeting, person())
    waiting = services.register(meeting, person()).registration
    services.promote(organiser, waiting)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert statuses(meeting.id) == {"confirmed": 3}
    with pytest.raises(Conflict):
        services.promote(organiser, waiting)


def test_organiser_actions_need_the_organiser_role_of_that_meeting(app, meeting, moderator):
    registration = services.register(meeting, person()).registration
    other_meeting = make_meeting()
    other_organiser = make_user(meeting=other_meeting, role=RoleKind.ORGANISER)
    for actor in (None, moderator, other_organiser):
        for action in (services.approve, services.reject, services.promote,
                       services.reissue_link, services.revoke_link, services.export_person):
            with pytest.raises(Forbidden):
                action(actor, registration)
        with pytest.raises(Forbidden):
            services.cancel(registration, actor=actor) if actor else services.erase(
                registration, actor=other_organiser)
    assert registration.status == RegistrationStatus.CONFIRMED
    admin = make_user(admin=True)
    services.cancel(registration, actor=admin)
    assert registration.status == RegistrationStatus.CANCELLED


# --- links ---------------------------------------------------------------------------------

def test_tokens_are_long_random_and_stored_hashed(app, meeting, organiser):
    registration = services.register(meeting, person()).registration
    token = services.reissue_link(organiser, registration)
    assert len(token) >= 32  # 192 bits in URL-safe base64
    assert registration.join_token_hash == digest(token)
    assert token not in str(db.session.execute(select(Registration.__table__)).all())
    assert services.by_token(meeting, token).id == registration.id
    with pytest.raises(NotFound):
        services.by_token(make_meeting(), token)  # a link works only for its own meeting
    services.revoke_link(organiser, registration)
    with pytest.raises(NotFound):
        services.by_token(meeting, token)


@pytest.mark.parametrize("odd", ["", "x", "a" * 500, "\x00"])
def test_malformed_tokens_find_nobody(app, meeting, organiser, odd):
    services.reissue_link(organiser, services.register(meeting, person()).registration)
    with pytest.raises(NotFound):
        services.by_token(meeting, odd)


def test_record_join_only_for_confirmed_unbanned(app, meeting):
    registration = services.register(meeting, person()).registration
    services.record_join(registration)
    first = registration.first_joined_at
    assert first is not None and registration.last_seen_at >= first
    services.record_join(registration)
    assert registration.first_joined_at == first
    registration.banned = True
    db.session.commit()
    with pytest.raises(Forbidden):
        services.record_join(registration)


def test_register_for_the_next_session_of_the_series(app):
    series = Series(slug="exchange", title="Exchange")
    db.session.add(series)
    db.session.commit()
    past = make_meeting(series_id=series.id, session_number=1, status=MeetingStatus.ENDED,
                        starts_at=utcnow() - timedelta(days=30))
    nxt = make_meeting(series_id=series.id, session_number=2)
    later = make_meeting(series_id=series.id, session_number=3,
                         starts_at=utcnow() + timedelta(days=60))
    run_by_series(series, nxt, later)
    attendee = make_registration(past, name="Rosa", email="rosa@example.org",
                                 organisation_type=OrganisationType.PARLIAMENT)
    assert services.next_session(past).id == nxt.id
    outcome = services.register_for_next(attendee, nxt)
    assert outcome.created and outcome.status == RegistrationStatus.CONFIRMED
    copy = outcome.registration
    assert (copy.name, copy.email, copy.organisation_type, copy.meeting_id) == (
        "Rosa", "rosa@example.org", OrganisationType.PARLIAMENT, nxt.id)
    with pytest.raises(NotFound):
        services.register_for_next(attendee, make_meeting())  # not in the series
    with pytest.raises(NotFound):
        services.register_for_next(attendee, later)  # in the series, but not the one offered


# --- privacy -------------------------------------------------------------------------------

def test_erase_withdraws_anonymises_and_promotes(app, meeting):
    a = services.register(meeting, person(name="Erase Me", country="CN",
                                          organisation_type="health")).registration
    services.register(meeting, person())
    waiting = services.register(meeting, person()).registration
    services.erase(a)
    db.session.expire_all()
    assert a.status == RegistrationStatus.CANCELLED
    assert (a.name, a.organisation, a.position, a.answers, a.timezone) == ("", "", "", {}, None)
    assert "@" in a.email and "example.org" not in a.email
    assert a.join_token_hash is None and a.anonymised_at is not None
    assert (a.country, a.organisation_type) == ("CN", OrganisationType.HEALTH)
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_export_person_contains_their_data(app, meeting, organiser):
    question = RegistrationQuestion(meeting_id=meeting.id, label="Why?", kind=QuestionKind.TEXT)
    db.session.add(question)
    db.session.commit()
    registration = services.register(meeting, person(
        name="Export Me", answers={str(question.id): "Curiosity"})).registration
    data = services.export_person(organiser, registration)
    assert data["name"] == "Export Me" and data["email"] == registration.email
    assert data["answers"] == [{"question": "Why?", "answer": "Curiosity"}]
    assert data["status"] == "confirmed" and data["meeting"]["slug"] == meeting.slug
    assert data["questions"] == [] and data["posts"] == []


def test_purge_anonymises_only_meetings_past_retention(app):
    now = utcnow()
    old = make_meeting(starts_at=now - timedelta(days=40), status=MeetingStatus.ENDED,
                       retention_days=30)
    recent = make_meeting(starts_at=now - timedelta(days=10), status=MeetingStatus.ENDED,
                          retention_days=30)
    for _ in range(3):
        make_registration(old, organisation_type=OrganisationType.MEDIA, country="PE")
    make_registration(recent)
    assert services.purge_expired(now) == 3
    assert services.purge_expired(now) == 0  # safe to run again from cron
    rows = db.session.scalars(select(Registration).where(Registration.meeting_id == old.id))
    for row in rows:
        assert row.anonymised_at is not None and row.name == ""
        assert (row.country, row.organisation_type) == ("PE", OrganisationType.MEDIA)
    assert db.session.scalar(select(Registration.anonymised_at).where(
        Registration.meeting_id == recent.id)) is None
    assert services.purge_expired(now + timedelta(days=30)) == 1


# --- e-mails through a real SMTP server ----------------------------------------------------

def test_confirmation_mail_through_smtp_with_ics_in_the_meeting_zone(app, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    meeting = make_meeting(capacity=1, title="Intercambio · 交流会", timezone="Asia/Shanghai")
    outcome = services.register(meeting, person(email="zh@example.org", language="zh_Hans",
                                                name="陈晓北"),
                                viewer_timezone="America/Lima")
    run_pending()  # the mail worker's pass
    (received,) = smtp_server.wait_for(1)
    message = received["message"]
    assert received["to"] == ["zh@example.org"]
    assert "交流会" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "陈晓北" in text and "陈晓北" in html
    token = token_in(message)
    assert f"/m/{meeting.slug}/join/{token}/cancel" in text
    assert services.by_token(meeting, token).id == outcome.registration.id
    assert "Lima" in text or "利马" in text  # the attendee's own clock as well
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    start = event.decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=8)
    assert start.replace(tzinfo=None) - timedelta(hours=8) == meeting.starts_at
    assert token in str(event["url"])


@pytest.mark.parametrize("language, words", [
    ("es", "Su inscripción"), ("zh_Hans", "报名"), ("en", "registration")])
def test_every_status_change_is_mailed_in_the_attendees_language(app, smtp_server, language,
                                                                  words):
    app.config["SMTP_URL"] = smtp_server.url
    meeting = make_meeting(capacity=1, registration_mode=RegistrationMode.APPROVAL)
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    first = services.register(meeting, person(language=language)).registration  # pending
    services.approve(organiser, first)                                           # approved
    second = services.register(meeting, person(language=language)).registration  # pending
    services.approve(organiser, second)                                          # waitlisted
    services.cancel(first)                                     # cancelled + promoted
    third = services.register(meeting, person(language=language)).registration
    services.reject(organiser, third)                                            # rejected
    run_pending()  # the mail worker's pass
    messages = smtp_server.wait_for(8)
    assert len(messages) == 8
    for received in messages:
        message = received["message"]
        body = message.get_body(("plain",)).get_content()
        assert message.get_body(("html",)) is not None
        assert words.lower() in (body + message["Subject"]).lower(), body


def test_one_address_form_for_registrations_and_staff_accounts(app):
    """Staff accounts and registrations normalise an address the same way (one function): an
    address typed with spaces around it finds the same registration."""
    from webapp.accounts import services as account_services

    meeting = make_meeting()
    registration = make_registration(meeting, email="ana@example.org")
    assert services.registered_in(meeting, "  Ana@Example.org ") == registration
    assert account_services.normalise_email is services.normalise_email
