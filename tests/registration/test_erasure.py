"""After erasure or `puente purge`, a person's name and e-mail are in no column of any table,
and a client that rejoins from before the deleted events gets a snapshot, never a replay."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_meeting, make_registration, make_user
from tests.support.people import attendee, person, staff
from webapp.accounts.models import RoleKind
from webapp.board import services as board
from webapp.extensions import db
from webapp.live import catchup as realtime
from webapp.qa import services as qa
from webapp.realtime.models import MeetingEvent
from webapp.registration import privacy
from webapp.registration import services as registration_services

NAME = "Wenceslao Tupac-Yupanqui"
EMAIL = "wenceslao.tupac@example.org"


def leftovers(*needles: str) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle survives, over every mapped table."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(
                    value, ensure_ascii=False, default=str)
                found += [(table.name, column, needle) for needle in needles
                          if needle.lower() in text.lower()]
    return found


def active_life():
    """A person who registered, asked (named and anonymously), voted, posted, reacted, was
    answered, dismissed, merged with, muted and hidden, with every event logged."""
    meeting = make_meeting()
    registration = registration_services.register(
        meeting, person(name=NAME, email=EMAIL, organisation="Minsa Cusco")).registration
    other = make_registration(meeting, name="Otra Persona")
    mod_user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    me, them, mod = attendee(registration), attendee(other), staff(mod_user, meeting)

    named = qa.ask(me, "¿Cómo financiaron las brigadas?", client_id="q1")
    hidden_author = qa.ask(me, "¿Y los costos reales?", client_id="q2", anonymous=True)
    theirs = qa.ask(them, "¿Qué hicieron en Puno?", client_id="q3")
    duplicate = qa.ask(them, "¿Cómo se financiaron las brigadas?", client_id="q4")
    for question in (named, hidden_author, theirs, duplicate):
        question = qa.approve(mod, question.id, question.version)
    qa.vote(me, theirs.id, True)
    qa.vote(them, named.id, True)
    db.session.refresh(named)
    db.session.refresh(duplicate)
    qa.merge(mod, duplicate.id, duplicate.version, named.id, named.version)
    db.session.refresh(named)
    qa.answer(mod, named.id, named.version, "Con fondos municipales.")
    db.session.refresh(hidden_author)
    qa.dismiss(mod, hidden_author.id, hidden_author.version, "off_topic")
    qa.set_muted(mod, registration.id, True)
    qa.set_muted(mod, registration.id, False)

    mine = board.post(me, "Gracias a todos", "p1")
    board.post(them, "Saludos desde Lima", "p2")
    board.react(me, mine.id, "thanks")
    board.hide(mod, mine.id, "Por revisar")
    board.restore(mod, mine.id)
    board.pin(mod, mine.id)
    assert leftovers(NAME, EMAIL), "the scenario must have spread the data first"
    return meeting, registration, mod


def check_erased(meeting, mod):
    db.session.expire_all()
    assert leftovers(NAME, EMAIL) == []
    # Events of other people and of settings are kept; a moderator who was behind the deleted
    # events rejoins from a snapshot, one who had seen them all gets the exact (empty) gap.
    behind = realtime.catch_up(mod, 0, replay_limit=10_000)
    assert "snapshot" in behind and "events" not in behind
    assert NAME not in json.dumps(behind, ensure_ascii=False, default=str)
    current = realtime.current_seq(meeting.id)
    gap = realtime.catch_up(mod, current, replay_limit=10_000)
    assert (gap["seq"], gap["events"]) == (current, [])
    # The figures a rejoin carries (counts, own votes and reactions) name nobody either.
    assert NAME not in json.dumps(gap, ensure_ascii=False, default=str)
    assert EMAIL not in json.dumps(gap, ensure_ascii=False, default=str)


def erase_everything(app):
    meeting, registration, mod = active_life()
    registration_services.erase(registration)
    check_erased(meeting, mod)
    assert db.session.scalar(select(MeetingEvent.id).where(
        MeetingEvent.meeting_id == meeting.id)) is not None  # the log was pruned, not wiped


def purge_everything(app):
    meeting, _registration, mod = active_life()
    later = meeting.planned_end + timedelta(days=meeting.retention_days + 1)
    assert registration_services.purge_expired(now=later) == 2
    check_erased(meeting, mod)


def test_erase_leaves_the_name_and_email_in_no_table(app):
    erase_everything(app)


def test_purge_leaves_the_name_and_email_in_no_table(app):
    purge_everything(app)


@pytest.mark.postgres
def test_erase_leaves_the_name_and_email_in_no_table_on_postgres(pg_app):
    erase_everything(pg_app)


@pytest.mark.postgres
def test_purge_leaves_the_name_and_email_in_no_table_on_postgres(pg_app):
    purge_everything(pg_app)


def test_erasers_run_before_the_data_is_cleared_and_in_the_same_transaction(app):
    meeting = make_meeting()
    registration = make_registration(meeting, email="seen-by-eraser@example.org")
    seen = []

    def eraser(registrations):
        seen.extend(r.email for r in registrations)

    privacy.on_erase(eraser)
    privacy.on_erase(eraser)  # registering twice runs it once
    try:
        registration_services.erase(registration)
    finally:
        privacy._erasers.remove(eraser)
    assert seen == ["seen-by-eraser@example.org"]
