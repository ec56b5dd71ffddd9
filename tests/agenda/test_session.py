"""The demo meeting run through a whole 3.5-hour session with a fake clock.

Board busy, agenda overrunning (the Q&A takes most of the extra time, as in the meeting Puente
serves), the latest-end warning raised, and afterwards the wall, transcript and follow-up
e-mails exist.
"""

from __future__ import annotations

import random
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from tests.support.people import attendee
from webapp.accounts.models import RoleKind, User
from webapp.accounts.participant import Participant
from webapp.accounts.permissions import roles_in
from webapp.agenda import clock_services as clock
from webapp.agenda.models import ItemKind
from webapp.board import followup_services, services
from webapp.core.timeutil import iso_utc
from webapp.demo.loader import MODERATOR_EMAIL, load_demo
from webapp.errors import RateLimited
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration.models import Registration

#: Minutes each item really took: every talk a little over, the Q&A 85 minutes over.
OVERRUN = {ItemKind.QA: 85}


def test_a_fast_forwarded_three_and_a_half_hour_session(app):
    demo = load_demo()
    meeting = next(m for m in demo.meetings if m.status == MeetingStatus.PUBLISHED)
    moderator = db.session.scalar(select(User).where(User.email == MODERATOR_EMAIL))
    mod = Participant(meeting.id, None, moderator.id, roles_in(moderator, meeting.id),
                      moderator.name)
    people = db.session.scalars(
        select(Registration).where(Registration.meeting_id == meeting.id)).all()
    rng = random.Random(11)
    start = meeting.starts_at
    services.configure(mod, slow_seconds=20)
    welcome = services.post(mod, "Bienvenidos · 欢迎 · Welcome", now=start)
    services.pin(mod, welcome.id)

    posts = refused = 0
    warnings = []
    qa_left = []
    cursor = start
    for item in list(meeting.agenda_items):
        clock.start_next(mod, now=cursor)
        length = item.planned_minutes + OVERRUN.get(item.kind, 2)
        for minute in range(length):
            now = cursor + timedelta(minutes=minute)
            eager = people[-1]  # posts again after five seconds: slow mode holds it back
            for person, at in [(p, now) for p in rng.sample(people[:-1], 3)] + [
                    (eager, now), (eager, now + timedelta(seconds=5))]:
                try:
                    services.post(attendee(person), f"¡Gracias! 谢谢 {posts}", now=at)
                    posts += 1
                except RateLimited:
                    refused += 1
            state = clock.state(meeting, now)
            if state["past_latest_end"]:
                warnings.append(now)
            if state["qa_minutes_left"] is not None:
                qa_left.append(state["qa_minutes_left"])
        if item.kind == ItemKind.QA:
            # questions asked and voted for during the Q&A; two answered aloud
            for index, person in enumerate(people[:6]):
                question = Question(meeting_id=meeting.id, registration_id=person.id,
                                    text=f"Pregunta {index}: ¿cómo se organizó?",
                                    language="es", status=QuestionStatus.LIVE,
                                    agenda_item_id=item.id, client_id=f"s-{index}")
                if index < 2:
                    question.status = QuestionStatus.ANSWERED
                    question.answered_at = cursor + timedelta(minutes=10 * index)
                db.session.add(question)
                db.session.flush()
                for voter in people[10 + index * 3: 13 + index * 3]:
                    db.session.add(Vote(question_id=question.id, registration_id=voter.id,
                                        created_at=cursor))
            db.session.commit()
        cursor += timedelta(minutes=length)
    clock.end_current(mod, now=cursor)

    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.ENDED
    duration = max(i.actual_end for i in meeting.agenda_items) - start
    assert timedelta(hours=3, minutes=30) <= duration < timedelta(hours=4)
    assert clock.state(meeting, cursor)["overrun_minutes"] == 217 - 120
    assert posts > 500 and refused > 0  # slow mode held some back
    assert warnings and min(warnings) > start + timedelta(hours=3)  # staff got warned
    assert qa_left and qa_left[0] > 0 and qa_left[-1] == 0

    wall = services.wall(meeting)
    assert wall.total == posts + 1
    assert sum(n for _org, n in wall.by_organisation) == posts
    assert {c for c, _n in wall.by_country} <= {"PE", "CN", "AR", "CL", "CO", "MX", "BO", "EC"}
    assert sum(len(group.entries) for group in followup_services.transcript(meeting)) == 2

    for question in followup_services.open_questions(moderator, meeting):
        followup_services.answer(moderator, meeting, question.id,
                                 f"Respuesta escrita a: {question.text}", now=cursor)
    result = followup_services.publish(moderator, meeting, link="https://puente.example/t",
                                       now=cursor + timedelta(days=1))
    registered = len(people)
    assert result.sent == registered  # everyone thanked once; 6 askers and 18 voters get answers
    again = followup_services.publish(moderator, meeting, link="https://puente.example/t")
    assert again.sent == 0 and again.skipped == registered
    outbox = list(Path(current_app.config["PUENTE_OUTBOX"]).glob("*.eml"))
    assert len(outbox) == registered
    bodies = [message_from_bytes(eml.read_bytes(), policy=default_policy)
              .get_body(("plain",)).get_content() for eml in outbox]
    assert sum("Respuesta escrita a:" in body for body in bodies) == 6 + 18
    assert iso_utc(meeting.latest_end) < clock.state(meeting, cursor)["projected_end"]
    assert RoleKind.MODERATOR in mod.roles
