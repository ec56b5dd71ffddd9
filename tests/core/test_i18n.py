"""One answer to "which language": for the request (views) and for a stored registration."""

from __future__ import annotations

import pytest

from webapp.core import i18n


@pytest.mark.parametrize("stored,expected", [
    ("es", "es"), ("es-PE", "es"), ("zh-CN", "zh_Hans"), ("zh_Hans", "zh_Hans"),
    ("fr", "en"), ("", "en"), (None, "en"),
])
def test_a_stored_language_maps_to_a_catalogue(stored, expected):
    assert i18n.language_or_default(stored) == expected


@pytest.mark.parametrize("header,expected", [("es-PE,es;q=0.9", "es"), ("de", "en")])
def test_the_request_language_follows_the_visitors_choice(app, header, expected):
    from flask_babel import refresh

    with app.test_request_context("/", headers={"Accept-Language": header}):
        refresh()  # the tests keep one app context: forget an earlier request's choice
        assert i18n.current_language() == expected
