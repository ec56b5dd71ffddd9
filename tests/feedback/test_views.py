"""The survey pages: who may open and answer them, the organiser editor, results, CSV, e-mail."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import current_app

from tests.conftest import csrf_token_from
from tests.conftest import forget_request_caches as forget_csrf_cache
from tests.factories import (
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.html import parse
from tests.support.people import second_client
from webapp.accounts.models import RoleKind
from webapp.core.text import forbidden_character
from webapp.core.tokens import new_token
from webapp.extensions import db
from webapp.feedback import services
from webapp.feedback.models import FeedbackQuestion, FeedbackResponse
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import QuestionStatus


@pytest.fixture
def ended(app):
    return make_meeting(status=MeetingStatus.ENDED)


def outbox() -> list:
    folder = Path(current_app.config["PUENTE_OUTBOX"])
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
            for p in sorted(folder.glob("*.eml"))]


def attendee(app, meeting, registration):
    """A browser that joined as `registration`, and its CSRF token."""
    return second_client(app, meeting=meeting, registration=registration)


def test_the_attendee_answers_once_and_then_sees_their_answers(app, ended):
    item = make_agenda_item(ended, title={"zh_Hans": "开幕", "es": "Apertura"})
    person = make_registration(ended)
    http, token = attendee(app, ended, person)
    page = http.get(f"/m/{ended.slug}/feedback")
    assert page.status_code == 200
    doc = parse(page.get_data(as_text=True))
    legends = doc.texts("fieldset.rating-field > legend")
    assert any("overall" in text for text in legends) and any("开幕" in t for t in legends)
    assert len(doc.all("fieldset#overall input[type=radio][name=overall]")) == 5
    assert doc.one(f"fieldset#item-{item.id} > legend").attr("lang") in (None, "zh-Hans")
    forget_csrf_cache()
    sent = http.post(f"/m/{ended.slug}/feedback", data={
        "csrf_token": token, "overall": "5", f"item-{item.id}": "4",
        "comment": "<script>alert(1)</script>"})
    assert sent.status_code == 302
    thanks = http.get(f"/m/{ended.slug}/feedback").get_data(as_text=True)
    assert "Thank you for your feedback" in thanks
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thanks and "<script>alert" not in thanks
    forget_csrf_cache()
    again = http.post(f"/m/{ended.slug}/feedback", data={"csrf_token": token, "overall": "1"})
    assert again.status_code == 409
    assert db.session.query(FeedbackResponse).one().overall == 5


@pytest.mark.parametrize("data", [
    {}, {"overall": "0"}, {"overall": "six"}, {"overall": "3", "comment": "a\x00b"},
    {"overall": "3", "item-1": "9"}, {"overall": "3", "comment": "x" * 6000}])
def test_bad_input_is_a_4xx_with_linked_errors(app, ended, data):
    make_agenda_item(ended, title="Uno")
    http, token = attendee(app, ended, make_registration(ended))
    response = http.post(f"/m/{ended.slug}/feedback", data={"csrf_token": token, **data})
    assert response.status_code == 422
    doc = parse(response.get_data(as_text=True))
    links = [a.attr("href") for a in doc.all("#survey-errors a")]
    assert links and all(f"[id={href[1:]}]" in doc for href in links)
    assert db.session.query(FeedbackResponse).count() == 0


def test_without_csrf_nothing_is_stored(app, ended):
    http, _token = attendee(app, ended, make_registration(ended))
    assert http.post(f"/m/{ended.slug}/feedback", data={"overall": "4"}).status_code == 400
    assert db.session.query(FeedbackResponse).count() == 0


def test_strangers_and_staff_cannot_answer(app, client, ended):
    assert client.get(f"/m/{ended.slug}/feedback").status_code == 403
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    http, token = second_client(app, email=organiser.email)
    assert http.post(f"/m/{ended.slug}/feedback",
                     data={"csrf_token": token, "overall": "5"}).status_code == 403
    waitlisted = make_registration(ended, status="waitlisted")
    http, token = attendee(app, ended, waitlisted)
    assert http.post(f"/m/{ended.slug}/feedback",
                     data={"csrf_token": token, "overall": "5"}).status_code == 403
    assert db.session.query(FeedbackResponse).count() == 0


def test_not_before_the_meeting_ends(app):
    live = make_meeting(status=MeetingStatus.LIVE)
    http, token = attendee(app, live, make_registration(live))
    page = http.post(f"/m/{live.slug}/feedback", data={"csrf_token": token, "overall": "5"})
    assert page.status_code == 403 and "not open" in page.get_data(as_text=True)
    assert db.session.query(FeedbackResponse).count() == 0


def test_the_join_link_opens_the_survey_for_its_registration_only(app, client, ended):
    token, token_hash = new_token()
    person = make_registration(ended, join_token_hash=token_hash)
    assert client.get(f"/m/{ended.slug}/join/{token}/feedback").status_code == 200
    assert client.get(f"/m/{ended.slug}/join/nope/feedback").status_code == 404
    csrf = csrf_token_from(client.get(f"/m/{ended.slug}/join/{token}/feedback")
                           .get_data(as_text=True))
    forget_csrf_cache()
    sent = client.post(f"/m/{ended.slug}/join/{token}/feedback",
                       data={"csrf_token": csrf, "overall": "2"})
    assert sent.status_code == 302
    assert db.session.query(FeedbackResponse).one().registration_id == person.id


def test_the_follow_up_mail_links_to_a_personal_survey_in_the_readers_language(app, ended):
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    asker = make_registration(ended, language="es")
    make_question(ended, asker, text="¿Cuándo?", status=QuestionStatus.ANSWERED,
                  answer_text="Mañana.")
    http, token = second_client(app, email=moderator.email)
    http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    (mail,) = outbox()
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"].startswith("Respuestas")  # the recipient's language
    link = re.search(r"(http\S+/m/" + ended.slug + r"/feedback/\S+)", text).group(1)
    html = mail.get_body(("html",)).get_content()
    assert link in html
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = app.test_client()
    page = anonymous.get("/" + path)
    assert page.status_code == 200 and 'name="overall"' in page.get_data(as_text=True)
    csrf = csrf_token_from(page.get_data(as_text=True))
    forget_csrf_cache()
    assert anonymous.post("/" + path, data={"csrf_token": csrf, "overall": "4"}
                          ).status_code == 302
    assert db.session.query(FeedbackResponse).one().registration_id == asker.id
    assert anonymous.get(f"/m/{ended.slug}/feedback/forged").status_code == 404


def test_no_survey_link_while_the_survey_is_closed(app, ended):
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    services.configure(organiser, ended.id, open_early=False, closed=True)
    asker = make_registration(ended, language="en")
    make_question(ended, asker, text="When?", status=QuestionStatus.ANSWERED,
                  answer_text="Tomorrow.")
    http, token = second_client(app, email=organiser.email)
    http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    (mail,) = outbox()
    assert "/feedback/" not in mail.get_body(("plain",)).get_content()


def test_organisers_edit_questions_side_by_side(app, ended):
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    http, token = second_client(app, email=organiser.email)
    base = f"/organiser/meetings/{ended.id}/feedback"
    page = http.get(f"{base}/questions/new").get_data(as_text=True)
    assert 'name="label-zh_Hans"' in page and 'name="label-es"' in page
    forget_csrf_cache()
    saved = http.post(f"{base}/questions/new", data={
        "csrf_token": token, "label-zh_Hans": "您会再来吗？", "label-es": "¿Volverías?",
        "kind": "rating"})
    assert saved.status_code == 302
    question = db.session.query(FeedbackQuestion).one()
    assert question.label.as_dict() == {"zh_Hans": "您会再来吗？", "es": "¿Volverías?"}
    forget_csrf_cache()
    assert http.post(f"{base}/questions/new", data={
        "csrf_token": token, "label-zh_Hans": "", "label-es": "", "kind": "rating"}
    ).status_code == 422
    forget_csrf_cache()
    assert http.post(f"{base}/settings", data={"csrf_token": token, "closed": "y"}
                     ).status_code == 302
    assert not services.is_open(ended)
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    mod_http, mod_token = second_client(app, email=moderator.email)
    assert mod_http.get(base).status_code == 200
    assert mod_http.post(f"{base}/settings", data={"csrf_token": mod_token}
                         ).status_code == 403
    assert mod_http.post(f"{base}/questions/{question.id}/delete",
                         data={"csrf_token": mod_token}).status_code == 403


def test_results_and_csv_are_for_staff_only(app, client, ended):
    item = make_agenda_item(ended, title="Panel")
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    rated = services.add_question(organiser, ended.id, label="¿Útil?", kind="rating")
    services.add_question(organiser, ended.id, label="¿Qué mejorar?", kind="text")
    services.submit(ended, make_registration(ended), services.Answers(
        overall=4, items={item.id: 3}, questions={rated.id: 5},
        comment="<b>Gracias</b>"))
    http, _token = second_client(app, email=organiser.email)
    dashboard = http.get(f"/organiser/meetings/{ended.id}/").get_data(as_text=True)
    doc = parse(dashboard)
    headings = doc.texts("section#feedback h3")
    assert "Survey: the meeting overall" in headings and "Survey: ¿Útil?" in headings
    assert "&lt;b&gt;Gracias&lt;/b&gt;" in dashboard
    assert "Panel" in doc.texts("section#feedback table th[scope=row]")
    csv_page = http.get(f"/organiser/meetings/{ended.id}/feedback.csv")
    assert csv_page.status_code == 200
    assert f'filename="feedback-{ended.slug}.csv"' in csv_page.headers["Content-Disposition"]
    assert csv_page.headers["Cache-Control"] == "no-store"
    attendee_http, _ = attendee(app, ended, make_registration(ended))
    for browser in (client, attendee_http):
        assert browser.get(f"/organiser/meetings/{ended.id}/feedback.csv").status_code in (
            302, 403, 404)
        assert b"Gracias" not in browser.get(f"/organiser/meetings/{ended.id}/").data
    stranger = make_user()
    stranger_http, _ = second_client(app, email=stranger.email)
    assert stranger_http.get(f"/organiser/meetings/{ended.id}/feedback.csv"
                             ).status_code == 404


@pytest.mark.blns
def test_naughty_strings_round_trip_or_get_a_clear_refusal(app, ended):
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    question = services.add_question(organiser, ended.id, label="¿Qué?", kind="text")
    organiser_http, _ = second_client(app, email=organiser.email)
    for text in blns_strings():
        person = make_registration(ended)
        http, token = attendee(app, ended, person)
        response = http.post(f"/m/{ended.slug}/feedback", data={
            "csrf_token": token, "overall": "3", "comment": text,
            f"question-{question.id}": text})
        if forbidden_character(text) is not None:
            assert response.status_code == 422, repr(text)
            continue
        assert response.status_code == 302, (repr(text), response.status_code)
        stored = services.response_of(person)
        expected = "" if not text.strip() else text.replace("\r\n", "\n").replace("\r", "\n")
        assert stored.comment == expected, repr(text)
        assert http.get(f"/m/{ended.slug}/feedback").status_code == 200
    assert organiser_http.get(f"/organiser/meetings/{ended.id}/").status_code == 200
    assert organiser_http.get(f"/organiser/meetings/{ended.id}/feedback.csv"
                              ).status_code == 200


def test_the_join_link_page_and_the_live_page_point_to_the_survey(app, client, ended):
    token, token_hash = new_token()
    person = make_registration(ended, join_token_hash=token_hash)
    page = parse(client.get(f"/m/{ended.slug}/join/{token}").get_data(as_text=True))
    assert f"a[href='/m/{ended.slug}/join/{token}/feedback']" in page
    http, _csrf = attendee(app, ended, person)
    live = parse(http.get(f"/m/{ended.slug}/live").get_data(as_text=True))
    assert live.one("a[data-after=feedback]").attr("href") == f"/m/{ended.slug}/feedback"
