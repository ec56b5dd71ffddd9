"""Questions asked after the meeting are answered in writing and mailed with the follow-up."""

from __future__ import annotations

from tests.factories import demo_agenda, make_registration
from tests.support.mailbox import mails_to
from tests.support.people import attendee
from webapp.agenda import clock_services as clock
from webapp.board import followup_services
from webapp.extensions import db
from webapp.meetings.models import ModerationMode
from webapp.qa import services
from webapp.qa.models import Question


def test_answers_to_after_meeting_questions_go_out_in_each_readers_language(
        app, meeting, mod, moderator_user):
    demo_agenda(meeting)
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    services.update_settings(mod, after_meeting=True)
    clock.start_next(mod)
    clock.end_meeting(mod)
    # Rosa only watched the stream; she asks from her join link once the meeting is over.
    rosa = make_registration(meeting, name="Rosa Mamani", language="es")
    lin = make_registration(meeting, name="林晓", language="zh_Hans")
    asked = services.ask(attendee(rosa), "¿Publicarán el protocolo de vigilancia?",
                         client_id="after-1")
    services.vote(attendee(lin), asked.id, True)
    db.session.expire_all()
    version = db.session.get(Question, asked.id).version
    services.answer(mod, asked.id, version, "Sí: el protocolo estará en la página del encuentro.")

    result = followup_services.publish(moderator_user, meeting,
                                       link="https://puente.example/transcript")

    assert result.sent == 2
    [to_rosa] = mails_to(app, rosa.email)
    [to_lin] = mails_to(app, lin.email)
    assert to_rosa["Subject"].startswith("Respuestas")
    assert to_lin["Subject"].startswith("对您问题的回答")
    for message in (to_rosa, to_lin):
        body = message.get_body(("plain",)).get_content()
        assert "¿Publicarán el protocolo de vigilancia?" in body
        assert "el protocolo estará en la página del encuentro" in body
