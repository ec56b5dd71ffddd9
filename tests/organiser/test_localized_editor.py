"""The editors take every organiser text in each meeting language, side by side, and say how
complete each language is; the default language comes first, where readers fall back."""

from __future__ import annotations

from flask_babel import refresh

from tests.factories import make_agenda_item
from tests.support.forms import meeting_form
from tests.support.html import parse
from webapp.core.i18n_text import LocalizedText, reading
from webapp.extensions import db
from webapp.registration.models import RegistrationQuestion


def page(meeting, path: str) -> str:
    return f"/organiser/meetings/{meeting.id}{path}"


def _trilingual(meeting):
    meeting.languages, meeting.default_language = ["zh_Hans", "es", "en"], "zh_Hans"
    db.session.commit()
    return meeting


def _details(**values) -> dict:
    form = meeting_form(slug="exchange-11", languages=["zh_Hans", "es", "en"],
                        default_language="zh_Hans")
    for name in ("title", "description", "hosts"):
        form.pop(name)
    form.update(values)
    return form


def test_details_page_shows_each_language_side_by_side_with_completeness(cast, as_user):
    meeting = _trilingual(cast.meeting_a)
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/details"), _details(**{
        "title-zh_Hans": "第十一届交流会", "title-es": "XI Encuentro", "title-en": "",
        "description-zh_Hans": "介绍", "description-es": "", "description-en": "",
        "hosts-zh_Hans": "中国协会\r\n中国医院", "hosts-es": "Asociación China\r\nHospital",
        "hosts-en": "",
        "follow_up_text-es": "Gracias por participar.", "follow_up_text-zh_Hans": "感谢参与。",
    }))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.refresh(meeting)
    assert meeting.title.as_dict() == {"zh_Hans": "第十一届交流会", "es": "XI Encuentro"}
    assert [o.name.get("es") for o in meeting.organisations] == ["Asociación China", "Hospital"]
    assert meeting.organisations[1].name.get("zh_Hans") == "中国医院"
    with reading("es"):
        assert str(meeting.follow_up_text) == "Gracias por participar."

    html = parse(client.get(page(meeting, "/details")).data)
    inputs = [node.attr("name") for node in html.all("#title input")]
    assert inputs == ["title-zh_Hans", "title-es", "title-en"]  # the default first
    assert html.one("#title-es").attr("lang") == "es"
    assert html.one("label[for=title-es]").text.strip() == "Español"
    figure = " ".join(html.one(".i18n-completeness").text.split())
    # Written texts: title, description, follow-up and 2 organisations = 5.
    assert "简体中文 5/5" in figure and "Español 4/5" in figure and "English 0/5" in figure


def test_missing_default_language_is_refused_with_the_language_named(cast, as_user):
    meeting = _trilingual(cast.meeting_a)
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/details"), _details(**{
        "title-zh_Hans": "", "title-es": "Solo español", "title-en": ""}))
    assert response.status_code == 200
    assert "at least in 简体中文" in response.get_data(as_text=True)


def test_uneven_organisation_lines_are_refused(cast, as_user):
    meeting = _trilingual(cast.meeting_a)
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/details"), _details(**{
        "title-zh_Hans": "交流会", "hosts-zh_Hans": "一\r\n二", "hosts-es": "Uno"}))
    assert response.status_code == 200
    assert "same number of lines" in response.get_data(as_text=True)


def test_changing_the_default_language_moves_it_first_in_every_text(cast, as_user):
    meeting = _trilingual(cast.meeting_a)
    item = make_agenda_item(meeting, title=LocalizedText({"zh_Hans": "开幕", "es": "Apertura"}))
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/details"), _details(**{
        "title-zh_Hans": "交流会", "title-es": "Encuentro", "default_language": "es"}))
    assert response.status_code == 302
    db.session.expire_all()
    assert meeting.default_language == "es"
    assert item.title.languages == ["es", "zh_Hans"]
    assert item.title.pick("en") == ("Apertura", "es")


def test_agenda_item_and_speaker_editors_take_each_language(cast, as_user):
    meeting = _trilingual(cast.meeting_a)
    client = as_user(cast.organiser_a)
    response = client.post_form(page(meeting, "/speakers/new"), {
        "name": "Merino", "title-es": "Embajador", "title-zh_Hans": "大使",
        "affiliation-es": "Cancillería", "bio-zh_Hans": "外交官"})
    assert response.status_code == 302
    speaker = meeting.speakers[0]
    assert speaker.title.as_dict() == {"zh_Hans": "大使", "es": "Embajador"}
    response = client.post_form(page(meeting, "/agenda/new"), {
        "title-zh_Hans": "开幕致辞", "title-es": "Palabras de apertura", "title-en": "Opening",
        "kind": "opening", "planned_minutes": "10", "description-es": "Bienvenida"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.agenda_items[-1].title.get("en") == "Opening"


def test_registration_choices_in_each_language_keep_one_answer_key(cast, as_user, client):
    meeting = _trilingual(cast.meeting_a)
    organiser = as_user(cast.organiser_a)
    response = organiser.post_form(page(meeting, "/questions/new"), {
        "label-zh_Hans": "是否需要同声传译？", "label-es": "¿Necesita interpretación?",
        "kind": "choice", "choices-zh_Hans": "需要\r\n不需要", "choices-es": "Sí\r\nNo"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    question = db.session.query(RegistrationQuestion).filter_by(meeting_id=meeting.id).one()
    assert [key for key, _label in question.options()] == ["需要", "不需要"]
    with reading("es"):
        assert [str(label) for _key, label in question.options()] == ["Sí", "No"]

    refresh()  # the test's application context caches the locale between requests
    visitor = client  # not the organiser, whose account's language would win
    form = parse(visitor.get(f"/m/{meeting.slug}", headers={"Accept-Language": "es"}).data)
    select = form.one(f"select[name=q_{question.id}]")
    assert [(o.attr("value"), o.text) for o in select.all("option")][1:] == [
        ("需要", "Sí"), ("不需要", "No")]
