"""A service's refusal lands on the form field it names, in every view, through one helper."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from webapp.core.forms import show_error
from webapp.errors import Conflict, InvalidInput


class _Form(FlaskForm):
    class Meta:
        csrf = False

    email = StringField()
    current = StringField()


def test_field_named_by_the_service_gets_the_message(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        show_error(form, InvalidInput("Not this address.", field="email"))
        assert form.email.errors == ["Not this address."]
        assert form.form_errors == []


def test_without_a_known_field_the_fallback_then_the_form_gets_it(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        show_error(form, Conflict("Taken."), fallback="current")
        show_error(form, InvalidInput("Unknown.", field="no_such_field"))
        show_error(form, Conflict("Someone else."))
        assert form.current.errors == ["Taken."]
        assert form.form_errors == ["Unknown.", "Someone else."]
