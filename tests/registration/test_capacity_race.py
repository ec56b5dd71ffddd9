"""Capacity holds under concurrency: 300 simultaneous sign-ups for 100 seats.

The pools wait long enough for every thread to get a connection on a busy machine; the
database, not the pool, is what is under test.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import _make_app, base_config
from tests.factories import make_meeting
from tests.support.people import person
from webapp.config import engine_options
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.registration import services
from webapp.registration.models import Registration


def patient(url: str) -> dict:
    options = engine_options(url)
    options["pool_timeout"] = 300
    if url.startswith("postgresql"):
        options["connect_args"]["options"] = "-c statement_timeout=60000 -c lock_timeout=120000"
    return options


@pytest.fixture
def app_config(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    return base_config(tmp_path, url, SQLALCHEMY_ENGINE_OPTIONS=patient(url))


@pytest.fixture
def pg_race_app(tmp_path, postgres_url):
    from webapp.config import normalise_database_url

    url = normalise_database_url(postgres_url)
    app = _make_app(base_config(tmp_path, url, SQLALCHEMY_ENGINE_OPTIONS=patient(url)))
    context = app.app_context()
    context.push()
    yield app
    db.session.remove()
    db.engine.dispose()
    context.pop()


def statuses(meeting_id: int) -> dict:
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.meeting_id == meeting_id)
        .group_by(Registration.status)).all()
    return {status.value: count for status, count in rows}


def _race(app, meeting_id: int, people: int) -> list:
    barrier = threading.Barrier(people)
    errors: list = []

    def sign_up(n: int):
        with app.app_context():
            try:
                barrier.wait()
                meeting = db.session.get(Meeting, meeting_id)
                services.register(meeting, person(email=f"race{n}@example.org"))
            except Exception as error:  # reported below
                errors.append(error)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return errors


def _assert_exactly_100_seated(app, meeting_id: int):
    errors = _race(app, meeting_id, 300)
    assert errors == []
    db.session.expire_all()
    assert statuses(meeting_id) == {"confirmed": 100, "waitlisted": 200}


def test_300_concurrent_sign_ups_for_100_seats_on_sqlite(app):
    meeting = make_meeting(capacity=100)
    _assert_exactly_100_seated(app, meeting.id)


@pytest.mark.postgres
def test_300_concurrent_sign_ups_for_100_seats_on_postgresql(pg_race_app):
    meeting = make_meeting(capacity=100)
    _assert_exactly_100_seated(pg_race_app, meeting.id)
