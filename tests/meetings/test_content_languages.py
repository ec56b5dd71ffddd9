"""Readers see the organisers' texts in their language: chosen explicitly or from
Accept-Language, else the meeting's default, else any written value, marked with `lang`."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from tests.factories import make_agenda_item, make_speaker
from tests.support.html import parse
from webapp.core.i18n_text import LocalizedText
from webapp.extensions import db
from webapp.meetings.models import MeetingOrganisation, OrganisationRole

TITLE = {"zh_Hans": "第十一届中秘民间交流会", "es": "XI Encuentro de ONG China–Perú"}


@pytest.fixture
def trilingual(meeting):
    meeting.languages, meeting.default_language = ["zh_Hans", "es", "en"], "zh_Hans"
    meeting.title = LocalizedText(TITLE)
    meeting.description = LocalizedText({"zh_Hans": "会议介绍", "es": "Sobre el encuentro",
                                         "en": "About the meeting"})
    meeting.organisations.append(MeetingOrganisation(
        name=LocalizedText({"zh_Hans": "中国民间组织国际交流促进会", "es": "CNIE"}),
        role=OrganisationRole.HOST, position=0))
    speaker = make_speaker(meeting, name="Merino",
                           title=LocalizedText({"es": "Embajador", "zh_Hans": "大使"}),
                           affiliation=LocalizedText({"es": "Cancillería del Perú"}))
    make_agenda_item(meeting, speakers=[speaker],
                     title=LocalizedText({"zh_Hans": "开幕致辞", "es": "Palabras de apertura",
                                          "en": "Opening remarks"}))
    db.session.commit()
    return meeting


def _page(client, meeting, **headers):
    return parse(client.get(f"/m/{meeting.slug}", headers=headers).data)


def test_accept_language_picks_the_readers_language(client, trilingual):
    page = _page(client, trilingual, **{"Accept-Language": "es-PE,es;q=0.9"})
    title = page.one("#meeting-title")
    assert title.text.strip() == TITLE["es"] and title.attrs.get("lang") is None
    assert "Palabras de apertura" in page.text and "Embajador" in page.text
    assert "Sobre el encuentro" in page.text


def test_an_explicit_choice_wins_over_the_browser(client, csrf, trilingual):
    client.post("/language", data={"language": "zh_Hans", "csrf_token": csrf})
    refresh()  # the test's application context caches the locale between requests
    page = _page(client, trilingual, **{"Accept-Language": "es"})
    assert page.one("#meeting-title").text.strip() == TITLE["zh_Hans"]
    assert "大使" in page.text and "开幕致辞" in page.text


def test_missing_language_falls_back_to_the_default_then_any_with_lang(client, trilingual):
    page = _page(client, trilingual, **{"Accept-Language": "en"})
    title = page.one("#meeting-title")
    assert title.text.strip() == TITLE["zh_Hans"]  # no English title: the default
    assert title.attrs["lang"] == "zh-Hans"
    assert "Opening remarks" in page.text and "About the meeting" in page.text
    affiliation = next(node for node in page.all("span[lang]")
                       if "Cancillería" in node.text)  # only Spanish written: any value
    assert affiliation.attrs["lang"] == "es"


def test_the_series_and_the_ics_read_in_the_readers_language(client, trilingual):
    ics = client.get(f"/m/{trilingual.slug}/calendar.ics",
                     headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "XI Encuentro de ONG China" in ics and "第十一届" not in ics


def test_a_registration_question_in_another_language_says_so(client, trilingual):
    from webapp.registration.models import QuestionKind, RegistrationQuestion

    db.session.add(RegistrationQuestion(
        meeting_id=trilingual.id, position=0, kind=QuestionKind.TEXT,
        label=LocalizedText({"zh_Hans": "您的专业领域"}),
        help_text=LocalizedText({"zh_Hans": "例如：公共卫生", "en": "For example: public health"})))
    db.session.commit()
    page = _page(client, trilingual, **{"Accept-Language": "en"})
    label = next(node for node in page.all("label") if "专业领域" in node.text)
    assert label.attrs["lang"] == "zh-Hans"
    hint = next(node for node in page.all("p.hint") if "public health" in node.text)
    assert "lang" not in hint.attrs
