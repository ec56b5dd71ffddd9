"""The registration form as assistive technology reads it: references and required marks."""

from __future__ import annotations

from tests.factories import make_meeting
from tests.support.forms import registration_form as form
from tests.support.html import parse
from webapp.extensions import db
from webapp.registration.models import QuestionKind, RegistrationQuestion


def _attribute_values(element):
    yield from element.attrs.items()
    for child in element.descendants():
        yield from child.attrs.items()


def _questions(meeting):
    needed = RegistrationQuestion(meeting_id=meeting.id, label="Dietary needs", required=True,
                                  kind=QuestionKind.TEXT)
    optional = RegistrationQuestion(meeting_id=meeting.id, label="Anything else?",
                                    kind=QuestionKind.TEXT, help_text="Optional")
    db.session.add_all([needed, optional])
    db.session.commit()
    return needed, optional


def test_no_attribute_says_none_and_required_fields_are_marked(client, app):
    meeting = make_meeting(slug="semantics-1", title="Semantics")
    needed, optional = _questions(meeting)
    page = parse(client.get("/m/semantics-1").data)
    register = page.one("form.registration-form")
    assert register.has("novalidate")
    assert [(k, v) for k, v in _attribute_values(page) if v == "None"] == []
    for name in ("name", "email", "organisation_type", "country", "language", "consent",
                 f"q_{needed.id}"):
        control = register.one(f"[name={name}]")
        assert control.attr("aria-required") == "true", name
        assert not control.has("required"), name
        label = register.one(f"label[for={control.attr('id')}]")
        assert label.parent.one("span.required").attr("aria-hidden") == "true"
    for name in ("organisation", "position", f"q_{optional.id}"):
        control = register.one(f"[name={name}]")
        assert not control.has("aria-required"), name
        assert not control.has("aria-describedby") or name == f"q_{optional.id}"
    assert register.one(f"[name=q_{optional.id}]").attr("aria-describedby") == \
        f"q_{optional.id}-hint"


def test_failed_submit_points_each_field_at_its_error(client, csrf, app):
    meeting = make_meeting(slug="semantics-2", title="Semantics")
    needed, _optional = _questions(meeting)
    response = client.post("/m/semantics-2/register", data=form(csrf, name=" "))
    assert response.status_code == 422
    page = parse(response.data)
    assert [(k, v) for k, v in _attribute_values(page) if v == "None"] == []
    for name in ("name", f"q_{needed.id}"):
        control = page.one(f"form.registration-form [name={name}]")
        assert control.attr("aria-invalid") == "true"
        assert control.attr("aria-describedby") == f"{name}-error"
        assert page.one(f"#{name}-error").text == "This field is required."
    assert not page.one("[name=email]").has("aria-describedby")


def test_the_form_says_what_the_asterisk_means(client, app):
    make_meeting(slug="semantics-2", title="Semantics")
    register = parse(client.get("/m/semantics-2").data).one("form.registration-form")
    assert register.one("p.required-legend").text == "* required"


def test_the_meetings_countries_come_first_in_their_own_group(client, app):
    make_meeting(slug="semantics-3", timezone="Asia/Shanghai",
                 partner_timezones=["America/Lima", "UTC", "Asia/Shanghai"])
    select = parse(client.get("/m/semantics-3").data).one("select[name=country]")
    first, others = select.all("optgroup")
    assert first.attr("label") == "This meeting's countries"
    assert [o.attr("value") for o in first.all("option")] == ["CN", "PE"]  # China, Peru
    assert others.attr("label") == "Other countries"
    names = [o.text for o in others.all("option")]
    assert len(names) > 240 and "China" not in names and "Peru" not in names
    assert len(select.all("option[value=CN]")) == 1


def test_a_meeting_in_utc_only_has_one_plain_list(client, app):
    make_meeting(slug="semantics-4", timezone="UTC", partner_timezones=[])
    select = parse(client.get("/m/semantics-4").data).one("select[name=country]")
    assert select.all("optgroup") == []
    names = [o.text for o in select.all("option")]
    assert names.index("Åland Islands") < names.index("Albania")
