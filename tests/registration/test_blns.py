"""Every string of the Big List of Naughty Strings through every registration field and URL
parameter: a form error or an exact round-trip, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from tests.factories import make_meeting
from tests.support.blns import blns_strings
from tests.support.html import parse
from webapp.core.text import forbidden_character, single_line
from webapp.extensions import db
from webapp.registration.models import QuestionKind, Registration, RegistrationQuestion

BLNS = blns_strings()
pytestmark = pytest.mark.blns
TEXT_FIELDS = ("name", "organisation", "position")


@pytest.fixture
def setup(app):
    meeting = make_meeting(slug="blns", capacity=None)
    text = RegistrationQuestion(meeting_id=meeting.id, label="Anything?", kind=QuestionKind.TEXT)
    choice = RegistrationQuestion(meeting_id=meeting.id, label="Pick", kind=QuestionKind.CHOICE,
                                  choices=["a", "b"])
    db.session.add_all([text, choice])
    db.session.commit()
    return meeting, text, choice


def base(csrf: str, n: int) -> dict:
    return dict(csrf_token=csrf, name="Valid Name", email=f"blns{n}@example.org",
                organisation="Org", organisation_type="ngo", position="", country="PE",
                language="es", consent="y")


def acceptable_text(value: str, max_length: int) -> bool:
    return (value.strip() != "" and len(value) <= max_length
            and forbidden_character(value) is None and single_line(value))


def test_text_fields_round_trip_or_give_a_form_error(client, csrf, setup):
    _meeting, text, _choice = setup
    for n, value in enumerate(BLNS):
        data = base(csrf, n)
        data.update({f: value for f in TEXT_FIELDS})
        data[f"q_{text.id}"] = value
        response = client.post("/m/blns/register", data=data)
        assert response.status_code in (302, 422), (value, response.status_code)
        row = db.session.scalar(select(Registration).where(
            Registration.email == f"blns{n}@example.org"))
        if acceptable_text(value, 200):
            assert response.status_code == 302, value
            assert (row.name, row.organisation, row.position) == (value, value, value)
            assert row.answers.get(str(text.id)) == value
        else:
            assert response.status_code == 422, value
            assert row is None
            errors = parse(response.data).texts("form.registration-form p.error")
            assert errors, value
            bad = forbidden_character(value)
            if bad is not None:
                assert any(f"U+{ord(bad):04X}" in error for error in errors), value


def test_select_fields_and_email_never_fail(client, csrf, setup):
    _meeting, _text, choice = setup
    selects = ("organisation_type", "country", "language", f"q_{choice.id}")
    for n, value in enumerate(BLNS):
        data = base(csrf, n)
        data["email"] = value
        response = client.post("/m/blns/register", data=data)
        assert response.status_code in (302, 422), (value, response.status_code)
        if response.status_code == 302:
            assert db.session.scalar(select(Registration.email).where(
                Registration.email == value.lower())) == value.lower()
        data = base(csrf, f"{n}-selects")
        data.update({field: value for field in selects})
        response = client.post("/m/blns/register", data=data)
        assert response.status_code in (302, 422), (value, response.status_code)
        if value != "":  # "" is the blank option: language then falls back to the page's
            page = parse(response.data)
            for field in selects:
                error = page.one(f"form.registration-form p.error#{field}-error")
                assert error.parent.one(f"[name={field}]").attr("aria-invalid") == "true", \
                    (field, value)



def test_url_parameters_never_fail(client, csrf, setup):
    for value in BLNS:
        segment = quote(value, safe="")
        for path in (f"/m/{segment}", f"/m/blns/join/{segment}", f"/s/{segment}",
                     f"/m/{segment}/calendar.ics", f"/m/blns/join/{segment}/cancel",
                     f"/m/{segment}/resend"):
            response = client.get(path)
            assert response.status_code in (200, 404, 308), (path, response.status_code)
        response = client.post("/timezone", data={"csrf_token": csrf, "timezone": value,
                                                  "next": value})
        assert response.status_code == 302, value
        response = client.post("/m/blns/resend", data={"csrf_token": csrf, "email": value})
        assert response.status_code in (302, 422), value
