"""Who may open the live page, the console, the presenter screen and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from flask_babel import refresh

from tests.conftest import csrf_token_from, forget_request_caches, login
from tests.factories import (
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.core.i18n_text import LocalizedText
from webapp.extensions import db
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings.models import MeetingStatus
from webapp.qa import presenter_services
from webapp.qa.models import QuestionStatus
from webapp.registration.models import RegistrationStatus

BLNS = blns_strings()
PASSWORD = "correct horse battery"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _PageData(HTMLParser):
    """The `<script type="application/json" data-json>` blocks directly inside one element.

    That is where static/js/live/data.js `readJSON(root, name)` looks; a panel's own blocks
    (clock, board) nested deeper are not the page's. `is_root(tag, attrs)` picks the element.
    """

    def __init__(self, is_root):
        super().__init__()
        self.is_root, self.stack, self.blocks, self.reading = is_root, [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "script" and self.stack and self.stack[-1]
                and attrs.get("type") == "application/json" and "data-json" in attrs):
            self.reading = attrs["data-json"]
            self.blocks[self.reading] = ""
        if tag not in VOID:
            self.stack.append(self.is_root(tag, attrs))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()
        self.reading = None

    def handle_data(self, data):
        if self.reading:
            self.blocks[self.reading] += data


def page_data(html: str, root_id: str | None = None, is_root=None) -> dict:
    parser = _PageData(is_root or (lambda tag, attrs: attrs.get("id") == root_id))
    parser.feed(html)
    parser.close()
    return {name: json.loads(text) for name, text in parser.blocks.items()}


#: Switch person within one test (see tests/conftest.py).
fresh_identity = forget_request_caches


def joined(client, registration) -> None:
    """What the join link POST leaves in the session."""
    with client.session_transaction() as session:
        registrations = dict(session.get(SESSION_REGISTRATIONS) or {})
        registrations[str(registration.meeting_id)] = registration.id
        session[SESSION_REGISTRATIONS] = registrations


@pytest.fixture
def meeting(app):
    return make_meeting(title="Pacific Bridge 11")


@pytest.fixture
def other_meeting(app):
    return make_meeting(title="Another meeting")


# --- attendee live page ---------------------------------------------------------------------

def test_joined_attendee_gets_the_live_page(client, meeting):
    registration = make_registration(meeting, name="Lucía Quispe",
                                      organisation="Red de Salud Comunitaria")
    joined(client, registration)
    response = client.get(f"/m/{meeting.slug}/live")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = parse(html)
    live = page.one("#qa-live")
    assert live.attr("data-meeting-id") == str(meeting.id)
    assert live.attr("data-registration-id") == str(registration.id)
    assert live.attr("data-staff") == "false"
    assert live.one("form#ask-form").one("#ask-as").text == \
        "Asking as Lucía Quispe · Red de Salud Comunitaria"
    assert "ol#question-list" in live
    assert [s.attr("src") for s in page.all("script[src]")][-1].endswith("js/qa-attendee.js")
    assert any(link.attr("href").endswith("css/live.css")
               for link in page.all("head link[rel=stylesheet]"))
    data = page_data(html, "qa-live")
    assert data["strings"]["anonymous"] == "Anonymous"
    assert isinstance(data["agenda"], list)


def test_page_data_blocks_hold_hostile_text_as_data(client, meeting):
    """Agenda titles reach the clock's JSON block intact and cannot close the script element."""
    hostile = '</script><script>alert(1)</script><!-- "quoted" & \'single\' -->'
    make_agenda_item(meeting, title=hostile)
    registration = make_registration(meeting, name=hostile)
    joined(client, registration)
    html = client.get(f"/m/{meeting.slug}/live").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    clock = page_data(html, is_root=lambda tag, attrs: "data-clock" in attrs)
    assert [item["title"] for item in clock["state"]["items"]] == [hostile]
    assert clock["strings"]["elapsed"] == "%(elapsed)s of %(planned)s min"
    page = page_data(html, "qa-live")
    assert page["strings"]["votes_other"] == "%(num)d votes"


def test_anonymous_visitor_gets_how_to_join(client, meeting):
    response = client.get(f"/m/{meeting.slug}/live")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "personal link" in html
    page = parse(html)
    assert page.one(".join-help a.button.primary").attr("href") == f"/m/{meeting.slug}"
    assert "#ask-form" not in page and "#qa-live" not in page


