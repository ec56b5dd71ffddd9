"""Cached option lists and the faster attribute writer render exactly what WTForms would."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import html_params as wtforms_html_params

from tests.support.html import parse
from webapp.core.fields import OptionList, StaticSelect, html_params

PAIRS = [("", "—"), ("PE", "Perú"), ("CN", "中国"), ('"><script>', "<b>&'\"</b>"),
         ("dup", "one"), ("dup", "two")]


@pytest.mark.parametrize("attributes", [
    {},
    {"id": "name", "name": "name", "type": "text", "value": "", "maxlength": 200,
     "required": True, "disabled": False, "aria_invalid": "false", "data_x_y": 1},
    {"value": '"><script>alert(1)</script>&', "class_": "a b", "for_": "x"},
    {"value": Markup("<i>kept</i>"), "title": None, "aria_describedby": "a-error a-hint"},
])
def test_html_params_writes_what_wtforms_writes(attributes):
    assert html_params(**attributes) == wtforms_html_params(**attributes)


def _rendered(app, data, choices, widget=None) -> str:
    class Form(FlaskForm):
        class Meta:
            csrf = False

        pick = SelectField(choices=[], validate_choice=False)

    with app.test_request_context():
        form = Form(data={"pick": data})
        form.pick.choices = choices
        return str((widget or form.pick.widget)(form.pick, aria_invalid="false"))


@pytest.mark.parametrize("data", [None, "", "PE", "中国", '"><script>', "dup", "missing", 5])
def test_static_select_matches_the_wtforms_select(app, data):
    expected = _rendered(app, data, [SelectChoice(value, label) for value, label in PAIRS])
    assert _rendered(app, data, OptionList(PAIRS), StaticSelect()) == expected


def test_only_the_submitted_value_is_marked_and_everything_is_escaped():
    options = OptionList(PAIRS)

    def marked(value=None) -> list[tuple[str, str]]:
        return [(option.attr("value"), option.text)
                for option in parse(options.html(value)).all("[selected]")]

    assert marked("PE") == [("PE", "Perú")]
    assert marked("dup") == [("dup", "one"), ("dup", "two")]
    assert marked("nope") == [] and marked(None) == []
    assert "<script>" not in options.html() and "<b>" not in options.html()
    assert [(option.attr("value"), option.text) for option in parse(options.html()).all("*")] \
        == PAIRS  # escaped labels and values read back as the text they were
    assert options.html("PE") != options.html("CN")  # the cached markup itself is unchanged
    assert marked() == []

    assert list(options) == PAIRS and len(options) == len(PAIRS)
