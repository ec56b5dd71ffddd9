"""The `puente` command: users, demo, and clear one-line failures for bad configuration."""

from datetime import timedelta

import pytest

from tests.support.server import run_cli, server_env
from webapp.accounts.models import RoleKind, User
from webapp.agenda.models import ItemKind
from webapp.board.models import Post
from webapp.demo.loader import load_demo
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import Question, Vote
from webapp.registration.models import Registration


def test_users_create_reads_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "Ana@Example.org", "--name",
                                 "Ana Quispe", "--admin", "--password-stdin"],
                           input="a very long secret\n")
    assert result.exit_code == 0, result.output
    user = db.session.query(User).one()
    assert user.email == "ana@example.org" and user.is_admin
    again = runner.invoke(args=["users", "create", "--email", "ana@example.org", "--name", "X",
                                "--password-stdin"], input="another long secret\n")
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_demo_builds_the_use_case(app):
    result = load_demo()
    assert result.created
    past, upcoming = result.meetings
    assert past.status == MeetingStatus.ENDED and past.recording_url
    assert upcoming.status == MeetingStatus.PUBLISHED
    assert upcoming.session_number == 11 and past.series_id == upcoming.series_id
    items = upcoming.agenda_items
    assert len(items) == 7
    panel = next(item for item in items if item.kind == ItemKind.PANEL)
    assert len(panel.speakers) == 4
    regs = db.session.query(Registration).filter_by(meeting_id=upcoming.id).all()
    assert len(regs) == 200
    assert {r.country for r in regs} == {"PE", "CN"}
    assert {r.language for r in regs} == {"es", "zh_Hans", "en"}
    assert len({r.organisation for r in regs}) >= 15
    assert len({r.organisation_type for r in regs}) >= 6
    # The past session overran: 2 hours planned, 3.5 hours actual.
    actual = past.agenda_items[-1].actual_end - past.agenda_items[0].actual_start
    assert actual.total_seconds() / 3600 == pytest.approx(3.5, abs=0.25)
    staff = {u.email: {r.role for r in u.roles} for u in db.session.query(User)}
    assert staff["organiser@demo.example"] == {RoleKind.ORGANISER}
    assert "http" in result.summary("http://x") and "/m/pacific-bridge-11" in result.summary("")
    questions = db.session.query(Question).filter_by(meeting_id=past.id).all()
    assert len(questions) >= 6
    assert all(q.vote_count == db.session.query(Vote).filter_by(question_id=q.id).count()
               for q in questions)
    assert db.session.query(Post).filter_by(meeting_id=past.id).count() >= 5
    # Loading twice changes nothing.
    assert load_demo().created is False
    assert db.session.query(Registration).count() == 320


def test_the_past_demo_meetings_questions_votes_and_posts_happened_during_it(app):
    past = load_demo().meetings[0]
    assert past.status == MeetingStatus.ENDED
    items = past.agenda_items
    start, end = items[0].actual_start, items[-1].actual_end
    qa_item = next(item for item in items if item.kind == ItemKind.QA)
    questions = db.session.query(Question).filter_by(meeting_id=past.id).all()
    under = {q.agenda_item_id for q in questions}
    assert None in under and len(under) >= 3  # talks' questions and general ones
    answered = [q for q in questions if q.answered_at is not None]
    assert answered and all(q.answered_by.email == "moderator@demo.example" for q in answered)
    for question in questions:
        item = question.agenda_item or qa_item  # general questions came up in the Q&A
        assert item.actual_start <= question.created_at < item.actual_end, question.text
        if question.answered_at is not None:
            delay = question.answered_at - question.created_at
            assert timedelta(minutes=1) <= delay <= timedelta(minutes=10), question.text
        assert start <= question.updated_at <= end
        votes = db.session.query(Vote).filter_by(question_id=question.id).all()
        assert all(question.created_at < v.created_at <= end for v in votes), question.text
    posts = db.session.query(Post).filter_by(meeting_id=past.id).order_by(Post.id).all()
    assert posts and all(start <= p.created_at <= end and p.updated_at == p.created_at
                         for p in posts)
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://nope"}, "DATABASE_URL must start with"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"},
         "cannot reach the database at DATABASE_URL"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "cannot reach Redis at REDIS_URL"),
        ({"REDIS_URL": "http://nope"}, "REDIS_URL must start with"),
        ({"PUENTE_ASYNC_MODE": "tornado"}, "PUENTE_ASYNC_MODE must be one of"),
    ],
)
def test_serve_with_bad_configuration_exits_with_one_line(tmp_path, env, expected):
    base = server_env(tmp_path / "instance")
    assert run_cli(base, "db", "upgrade").returncode == 0
    result = run_cli({**base, **env}, "serve", "--port", "1")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_serve_without_tables_says_to_upgrade(tmp_path):
    result = run_cli(server_env(tmp_path / "instance"), "serve", "--port", "1")
    assert result.returncode == 2
    assert "puente db upgrade" in result.stderr