def test_attendee_of_one_meeting_cannot_open_another(client, meeting, other_meeting):
    joined(client, make_registration(meeting))
    assert client.get(f"/m/{meeting.slug}/live").status_code == 200
    response = client.get(f"/m/{other_meeting.slug}/live")
    assert response.status_code == 403
    assert "#ask-form" not in parse(response.data)


def test_session_pointing_at_a_foreign_registration_is_refused(client, meeting, other_meeting):
    """A registration id of meeting A stored under meeting B's key opens nothing."""
    foreign = make_registration(other_meeting)
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting.id): foreign.id}
    assert client.get(f"/m/{meeting.slug}/live").status_code == 403


@pytest.mark.parametrize("change", [{"banned": True}, {"status": RegistrationStatus.CANCELLED},
                                    {"status": RegistrationStatus.WAITLISTED}])
def test_banned_or_unconfirmed_attendee_gets_how_to_join(client, meeting, change):
    registration = make_registration(meeting, **change)
    joined(client, registration)
    assert client.get(f"/m/{meeting.slug}/live").status_code == 403


def test_staff_may_open_the_live_page(client, meeting):
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, user.email, PASSWORD)
    response = client.get(f"/m/{meeting.slug}/live")
    assert response.status_code == 200
    assert parse(response.data).one("#qa-live").attr("data-staff") == "true"


def test_draft_meeting_live_page_is_not_found(client):
    draft = make_meeting(status=MeetingStatus.DRAFT)
    assert client.get(f"/m/{draft.slug}/live").status_code == 404
    assert client.get("/m/no-such-meeting/live").status_code == 404


def test_live_page_escapes_names(client, meeting):
    registration = make_registration(meeting, name='<script>alert(1)</script>',
                                      organisation='"><img src=x onerror=alert(2)>')
    joined(client, registration)
    html = client.get(f"/m/{meeting.slug}/live").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = parse(html)
    assert page.one("#ask-as").text == \
        'Asking as <script>alert(1)</script> · "><img src=x onerror=alert(2)>'
    assert all("alert(1)" not in script.text for script in page.all("script"))
    assert page.all("img[onerror]") == []


def test_anonymous_toggle_hidden_when_not_allowed(client, meeting):
    meeting.anonymous_questions = False
    db.session.commit()
    joined(client, make_registration(meeting))
    page = parse(client.get(f"/m/{meeting.slug}/live").data)
    assert page.one("#qa-live").attr("data-anonymous-allowed") == "false"
    assert page.one("form#ask-form #ask-anonymous-row").has("hidden")


@pytest.mark.parametrize("language,expected", [("es", "Preguntas"), ("zh_Hans", "问题")])
def test_live_page_is_translated(client, meeting, language, expected):
    joined(client, make_registration(meeting))
    with client.session_transaction() as session:
        session["lang"] = language
    html = client.get(f"/m/{meeting.slug}/live").get_data(as_text=True)
    assert expected in html


# --- moderator console ------------------------------------------------------------------------

def test_console_requires_login(client, meeting):
    response = client.get(f"/m/{meeting.slug}/console")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_console_for_staff_of_this_meeting_only(client, meeting, other_meeting):
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, moderator.email, PASSWORD)
    response = client.get(f"/m/{meeting.slug}/console")
    assert response.status_code == 200
    page = parse(response.data)
    assert "ol#queue-list" in page and "dialog#shortcuts-dialog" in page
    assert [s.attr("src") for s in page.all("script[src]")][-1].endswith("js/qa-console.js")
    # A moderator of this meeting is nobody in another one.
    assert client.get(f"/m/{other_meeting.slug}/console").status_code == 404


def test_console_names_countries_in_the_moderators_language(client, meeting):
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, moderator.email, PASSWORD)
    with client.session_transaction() as session:
        session["lang"] = "zh_Hans"
    refresh()  # the tests' shared app context keeps the language of the login page
    page = parse(client.get(f"/m/{meeting.slug}/console").data)
    countries = json.loads(page.one("script[data-json=countries]").raw_text)
    assert countries["PE"] == "秘鲁" and countries["ES"] == "西班牙"


