"""Puente served exactly like `puente serve`, plus a probe for the scale tests and benchmarks.

Run as `python -m tests.support.bench_server serve --port N` (same environment variables as
`puente serve`). The probe is loopback-only test scaffolding and never part of the product:

- `POST /_probe/meeting` creates a published meeting and returns its id;
- `POST /_probe/attendees {meeting, count}` creates confirmed registrations and returns, for
  each, the session cookie and CSRF token a browser would hold after the join link's POST;
- `POST /_probe/record {meeting, type, payload, audience?, count?}` logs events, one
  transaction each, through `realtime.log.record` (as a domain service would);
- socket command `bench_emit {type, payload, logged}` does the same for the connected
  participant: a logged event (`record`) or an ephemeral one (`announce`), so a load generator
  drives the whole command -> service -> commit -> broadcaster path;
- `POST /_probe/question {meeting}` adds a live question; `GET /_probe/votes/<question>`
  counts its stored votes;
- `POST /_probe/poll {meeting, options}` adds an open single-choice poll with live results;
  `GET /_probe/poll/<poll>` counts its stored answers and gives its results as the server
  computes them;
- `POST /_probe/posts {meeting, count}` adds board posts in bulk;
- `POST /_probe/content {meeting, questions, posts, polls}` fills a meeting as it stands an
  hour in: a running agenda clock, live questions with votes, board posts, open and closed
  polls with answers (written directly, no events logged);
- `GET /_probe/registrations/<meeting>` counts registrations by status;
- `GET /_probe/stats` reports this process's pid, CPU seconds, RSS and local sockets.
"""

from __future__ import annotations

import os
import sys


def _patch() -> None:
    mode = os.environ.get("PUENTE_ASYNC_MODE", "eventlet")
    if mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()


if __name__ == "__main__":
    _patch()

import hashlib  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
from datetime import timedelta  # noqa: E402

from flask import Blueprint, current_app, jsonify, request  # noqa: E402
from flask.cli import FlaskGroup  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402

from webapp.core.timeutil import utcnow  # noqa: E402
from webapp.extensions import csrf, db  # noqa: E402

probe = Blueprint("probe", __name__)


def _loopback_only():
    if request.remote_addr not in ("127.0.0.1", "::1"):
        return jsonify(error="loopback only"), 403
    return None


probe.before_request(_loopback_only)


@probe.post("/_probe/meeting")
@csrf.exempt
def make_meeting():
    from webapp.agenda.models import AgendaItem, ItemKind
    from webapp.meetings.models import Meeting, MeetingStatus

    body = request.get_json(silent=True) or {}
    starts_at = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    slug = f"bench-{secrets.token_hex(4)}"
    meeting = Meeting(slug=slug, title="Intercambio Perú–China · 中秘交流", timezone="America/Lima",
                      starts_at=starts_at, planned_end=starts_at + timedelta(hours=2),
                      description="Organizaciones de Lima y Kunming comparten experiencias. " * 4,
                      languages=["es", "zh_Hans"], status=MeetingStatus.PUBLISHED,
                      capacity=body.get("capacity"))
    db.session.add(meeting)
    db.session.flush()
    for position in range(int(body.get("agenda", 0))):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position,
                                  title=f"Punto {position} · 议程 {position}",
                                  description="Intercambio entre organizaciones " * 4,
                                  kind=ItemKind.TALK))
    db.session.commit()
    return jsonify(id=meeting.id, slug=slug)


