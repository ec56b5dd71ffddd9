"""Plain text people type, shown with its paragraphs, line breaks and web links, never as markup.

One rule for every screen: `paragraphs` cuts text into paragraphs of segments (text, link,
line break). Server-rendered pages use `to_html` (the `rich_text` Jinja filter); live pages
receive the segments in their payloads and build DOM nodes from them, so no second linkifier
exists in the browser. Only http and https addresses become links; everything is escaped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from webapp.core.text import normalise_line_ends

#: A blank line (possibly holding spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
#: A web address: the scheme, then anything up to white space or a character that cannot
#: appear unescaped in a URL and usually closes one in prose.
_URL = re.compile(r"\bhttps?://[^\s<>\"'`\u00a0\u3000]+", re.IGNORECASE)
#: Punctuation that ends a sentence rather than the address.
_TRAILING = ".,;:!?\u3002\uff0c\uff1b\uff1a\uff01\uff1f\u3001"
#: Attributes of every link we write.
LINK_REL = "nofollow noopener"


def _trim(url: str) -> str:
    """Drop sentence punctuation and a closing bracket that has no opening one in the URL."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def _is_web_link(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _line_segments(line: str) -> list[dict]:
    segments: list[dict] = []
    position = 0
    for match in _URL.finditer(line):
        url = _trim(match.group(0))
        try:
            linkable = _is_web_link(url)
        except ValueError:  # an invalid IPv6 host or port
            linkable = False
        if not linkable:
            continue
        if match.start() > position:
            segments.append({"type": "text", "text": line[position:match.start()]})
        segments.append({"type": "link", "href": url, "text": url})
        position = match.start() + len(url)
    if position < len(line):
        segments.append({"type": "text", "text": line[position:]})
    return segments


def paragraphs(text: str | None) -> list[list[dict]]:
    """The text as paragraphs, each a list of JSON-ready segments.

    A segment is `{"type": "text", "text"}`, `{"type": "link", "href", "text"}` or
    `{"type": "break"}`.
    Empty paragraphs are dropped; line ends of any style count.
    """
    if not text:
        return []
    text = str(text)  # an organiser's LocalizedText reads in the reader's language
    result = []
    for block in _PARAGRAPH_BREAK.split(normalise_line_ends(text).strip("\n")):
        if not block.strip():
            continue
        segments: list[dict] = []
        for index, line in enumerate(block.strip("\n").split("\n")):
            if index:
                segments.append({"type": "break"})
            segments.extend(_line_segments(line))
        result.append(segments)
    return result


def _segment_html(segment: dict) -> Markup:
    kind = segment["type"]
    if kind == "break":
        return Markup("<br>")
    if kind == "link":
        return Markup('<a href="%s" rel="%s">%s</a>') % (segment["href"], LINK_REL,
                                                        segment["text"])
    return escape(segment["text"])


def to_html(text: str | None) -> Markup:
    """The text as escaped `<p>` paragraphs with `<br>` line breaks and safe links."""
    return Markup("").join(
        Markup("<p>%s</p>") % Markup("").join(_segment_html(s) for s in segments)
        for segments in paragraphs(text))
