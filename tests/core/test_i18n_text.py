"""Organiser texts read in the reader's language, else the meeting's default, else any value;
the browser runs the same vectors (tests/js/local-text.test.mjs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from tests.support.blns import blns_strings
from webapp.core.i18n_text import LocalizedText, LocalizedTextType, completeness, reading

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data"
                      / "localized_text_vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_pick_follows_the_shared_vectors(vector):
    text = LocalizedText(vector["value"])
    assert text.pick(vector["language"]) == (vector["text"], vector["lang"])


def test_str_reads_in_the_pinned_language_and_falls_back_to_the_first():
    title = LocalizedText({"zh_Hans": "第十一届", "es": "Undécima"})
    with reading("es"):
        assert str(title) == "Undécima"
        assert f"{title}" == "Undécima"
    with reading("en"):
        assert str(title) == "第十一届"
        assert title.language_shown() == "zh_Hans"


def test_blank_values_are_not_translations():
    text = LocalizedText({"es": "Hola", "zh_Hans": "   ", "en": ""})
    assert text.languages == ["es"]
    assert completeness([text, LocalizedText({"es": "a", "zh_Hans": "b"}), ""],
                        ["es", "zh_Hans"]) == {"es": (2, 2), "zh_Hans": (1, 2)}


def test_ordered_puts_the_default_first_for_the_fallback():
    text = LocalizedText({"es": "Apertura", "zh_Hans": "开幕"}).ordered(["zh_Hans", "es"])
    assert text.pick("en") == ("开幕", "zh_Hans")


@pytest.mark.parametrize("value", [{"es": s, "zh_Hans": s[::-1]} for s in blns_strings()[:200]]
                         + ["plain", '{"en": "looks like JSON"}', ""])
def test_column_round_trip_keeps_every_value(value):
    column = LocalizedTextType()
    stored = column.process_bind_param(LocalizedText(value), None)
    assert column.process_result_value(stored, None) == LocalizedText(value)


def test_column_reads_a_row_from_before_the_migration_as_plain_text():
    assert LocalizedTextType().process_result_value("Opening {", None) == LocalizedText(
        "Opening {")


def test_form_field_reads_one_input_per_language(app):
    from flask_wtf import FlaskForm

    from webapp.core.localized_fields import LocalizedField, form_completeness

    class Form(FlaskForm):
        title = LocalizedField("Title", required=True, max_length=20)

    with app.test_request_context(method="POST"):
        form = Form(MultiDict({"title-es": " Hola ", "title-zh_Hans": "你好"}),
                    meta={"csrf": False, "languages": ["zh_Hans", "es"]})
        assert form.validate()
        assert form.title.data.languages == ["zh_Hans", "es"]
        assert form.title.data.get("es") == " Hola "  # kept as typed, like a StringField
        assert form_completeness(form) == {"zh_Hans": (1, 1), "es": (1, 1)}
        html = str(form.title())
        assert 'name="title-zh_Hans"' in html and 'lang="zh-Hans"' in html

        missing_default = Form(MultiDict({"title-es": "Hola", "title-zh_Hans": ""}),
                               meta={"csrf": False, "languages": ["zh_Hans", "es"]})
        assert not missing_default.validate()
        too_long = Form(MultiDict({"title-es": "x" * 21, "title-zh_Hans": "好"}),
                        meta={"csrf": False, "languages": ["zh_Hans", "es"]})
        assert not too_long.validate()
        control = Form(MultiDict({"title-es": "a\x00b", "title-zh_Hans": "好"}),
                       meta={"csrf": False, "languages": ["zh_Hans", "es"]})
        assert not control.validate()
        assert "Español" in control.title.errors[0]


def test_split_and_join_lines_pair_entries_across_languages():
    from webapp.core.localized_fields import join_lines, split_lines

    text = LocalizedText({"zh_Hans": "中国医院\n中国协会", "es": "Hospital\nAsociación"})
    entries = split_lines(text)
    assert [entry.get("es") for entry in entries] == ["Hospital", "Asociación"]
    assert entries[1].get("zh_Hans") == "中国协会"
    assert join_lines(entries) == text
