"""The HTML query helper of the view tests: if it matched loosely, their assertions would too."""

from __future__ import annotations

import pytest

from tests.support.html import parse

PAGE = """<!doctype html>
<html lang="es" dir="ltr">
<head><meta charset="utf-8"><title>Caf&eacute; &amp; t&#233;</title></head>
<body>
  <form id="register" action="/m/x/register#register" method="post">
    <input name="name" value="Ana &quot;A&quot; L&oacute;pez">
    <input type="checkbox" name="consent" checked />
    <select id="country"><option value="">—</option>
      <option selected value="PE">Perú</option></select>
    <button name="vote" class="btn primary" disabled>Vote</button>
    <button name="skip" class="btn">Skip</button>
  </form>
  <ul class="q-list">
    <li class="q-card" data-id="1"><p class="q-text">First <b>bold</b>
        question</p><br><span class="q-text-meta">meta</span></li>
    <li class="q-card" data-id="2"><p class="q-text">Second</p></li>
  </ul>
  <p class="q-text">Outside any card</p>
</body></html>
"""


def test_selectors_match_tag_id_class_and_attributes():
    page = parse(PAGE)
    assert page.one("form#register").attr("action") == "/m/x/register#register"
    assert page.one("button[name=vote]").has("disabled")
    assert not page.one("button[name=skip]").has("disabled")
    assert page.one("button.btn.primary").text == "Vote"
    assert len(page.all(".btn")) == 2 and page.all("[disabled]") == [page.one("[name=vote]")]
    assert page.one('option[value="PE"]').has("selected")
    assert page.one("html").attr("lang") == "es" and page.one("html").attr("dir") == "ltr"
    assert page.all("[data-id='2']")[0].text == "Second"


def test_descendant_and_child_combinators_and_nested_text():
    page = parse(PAGE)
    assert page.texts(".q-card .q-text") == ["First bold question", "Second"]
    assert page.texts(".q-text") == ["First bold question", "Second", "Outside any card"]
    assert page.texts("ul > li > .q-text") == ["First bold question", "Second"]
    assert page.texts("ul > .q-text") == []
    assert page.texts("form select#country option") == ["—", "Perú"]
    card = page.all(".q-card")[0]
    assert card.texts("b") == ["bold"] and card.all(".q-text")[0].raw_text.startswith("First ")


def test_void_elements_do_not_swallow_their_siblings():
    page = parse(PAGE)
    # `<br>` and `<input>` have no end tag; what follows them is a sibling, not a child.
    assert page.one("br").children == [] and page.one(".q-card br").parent.tag == "li"
    assert page.one("input[name=name]").children == []
    assert page.one("form > input[type=checkbox]").has("checked")
    assert page.one("input[name=consent]").parent.tag == "form"


def test_entities_are_decoded_in_text_and_attributes():
    page = parse(PAGE)
    assert page.one("title").text == "Café & té"
    assert page.one("input[name=name]").attr("value") == 'Ana "A" López'


def test_missing_or_repeated_element_fails_with_the_selector_in_the_message():
    page = parse(PAGE)
    expected = r"exactly one element matching 'button\[name=nope\]', found 0"
    with pytest.raises(AssertionError, match=expected):
        page.one("button[name=nope]")
    with pytest.raises(AssertionError, match=r"found 2"):
        page.one("button")
    assert "button[name=vote]" in page and "button[name=nope]" not in page


def test_bytes_and_fragments_parse_and_stray_end_tags_are_ignored():
    fragment = parse(b"<p>one</span> <em>two</em></p><p>three</p>")
    assert fragment.texts("p") == ["one two", "three"]


def test_unsupported_selector_is_an_error_not_a_silent_miss():
    with pytest.raises(AssertionError, match="unsupported selector"):
        parse(PAGE).all("li:first-child")
