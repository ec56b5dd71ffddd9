"""Every organiser field fed the Big List of Naughty Strings: a clean save or a form error,
never a 500, and what was saved reads back exactly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.blns import blns_strings
from tests.support.html import parse
from webapp.agenda.models import AgendaItem, Speaker
from webapp.core.text import forbidden_character, single_line
from webapp.extensions import db
from webapp.meetings.forms import lines
from webapp.meetings.models import Meeting, Series
from webapp.registration.models import RegistrationQuestion

BLNS = blns_strings()
pytestmark = pytest.mark.blns


def acceptable(text: str, *, max_length: int, required: bool = True,
               multiline: bool = False) -> bool:
    """What the forms promise to keep: bounded text without control characters."""
    if required and not text.strip():
        return False
    if len(text) > max_length or forbidden_character(text) is not None:
        return False
    return multiline or single_line(text)


def sweep(client, url, build, check, ok):
    """POST one form per string; saved ones must round-trip, refused ones show an error."""
    saved = refused = 0
    for index, text in enumerate(BLNS):
        response = client.post_form(url(index), build(index, text))
        assert response.status_code in (200, 302), (response.status_code, text)
        if ok(text):
            assert response.status_code == 302, (text, response.get_data(as_text=True)[:3000])
            check(index, text)
            saved += 1
        else:
            assert response.status_code == 200, text
            page = parse(response.data)
            assert "form p.error" in page or "form .form-errors[role=alert]" in page, text

            refused += 1
    assert saved > len(BLNS) * 0.8 and refused >= 6


@pytest.fixture
def organiser(cast, as_user):
    return as_user(cast.organiser_a)


def test_meeting_details_fields(cast, organiser):
    def build(index, text):
        return {"title": text, "slug": f"blns-{index}", "description": text, "hosts": text,
                "partners": text, "timezone": "America/Lima",
                "starts_local": "2026-12-02T21:00", "planned_end_local": "2026-12-02T23:00",
                "languages": ["es"], "registration_mode": "open", "retention_days": "30",
                "series_id": ""}

    def check(index, text):
        meeting = db.session.scalar(select(Meeting).where(Meeting.slug == f"blns-{index}"))
        assert meeting.title == text and meeting.description == text
        assert [o.name for o in meeting.organisations] == lines(text) * 2

    sweep(organiser, lambda i: "/organiser/meetings/new", build, check,
          lambda text: acceptable(text, max_length=300))


def test_series_fields(cast, organiser):
    def check(index, text):
        series = db.session.scalar(select(Series).where(Series.slug == f"s-{index}"))
        assert (series.title, series.description) == (text, text)

    sweep(organiser, lambda i: "/organiser/series/new",
          lambda i, t: {"title": t, "slug": f"s-{i}", "description": t}, check,
          lambda text: acceptable(text, max_length=300))


def test_agenda_item_fields(cast, organiser):
    base = f"/organiser/meetings/{cast.meeting_a.id}"

    def check(index, text):
        item = db.session.scalar(select(AgendaItem).order_by(AgendaItem.id.desc()).limit(1))
        assert (item.title, item.description) == (text, text)
        # Each save logs the whole agenda: a meeting's few items, not hundreds of strings.
        db.session.delete(item)
        db.session.commit()

    sweep(organiser, lambda i: base + "/agenda/new",
          lambda i, t: {"title": t, "description": t, "kind": "talk", "planned_minutes": "5"},
          check, lambda text: acceptable(text, max_length=300))


def test_speaker_fields(cast, organiser):
    base = f"/organiser/meetings/{cast.meeting_a.id}"

    def check(index, text):
        speaker = db.session.scalar(select(Speaker).order_by(Speaker.id.desc()).limit(1))
        assert (speaker.name, speaker.title, speaker.affiliation, speaker.bio) == (text,) * 4

    sweep(organiser, lambda i: base + "/speakers/new",
          lambda i, t: {"name": t, "title": t, "affiliation": t, "bio": t}, check,
          lambda text: acceptable(text, max_length=200))


def test_registration_question_fields(cast, organiser):
    base = f"/organiser/meetings/{cast.meeting_a.id}"

    def check(index, text):
        question = db.session.scalar(select(RegistrationQuestion))
        assert (question.label, question.help_text) == (text, text)
        question_id = question.id
        db.session.delete(question)
        db.session.commit()
        assert db.session.get(RegistrationQuestion, question_id) is None

    sweep(organiser, lambda i: base + "/questions/new",
          lambda i, t: {"label": t, "help_text": t, "kind": "text"}, check,
          lambda text: acceptable(text, max_length=300))


def test_choices_and_other_inputs_never_fail(cast, organiser):
    base = f"/organiser/meetings/{cast.meeting_a.id}"
    for text in BLNS:
        for url, data in (
            ("/questions/new", {"label": "Q", "kind": "choice", "choices": f"A\n{text}"}),
            ("/qa/questions", {"qa-moderation": text, "qa-max_length": text}),
            ("/qa/board", {"board-mode": "open", "board-slow_seconds": text}),
            ("/staff", {"email": text, "name": "X", "role": "moderator", "language": text}),
            ("/details", {"title": "T", "slug": text, "timezone": text,
                          "starts_local": text, "recording_url": text}),
        ):
            response = organiser.post_form(base + url, data)
            assert response.status_code in (200, 302), (url, text)
        response = organiser.get(base + "/registrations", query_string={
            "q": text, "country": text, "status": text, "sort": text, "page": text})
        assert response.status_code == 200, text
    for question in db.session.scalars(select(RegistrationQuestion)):
        assert question.options()[1][0] in BLNS


def test_invitation_name_fields(cast, organiser, app):
    base = f"/organiser/meetings/{cast.meeting_a.id}/staff"
    from webapp.accounts.models import StaffInvitation

    def check(index, text):
        invitation = db.session.scalar(select(StaffInvitation).where(
            StaffInvitation.email == f"guest{index}@example.org"))
        assert invitation.name == text

    sweep(organiser, lambda i: base,
          lambda i, t: {"email": f"guest{i}@example.org", "name": t, "role": "speaker",
                        "language": "es"},
          check, lambda text: acceptable(text, max_length=200, required=False))
