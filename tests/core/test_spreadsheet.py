"""CSV injection: every export path neutralises formulas through one helper."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tests.factories import make_meeting, make_question, make_registration, make_user
from tests.support.people import attendee
from webapp.accounts.models import RoleKind
from webapp.board import services as board_services
from webapp.core.spreadsheet import neutralise
from webapp.extensions import db
from webapp.qa import export_services
from webapp.registration.export import registrations_csv
from webapp.registration.models import Registration

FORMULAS = [
    "=1+2", "+51 999", "-1", "@SUM(A1)", "\t=1", "\r=1",
    " =HYPERLINK(\"http://evil.example\")", "   +1", "\u00a0-1", "\u3000@x",
    "＝1+2", "＋1", "－1", "＠SUM(A1)", "  ＝1",
]
PLAIN = ["María", "张伟", "1+2", "a=b", "e-mail", "x@example.org", "", "  spaced"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_unchanged(text):
    assert neutralise(text) == text


def test_values_that_are_not_text():
    assert neutralise(None) == "" and neutralise(True) == "yes" and neutralise(-3) == "'-3"


def rows(data) -> list[list[str]]:
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return list(csv.reader(io.StringIO(data.removeprefix("\ufeff"))))


def cells(data) -> set[str]:
    return {cell for row in rows(data) for cell in row}


def test_registrations_export(app):
    meeting = make_meeting()
    make_registration(meeting, name="  =cmd|' /C calc'!A0", organisation="＝1+2")
    everyone = db.session.scalars(select(Registration).where(
        Registration.meeting_id == meeting.id)).all()
    data = cells(registrations_csv(everyone))
    assert "'  =cmd|' /C calc'!A0" in data and "'＝1+2" in data


def test_questions_export(app):
    meeting = make_meeting()
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    registration = make_registration(meeting, organisation=" @org")
    make_question(meeting, registration, text="＋HYPERLINK(1)")
    data = cells(export_services.questions_csv(user, meeting.id))
    assert "'＋HYPERLINK(1)" in data and "' @org" in data


def test_board_export(app):
    meeting = make_meeting()
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    board_services.post(attendee(make_registration(meeting)), " -2+3")
    board_services.post(attendee(make_registration(meeting)), "＠SUM(A1)")
    data = cells(board_services.export_csv(user, meeting))
    assert "' -2+3" in data and "'＠SUM(A1)" in data
