"""Organiser pages through the Flask client: who may see and change what, forms, CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from tests.factories import make_agenda_item, make_question, make_registration, make_speaker
from tests.support.forms import meeting_form
from tests.support.html import parse
from webapp.agenda.models import AgendaItem
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.registration.models import RegistrationQuestion, RegistrationStatus

READ_PAGES = ["/", "/details", "/qa", "/agenda", "/speakers", "/questions", "/registrations",
              "/staff"]
WRITE_PAGES = ["/agenda/new", "/speakers/new", "/questions/new", "/registrations.csv"]


def page(meeting, suffix):
    return f"/organiser/meetings/{meeting.id}{suffix}"


def test_anonymous_visitors_are_sent_to_login(client, cast):
    for suffix in READ_PAGES + WRITE_PAGES:
        response = client.get(page(cast.meeting_a, suffix))
        assert response.status_code == 302, suffix
        assert "/login" in response.headers["Location"]
    assert "/login" in client.get("/organiser/").headers["Location"]
    response = client.post(page(cast.meeting_a, "/publish"))
    assert response.status_code in (302, 400)
    db.session.refresh(cast.meeting_a)
    assert cast.meeting_a.status == MeetingStatus.PUBLISHED


@pytest.mark.parametrize("who, suffixes, status", [
    ("admin", READ_PAGES + WRITE_PAGES, 200),
    ("organiser_a", READ_PAGES + WRITE_PAGES, 200),
    ("moderator_a", READ_PAGES, 200),
    ("moderator_a", WRITE_PAGES, 403),
    ("speaker_a", READ_PAGES + WRITE_PAGES, 404),
    ("interpreter_a", READ_PAGES + WRITE_PAGES, 404),
    ("organiser_b", READ_PAGES + WRITE_PAGES, 404),
])
def test_authorisation_matrix_on_meeting_a(cast, as_user, who, suffixes, status):
    client = as_user(getattr(cast, who))
    for suffix in suffixes:
        assert client.get(page(cast.meeting_a, suffix)).status_code == status, suffix


@pytest.mark.parametrize("who, console, translations", [
    ("organiser_a", 200, 200),
    ("moderator_a", 200, 200),
    ("interpreter_a", 302, 200),
    ("speaker_a", 404, 404),
    ("organiser_b", 404, 404),
])
def test_console_and_translation_pages_by_role(cast, as_user, who, console, translations):
    client = as_user(getattr(cast, who))
    slug = cast.meeting_a.slug
    response = client.get(f"/m/{slug}/console")
    assert response.status_code == console
    if console == 302:  # interpreters are sent to the translation console, nothing else
        assert response.headers["Location"].endswith(f"/m/{slug}/console/translations")
    assert client.get(f"/m/{slug}/console/translations").status_code == translations
    assert client.get(f"/m/{slug}/questions.csv").status_code == (
        404 if who in ("interpreter_a", "speaker_a", "organiser_b") else 200)


def test_objects_of_meeting_a_are_not_reachable_through_meeting_b(cast, as_user):
    item = make_agenda_item(cast.meeting_a)
    speaker = make_speaker(cast.meeting_a)
    person = make_registration(cast.meeting_a)
    client = as_user(cast.organiser_b)
    for suffix in (f"/agenda/{item.id}", f"/speakers/{speaker.id}",
                   f"/registrations/{person.id}", f"/registrations/{person.id}/export.json"):
        assert client.get(page(cast.meeting_b, suffix)).status_code == 404, suffix
        assert client.get(page(cast.meeting_a, suffix)).status_code == 404, suffix
    response = client.post_form(page(cast.meeting_b, f"/registrations/{person.id}/cancel"))
    assert response.status_code == 404
    response = client.post_form(page(cast.meeting_b, "/registrations/bulk"),
                                {"action": "cancel", "ids": [str(person.id)]})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.status == RegistrationStatus.CONFIRMED
    response = client.post_form(page(cast.meeting_b, f"/agenda/{item.id}/delete"))
    assert response.status_code == 404
    assert db.session.get(AgendaItem, item.id) is not None


def test_moderator_sees_a_read_only_editor_and_cannot_post(cast, as_user):
    client = as_user(cast.moderator_a)
    details = parse(client.get(page(cast.meeting_a, "/details")).data)
    assert details.one("form.org-form > fieldset").has("disabled")
    assert "form.org-form button[type=submit]" not in details
    assert details.one(".badge-readonly").text.startswith("Read-only")
    assert client.post_form(page(cast.meeting_a, "/details"), {"title": "X"}).status_code == 403
    assert client.post_form(page(cast.meeting_a, "/publish")).status_code == 403
    assert client.post_form(page(cast.meeting_a, "/qa/questions"),
                            {"qa-max_length": "100"}).status_code == 403


def test_posts_without_csrf_are_refused(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post(page(cast.meeting_a, "/publish"))
    assert response.status_code == 400
    response = client.post(page(cast.meeting_a, "/speakers/new"), data={"name": "Sin token"})
    assert response.status_code == 400
    assert cast.meeting_a.speakers == []


def test_organiser_creates_and_edits_a_meeting(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new",
                                meeting_form(status="published", is_admin="1", id="999"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "session-12"))
    assert meeting.status == MeetingStatus.DRAFT  # the extra field was ignored
    assert meeting.description == "Línea 1\n第二行"  # the browser's CRLF, normalised
    assert [o.name for o in meeting.organisations] == ["Asociación A", "机构 B"]
    assert meeting.capacity == 120 and meeting.retention_days == 90
    details = parse(client.get(page(meeting, "/details")).data).one("form.org-form")
    assert details.one("input[name=starts_local]").attr("value") == "2026-12-03T10:00"
    assert not details.one("fieldset.org-plain").has("disabled")
    response = client.post_form(page(meeting, "/details"),
                                meeting_form(title="Nuevo título", slug="session-12"))
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.title == "Nuevo título"
    client.post_form(page(meeting, "/publish"))
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED


@pytest.mark.parametrize("change, message", [
    ({"title": "a\x00b"}, "control character"),
    ({"starts_local": "tomorrow"}, "Not a valid datetime"),
    ({"planned_end_local": "2026-12-03T09:00"}, "planned end must be after"),
    ({"slug": "Con Espacios"}, "lower-case letters"),
    ({"timezone": "Mars/Base"}, "Choose a time zone from the list"),
    ({"capacity": "-4"}, "Number must be"),
    ({"title": "x" * 301}, "at most 300 characters"),
])
def test_meeting_form_errors_are_shown_not_500(cast, as_user, change, message):
    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new", meeting_form(**change))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_qa_and_board_settings_pages(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post_form(page(cast.meeting_a, "/qa/questions"), {
        "qa-moderation": "post", "qa-max_length": "800", "qa-anonymous": "y",
        "qa-after_meeting": "y"})
    assert response.status_code == 302
    response = client.post_form(page(cast.meeting_a, "/qa/board"), {
        "board-mode": "off", "board-slow_seconds": "15"})
    assert response.status_code == 302
    db.session.refresh(cast.meeting_a)
    meeting = cast.meeting_a
    assert (meeting.qa_moderation.value, meeting.qa_open, meeting.anonymous_questions,
            meeting.question_max_length) == ("post", False, True, 800)
    assert meeting.after_meeting_questions is True
    editor = parse(client.get(page(meeting, "/qa")).data)
    assert editor.one("input[name=qa-after_meeting]").has("checked")
    assert (meeting.board_mode.value, meeting.board_slow_seconds) == ("off", 15)
    response = client.post_form(page(cast.meeting_a, "/qa/board"), {
        "board-mode": "open", "board-slow_seconds": "99999"})
    assert response.status_code == 200 and "Number must be" in response.get_data(as_text=True)


def test_agenda_editor_without_javascript(cast, as_user):
    meeting = cast.meeting_a
    client = as_user(cast.organiser_a)
    client.post_form(page(meeting, "/speakers/new"), {"name": "陈晓北", "title": "主任医师",
                                                      "affiliation": "医院", "bio": ""})
    client.post_form(page(meeting, "/speakers/new"), {"name": "Rosa Quispe"})
    chen, rosa = sorted(cast.meeting_a.speakers, key=lambda s: s.name != "陈晓北")
    for title in ("Apertura", "Ponencia"):
        response = client.post_form(page(meeting, "/agenda/new"), {
            "title": title, "kind": "talk", "planned_minutes": "20",
            "speakers-0-speaker": str(rosa.id), "speakers-0-role": "speaker",
            "speakers-1-speaker": str(chen.id), "speakers-1-role": "speaker",
            "speakers-2-speaker": "", "speakers-2-role": "speaker"})
        assert response.status_code == 302
    db.session.expire_all()
    first, second = cast.meeting_a.agenda_items
    assert [s.name for s in first.speakers] == ["Rosa Quispe", "陈晓北"]
    client.post_form(page(meeting, f"/agenda/{second.id}/up"))
    db.session.expire_all()
    assert [i.title for i in cast.meeting_a.agenda_items] == ["Ponencia", "Apertura"]
    agenda = parse(client.get(page(meeting, "/agenda")).data)
    assert agenda.one(f"tr#item-{first.id}").all("td")[3].text == "Rosa Quispe; 陈晓北"
    client.post_form(page(meeting, f"/agenda/{first.id}/delete"))
    db.session.expire_all()
    assert [i.title for i in cast.meeting_a.agenda_items] == ["Ponencia"]


def _panel_post(title: str, rows: list[tuple]) -> dict:
    data = {"title": title, "kind": "panel", "planned_minutes": "60"}
    for index, row in enumerate(rows):
        speaker, role, *rest = row
        data[f"speakers-{index}-speaker"] = str(speaker)
        data[f"speakers-{index}-role"] = role
        if rest and rest[0] is not None:
            data[f"speakers-{index}-order"] = str(rest[0])
        if len(rest) > 1 and rest[1]:
            data[f"speakers-{index}-remove"] = "y"
    return data


def test_agenda_item_speakers_with_roles_without_javascript(cast, as_user):
    """A panel of four experts and its moderator: rows of speaker, role, place and remove."""
    meeting = cast.meeting_a
    client = as_user(cast.organiser_a)
    names = ["Moderadora", "Guo Yi", "Liu Laiyu", "Wu Yongming", "Zhou Hao"]
    for name in names:
        client.post_form(page(meeting, "/speakers/new"), {"name": name,
                                                          "affiliation": "Nanfang Hospital"})
    db.session.expire_all()
    ids = {s.name: s.id for s in cast.meeting_a.speakers}
    form = parse(client.get(page(meeting, "/agenda/new")).data)
    assert len(form.all("li.speaker-row")) == 3  # empty rows to fill in
    rows = [(ids[name], "panellist") for name in names[1:]] + [(ids["Moderadora"], "moderator")]
    response = client.post_form(page(meeting, "/agenda/new"),
                                _panel_post("Grupo de expertos", [*rows, ("", "speaker")]))
    assert response.status_code == 302
    db.session.expire_all()
    (item,) = cast.meeting_a.agenda_items
    assert [(link.speaker.name, link.role.value) for link in item.speaker_links] == [
        ("Guo Yi", "panellist"), ("Liu Laiyu", "panellist"), ("Wu Yongming", "panellist"),
        ("Zhou Hao", "panellist"), ("Moderadora", "moderator")]

    # The edit page lists the five with their roles and places, then three empty rows.
    edit = parse(client.get(page(meeting, f"/agenda/{item.id}")).data)
    rows_html = edit.all("li.speaker-row")
    assert len(rows_html) == 8
    assert rows_html[4].one("select[name=speakers-4-role] option[selected]").attr("value") \
        == "moderator"
    assert rows_html[4].one("input[name=speakers-4-order]").attr("value") == "5"

    # Without JavaScript: the place numbers reorder (moderator first), "remove" drops a row.
    rows = [(ids[name], "panellist", number) for number, name in enumerate(names[1:], start=2)]
    rows.append((ids["Moderadora"], "moderator", 1))
    rows[1] = (*rows[1], True)  # Liu Laiyu removed
    response = client.post_form(page(meeting, f"/agenda/{item.id}"),
                                _panel_post("Grupo de expertos", rows))
    assert response.status_code == 302
    db.session.expire_all()
    assert [link.speaker.name for link in item.speaker_links] == [
        "Moderadora", "Guo Yi", "Wu Yongming", "Zhou Hao"]
    assert [link.position for link in item.speaker_links] == [0, 1, 2, 3]

    # Roles show on the public meeting page and the organisers' agenda.
    public = parse(client.get(f"/m/{meeting.slug}").data)
    first = public.all("ul.speakers li")[0]
    assert first.one(".speaker-role").text == "Moderator:" and "Moderadora" in first.text
    agenda = parse(client.get(page(meeting, "/agenda")).data)
    assert agenda.one(f"tr#item-{item.id}").all("td")[3].text.startswith(
        "Moderadora (Moderator); Guo Yi (Panellist)")

    # The same speaker twice, a speaker of another meeting: refused with a message.
    twice = _panel_post("Grupo", [(ids["Guo Yi"], "panellist"), (ids["Guo Yi"], "moderator")])
    response = client.post_form(page(meeting, f"/agenda/{item.id}"), twice)
    assert response.status_code == 200
    assert "only once per item" in response.get_data(as_text=True)
    other = make_speaker(cast.meeting_b, name="Elsewhere")
    foreign = _panel_post("Grupo", [(other.id, "panellist")])
    response = client.post_form(page(meeting, f"/agenda/{item.id}"), foreign)
    assert response.status_code == 200
    db.session.expire_all()
    assert len(item.speaker_links) == 4


def test_custom_question_pages(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post_form(page(cast.meeting_a, "/questions/new"), {
        "label": "¿Área de trabajo? 工作领域", "kind": "choice",
        "choices": "Salud pública\r\n公共卫生\r\n", "required": "y"})
    assert response.status_code == 302
    question = db.session.scalar(select(RegistrationQuestion))
    assert [key for key, _label in question.options()] == ["Salud pública", "公共卫生"]
    assert question.required
    response = client.post_form(page(cast.meeting_a, "/questions/new"), {
        "label": "Sola", "kind": "choice", "choices": "una"})
    assert "at least two choices" in response.get_data(as_text=True)


def test_registration_list_actions_and_bulk(cast, as_user):
    meeting = cast.meeting_a
    pending = [make_registration(meeting, status=RegistrationStatus.PENDING)
               for _ in range(2)]
    other = make_registration(meeting, status=RegistrationStatus.PENDING)
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/registrations/bulk"), {
        "action": "approve", "ids": [str(r.id) for r in pending], "query": "status=pending"})
    assert response.status_code == 302 and "status=pending" in response.headers["Location"]
    for registration in pending:
        db.session.refresh(registration)
        assert registration.status == RegistrationStatus.CONFIRMED
    db.session.refresh(other)
    assert other.status == RegistrationStatus.PENDING
    response = client.post_form(page(meeting, f"/registrations/{other.id}/reject"))
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.status == RegistrationStatus.REJECTED
    client.post_form(page(meeting, f"/registrations/{other.id}/revoke"))
    db.session.refresh(other)
    assert other.join_token_hash is None
    listed = parse(client.get(page(meeting, "/registrations?status=rejected")).data)
    assert listed.texts("table.registrations tbody th[scope=row] a") == [other.name]


def test_registration_list_survives_strange_parameters(cast, as_user):
    make_registration(cast.meeting_a, name="María")
    client = as_user(cast.organiser_a)
    for query in ("?page=abc", "?page=-1", "?sort=../../etc", "?q=%00", "?country=%E4%B8%AD",
                  "?status=' OR 1=1 --", "?q=" + "x" * 5000, "?desc=1&sort=joined"):
        response = client.get(page(cast.meeting_a, "/registrations" + query))
        assert response.status_code == 200, query


def test_list_stays_usable_with_250_rows(cast, as_user):
    for n in range(250):
        make_registration(cast.meeting_a, name=f"Persona {n:03d}")
    client = as_user(cast.organiser_a)
    html = client.get(page(cast.meeting_a, "/registrations?sort=name")).get_data(as_text=True)
    names = parse(html).texts("table.registrations tbody th[scope=row] a")
    assert names == [f"Persona {n:03d}" for n in range(100)] and "Page 1 of 3" in html
    html = client.get(page(cast.meeting_a, "/registrations?sort=name&page=3")).get_data(
        as_text=True)
    names = parse(html).texts("table.registrations tbody th[scope=row] a")
    assert names == [f"Persona {n:03d}" for n in range(200, 250)]


def test_csv_download_with_bom_and_neutralised_formulas(cast, as_user):
    make_registration(cast.meeting_a, name="张伟", organisation="上海市第一人民医院")
    make_registration(cast.meeting_a, name="José Ñúñez", organisation="=1+2")
    client = as_user(cast.organiser_a)
    response = client.get(page(cast.meeting_a, "/registrations.csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="registrations-{cast.meeting_a.slug}.csv"'

    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = {row[1]: row[3] for row in rows[1:]}
    assert names == {"张伟": "上海市第一人民医院", "José Ñúñez": "'=1+2"}
    filtered = client.get(page(cast.meeting_a, "/registrations.csv?q=Jos"))
    assert len(list(csv.reader(io.StringIO(filtered.data.decode("utf-8-sig"))))) == 2


def test_export_one_person_as_json(cast, as_user):
    person = make_registration(cast.meeting_a, name="张伟")
    client = as_user(cast.organiser_a)
    response = client.get(page(cast.meeting_a, f"/registrations/{person.id}/export.json"))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.data)["name"] == "张伟"
    assert as_user(cast.moderator_a).get(
        page(cast.meeting_a, f"/registrations/{person.id}/export.json")).status_code == 403


def test_dashboard_charts_have_titles_and_tables(cast, as_user):
    make_registration(cast.meeting_a, country="CN", name="<script>alert(1)</script>")
    asker = make_registration(cast.meeting_a, country="PE", organisation_type="parliament")
    make_question(cast.meeting_a, asker)
    html = as_user(cast.moderator_a).get(page(cast.meeting_a, "/")).get_data(as_text=True)
    charts = parse(html).all("section.org-chart")
    assert len(charts) == 15  # 13, and the survey's overall and agenda item charts
    for chart in charts:
        svg = chart.one("svg[role=img]")
        title, desc = svg.attr("aria-labelledby").split()
        assert svg.one(f"title#{title}").text and svg.one(f"desc#{desc}").text
        assert chart.one("details > summary").text.startswith("Show as a table")
        assert chart.one("details table caption").text == chart.one("h3").text
    (by_type,) = [chart for chart in charts
                  if chart.one("h3").text == "Questions by the askers' organisation type"]
    assert by_type.texts("table tbody th[scope=row]") == ["Parliament"]
    assert "<script>alert(1)" not in html



def test_organiser_home_lists_only_own_meetings(cast, as_user):
    html = as_user(cast.organiser_b).get("/organiser/").get_data(as_text=True)
    assert str(cast.meeting_b.title) in html and str(cast.meeting_a.title) not in html
    assert as_user(cast.speaker_a).get("/organiser/").status_code == 403
