"""Query rendered HTML by structure, so an assertion names the element it is about.

A substring check such as `"disabled" in html` passes when any element anywhere carries the
word; `parse(html).one("button[name=vote]").has("disabled")` passes only for that button.
Built on the standard library's `html.parser`; the selector language is a small CSS subset:
`tag`, `#id`, `.class`, `[attr]`, `[attr=value]` (value bare or quoted), compounds of these
(`input.big[name=q]`), the descendant combinator (space) and the child combinator (`>`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})

_TOKEN = re.compile(
    r"""(?P<tag>[a-zA-Z][\w-]*|\*)"""
    r"""|\#(?P<id>[\w-]+)"""
    r"""|\.(?P<cls>[\w-]+)"""
    r"""|\[\s*(?P<attr>[\w:-]+)\s*(?:=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\]\s]+))\s*)?\]"""
)


class Element:
    """One element of the parsed tree: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def attr(self, name: str) -> str | None:
        """The attribute's value (entities decoded), `""` for a bare attribute, None if absent."""
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def raw_text(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.raw_text for child in self.children
        )

    @property
    def text(self) -> str:
        """The text of the element and its descendants, with runs of whitespace as one space."""
        return " ".join(self.raw_text.split())

    def descendants(self):
        """Every element below this one, in document order. Walked with a stack: nested
        generators passed each element up through every level above it, and a page with a
        country and a time-zone select is about a thousand elements."""
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    yield child
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()

    def all(self, selector: str) -> list[Element]:
        """Every descendant matching the selector, in document order."""
        steps = _parse_selector(selector)
        return [element for element in self.descendants() if _matches(element, steps, self)]

    def one(self, selector: str) -> Element:
        """The single descendant matching the selector; fails clearly on none or several."""
        found = self.all(selector)
        assert len(found) == 1, (
            f"expected exactly one element matching {selector!r}, found {len(found)}"
            + "".join(f"\n  {element!r}" for element in found[:5])
        )
        return found[0]

    def texts(self, selector: str) -> list[str]:
        """The text of every descendant matching the selector."""
        return [element.text for element in self.all(selector)]

    def __contains__(self, selector: str) -> bool:
        """`"form#register" in page`: at least one descendant matches the selector."""
        return bool(self.all(selector))

    def __repr__(self) -> str:
        attrs = "".join(
            f" {name}" if value == "" else f' {name}="{value}"'
            for name, value in self.attrs.items()
        )
        text = self.text
        return f"<{self.tag}{attrs}>{text[:60]}{'…' if len(text) > 60 else ''}"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Element(tag, {name: value or "" for name, value in attrs}, self.current)
        )

    def handle_endtag(self, tag):
        open_element = self.current
        while open_element is not self.root and open_element.tag != tag:
            open_element = open_element.parent
        if open_element is not self.root:  # a stray end tag closes nothing
            self.current = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup: str | bytes) -> Element:
    """Parse a page or fragment (a response's `data` or text) into a queryable tree."""
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8")
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _parse_selector(selector: str) -> list[tuple[str, list[tuple]]]:
    """Split a selector into (combinator, compound) steps; a compound is a list of tests."""
    steps: list[tuple[str, list[tuple]]] = []
    combinator = " "
    position = 0
    selector = selector.strip()
    while position < len(selector):
        if selector[position].isspace() or selector[position] == ">":
            gap = re.match(r"\s*(>)?\s*", selector[position:])
            combinator = ">" if gap.group(1) else combinator
            position += gap.end()
            continue
        compound = []
        while position < len(selector) and not (
            selector[position].isspace() or selector[position] == ">"
        ):
            token = _TOKEN.match(selector, position)
            assert token, f"unsupported selector {selector!r} at {selector[position:]!r}"
            compound.append(_test_from(token))
            position = token.end()
        steps.append((combinator, compound))
        combinator = " "
    assert steps, "empty selector"
    return steps


def _test_from(token: re.Match) -> tuple:
    if token.group("tag"):
        return ("tag", token.group("tag").lower())
    if token.group("id"):
        return ("attr", "id", token.group("id"))
    if token.group("cls"):
        return ("class", token.group("cls"))
    value = next(
        (token.group(kind) for kind in ("dq", "sq", "bare") if token.group(kind) is not None), None
    )
    return ("attr", token.group("attr").lower(), value)


def _matches_compound(element: Element, compound: list[tuple]) -> bool:
    for test in compound:
        if test[0] == "tag" and test[1] not in ("*", element.tag):
            return False
        if test[0] == "class" and test[1] not in element.classes:
            return False
        if test[0] == "attr":
            _, name, value = test
            if name not in element.attrs or (value is not None and element.attrs[name] != value):
                return False
    return True


def _matches(element: Element, steps: list, scope: Element) -> bool:
    """Match right to left; ancestors are looked for inside `scope` only."""
    *before, (combinator, compound) = steps
    if not _matches_compound(element, compound):
        return False
    if not before:
        return True
    ancestor = element.parent
    while ancestor is not None and ancestor is not scope:
        if _matches(ancestor, before, scope):
            return True
        if combinator == ">":
            return False
        ancestor = ancestor.parent
    return False
