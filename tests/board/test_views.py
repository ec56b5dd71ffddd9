"""After-meeting pages: transcript, wall, follow-up (answers + one digest per person), CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import current_app

from tests.conftest import csrf_token_from
from tests.conftest import forget_request_caches as forget_csrf_cache
from tests.factories import (
    demo_agenda,
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.html import parse
from tests.support.people import attendee, second_client, staff
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
from webapp.board import services
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration.models import RegistrationStatus


@pytest.fixture
def ended(meeting):
    meeting.status = MeetingStatus.ENDED
    db.session.commit()
    return meeting


def outbox() -> list:
    folder = Path(current_app.config["PUENTE_OUTBOX"])
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
            for p in sorted(folder.glob("*.eml"))]


def vote(question, registration):
    db.session.add(Vote(question_id=question.id, registration_id=registration.id,
                        created_at=utcnow()))
    question.vote_count += 1
    db.session.commit()


def test_transcript_groups_answers_by_agenda_item_with_times_votes_and_answerer(
        app, client, ended):
    ended.wall_published = True  # a published record names the askers to everyone
    ended.starts_at = datetime(2026, 3, 10, 2, 0)  # 10:00 in Shanghai, 21:00 the day before in Lima
    ended.planned_end = ended.starts_at + timedelta(hours=2)
    db.session.commit()
    opening, community, infection = (make_agenda_item(ended, title=title)
                                     for title in ("Opening", "Community", "Infection"))
    answerer = make_user(meeting=ended, role=RoleKind.MODERATOR)
    asker = make_registration(ended, name="梁顺", organisation="Sociedad")

    def at(minutes: int) -> datetime:
        return ended.starts_at + timedelta(minutes=minutes)

    answered = dict(status=QuestionStatus.ANSWERED)
    make_question(ended, asker, text="On infection?", agenda_item_id=infection.id,
                  created_at=at(50), answered_at=at(56), answered_by_id=answerer.id,
                  answer_text="<script>alert(1)</script>Yes", vote_count=4, **answered)
    make_question(ended, asker, text="In general?", created_at=at(100), answered_at=at(125),
                  answered_by_id=answerer.id, anonymous=True, **answered)
    make_question(ended, asker, text="Later on community?", agenda_item_id=community.id,
                  created_at=at(12), answered_at=at(30), vote_count=1, **answered)
    make_question(ended, asker, text="On community?", agenda_item_id=community.id,
                  created_at=at(15), answered_at=at(19), vote_count=2, **answered)
    make_question(ended, asker, text="Never answered", agenda_item_id=opening.id,
                  status=QuestionStatus.LIVE)
    client.set_cookie("tz", "America/Lima")
    html = client.get(f"/m/{ended.slug}/transcript").get_data(as_text=True)
    page = parse(html)

    groups = page.all("section.transcript-group")
    assert [group.one("h2").text for group in groups] == ["Community", "Infection", "General"]
    assert [group.texts("ol.transcript-list > li.transcript-entry > .transcript-question")
            for group in groups] == [["On community?", "Later on community?"],
                                     ["On infection?"], ["In general?"]]
    assert "Never answered" not in html and "Opening" not in page.one("article").text

    def facts(entry) -> dict:
        times = {kind: entry.one(f".transcript-{kind} time")
                 for kind in ("asked", "answered")}
        return {
            **{kind: (time.attr("datetime"), time.text) for kind, time in times.items()},
            "votes": entry.one(".transcript-votes dd").text,
            "by": [dd.text for dd in entry.all(".transcript-answerer dd")],
            "answer": [p.text for p in entry.all(".transcript-answer p")],
            "live": [p.text for p in entry.all("p.transcript-live")],
            "asker": entry.one("p.transcript-asker").text,
        }

    on_community = facts(groups[0].all("li.transcript-entry")[0])
    assert on_community == {
        "asked": ("2026-03-10T02:15:00Z",
                  "Tuesday, March 10, 2026, 10:15 AM Shanghai · 9:15 PM Lima (-1 day)"),
        "answered": ("2026-03-10T02:19:00Z",
                     "Tuesday, March 10, 2026, 10:19 AM Shanghai · 9:19 PM Lima (-1 day)"),
        "votes": "2", "by": [], "answer": [], "live": ["Answered live"],
        "asker": "梁顺, Sociedad",
    }
    on_infection = facts(groups[1].one("li.transcript-entry"))
    assert on_infection["asked"] == (
        "2026-03-10T02:50:00Z",
        "Tuesday, March 10, 2026, 10:50 AM Shanghai · 9:50 PM Lima (-1 day)")
    assert on_infection["answered"][0] == "2026-03-10T02:56:00Z"
    assert on_infection["votes"] == "4" and on_infection["by"] == [answerer.name]
    assert on_infection["answer"] == ["Written answer", "<script>alert(1)</script>Yes"]
    assert on_infection["live"] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Yes" in html and "<script>alert" not in html
    assert page.all("article script") == []
    in_general = facts(groups[2].one("li.transcript-entry"))
    assert in_general["answered"] == (
        "2026-03-10T04:05:00Z",
        "Tuesday, March 10, 2026, 12:05 PM Shanghai · 11:05 PM Lima (-1 day)")
    assert in_general["asker"] == "Anonymous" and in_general["votes"] == "0"
    assert client.get("/m/nope/transcript").status_code == 404


def test_transcript_in_the_meeting_zone_only_when_the_viewer_shares_it(app, client, ended):
    ended.starts_at = datetime(2026, 3, 10, 2, 0)
    db.session.commit()
    make_question(ended, text="¿Y?", status=QuestionStatus.ANSWERED,
                  created_at=ended.starts_at, answered_at=ended.starts_at + timedelta(minutes=3))
    client.set_cookie("tz", "Asia/Shanghai")
    page = parse(client.get(f"/m/{ended.slug}/transcript", headers={"Accept-Language": "es"}).data)
    asked = page.one(".transcript-asked time")
    assert asked.attr("datetime") == "2026-03-10T02:00:00Z"
    assert asked.one(".meeting-time").text == "martes, 10 de marzo de 2026, 10:00 Shanghái"
    assert asked.all(".viewer-time") == []  # the viewer reads the meeting's own clock


def test_wall_is_public_read_only_and_pages_back(app, client, ended, me, mod):
    ended.wall_published = True
    db.session.commit()
    for n in range(55):
        services.post(me, f"mensaje {n} <img src=x onerror=alert(1)>")
    page = client.get(f"/m/{ended.slug}/wall")
    html = page.get_data(as_text=True)
    wall = parse(html)
    texts = wall.texts("ol.wall-posts .board-text")
    assert page.status_code == 200
    assert texts[0] == "mensaje 5 <img src=x onerror=alert(1)>"  # oldest first, as on the board
    assert texts[-1] == "mensaje 54 <img src=x onerror=alert(1)>"
    assert "mensaje 4 <img src=x onerror=alert(1)>" not in texts
    assert "<img src=x" not in html and wall.all("img[onerror]") == []
    sections = [s.attr("aria-labelledby") for s in wall.all("article.wall section")]
    assert sections == ["wall-posts", "wall-orgs", "wall-countries"]  # messages, then figures
    assert wall.texts("section[aria-labelledby=wall-orgs] tbody td")[0] == "Minsa"
    assert wall.texts("section[aria-labelledby=wall-countries] tbody td")[0] == "Peru"
    older = client.get(wall.one("nav.wall-pages a").attr("href"))
    assert "mensaje 4 <img src=x onerror=alert(1)>" in parse(older.data).texts(
        "ol.wall-posts .board-text")
    assert client.get(f"/m/{ended.slug}/wall?before=abc").status_code == 200


def test_wall_shows_paragraphs_links_and_countries_in_the_readers_language(client, ended, me):
    ended.wall_published = True
    db.session.commit()
    services.post(me, "Gracias.\r\n\r\nVideo: https://example.org/v\r\njavascript:alert(1)")
    wall = parse(client.get(f"/m/{ended.slug}/wall", headers={"Accept-Language": "es"}).data)
    post = wall.one("ol.wall-posts .board-text")
    assert post.texts("p") == ["Gracias.", "Video: https://example.org/vjavascript:alert(1)"]
    assert [(a.attr("href"), a.attr("rel")) for a in post.all("a")] == [
        ("https://example.org/v", "nofollow noopener")]
    assert len(post.all("br")) == 1
    assert wall.texts("section[aria-labelledby=wall-countries] tbody td")[0] == "Perú"


def test_board_export_is_a_named_csv_download_like_the_others(app, ended, me):
    services.post(me, "Hola")
    http, _token = second_client(app, email=make_user(meeting=ended, role=RoleKind.MODERATOR).email,
                                 meeting=ended)
    response = http.get(f"/m/{ended.slug}/board.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="board-{ended.slug}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "Posted (UTC)", "Posted", "Author"] and rows[1][8] == "Hola"


def test_draft_meetings_have_no_public_pages(app, client):
    draft = make_meeting(status=MeetingStatus.DRAFT)
    for path in ("transcript", "wall", "follow-up", "board.csv", "clock"):
        assert client.get(f"/m/{draft.slug}/{path}").status_code == 404


@pytest.mark.parametrize("who, status", [
    ("anonymous", 404), ("attendee", 404), ("speaker", 403), ("other_moderator", 403),
    ("moderator", 200), ("organiser", 200)])
def test_follow_up_and_export_authorisation(app, ended, who, status):
    other = make_meeting()
    email = None
    if who in ("speaker", "moderator", "organiser"):
        email = make_user(meeting=ended, role=RoleKind(who)).email
    elif who == "other_moderator":
        email = make_user(meeting=other, role=RoleKind.MODERATOR).email
    registration = make_registration(ended) if who == "attendee" else None
    http, token = second_client(app, email=email, meeting=ended, registration=registration)
    assert http.get(f"/m/{ended.slug}/follow-up").status_code == status
    assert http.get(f"/m/{ended.slug}/board.csv").status_code == (
        200 if status == 200 else 403)
    forget_csrf_cache()
    published = http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    assert published.status_code == (302 if status == 200 else status)


def test_follow_up_answers_and_one_digest_per_person(app, ended):
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    asker = make_registration(ended, language="zh_Hans", name="张淑静")
    voter = make_registration(ended, language="es", name="Rosa")
    both = make_registration(ended, language="en", name="Sam")
    bystander = make_registration(ended)
    q1 = make_question(ended, asker, text="社区如何联动？", language="zh_Hans")
    q2 = make_question(ended, both, text="How many volunteers?")
    untouched = make_question(ended, bystander, text="Nobody answers this")
    vote(q1, voter)
    vote(q1, both)
    vote(q2, voter)
    http, token = second_client(app, email=mod_user.email)
    page = http.get(f"/m/{ended.slug}/follow-up").get_data(as_text=True)
    assert "社区如何联动？" in page and "Nobody answers this" in page
    for question, text in ((q1, "通过社区、医院和志愿者三方联动。\nSegunda línea"),
                           (q2, "About 120.")):
        forget_csrf_cache()
        response = http.post(f"/m/{ended.slug}/follow-up", data={
            "csrf_token": token, "question_id": question.id, "text": text})
        assert response.status_code == 302
    forget_csrf_cache()
    assert http.post(f"/m/{ended.slug}/follow-up", data={
        "csrf_token": token, "question_id": untouched.id, "text": "  "}).status_code == 400
    db.session.expire_all()
    answered = db.session.get(Question, q1.id)
    assert answered.status == QuestionStatus.ANSWERED and answered.answered_by_id == mod_user.id
    forget_csrf_cache()
    http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    mails = outbox()
    by_person = {m["To"]: m for m in mails}
    # Everyone registered is thanked once; who asked or voted also gets the answers.
    assert sorted(by_person) == sorted([asker.email, voter.email, both.email, bystander.email])
    assert len(mails) == 4  # each person once, however many questions they followed
    assert by_person[bystander.email]["Subject"].startswith("Gracias por participar")  # es
    thanks = by_person[bystander.email].get_body(("plain",)).get_content()
    assert "社区如何联动" not in thanks and f"/m/{ended.slug}/feedback/" in thanks  # survey link
    assert "社区如何联动" in by_person[asker.email].get_body(("plain",)).get_content()
    assert by_person[voter.email]["Subject"].startswith("Respuestas")
    rosa = by_person[voter.email].get_body(("plain",)).get_content()
    assert "About 120." in rosa and "三方联动" in rosa
    assert by_person[asker.email]["Subject"].startswith("对您问题的回答")
    forget_csrf_cache()
    again = http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token},
                      follow_redirects=True)
    assert len(outbox()) == 4 and again.status_code == 200


def test_publishing_before_the_end_is_refused(app, meeting):
    mod_user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    http, token = second_client(app, email=mod_user.email)
    page = http.post(f"/m/{meeting.slug}/follow-up/publish", data={"csrf_token": token},
                     follow_redirects=True).get_data(as_text=True)
    assert "after the meeting has ended" in page and outbox() == []


@pytest.mark.blns
def test_blns_answers_round_trip_or_fail_cleanly(app, ended):
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    question = make_question(ended, make_registration(ended))
    http, token = second_client(app, email=mod_user.email)
    for text in blns_strings():
        forget_csrf_cache()
        response = http.post(f"/m/{ended.slug}/follow-up", data={
            "csrf_token": token, "question_id": question.id, "text": text})
        assert response.status_code in (302, 400), text
        if response.status_code == 302:
            db.session.expire_all()
            # browsers send CRLF and WTForms keeps it: compare what a form would carry
            assert db.session.get(Question, question.id).answer_text == text
    assert client_free_render(http, ended)


def client_free_render(http, meeting) -> bool:
    forget_csrf_cache()
    return http.get(f"/m/{meeting.slug}/transcript").status_code == 200


def test_meeting_page_links_after_the_end(app, client, ended):
    def after_links(http_client, meeting) -> list[str]:
        """Every link on the page to one of the meeting's own pages, except its calendar."""
        hrefs = [link.attr("href") for link in parse(
            http_client.get(f"/m/{meeting.slug}").data).all("a[href]")]
        return [href for href in hrefs
                if href.startswith(f"/m/{meeting.slug}/") and not href.endswith(".ics")]

    base = f"/m/{ended.slug}"
    assert after_links(client, ended) == [f"{base}/transcript"]  # wall and follow-up unpublished
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    http, _token = second_client(app, email=mod_user.email)
    assert after_links(http, ended) == [f"{base}/transcript", f"{base}/wall", f"{base}/follow-up"]
    ended.wall_published = True
    db.session.commit()
    forget_csrf_cache()
    assert after_links(client, ended) == [f"{base}/transcript", f"{base}/wall"]
    live = make_meeting()
    html = app.test_client().get(f"/m/{live.slug}").get_data(as_text=True)
    assert "/wall" not in html and "ul.after-links" not in parse(html)