def _session(app, **values) -> dict:
    """A signed session cookie holding `values` and a CSRF token, as a browser would hold."""
    raw = hashlib.sha1(os.urandom(64)).hexdigest()
    session = {**values, "csrf_token": raw}
    cookie = app.session_interface.get_signing_serializer(app).dumps(session)
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    return {"csrf_token": token, "cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}


@probe.post("/_probe/sessions")
@csrf.exempt
def make_sessions():
    """Fresh visitors' sessions (for form posts), without any page request."""
    app = current_app._get_current_object()
    count = int((request.get_json(force=True) or {}).get("count", 1))
    return jsonify(sessions=[_session(app) for _n in range(count)])


def _credentials(app, meeting_id: int, registration_id: int) -> dict:
    """The cookie and token a browser holds after POSTing its personal join link."""
    from webapp.live.sockets import SESSION_REGISTRATIONS

    return {"registration_id": registration_id,
            **_session(app, **{SESSION_REGISTRATIONS: {str(meeting_id): registration_id}})}


@probe.post("/_probe/attendees")
@csrf.exempt
def make_attendees():
    from webapp.registration.models import Registration, RegistrationStatus

    body = request.get_json(force=True)
    meeting_id, count = int(body["meeting"]), int(body.get("count", 1))
    prefix = secrets.token_hex(3)
    rows = [Registration(meeting_id=meeting_id, name=f"Asistente {prefix}-{n}",
                         email=f"a{prefix}-{n}@example.org", organisation="ONG",
                         country="PE", language="es",
                         status=RegistrationStatus.CONFIRMED, consent_at=utcnow())
            for n in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    app = current_app._get_current_object()
    return jsonify(attendees=[_credentials(app, meeting_id, row.id) for row in rows])


@probe.post("/_probe/record")
@csrf.exempt
def record_events():
    from webapp.realtime import log
    from webapp.realtime.models import Audience

    body = request.get_json(force=True)
    audience = Audience(body.get("audience", "everyone"))
    seqs = []
    for _n in range(int(body.get("count", 1))):
        event = log.record(int(body["meeting"]), body["type"], body.get("payload") or {},
                           audience=audience, registration_id=body.get("registration"))
        db.session.commit()
        seqs.append(event.seq)
    return jsonify(seqs=seqs)


@probe.post("/_probe/question")
@csrf.exempt
def make_question():
    from webapp.qa.models import Question, QuestionStatus

    body = request.get_json(force=True)
    question = Question(meeting_id=int(body["meeting"]), text="¿Votamos esta pregunta? 投票",
                        language="es", status=QuestionStatus.LIVE)
    db.session.add(question)
    db.session.commit()
    return jsonify(id=question.id)


@probe.get("/_probe/votes/<int:question_id>")
def count_votes(question_id: int):
    from sqlalchemy import func, select

    from webapp.qa.models import Question, Vote

    stored = db.session.scalar(select(func.count(Vote.id)).where(
        Vote.question_id == question_id))
    counter = db.session.scalar(select(Question.vote_count).where(Question.id == question_id))
    return jsonify(stored=stored, vote_count=counter)


@probe.post("/_probe/poll")
@csrf.exempt
def make_poll():
    from webapp.core.i18n_text import LocalizedText
    from webapp.polls.models import Poll, PollKind, PollStatus, ResultsVisibility

    body = request.get_json(force=True)
    options = [{"es": f"Opción {n}", "zh_Hans": f"选项 {n}"}
               for n in range(int(body.get("options", 4)))]
    poll = Poll(meeting_id=int(body["meeting"]), position=0, kind=PollKind.SINGLE,
                question=LocalizedText({"es": "¿Qué tema primero?", "zh_Hans": "先讨论哪个主题？"}),
                options=options, results=ResultsVisibility.LIVE, anonymous=True,
                status=PollStatus.OPEN, opened_at=utcnow(), answer_count=0, results_rev=0)
    db.session.add(poll)
    db.session.commit()
    return jsonify(id=poll.id)


@probe.get("/_probe/poll/<int:poll_id>")
def count_answers(poll_id: int):
    from sqlalchemy import func, select

    from webapp.polls import services
    from webapp.polls.models import Poll, PollAnswer

    stored = db.session.scalar(select(func.count(PollAnswer.id)).where(
        PollAnswer.poll_id == poll_id))
    poll = db.session.get(Poll, poll_id)
    return jsonify(stored=stored, answer_count=poll.answer_count,
                   results=services.results_of(poll))


@probe.post("/_probe/posts")
@csrf.exempt
def make_posts():
    body = request.get_json(force=True)
    _insert_posts(int(body["meeting"]), int(body["count"]))
    db.session.commit()
    return jsonify(count=int(body["count"]))


def _insert_posts(meeting_id: int, count: int) -> None:
    from webapp.board.models import Post
    from webapp.registration.models import Registration, RegistrationStatus

    author = Registration(meeting_id=meeting_id, name="Autora del tablero",
                          email=f"board-{secrets.token_hex(3)}@example.org",
                          status=RegistrationStatus.CONFIRMED, consent_at=utcnow())
    db.session.add(author)
    db.session.flush()
    now = utcnow()
    db.session.execute(Post.__table__.insert(), [
        {"meeting_id": meeting_id, "registration_id": author.id, "client_id": f"p{n}",
         "text": f"Mensaje {n}: saludos desde Lima · 来自昆明的问候", "pinned": False,
         "hidden": False, "created_at": now, "updated_at": now}
        for n in range(count)])


@probe.post("/_probe/content")
@csrf.exempt
def make_content():
    """A meeting an hour in: clock running, `questions` live questions (with votes from 60
    voters), `posts` board posts, `polls` polls (half open, half closed, all answered)."""
    from webapp.agenda.models import AgendaItem, ItemKind
    from webapp.core.i18n_text import LocalizedText
    from webapp.meetings.models import Meeting, MeetingStatus
    from webapp.polls.models import (
        AnswerStatus,
        Poll,
        PollAnswer,
        PollKind,
        PollStatus,
        ResultsVisibility,
    )
    from webapp.qa.models import Question, QuestionStatus, Vote
    from webapp.registration.models import Registration, RegistrationStatus

    body = request.get_json(force=True)
    meeting_id = int(body["meeting"])
    now = utcnow()
    meeting = db.session.get(Meeting, meeting_id)
    meeting.status = MeetingStatus.LIVE
    for position in range(8):
        db.session.add(AgendaItem(
            meeting_id=meeting_id, position=position, title=f"Punto {position} · 议程 {position}",
            description="Intercambio entre organizaciones " * 4, kind=ItemKind.TALK,
            actual_start=now - timedelta(minutes=50 - 20 * position) if position < 3 else None,
            actual_end=now - timedelta(minutes=30 - 20 * position) if position < 2 else None))
    prefix = secrets.token_hex(3)
    voters = [Registration(meeting_id=meeting_id, name=f"Votante {prefix}-{n}",
                           email=f"v{prefix}-{n}@example.org", organisation="ONG",
                           country="CN", language="zh_Hans",
                           status=RegistrationStatus.CONFIRMED, consent_at=now)
              for n in range(60)]
    db.session.add_all(voters)
    db.session.flush()
    questions = [Question(meeting_id=meeting_id, registration_id=voters[n % 60].id,
                          text=f"Pregunta {n}: ¿cómo organizaron la vigilancia comunitaria "
                               f"en los barrios? 问题 {n}",
                          language="es", status=QuestionStatus.LIVE, vote_count=0)
                 for n in range(int(body.get("questions", 300)))]
    db.session.add_all(questions)
    db.session.flush()
    votes = []
    for n, question in enumerate(questions):
        count = n % 12  # 0-11 votes, different on each question
        question.vote_count = count
        votes += [{"question_id": question.id, "registration_id": voters[(n + k) % 60].id,
                   "created_at": now} for k in range(count)]
    if votes:
        db.session.execute(Vote.__table__.insert(), votes)
    _insert_posts(meeting_id, int(body.get("posts", 1000)))
    for n in range(int(body.get("polls", 4))):
        poll = Poll(meeting_id=meeting_id, position=n, kind=PollKind.SINGLE,
                    question=LocalizedText({"es": f"¿Qué tema primero? ({n})",
                                            "zh_Hans": f"先讨论哪个主题？（{n}）"}),
                    options=[{"es": f"Opción {k}", "zh_Hans": f"选项 {k}"} for k in range(4)],
                    results=ResultsVisibility.LIVE, anonymous=True,
                    status=PollStatus.OPEN if n % 2 == 0 else PollStatus.CLOSED,
                    opened_at=now - timedelta(minutes=10),
                    closed_at=None if n % 2 == 0 else now - timedelta(minutes=5),
                    answer_count=len(voters), results_rev=len(voters))
        db.session.add(poll)
        db.session.flush()
        db.session.add_all(PollAnswer(poll_id=poll.id, registration_id=voter.id,
                                      client_id=f"c{n}-{k}", value={"choice": k % 4},
                                      status=AnswerStatus.SHOWN)
                           for k, voter in enumerate(voters))
    db.session.commit()
    return jsonify(slug=meeting.slug, questions=len(questions), votes=len(votes))


@probe.get("/_probe/registrations/<int:meeting_id>")
def count_registrations(meeting_id: int):
    from sqlalchemy import func, select

    from webapp.registration.models import Registration

    rows = db.session.execute(select(Registration.status, func.count(Registration.id))
                              .where(Registration.meeting_id == meeting_id)
                              .group_by(Registration.status))
    return jsonify({str(status): count for status, count in rows})


def process_stats() -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/statm") as handle:
        rss_pages = int(handle.read().split()[1])
    from webapp.realtime import handlers

    return {"pid": os.getpid(), "cpu": usage.ru_utime + usage.ru_stime,
            "rss": rss_pages * os.sysconf("SC_PAGE_SIZE"),
            "sockets": len(handlers.connections())}


@probe.get("/_probe/stats")
def stats():
    return jsonify(process_stats())


def on_bench_emit(participant, payload):
    """Log (or announce) one event for the participant's meeting, as a domain service would."""
    from webapp.realtime import log

    kind = payload["type"]
    if not kind.startswith("bench_"):
        return {"ok": False}
    data = payload["payload"]
    if payload["logged"]:
        event = log.record(participant.meeting_id, kind, data)
    else:
        event = log.announce(participant.meeting_id, kind, data)
    db.session.commit()
    return {"seq": event.seq}


def create_app_with_probe():
    from webapp.cli import _create_app_or_exit
    from webapp.realtime import handlers
    from webapp.realtime.handlers import Bool, Field, Role, Str

    class AnyObject(Field):
        def check(self, value, name):
            if not isinstance(value, dict):
                raise self.invalid(name)
            return value

    app = _create_app_or_exit()
    app.register_blueprint(probe)
    handlers.command("bench_emit", role=Role.MEMBER, payload={
        "type": Str(64), "payload": AnyObject(optional=True, default={}),
        "logged": Bool(optional=True, default=True),
    })(on_bench_emit)
    handlers.attach_commands()
    return app


cli = FlaskGroup(create_app=create_app_with_probe, add_default_commands=False)


def main() -> None:
    from webapp.cli import serve

    cli.add_command(serve)
    cli.main(args=sys.argv[1:], prog_name="bench_server")


if __name__ == "__main__":
    main()