def test_attendee_cannot_open_the_console(client, meeting):
    joined(client, make_registration(meeting))
    assert client.get(f"/m/{meeting.slug}/console").status_code == 302


def test_console_settings_are_live_controls_for_moderators(client, meeting):
    """Moderators change Q&A settings live over the socket; the form only carries values."""
    meeting.qa_open = False
    db.session.commit()
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, moderator.email, PASSWORD)
    settings = parse(client.get(f"/m/{meeting.slug}/console").data).one("form#settings-form")
    open_box = settings.one("input#setting-open")
    assert open_box.attr("type") == "checkbox" and open_box.attr("name") == "open"
    assert not open_box.has("checked")
    assert settings.one("input#mod-pre[value=pre]").has("checked")
    assert not settings.one("input#mod-post").has("checked")
    assert settings.all("[disabled]") == []


# --- presenter ------------------------------------------------------------------------------

def _staff_client(client, meeting, role=RoleKind.MODERATOR):
    user = make_user(meeting=meeting, role=role)
    fresh_identity()
    login(client, user.email, PASSWORD)
    return user


def _create_presenter_link(client, meeting) -> str:
    fresh_identity()
    html = client.get(f"/m/{meeting.slug}/console").get_data(as_text=True)
    response = client.post(f"/m/{meeting.slug}/console/presenter-link",
                           data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 200
    field = parse(response.data).one("input#presenter-url")
    assert field.has("readonly") and field.attr("value")
    return field.attr("value")


def test_staff_creates_a_presenter_link_that_opens_the_screen(app, client, meeting):
    _staff_client(client, meeting)
    url = _create_presenter_link(client, meeting)
    path = url.split("://", 1)[1].split("/", 1)[1]
    token = path.rsplit("/", 1)[1]
    # Only the hash is stored.
    db.session.refresh(meeting)
    assert meeting.presenter_token_hash and token not in meeting.presenter_token_hash

    registration = make_registration(meeting, name="Liang Shun", organisation="Beneficencia")
    make_question(meeting, registration, text="¿Qué aprendieron en Wuhan?", highlighted=True,
                  vote_count=7)
    make_question(meeting, make_registration(meeting), text="Second question", vote_count=3)
    make_question(meeting, registration, text="Secret anonymous one", anonymous=True,
                  vote_count=2)
    make_question(meeting, registration, text="Still pending", status=QuestionStatus.PENDING,
                  vote_count=50)
    anonymous_client = app.test_client()
    fresh_identity()
    response = anonymous_client.get("/" + path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = parse(html)
    cards = {card.one(".presenter-text").text: card.one(".presenter-author").text
             for card in page.all("article.presenter-card")}
    assert set(cards) == {"¿Qué aprendieron en Wuhan?", "Second question",
                          "Secret anonymous one"}
    assert cards["¿Qué aprendieron en Wuhan?"] == "Liang Shun · Beneficencia"
    assert cards["Secret anonymous one"] == "Anonymous"  # no author on an anonymous question
    assert "Still pending" not in html
    qr_codes = page.all(".presenter-join img.qr")
    assert len(qr_codes) == 2
    assert all(img.attr("src").startswith("data:image/svg+xml") for img in qr_codes)
    assert f"/m/{meeting.slug}" in page.one(".presenter-join .presenter-url").text
    assert response.headers["Cache-Control"] == "no-store"
    assert [s.attr("src") for s in page.all("script[src]")][-1].endswith("js/qa-presenter.js")


def test_wrong_and_rotated_presenter_tokens_are_refused(app, client, meeting, other_meeting):
    _staff_client(client, meeting)
    first = _create_presenter_link(client, meeting).split("/present/", 1)[1]
    viewer = app.test_client()
    fresh_identity()
    assert viewer.get(f"/m/{meeting.slug}/present/{first}").status_code == 200
    assert viewer.get(f"/m/{meeting.slug}/present/{first}x").status_code == 404
    assert viewer.get(f"/m/{meeting.slug}/present/").status_code == 404
    # The right token for the wrong meeting opens nothing.
    assert viewer.get(f"/m/{other_meeting.slug}/present/{first}").status_code == 404
    second = _create_presenter_link(client, meeting).split("/present/", 1)[1]
    assert second != first
    fresh_identity()
    assert viewer.get(f"/m/{meeting.slug}/present/{first}").status_code == 404
    assert viewer.get(f"/m/{meeting.slug}/present/{second}").status_code == 200


def test_presenter_theme_from_query(app, client, meeting):
    _staff_client(client, meeting)
    token = _create_presenter_link(client, meeting).split("/present/", 1)[1]
    viewer = app.test_client()
    dark = parse(viewer.get(f"/m/{meeting.slug}/present/{token}").data).one("html")
    assert dark.classes == {"presenter-html", "theme-dark"}
    light = parse(viewer.get(f"/m/{meeting.slug}/present/{token}?theme=light").data).one("html")
    assert light.classes == {"presenter-html", "theme-light"}


def test_presenter_lang_fixes_the_page_language_whatever_the_browser(app, client):
    meeting = make_meeting(
        title=LocalizedText({"es": "Intercambio Puente", "zh_Hans": "太平洋之桥交流会",
                             "en": "Pacific Bridge"}),
        languages=["es", "zh_Hans", "en"], default_language="es")
    make_question(meeting, make_registration(meeting), text="¿Qué aprendieron en Wuhan?",
                  highlighted=True, translations={"zh_Hans": {
                      "text": "你们在武汉学到了什么？", "machine": False, "by": None, "at": None}})
    _staff_client(client, meeting)
    link_page = client.post(
        f"/m/{meeting.slug}/console/presenter-link",
        data={"csrf_token": csrf_token_from(
            client.get(f"/m/{meeting.slug}/console").get_data(as_text=True))})
    links = {field.attr("id"): field.attr("value")
             for field in parse(link_page.data).all("input.copy-field")}
    token = links["presenter-url"].split("/present/", 1)[1]
    # One link per meeting language, each also showing the translation into it.
    assert links["presenter-url-zh_Hans"].endswith(
        f"/present/{token}?lang=zh_Hans&translation=zh_Hans")
    assert {"presenter-url-es", "presenter-url-en"} <= set(links)

    viewer = app.test_client()
    fresh_identity()
    spanish = {"Accept-Language": "es-PE,es;q=0.9"}
    html = viewer.get(f"/m/{meeting.slug}/present/{token}?lang=zh_Hans&translation=zh_Hans",
                      headers=spanish).get_data(as_text=True)
    chinese = parse(html)
    assert chinese.one("html").attr("lang") == "zh-Hans"
    assert chinese.one("#presenter-now-heading").text == "正在回答"
    assert chinese.one("#presenter-next-heading").text == "接下来"
    assert chinese.one("h1.presenter-meeting").text == "太平洋之桥交流会"
    assert [p.text for p in chinese.all("#presenter-highlight .presenter-text")] == [
        "¿Qué aprendieron en Wuhan?", "你们在武汉学到了什么？"]
    assert page_data(html, "presenter")["strings"]["page_language"] == "zh_Hans"
    assert chinese.one("[data-clock-item]").text == "会议尚未开始。"

    for bad in ("xx", "de", "zh_Hans%00", "<script>", "", "en;q=1"):
        fresh_identity()
        refresh()  # the tests' shared app context would keep the last request's locale
        response = viewer.get(f"/m/{meeting.slug}/present/{token}?lang={bad}", headers=spanish)
        assert response.status_code == 200, bad
        page = parse(response.data)
        assert page.one("html").attr("lang") == "es"  # the browser's language, as without it
        assert page.one("#presenter-now-heading").text == "Respondiendo ahora"
    # The pin lasts one request and is not remembered: the next page follows the browser.
    fresh_identity()
    refresh()
    plain = parse(viewer.get(f"/m/{meeting.slug}/present/{token}", headers=spanish).data)
    assert plain.one("html").attr("lang") == "es"


def test_only_staff_can_rotate_the_presenter_link(app, client, meeting, other_meeting):
    joined(client, make_registration(meeting))
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"/m/{meeting.slug}/console/presenter-link",
                           data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(meeting)
    assert meeting.presenter_token_hash is None

    _staff_client(client, other_meeting)
    response = client.post(f"/m/{meeting.slug}/console/presenter-link",
                           data={"csrf_token": token})
    assert response.status_code == 404
    db.session.refresh(meeting)
    assert meeting.presenter_token_hash is None


def test_presenter_link_needs_csrf(client, meeting):
    _staff_client(client, meeting)
    assert client.post(f"/m/{meeting.slug}/console/presenter-link").status_code == 400


def test_presenter_participant_resolution(app, meeting):
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    token = presenter_services.rotate_token(user, meeting)
    participant = presenter_services.resolve(meeting, token)
    assert participant is not None
    assert participant.meeting_id == meeting.id
    assert participant.registration_id is None and participant.user_id is None
    assert not participant.is_staff
    for wrong in (None, "", token + "x", 42, "x" * 1000):
        assert presenter_services.resolve(meeting, wrong) is None


def test_presenter_token_rotation_needs_staff(app, meeting, other_meeting):
    from webapp.errors import NotFound

    outsider = make_user(meeting=other_meeting, role=RoleKind.ORGANISER)
    with pytest.raises(NotFound):
        presenter_services.rotate_token(outsider, meeting)
    with pytest.raises(NotFound):
        presenter_services.rotate_token(None, meeting)


# --- CSV export -----------------------------------------------------------------------------

def test_csv_export_is_staff_only(app, client, meeting, other_meeting):
    assert client.get(f"/m/{meeting.slug}/questions.csv").status_code == 302
    joined(client, make_registration(meeting))
    assert client.get(f"/m/{meeting.slug}/questions.csv").status_code == 302
    _staff_client(client, other_meeting)
    assert client.get(f"/m/{meeting.slug}/questions.csv").status_code == 404


def test_csv_export_holds_every_question(client, meeting):
    registration = make_registration(meeting, name="Dennis", organisation="Netizens")
    texts = ["¿Cómo organizaron la vigilancia?", "社区防控怎么做？", "=cmd|' /C calc'!A0",
             "Dismissed one"]
    for text in texts[:3]:
        make_question(meeting, registration, text=text)
    make_question(meeting, registration, text=texts[3], status=QuestionStatus.DISMISSED)
    make_question(meeting, registration, text="Anonymous one", anonymous=True)
    _staff_client(client, meeting)
    response = client.get(f"/m/{meeting.slug}/questions.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    # Every export is named <what>-<meeting>.csv.
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="questions-{meeting.slug}.csv"'
    body = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    flat = "\n".join(",".join(row) for row in rows)
    for text in texts[:2] + texts[3:]:
        assert text in flat
    assert "Anonymous one" in flat
    # Formula injection is neutralised by the export service.
    assert not any(cell.startswith("=") for row in rows for cell in row)


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.blns
def test_blns_names_and_questions_render_as_text(app, client, meeting):
    """Naughty strings in names and questions never break the pages that show them."""
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    token = presenter_services.rotate_token(user, meeting)
    from webapp.core.text import forbidden_character

    samples = [s for s in BLNS if s and forbidden_character(s) is None]
    for index, text in enumerate(samples[:120]):
        registration = make_registration(meeting, name=text[:200] or "x",
                                          organisation=text[:300])
        make_question(meeting, registration, text=text, highlighted=index == 0,
                      vote_count=len(samples) - index)
    viewer = app.test_client()
    response = viewer.get(f"/m/{meeting.slug}/present/{token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(0)</script>" not in html
    joined(client, make_registration(meeting, name=samples[5][:200]))
    assert client.get(f"/m/{meeting.slug}/live").status_code == 200
    fresh_identity()
    login(client, user.email, PASSWORD)
    assert client.get(f"/m/{meeting.slug}/console").status_code == 200
    assert client.get(f"/m/{meeting.slug}/questions.csv").status_code == 200


def test_the_server_is_the_only_language_guesser(client, meeting):
    """The ask box starts on "found from the text" (sent as no language, so the server's guess
    decides) and no browser code guesses a language of its own."""
    from pathlib import Path

    joined(client, make_registration(meeting))
    html = client.get(f"/m/{meeting.slug}/live").get_data(as_text=True)
    options = parse(html).all("form#ask-form select#ask-language option")
    assert options and options[0].attr("value") == ""

    scripts = Path(__file__).resolve().parents[2] / "static" / "js"
    for script in scripts.rglob("*.js"):
        if "vendor" not in script.parts:
            assert "guessLanguage" not in script.read_text(encoding="utf-8"), script
