"""The dashboard's further figures: computed from rows made here, and shown on the page."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories import make_question, make_registration
from tests.support.html import parse
from webapp.board.models import Post, Reaction, ReactionKind
from webapp.extensions import db
from webapp.qa.models import Vote
from webapp.registration import attendance_figures
from webapp.registration.models import QuestionKind, RegistrationQuestion
from webapp.reports import dashboard_figures as figures

DAY = datetime(2026, 3, 10, 1, 0)  # naive UTC: 09:00 in Shanghai


def test_one_day_of_registrations_is_counted_per_hour_in_the_meetings_zone(cast):
    meeting = cast.meeting_a
    meeting.timezone = "Asia/Shanghai"
    for minutes in (0, 10, 130, 140, 150):
        make_registration(meeting, created_at=DAY + timedelta(minutes=minutes))
    series = figures.registrations_over_time(meeting)
    assert series.unit == "hour"
    assert [(at.strftime("%H:%M"), n) for at, n in series.points] == [
        ("09:00", 2), ("10:00", 2), ("11:00", 5)]
    assert str(series.points[0][0].tzinfo) == "Asia/Shanghai"


def test_a_long_span_is_counted_per_day():
    series = figures.bucket_series([DAY, DAY + timedelta(days=3)], "America/Lima")
    assert series.unit == "day"
    assert [(at.strftime("%m-%d"), n) for at, n in series.points] == [
        ("03-09", 1), ("03-10", 0), ("03-11", 0), ("03-12", 1)]  # 20:00 in Lima the day before


def test_votes_languages_board_presence_and_answers(cast):
    meeting = cast.meeting_a
    meeting.timezone = "UTC"
    people = [make_registration(meeting) for _ in range(3)]
    popular = make_question(meeting, people[0], text="Popular", language="es")
    quiet = make_question(meeting, people[1], text="Quiet", language="zh_Hans")
    make_question(meeting, people[2], text="Third", language="es")
    db.session.add_all([Vote(question_id=popular.id, registration_id=p.id, created_at=DAY)
                        for p in people])
    db.session.add(Vote(question_id=quiet.id, registration_id=people[0].id, created_at=DAY))
    post = Post(meeting_id=meeting.id, registration_id=people[0].id, text="Hi",
                created_at=DAY)
    db.session.add(post)
    db.session.flush()
    db.session.add_all([Reaction(post_id=post.id, registration_id=p.id, kind=ReactionKind.LIKE,
                                 created_at=DAY + timedelta(hours=1)) for p in people[:2]])
    attendance_figures.record_presence_sample(meeting.id, 4, DAY)
    attendance_figures.record_presence_sample(meeting.id, 9, DAY + timedelta(minutes=5))
    attendance_figures.record_presence_sample(meeting.id, 6, DAY + timedelta(hours=1))
    db.session.commit()

    total, top = figures.votes(meeting.id)
    assert total == 4 and [(q.text, n) for q, n in top] == [("Popular", 3), ("Quiet", 1)]
    assert figures.question_languages(meeting.id) == [("es", 2), ("zh_Hans", 1)]
    posts, reactions = figures.board_activity(meeting)
    assert [n for _at, n in posts.points] == [1, 0]
    assert [n for _at, n in reactions.points] == [0, 2]
    peak, peak_at, online = figures.presence(meeting)
    assert peak == 9 and peak_at.strftime("%H:%M") == "01:05"
    assert [n for _at, n in online.points] == [9, 6]


def test_the_dashboard_shows_the_answers_to_registration_questions(cast, as_user):
    meeting = cast.meeting_a
    interpretation = RegistrationQuestion(
        meeting_id=meeting.id, label="Needs interpretation", kind=QuestionKind.CHOICE,
        choices=["Yes", "No"])
    consent = RegistrationQuestion(meeting_id=meeting.id, label="Photos ok",
                                   kind=QuestionKind.CHECKBOX)
    db.session.add_all([interpretation, consent])
    db.session.commit()
    for answer in ("Yes", "No", "No", None):
        given = {str(consent.id): answer == "Yes"}
        if answer:
            given[str(interpretation.id)] = answer
        make_registration(meeting, answers=given)
    (choice, checkbox) = figures.registration_answers(meeting)
    assert choice.counts == [("Yes", 1), ("No", 2)] and choice.unanswered == 1
    assert checkbox.counts == [("yes", 1), ("no", 3)]
    html = as_user(cast.organiser_a).get(f"/organiser/meetings/{meeting.id}/").data
    tables = parse(html).all("table.registration-answers")
    assert [t.one("caption").text for t in tables] == ["Needs interpretation", "Photos ok"]
    rows = [[r.one("th").text, r.one("td").text] for r in tables[0].all("tbody tr")]
    assert rows == [["Yes", "1"], ["No", "2"], ["No answer", "1"]]
