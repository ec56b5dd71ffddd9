"""The one rule for showing typed text: paragraphs, line breaks and safe links, never markup."""

from __future__ import annotations

import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from tests.support.blns import blns_strings
from tests.support.html import parse
from webapp.core.fields import MultilineField
from webapp.core.rich_text import paragraphs, to_html
from webapp.core.text import normalise_line_ends

LINK_TAGS = {"p", "br", "a"}


def _tags(element):
    return [node.tag for node in element.descendants()]


@pytest.mark.parametrize("typed", ["Uno\r\n\r\nDos\r\ntres", "Uno\n\nDos\ntres",
                                   "Uno\r\rDos\rtres", "\r\nUno\r\n \r\n\r\nDos\r\ntres\r\n"])
def test_line_ends_of_any_style_give_the_same_paragraphs(typed):
    html = parse(str(to_html(typed)))
    assert html.texts("p") == ["Uno", "Dostres"]
    assert len(html.all("p br")) == 1
    assert paragraphs(typed) == [[{"type": "text", "text": "Uno"}],
                                 [{"type": "text", "text": "Dos"}, {"type": "break"},
                                  {"type": "text", "text": "tres"}]]


def test_normalise_line_ends():
    assert normalise_line_ends("a\r\nb\rc\nd") == "a\nb\nc\nd"


@pytest.mark.parametrize(("typed", "href"), [
    ("Ver https://example.org/a?b=1&c=2.", "https://example.org/a?b=1&c=2"),
    ("(see http://example.org/x_(y))", "http://example.org/x_(y)"),
    ("HTTPS://EXAMPLE.ORG/ok!", "HTTPS://EXAMPLE.ORG/ok"),
    ("资料：https://example.cn/资料。", "https://example.cn/资料"),
])
def test_web_addresses_become_safe_links(typed, href):
    [link] = parse(str(to_html(typed))).all("a")
    assert link.attr("href") == href
    assert link.attr("rel") == "nofollow noopener"
    assert link.text == href


@pytest.mark.parametrize("typed", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox", "http://", "https:///nohost", "ftp://example.org/file",
    "<a href=\"javascript:alert(1)\">x</a>", "http://[::1/", "<script>alert(1)</script>",
])
def test_other_schemes_and_markup_stay_text(typed):
    html = parse(str(to_html(typed)))
    assert html.all("a") == [] or all(
        a.attr("href").lower().startswith(("http://", "https://")) for a in html.all("a"))
    assert set(_tags(html)) <= LINK_TAGS
    assert "script" not in _tags(html)
    assert html.text.replace(" ", "") == typed.replace(" ", "")


def test_a_link_inside_markup_is_escaped_with_it():
    html = str(to_html('<img src=x onerror="alert(1)"> https://example.org/"><b>x</b>'))
    assert "<img" not in html and "<b>" not in html
    [link] = parse(html).all("a")
    assert link.attr("href") == "https://example.org/"


@pytest.mark.blns
def test_blns_never_becomes_markup():
    for text in blns_strings():
        for typed in (text, text.replace("\n", "\r\n") + "\r\n\r\nhttps://example.org/?q=" + text):
            html = parse(str(to_html(typed)))
            assert set(_tags(html)) <= LINK_TAGS, typed
            for link in html.all("a"):
                assert link.attr("href").lower().startswith(("http://", "https://")), typed
                assert link.attr("rel") == "nofollow noopener"
            assert re.sub(r"\s", "", html.text) == re.sub(r"\s", "", typed), typed


def test_a_textarea_keeps_the_text_with_unix_line_ends(app):
    class Form(FlaskForm):
        class Meta:
            csrf = False

        body = MultilineField()

    with app.test_request_context(method="POST"):
        form = Form(formdata=MultiDict({"body": "Uno\r\n\r\nDos\rtres"}))
        assert form.body.data == "Uno\n\nDos\ntres"