def test_clock_page_renders_for_staff_with_controls(app, meeting):
    demo_agenda(meeting)
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    http, _token = second_client(app, email=user.email)
    page = parse(http.get(f"/m/{meeting.slug}/clock").data)
    assert "section[data-clock-controls]" in page and "section[data-clock]" in page
    assert "div[data-board] form[data-board-settings]" in page
    forget_csrf_cache()
    public = app.test_client().get(f"/m/{meeting.slug}/clock").get_data(as_text=True)
    assert "data-clock-controls" not in public and "data-board-settings" not in public
    assert "[data-clock-controls]" not in parse(public)
    assert "[data-board-settings]" not in parse(public)
    assert csrf_token_from(public)


def test_clock_partials_render_the_warning_and_both_zones(app, meeting):
    items = demo_agenda(meeting)
    now = utcnow()
    meeting.starts_at = now - timedelta(hours=3)
    meeting.planned_end = now - timedelta(hours=1)
    meeting.latest_end = now - timedelta(minutes=30)
    db.session.commit()
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    clock_services.jump_to(staff(user, meeting, RoleKind.ORGANISER), items[5].id,
                           now=now - timedelta(minutes=40))
    http, _token = second_client(app, email=user.email)
    http.set_cookie("tz", "America/Lima")
    html = http.get(f"/m/{meeting.slug}/clock").get_data(as_text=True)
    page = parse(html)
    warning = page.one("[data-clock-controls] [data-clock-warning]")
    assert not warning.has("hidden") and warning.attr("role") == "alert"
    assert "is past the latest acceptable end" in warning.text
    assert "Questions" in html
    assert "min over" in page.one("section[data-clock] [data-clock-overrun]").text
    meeting_zone, viewer_zone = page.one("section[data-clock] [data-clock-end]").text.split(" · ")
    assert "Shanghai" in meeting_zone and "Lima" in viewer_zone




