"""Translations of questions, answers and announcements; the interpreter role."""

from __future__ import annotations

import csv
import io
import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import current_app

from tests.conftest import forget_request_caches
from tests.factories import make_question, make_registration, make_user
from tests.support.blns import blns_strings
from tests.support.people import attendee, new_staff, second_client, staff
from webapp.accounts.models import RoleKind, User
from webapp.board import services as board_services
from webapp.core.text import forbidden_character
from webapp.core.timeutil import utcnow
from webapp.errors import DomainError, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa import export_services, translation_services
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.qa.sockets import STAFF_COMMANDS


def _interpreter(meeting):
    return staff(make_user(meeting=meeting, role=RoleKind.INTERPRETER), meeting,
                 RoleKind.INTERPRETER)


# --- services ------------------------------------------------------------------------------

def test_set_correct_and_remove_a_translation(meeting):
    question = make_question(meeting, text="如何资助社区中心？", language="zh_Hans")
    version = question.version
    interpreter = _interpreter(meeting)
    translation_services.set_translation(interpreter, question.id, "es",
                                         "¿Cómo se financian?", machine=True)
    db.session.expire_all()
    stored = db.session.get(Question, question.id)
    assert stored.translations["es"]["text"] == "¿Cómo se financian?"
    assert stored.translations["es"]["machine"] is True and stored.translations["es"]["by"] is None
    assert stored.version == version  # a moderator's view does not go stale
    translation_services.set_translation(interpreter, question.id, "es",
                                         "¿Cómo se financian los centros?")
    db.session.expire_all()
    entry = db.session.get(Question, question.id).translations["es"]
    assert entry["machine"] is False and entry["by"] == interpreter.user_id
    # A later machine suggestion never overwrites a person's translation.
    translation_services.set_translation(interpreter, question.id, "es", "otra", machine=True)
    db.session.expire_all()
    assert db.session.get(Question, question.id).translations["es"]["text"] == \
        "¿Cómo se financian los centros?"
    translation_services.set_translation(interpreter, question.id, "es", "  ")
    db.session.expire_all()
    assert db.session.get(Question, question.id).translations is None


def test_language_must_be_another_meeting_language(meeting):
    question = make_question(meeting, text="¿Hola?", language="es")
    moderator = new_staff(meeting)
    for language in ("es", "fr", "", None, 5):
        with pytest.raises(InvalidInput) as refused:
            translation_services.set_translation(moderator, question.id, language, "你好")
        assert refused.value.details["field"] == "language"
    with pytest.raises(InvalidInput):
        translation_services.set_translation(moderator, question.id, "zh_Hans", "x" * 5000)
    with pytest.raises(InvalidInput):
        translation_services.set_translation(moderator, question.id, "zh_Hans", "nul\x00")
    with pytest.raises(NotFound):  # no written answer yet
        translation_services.set_translation(moderator, question.id, "zh_Hans", "答",
                                             field="answer")


def test_attendees_cannot_translate_and_interpreters_see_no_dismissed(meeting):
    question = make_question(meeting, language="es")
    asker = attendee(make_registration(meeting))
    with pytest.raises(DomainError) as refused:
        translation_services.set_translation(asker, question.id, "zh_Hans", "你好")
    assert refused.value.code == "forbidden"
    dismissed = make_question(meeting, language="es", status=QuestionStatus.DISMISSED)
    with pytest.raises(NotFound):
        translation_services.set_translation(_interpreter(meeting), dismissed.id, "zh_Hans", "x")


def test_blns_translations_round_trip(meeting):
    question = make_question(meeting, language="es", answer_text="Sí")
    moderator = new_staff(meeting)
    for text in blns_strings():
        for field in ("text", "answer"):
            try:
                translation_services.set_translation(moderator, question.id, "zh_Hans", text,
                                                     field=field)
            except InvalidInput:
                assert forbidden_character(text) is not None or len(text) > 1500, text
                continue
            db.session.expire_all()
            stored = db.session.get(Question, question.id)
            value = stored.translations if field == "text" else stored.answer_translations
            if text.strip():
                assert value["zh_Hans"]["text"] == text.replace("\r\n", "\n").replace("\r", "\n")
            else:
                assert value is None or "zh_Hans" not in value


