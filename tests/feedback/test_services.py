"""The survey's rules without a client: who answers, when, once; results; CSV; erasure."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import make_agenda_item, make_meeting, make_registration, make_user
from webapp.accounts.models import RoleKind
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound, StaffOnly
from webapp.extensions import db
from webapp.feedback import services
from webapp.feedback.models import FeedbackKind, FeedbackResponse
from webapp.feedback.services import Answers
from webapp.meetings.models import MeetingStatus
from webapp.registration import services as registration_services
from webapp.registration.models import RegistrationStatus


@pytest.fixture
def ended(app):
    return make_meeting(status=MeetingStatus.ENDED)


@pytest.fixture
def organiser(ended):
    return make_user(meeting=ended, role=RoleKind.ORGANISER)


def test_a_confirmed_registration_answers_once(ended):
    item = make_agenda_item(ended, title="Apertura")
    person = make_registration(ended)
    response = services.submit(ended, person, Answers(overall=4, items={item.id: 5},
                                                      comment="Muy útil\r\ngracias"))
    assert response.overall == 4 and response.comment == "Muy útil\ngracias"
    assert [(r.agenda_item_id, r.rating) for r in response.item_ratings] == [(item.id, 5)]
    with pytest.raises(Conflict):
        services.submit(ended, person, Answers(overall=1))
    assert db.session.query(FeedbackResponse).count() == 1


@pytest.mark.parametrize("status", [MeetingStatus.PUBLISHED, MeetingStatus.LIVE,
                                    MeetingStatus.DRAFT])
def test_not_before_the_end_unless_organisers_open_it(status, app):
    meeting = make_meeting(status=status)
    person = make_registration(meeting)
    with pytest.raises(Closed):
        services.submit(meeting, person, Answers(overall=3))
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    services.configure(organiser, meeting.id, open_early=True, closed=False)
    if status == MeetingStatus.DRAFT:
        assert not services.is_open(meeting)
    else:
        assert services.submit(meeting, person, Answers(overall=3)).overall == 3


def test_a_closed_survey_takes_no_answers(ended, organiser):
    services.configure(organiser, ended.id, open_early=False, closed=True)
    with pytest.raises(Closed):
        services.submit(ended, make_registration(ended), Answers(overall=5))


@pytest.mark.parametrize("change", [
    dict(status=RegistrationStatus.WAITLISTED), dict(status=RegistrationStatus.CANCELLED),
    dict(banned=True), "other meeting", None])
def test_only_a_confirmed_registration_of_the_meeting_answers(ended, change):
    if change is None:
        person = None
    elif change == "other meeting":
        person = make_registration(make_meeting(status=MeetingStatus.ENDED))
    else:
        person = make_registration(ended, **change)
    with pytest.raises(Forbidden):
        services.submit(ended, person, Answers(overall=5))


@pytest.mark.parametrize("answers", [
    Answers(overall=None), Answers(overall=0), Answers(overall=6), Answers(overall="5"),
    Answers(overall=True), Answers(overall=3, comment="a\x00b"),
    Answers(overall=3, comment="x" * (services.MAX_COMMENT + 1)),
    Answers(overall=3, items={999999: 3}), Answers(overall=3, questions={999999: 3})])
def test_bad_answers_are_refused(ended, answers):
    with pytest.raises(InvalidInput):
        services.submit(ended, make_registration(ended), answers)
    assert db.session.query(FeedbackResponse).count() == 0


def test_organisers_questions_and_results(ended, organiser):
    first, second = (make_agenda_item(ended, title=t) for t in ("Uno", "Dos"))
    rated = services.add_question(organiser, ended.id, label="¿Volverías?", kind="rating")
    written = services.add_question(organiser, ended.id, label="¿Qué mejorar?", kind="text")
    for overall, item_rating, text in ((5, 4, "Más tiempo"), (3, None, ""), (4, 2, None)):
        services.submit(ended, make_registration(ended), Answers(
            overall=overall, items={first.id: item_rating, second.id: None},
            questions={rated.id: overall, written.id: text}, comment=text or ""))
    results = services.results(organiser, ended)
    assert results.responses == 3 and results.overall.average == 4.0
    assert dict(results.overall.distribution) == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    (item1, s1), (_item2, s2) = results.items
    assert (item1.id, s1.average, s1.count) == (first.id, 3.0, 2) and s2.count == 0
    assert [(q.id, s.average) for q, s in results.rated] == [(rated.id, 4.0)]
    assert [(q.id, texts) for q, texts in results.texts] == [(written.id, ["Más tiempo"])]
    assert results.comments == ["Más tiempo"]
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    assert services.results(moderator, ended).responses == 3
    for outsider in (None, make_user()):
        with pytest.raises(StaffOnly):
            services.results(outsider, ended)
        with pytest.raises(StaffOnly):
            services.export_csv(outsider, ended)


def test_only_organisers_change_questions(ended, organiser):
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    with pytest.raises(Forbidden):
        services.add_question(moderator, ended.id, label="x", kind="rating")
    with pytest.raises(NotFound):
        services.add_question(make_user(), ended.id, label="x", kind="rating")
    with pytest.raises(InvalidInput):
        services.add_question(organiser, ended.id, label="x", kind="essay")
    with pytest.raises(InvalidInput):
        services.add_question(organiser, ended.id, label="  ", kind="text")
    a = services.add_question(organiser, ended.id, label="A", kind="rating")
    b = services.add_question(organiser, ended.id, label="B", kind="text")
    services.move_question(organiser, b, -1)
    assert [q.id for q in services.questions(ended)] == [b.id, a.id]
    services.update_question(organiser, a, label="A2", kind="text")
    assert a.kind == FeedbackKind.TEXT and str(a.label) == "A2"
    services.delete_question(organiser, b)
    assert [q.id for q in services.questions(ended)] == [a.id]


def test_csv_has_no_names_and_neutralises_formulas(ended, organiser):
    item = make_agenda_item(ended, title="=Panel")
    question = services.add_question(organiser, ended.id, label="Mejor idea", kind="text")
    person = make_registration(ended, name="Rosa Secreta")
    services.submit(ended, person, Answers(overall=2, items={item.id: 5},
                                           questions={question.id: "@SUM(A1)"},
                                           comment="社区 -1"))
    body = services.export_csv(organiser, ended, "en")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["'=Panel", "Mejor idea", "Comments"]
    assert rows[1][4:] == ["2", "5", "'@SUM(A1)", "社区 -1"]
    assert b"Rosa Secreta" not in body and person.email.encode() not in body


def test_personal_survey_link_follows_the_join_link(ended):
    person = make_registration(ended)
    token = services.issue_link(person)
    db.session.commit()
    assert services.by_link(ended, token).id == person.id
    for bad in ("", "x" * 100, token + "x", None, 5):
        with pytest.raises(NotFound):
            services.by_link(ended, bad)
    with pytest.raises(NotFound):
        services.by_link(make_meeting(), token)
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    registration_services.revoke_link(organiser, person)
    with pytest.raises(NotFound):
        services.by_link(ended, token)


def test_erasure_keeps_ratings_and_drops_words(ended, organiser):
    question = services.add_question(organiser, ended.id, label="¿Qué?", kind="text")
    person = make_registration(ended, name="Nombre Único")
    services.submit(ended, person, Answers(overall=5, comment="Soy Nombre Único",
                                           questions={question.id: "Nombre Único aquí"}))
    services.issue_link(person)
    db.session.commit()
    registration_services.erase(person)
    db.session.expire_all()
    response = db.session.query(FeedbackResponse).one()
    assert response.overall == 5 and response.comment == "" and response.answers == []
    assert services.results(organiser, ended).responses == 1