# --- who may see the wall ------------------------------------------------------------------

def wall_status(app, meeting, *, email=None, registration=None) -> int:
    http, _token = second_client(app, email=email, meeting=meeting, registration=registration)
    forget_csrf_cache()
    return http.get(f"/m/{meeting.slug}/wall").status_code


@pytest.mark.parametrize("board_mode", ["open", "read_only", "off"])
@pytest.mark.parametrize("stage", ["upcoming", "ended", "published"])
def test_wall_is_for_staff_and_joined_attendees_until_published(
        app, meeting, me, registration, board_mode, stage):
    """Anonymous visitor, attendee who joined, staff, and everyone once published."""
    from webapp.meetings.models import BoardMode

    services.post(me, "Saludos desde Cusco")
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    other_staff = make_user(meeting=make_meeting(), role=RoleKind.ORGANISER)
    cancelled = make_registration(meeting, status=RegistrationStatus.CANCELLED)
    meeting.board_mode = BoardMode(board_mode)
    if stage != "upcoming":
        meeting.status = MeetingStatus.ENDED
    meeting.wall_published = stage == "published"
    db.session.commit()
    board_on = board_mode != "off"
    public = stage == "published" and board_on
    expected = {
        "anonymous visitor": 200 if public else 404,
        "organiser of another meeting": 200 if public else 404,
        "cancelled registration": 200 if public else 404,
        "attendee who joined": 200 if board_on else 404,
        "moderator": 200,
    }
    seen = {
        "anonymous visitor": wall_status(app, meeting),
        "organiser of another meeting": wall_status(app, meeting, email=other_staff.email),
        "cancelled registration": wall_status(app, meeting, registration=cancelled),
        "attendee who joined": wall_status(app, meeting, registration=registration),
        "moderator": wall_status(app, meeting, email=moderator.email),
    }
    assert seen == expected