def test_announcement_translation(meeting):
    moderator = new_staff(meeting)
    post = board_services.post(moderator, "Bienvenidos")
    interpreter = _interpreter(meeting)
    with pytest.raises(InvalidInput):  # announcements are in the meeting's default language
        board_services.translate(interpreter, post.id, "zh_Hans", "欢迎")
    board_services.translate(interpreter, post.id, "es", "Bienvenidos a todos")
    assert board_services.serialise(post)["translations"]["es"]["text"] == \
        "Bienvenidos a todos"
    someone = attendee(make_registration(meeting))
    attendee_post = board_services.post(someone, "hola")
    with pytest.raises(NotFound):
        board_services.translate(moderator, attendee_post.id, "es", "hola")
    with pytest.raises(DomainError):
        board_services.translate(someone, post.id, "es", "x")
    with pytest.raises(DomainError) as refused:  # interpreters translate, they do not post
        board_services.post(interpreter, "hola")
    assert refused.value.code == "forbidden"


# --- sockets -------------------------------------------------------------------------------

@pytest.fixture
def people(meeting, live_sockets):
    asker = make_registration(meeting, name="Secret Asker", email="asker@example.org",
                              organisation="Secret Org")
    other = make_registration(meeting)
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    interpreter = make_user(meeting=meeting, role=RoleKind.INTERPRETER)

    class People:
        asker_reg = asker
        asker_sio = live_sockets.attendee(asker)
        other_sio = live_sockets.attendee(other)
        staff_sio = live_sockets.staff(moderator, meeting.id)
        interpreter_sio = live_sockets.staff(interpreter, meeting.id)

    return People


def _ask(sio, text):
    return sio.emit("ask_question", {"text": text, "client_id": text[:30], "language": "zh_Hans"},
                    callback=True)["question"]


def test_interpreter_sees_pending_questions_without_personal_data(people, meeting, received):
    pending = _ask(people.asker_sio, "如何资助社区中心？")
    changed = received.of(people.interpreter_sio, "interpreter_question_changed")
    assert changed and changed[0]["question"]["id"] == pending["id"]
    assert received.of(people.interpreter_sio, "staff_question_changed") == []
    snapshot = people.interpreter_sio.emit("join", {}, callback=True)["snapshot"]
    assert [q["id"] for q in snapshot["qa"]["questions"]] == [pending["id"]]
    wire = json.dumps([changed, snapshot], ensure_ascii=False)
    for secret in ("Secret Asker", "asker@example.org", "Secret Org", "registration_id",
                   "email"):
        assert secret not in wire, secret


def test_translation_of_a_pending_question_reaches_staff_and_interpreters_only(
        people, meeting, received):
    pending = _ask(people.asker_sio, "如何资助社区中心？")
    for sio in (people.asker_sio, people.other_sio, people.staff_sio, people.interpreter_sio):
        sio.get_received()
    ack = people.interpreter_sio.emit("translate_question", {
        "question_id": pending["id"], "language": "es", "text": "¿Cómo se financian?"},
        callback=True)
    assert ack["ok"] is True and ack["translations"]["es"] == {
        "text": "¿Cómo se financian?", "machine": False}
    for sio in (people.staff_sio, people.interpreter_sio):
        [event] = received.of(sio, "question_translated")
        assert event["question_id"] == pending["id"] and event["seq"] > 0
    assert received(people.other_sio) == [] and received(people.asker_sio) == []
    # Approved, the question and its translation reach everyone.
    version = db.session.get(Question, pending["id"]).version
    assert people.staff_sio.emit("approve_question", {"question_id": pending["id"],
                                                      "version": version}, callback=True)["ok"]
    [published] = received.of(people.other_sio, "question_published")
    assert published["question"]["translations"]["es"]["text"] == "¿Cómo se financian?"


