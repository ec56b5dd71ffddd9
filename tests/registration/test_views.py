"""Attendee pages through the Flask test client."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from tests.factories import make_meeting, make_registration, run_by_series
from tests.support.forms import registration_form as form
from tests.support.html import parse
from tests.support.mailbox import mails_to, outbox, token_in
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings.models import MeetingStatus, RegistrationMode, Series
from webapp.registration import services
from webapp.registration.models import (
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)

CSRF_VALUES = re.compile(r'(name="csrf[-_]token"[^>]*(?:value|content)=")[^"]+"')


def without_csrf(html: str) -> str:
    return CSRF_VALUES.sub(r'\1-"', html)


def count() -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def issue_token(registration: Registration) -> str:
    token = services._rotate(registration)
    db.session.commit()
    return token


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=2, slug="exchange-11", title="Intercambio 11")


# --- meeting page --------------------------------------------------------------------------

def test_meeting_page_shows_the_form_seats_and_calendar_links(client, meeting):
    body = client.get("/m/exchange-11").get_data(as_text=True)
    page = parse(body)
    register = page.one("form.registration-form")
    assert register.attr("action") == "/m/exchange-11/register#register"
    assert register.attr("method") == "post"
    assert "2 seats left" in body and "Registration is open." in body
    for name in ("name", "email", "organisation", "organisation_type", "position", "country",
                 "language", "consent"):
        register.one(f"[name={name}]")
    assert page.one("a[download]").attr("href") == "/m/exchange-11/calendar.ics"
    assert "Privacy notice" in body and "180 days after the meeting" in body
    assert page.one("form select#timezone-select").attr("name") == "timezone"


def test_full_meeting_offers_the_waiting_list(client, meeting):
    make_registration(meeting)
    make_registration(meeting)
    body = client.get("/m/exchange-11").get_data(as_text=True)
    assert "0 seats left" in body and "Join the waiting list" in body


@pytest.mark.parametrize("changes, wording, has_form", [
    ({"registration_mode": RegistrationMode.APPROVAL}, "organisers confirm each registration",
     True),
    ({"registration_mode": RegistrationMode.CLOSED}, "Registration is closed.", False),
    ({"status": MeetingStatus.ENDED}, "registration is closed", False),
])
def test_registration_states(client, meeting, changes, wording, has_form):
    for key, value in changes.items():
        setattr(meeting, key, value)
    db.session.commit()
    body = client.get("/m/exchange-11").get_data(as_text=True)
    assert wording in body
    assert ("form.registration-form input[name=consent]" in parse(body)) is has_form


def test_ended_meeting_shows_the_recording(client, meeting):
    meeting.status = MeetingStatus.ENDED
    meeting.recording_url = "https://video.example.org/11"
    db.session.commit()
    link = parse(client.get("/m/exchange-11").data).one(".after-meeting a.button")
    assert link.attr("href") == "/m/exchange-11/recording"  # counted, then redirected
    assert link.text == "Watch the recording"


def test_custom_questions_appear_and_are_required(client, csrf, meeting):
    question = RegistrationQuestion(meeting_id=meeting.id, label="¿Idioma de la sesión?",
                                    kind=QuestionKind.CHOICE, choices=["中文", "Español"],
                                    required=True)
    box = RegistrationQuestion(meeting_id=meeting.id, label="Photos are fine",
                               kind=QuestionKind.CHECKBOX)
    db.session.add_all([question, box])
    db.session.commit()
    register = parse(client.get("/m/exchange-11").data).one("form.registration-form")
    choice = register.one(f"[name=q_{question.id}]")
    assert register.one(f"label[for={choice.attr('id')}]").text == "¿Idioma de la sesión?"
    response = client.post("/m/exchange-11/register", data=form(csrf))
    assert response.status_code == 422
    failed = parse(response.data).one(f"#q_{question.id}-error").parent
    assert failed.one(f"[name=q_{question.id}]").attr("aria-invalid") == "true"
    response = client.post("/m/exchange-11/register", data=form(
        csrf, **{f"q_{question.id}": "中文", f"q_{box.id}": "y"}))
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.answers == {str(question.id): "中文", str(box.id): True}


# --- registering ---------------------------------------------------------------------------

def test_register_redirects_to_check_your_email(app, client, csrf, meeting):
    response = client.post("/m/exchange-11/register", data=form(csrf))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/m/exchange-11/registered")
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.name == "Lucía Huamán" and registration.language == "es"
    (mail,) = mails_to(app, "lucia@example.org")
    assert "Intercambio 11" in mail["Subject"]


def test_known_email_gets_the_same_page(app, client, csrf, meeting):
    first = client.post("/m/exchange-11/register", data=form(csrf), follow_redirects=True)
    again = client.post("/m/exchange-11/register", follow_redirects=True, data=form(
        csrf, name="Someone Else", email="LUCIA@example.org"))
    fresh = client.post("/m/exchange-11/register", follow_redirects=True, data=form(
        csrf, email="nueva@example.org"))
    assert first.status_code == again.status_code == fresh.status_code == 200
    assert without_csrf(first.get_data(as_text=True)) == without_csrf(again.get_data(as_text=True))
    assert without_csrf(first.get_data(as_text=True)) == without_csrf(fresh.get_data(as_text=True))
    assert count() == 2
    assert db.session.scalar(select(Registration.name).where(
        Registration.email == "lucia@example.org")) == "Lucía Huamán"
    assert len(mails_to(app, "lucia@example.org")) == 2  # confirmation, then the link again


def test_post_without_csrf_is_refused(client, meeting):
    data = form("")
    data.pop("csrf_token")
    response = client.post("/m/exchange-11/register", data=data)
    assert response.status_code == 400
    assert count() == 0


def test_unknown_extra_fields_are_ignored(client, csrf, meeting):
    meeting.registration_mode = RegistrationMode.APPROVAL
    db.session.commit()
    response = client.post("/m/exchange-11/register", data=form(
        csrf, status="confirmed", is_admin="1", meeting_id="999", id="77", banned="1",
        join_token_hash="0" * 64, anonymised_at="2020-01-01"))
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.PENDING
    assert registration.meeting_id == meeting.id and registration.id != 77
    assert registration.banned is False and registration.anonymised_at is None
    assert registration.join_token_hash != "0" * 64


def test_errors_show_next_to_fields_in_the_chosen_language(client, csrf, meeting):
    client.post("/language", data={"language": "es", "csrf_token": csrf, "next": "/"})
    refresh()  # the test's application context caches the locale between requests
    response = client.post("/m/exchange-11/register", data=form(
        csrf, name="", email="no-es-correo", country="XX", consent=""))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    page = parse(body)
    for name in ("name", "email", "country", "consent"):
        control = page.one(f"form.registration-form [name={name}]")
        assert control.attr("aria-invalid") == "true", name
        described_by = control.attr("aria-describedby").split(" ")
        assert f"{name}-error" in described_by, name
        for reference in described_by:  # every token names an element: no stray spaces
            assert page.one(f"#{reference}"), (name, reference)
        assert page.one(f"p.error#{name}-error").text, name
    assert page.one("[name=organisation]").attr("aria-invalid") == "false"
    assert page.one("#email-error").text == "Escriba una dirección de correo electrónico válida."
    assert page.one("#country-error").text == "Elija una de las opciones."
    assert "acepte el aviso de privacidad" in page.one("#consent-error").text
    assert count() == 0


def test_overlong_and_control_characters_are_refused(client, csrf, meeting):
    response = client.post("/m/exchange-11/register", data=form(
        csrf, name="x" * 201, organisation="a\x00b", position="tab\x07"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at most 200 characters" in body
    assert "U+0000" in body and "U+0007" in body
    assert count() == 0


def test_closed_meeting_refuses_a_forged_post(client, csrf, meeting):
    meeting.registration_mode = RegistrationMode.CLOSED
    db.session.commit()
    response = client.post("/m/exchange-11/register", data=form(csrf))
    assert response.status_code in (302, 422)
    assert count() == 0


def test_draft_meeting_is_not_found(client, csrf):
    make_meeting(slug="secret", status=MeetingStatus.DRAFT)
    assert client.get("/m/secret").status_code == 404
    assert client.post("/m/secret/register", data=form(csrf)).status_code == 404


# --- resend my link ------------------------------------------------------------------------

def test_resend_gives_the_same_page_for_any_address(app, client, csrf, meeting):
    make_registration(meeting, email="known@example.org")
    known = client.post("/m/exchange-11/resend", data={"csrf_token": csrf,
                                                       "email": "known@example.org"},
                        follow_redirects=True)
    unknown = client.post("/m/exchange-11/resend", data={"csrf_token": csrf,
                                                         "email": "ghost@example.org"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.get_data(as_text=True)) == without_csrf(
        unknown.get_data(as_text=True))
    (mail,) = mails_to(app, "known@example.org")
    assert client.get(f"/m/exchange-11/join/{token_in(mail)}").status_code == 200
    assert mails_to(app, "ghost@example.org") == []
    bad = client.post("/m/exchange-11/resend", data={"csrf_token": csrf, "email": "nope"})
    assert bad.status_code == 422


# --- the personal link ---------------------------------------------------------------------

def test_after_the_end_the_link_offers_asking_only_when_organisers_take_questions(
        client, csrf, meeting):
    meeting.status = MeetingStatus.ENDED
    registration = make_registration(meeting, name="Rosa Mamani")
    token = issue_token(registration)
    db.session.commit()
    assert "form button.join-button" not in parse(
        client.get(f"/m/exchange-11/join/{token}").get_data(as_text=True))
    meeting.after_meeting_questions = True
    db.session.commit()
    page = parse(client.get(f"/m/exchange-11/join/{token}").get_data(as_text=True))
    assert page.one("form button.join-button").text == (
        "Ask a question after the meeting as Rosa Mamani")
    response = client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})
    assert response.headers["Location"].endswith("/m/exchange-11/live")
    db.session.expire_all()
    assert registration.first_joined_at is None  # asking afterwards is not attendance
    assert registration.last_seen_at is not None



def test_join_get_changes_nothing_and_post_signs_in(client, csrf, meeting):
    registration = make_registration(meeting, name="Wang Fang 王芳")
    token = issue_token(registration)
    page = client.get(f"/m/exchange-11/join/{token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    join = parse(body).one("form button.join-button").parent
    assert join.attr("method") == "post" and join.attr("action") == f"/m/exchange-11/join/{token}"
    assert join.one("button").text == "Join as Wang Fang 王芳"
    assert parse(body).one("head meta[name=robots]").attr("content").startswith("noindex")
    db.session.expire_all()
    assert registration.first_joined_at is None and registration.last_seen_at is None
    with client.session_transaction() as session:
        assert SESSION_REGISTRATIONS not in session
    assert client.post(f"/m/exchange-11/join/{token}").status_code == 400  # no CSRF
    response = client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/m/exchange-11/live")
    with client.session_transaction() as session:
        assert session[SESSION_REGISTRATIONS] == {str(meeting.id): [registration.id, 0]}
    db.session.expire_all()
    assert registration.first_joined_at is not None and registration.last_seen_at is not None
    assert client.get("/m/exchange-11/live").status_code == 200


def test_joining_keeps_other_meetings_in_the_session(client, csrf, meeting):
    other = make_meeting(slug="other")
    first, second = make_registration(meeting), make_registration(other)
    client.post(f"/m/exchange-11/join/{issue_token(first)}", data={"csrf_token": csrf})
    client.post(f"/m/other/join/{issue_token(second)}", data={"csrf_token": csrf})
    with client.session_transaction() as session:
        assert session[SESSION_REGISTRATIONS] == {str(meeting.id): [first.id, 0],
                                                  str(other.id): [second.id, 0]}


def test_session_cookie_is_httponly_and_lax(client, csrf, meeting):
    registration = make_registration(meeting)
    response = client.post(f"/m/exchange-11/join/{issue_token(registration)}",
                           data={"csrf_token": csrf})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("status", [RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING,
                                    RegistrationStatus.CANCELLED])
def test_only_confirmed_people_can_join(client, csrf, meeting, status):
    registration = make_registration(meeting, status=status)
    token = issue_token(registration)
    body = client.get(f"/m/exchange-11/join/{token}").get_data(as_text=True)
    assert "Join as" not in body and ".join-button" not in parse(body)
    response = client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})
    assert response.status_code == 302 and "/live" not in response.headers["Location"]
    with client.session_transaction() as session:
        assert SESSION_REGISTRATIONS not in session


def test_wrong_or_foreign_tokens_are_not_found(client, csrf, meeting):
    other = make_meeting(slug="other")
    token = issue_token(make_registration(other))
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 404
    assert client.get("/m/exchange-11/join/not-a-token").status_code == 404
    assert client.post("/m/exchange-11/join/not-a-token",
                       data={"csrf_token": csrf}).status_code == 404


def test_cancel_from_the_link_promotes_the_next_person(app, client, csrf, meeting):
    seated = make_registration(meeting)
    make_registration(meeting)
    waiting = make_registration(meeting, status=RegistrationStatus.WAITLISTED)
    token = issue_token(seated)
    page = client.get(f"/m/exchange-11/join/{token}/cancel")
    assert page.status_code == 200 and "Yes, cancel my registration" in page.get_data(
        as_text=True)
    db.session.expire_all()
    assert seated.status == RegistrationStatus.CONFIRMED  # GET changed nothing
    response = client.post(f"/m/exchange-11/join/{token}/cancel", data={"csrf_token": csrf})
    assert response.status_code == 302
    db.session.expire_all()
    assert seated.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert len(mails_to(app, waiting.email)) == 1


def test_erase_from_the_link(client, csrf, meeting):
    registration = make_registration(meeting, name="Borrar Me", country="CN")
    token = issue_token(registration)
    client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})
    refused = client.post(f"/m/exchange-11/join/{token}/erase", data={"csrf_token": csrf})
    assert refused.status_code == 422  # the box must be ticked
    response = client.post(f"/m/exchange-11/join/{token}/erase",
                           data={"csrf_token": csrf, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert registration.name == "" and registration.anonymised_at is not None
    assert registration.status == RegistrationStatus.CANCELLED and registration.country == "CN"
    with client.session_transaction() as session:
        assert str(meeting.id) not in session.get(SESSION_REGISTRATIONS, {})
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 404


def test_register_for_the_next_session_in_one_click(app, client, csrf):
    series = Series(slug="exchange", title="Exchange")
    db.session.add(series)
    db.session.commit()
    past = make_meeting(slug="s1", series_id=series.id, status=MeetingStatus.ENDED,
                        starts_at=utcnow() - timedelta(days=30),
                        recording_url="https://video.example.org/1")
    nxt = make_meeting(slug="s2", series_id=series.id, title="Session two")
    run_by_series(series, nxt)
    attendee = make_registration(past, name="Rosa", email="rosa@example.org")
    token = issue_token(attendee)
    body = client.get(f"/m/s1/join/{token}").get_data(as_text=True)
    assert "Session two" in body and "Register for the next session" in body
    assert f"/m/s1/join/{token}/recording" in body  # the counted recording button
    response = client.post(f"/m/s1/join/{token}/next",
                           data={"csrf_token": csrf, "meeting": str(nxt.id)})
    assert response.headers["Location"].endswith("/m/s2/registered")
    copy = db.session.scalar(select(Registration).where(Registration.meeting_id == nxt.id))
    assert (copy.name, copy.email, copy.status) == ("Rosa", "rosa@example.org",
                                                    RegistrationStatus.CONFIRMED)
    assert "You are registered for it." in client.get(f"/m/s1/join/{token}").get_data(
        as_text=True)
    assert len(mails_to(app, "rosa@example.org")) == 1


def test_next_session_with_required_questions_opens_a_prefilled_form(client, csrf):
    series = Series(slug="exchange", title="Exchange")
    db.session.add(series)
    db.session.commit()
    past = make_meeting(slug="s1", series_id=series.id, status=MeetingStatus.ENDED,
                        starts_at=utcnow() - timedelta(days=30))
    nxt = make_meeting(slug="s2", series_id=series.id)
    run_by_series(series, nxt)
    db.session.add(RegistrationQuestion(meeting_id=nxt.id, label="Why?", required=True,
                                        kind=QuestionKind.TEXT))
    db.session.commit()
    token = issue_token(make_registration(past, name="Prefilled Person"))
    response = client.post(f"/m/s1/join/{token}/next",
                           data={"csrf_token": csrf, "meeting": str(nxt.id)})
    assert response.headers["Location"].endswith("/m/s2#register")
    register = parse(client.get("/m/s2").data).one("form.registration-form")
    assert register.one("input[name=name]").attr("value") == "Prefilled Person"
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.meeting_id == nxt.id)) == 0


# --- time zone -----------------------------------------------------------------------------

def test_viewer_can_switch_time_zone(client, csrf, meeting):
    times = parse(client.get("/m/exchange-11").data).all("time.dual-time")
    assert times and not any("Lima" in time.text for time in times)
    response = client.post("/timezone", data={"csrf_token": csrf, "timezone": "America/Lima",
                                              "next": "/m/exchange-11"})
    assert response.headers["Location"] == "/m/exchange-11"
    page = parse(client.get("/m/exchange-11").data)
    shown = page.texts("time.dual-time .viewer-time")
    assert shown and all(text.startswith("· ") and "Lima" in text for text in shown)
    assert page.one("#timezone-select option[selected]").attr("value") == "America/Lima"

    for target in ("https://evil.example/", "//evil.example", "/\\evil"):
        response = client.post("/timezone", data={"csrf_token": csrf, "timezone": "Bad/Zone",
                                                  "next": target})
        assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["tz"] == "America/Lima"
    client.post("/timezone", data={"csrf_token": csrf, "timezone": "", "next": "/"})
    with client.session_transaction() as session:
        assert "tz" not in session


def test_outbox_is_empty_before_anything_happens(app, meeting):
    assert outbox(app) == []


def test_demo_join_links_work(client, csrf, app):
    from webapp.demo.loader import load_demo

    result = load_demo()
    name, slug, token = result.join_tokens[0]
    page = client.get(f"/m/{slug}/join/{token}")
    assert page.status_code == 200 and f"Join as {name}" in page.get_data(as_text=True)
    response = client.post(f"/m/{slug}/join/{token}", data={"csrf_token": csrf})
    assert response.headers["Location"].endswith(f"/m/{slug}/live")
    assert client.get("/s/pacific-ngo-health-exchange").status_code == 200
    assert client.get("/m/pacific-bridge-10").status_code == 200