def test_organisers_publish_the_wall_from_the_board_settings(app, ended, me):
    from tests.conftest import login

    services.post(me, "Gracias")
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    assert app.test_client().get(f"/m/{ended.slug}/wall").status_code == 404
    http = app.test_client()
    login(http, organiser.email)
    forget_csrf_cache()
    page = http.get(f"/organiser/meetings/{ended.id}/qa").get_data(as_text=True)
    response = http.post(f"/organiser/meetings/{ended.id}/qa/board", data={
        "board-csrf_token": csrf_token_from(page), "board-mode": "open",
        "board-slow_seconds": "0", "board-publish_wall": "y"})
    assert response.status_code == 302
    db.session.refresh(ended)
    assert ended.wall_published
    forget_csrf_cache()
    assert app.test_client().get(f"/m/{ended.slug}/wall").status_code == 200


def test_transcript_names_askers_only_to_those_who_may_see_who_took_part(
        app, ended, registration):
    """The transcript stays public (it is mailed with the follow-up), its askers' names not."""
    asker = make_registration(ended, name="梁顺", organisation="Sociedad Central")
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    make_question(ended, asker, text="¿Vacunas?", status=QuestionStatus.ANSWERED,
                  answered_at=utcnow(), answer_text="Sí", answered_by_id=moderator.id)
    attendee = make_registration(ended)

    def names_shown(**viewer) -> bool:
        http, _token = second_client(app, meeting=ended, **viewer)
        forget_csrf_cache()
        html = http.get(f"/m/{ended.slug}/transcript").get_data(as_text=True)
        assert "¿Vacunas?" in html
        asker_named = "梁顺" in html or "Sociedad Central" in html
        assert (moderator.name in html) == asker_named  # the answerer only beside the asker
        return asker_named

    assert not names_shown()
    assert names_shown(registration=attendee)
    assert names_shown(email=moderator.email)
    ended.wall_published = True
    db.session.commit()
    assert names_shown()


def test_wall_marks_each_post_and_name_with_its_language(client, ended, me):
    ended.wall_published = True
    db.session.commit()
    chinese = attendee(make_registration(ended, name="王芳"))
    services.post(chinese, "感谢分享")
    services.post(me, "¡Gracias!")
    wall = parse(client.get(f"/m/{ended.slug}/wall").data)
    posts = wall.all("ol.wall-posts li.board-post")
    assert [p.one(".board-text").attr("lang") for p in posts] == ["zh-Hans", "es"]
    assert [(p.one(".board-meta strong span").text, p.one(".board-meta strong span").attr("lang"))
            for p in posts] == [("王芳", "zh-Hans"), ("María José Quispe", "es")]