def test_attendee_cannot_translate_and_interpreter_cannot_moderate(people, meeting):
    question = make_question(meeting, make_registration(meeting), language="es",
                             status=QuestionStatus.PENDING)
    payload = {"question_id": question.id, "language": "zh_Hans", "text": "你好"}
    for command in ("translate_question", "translate_answer"):
        ack = people.asker_sio.emit(command, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", command
    ack = people.asker_sio.emit("translate_post", {"post_id": 1, "language": "es", "text": "x"},
                                callback=True)
    assert ack["error"]["code"] == "forbidden"
    everything = {"question_id": question.id, "version": question.version, "reason": "other",
                  "text": "hijacked", "into_id": question.id, "into_version": question.version,
                  "labels": ["x"], "starred": True, "action": "approve",
                  "items": [{"question_id": question.id, "version": question.version}],
                  "moderation": "post", "open": False,
                  "registration_id": question.registration_id, "muted": True, "banned": True,
                  "question_ids": [question.id]}
    for command in sorted(STAFF_COMMANDS):
        ack = people.interpreter_sio.emit(command, everything, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", command
    db.session.expire_all()
    assert db.session.get(Question, question.id).status == QuestionStatus.PENDING
    assert people.interpreter_sio.emit("translate_question", payload, callback=True)["ok"]


def test_translation_events_replay_after_a_rejoin(people, meeting, received, live_sockets):
    question = make_question(meeting, language="es", answer_text="Con fondos públicos.",
                             status=QuestionStatus.ANSWERED)
    seq = people.other_sio.emit("join", {}, callback=True)["seq"]
    people.other_sio.disconnect()
    assert people.staff_sio.emit("translate_answer", {
        "question_id": question.id, "language": "zh_Hans", "text": "公共资金。"},
        callback=True)["ok"]
    people.asker_sio.disconnect()  # a dropped connection: the new one's join replays the gap
    replay = live_sockets.attendee(people.asker_reg).emit("join", {"last_seq": seq},
                                                          callback=True)
    [event] = [e for e in replay["events"] if e["type"] == "question_translated"]
    assert event["data"]["answer_translations"]["zh_Hans"]["text"] == "公共资金。"
    assert event["data"]["seq"] > seq


def test_announcement_translation_is_broadcast(people, meeting, received):
    post_id = people.staff_sio.emit("post_message", {"text": "Bienvenidos"},
                                    callback=True)["id"]
    people.other_sio.get_received()
    # The meeting's default language is the announcement's: Spanish here.
    meeting.languages, meeting.default_language = ["es", "zh_Hans"], "es"
    db.session.commit()
    ack = people.interpreter_sio.emit("translate_post", {
        "post_id": post_id, "language": "zh_Hans", "text": "欢迎"}, callback=True)
    assert ack["ok"] and ack["translations"]["zh_Hans"]["text"] == "欢迎"
    [event] = received.of(people.other_sio, "post_translated")
    assert event["post_id"] == post_id and event["translations"]["zh_Hans"]["text"] == "欢迎"


# --- after the meeting: export, transcript, follow-up e-mail -------------------------------

def test_csv_export_has_a_column_per_language(meeting):
    moderator = new_staff(meeting)
    question = make_question(meeting, text="如何资助？", language="zh_Hans",
                             status=QuestionStatus.ANSWERED, answer_text="通过基金。")
    translation_services.set_translation(moderator, question.id, "es", "=¿Cómo se financia?")
    translation_services.set_translation(moderator, question.id, "es", "Con fondos.",
                                         field="answer")
    data = export_services.questions_csv(db.session.get(User, moderator.user_id), meeting.id)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[-4:] == ["Question (zh_Hans)", "Question (es)", "Written answer (zh_Hans)",
                           "Written answer (es)"]
    assert rows[1][-4:] == ["", "'=¿Cómo se financia?", "", "Con fondos."]


def test_transcript_and_follow_up_mail_carry_translations(app, meeting):
    meeting.status = MeetingStatus.ENDED
    meeting.wall_published = True
    db.session.commit()
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    asker = make_registration(meeting, language="zh_Hans")
    voter = make_registration(meeting, language="es")
    question = make_question(meeting, asker, text="社区如何联动？", language="zh_Hans",
                             status=QuestionStatus.ANSWERED, answered_at=utcnow(),
                             answer_text="三方联动。")
    db.session.add(Vote(question_id=question.id, registration_id=voter.id, created_at=utcnow()))
    db.session.commit()
    actor = staff(moderator, meeting)
    translation_services.set_translation(actor, question.id, "es", "¿Cómo colaboran?",
                                         machine=True)
    translation_services.set_translation(actor, question.id, "es", "Colaboran los tres.",
                                         field="answer")
    http, token = second_client(app, email=moderator.email)
    page = http.get(f"/m/{meeting.slug}/transcript").get_data(as_text=True)
    assert page.index("社区如何联动？") < page.index("¿Cómo colaboran?")
    assert "Machine translation" in page and "Colaboran los tres." in page
    forget_request_caches()
    http.post(f"/m/{meeting.slug}/follow-up/publish", data={"csrf_token": token})
    folder = Path(current_app.config["PUENTE_OUTBOX"])
    mails = [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
             for p in sorted(folder.glob("*.eml"))]
    by_person = {m["To"]: m.get_body(("plain",)).get_content() for m in mails}
    assert "¿Cómo colaboran?" in by_person[voter.email]
    assert "Colaboran los tres." in by_person[voter.email]
    assert "¿Cómo colaboran?" not in by_person[asker.email]
