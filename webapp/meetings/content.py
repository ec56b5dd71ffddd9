"""Every text the organisers wrote for one meeting, wherever its package keeps it.

Lower packages cannot import the agenda or registration, so each registers what it holds
(`provide`); the editor's completeness figure ("es 12/12 · zh_Hans 9/12") and a change of the
default language then reach every text of the meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from webapp.core.i18n_text import LocalizedText
from webapp.core.i18n_text import completeness as count_languages
from webapp.meetings.models import Meeting

#: Each gives (object, attribute) pairs of one package's organiser texts for a meeting.
_providers: list[Callable[[Meeting], Iterable[tuple[object, str]]]] = []


def provide(provider: Callable[[Meeting], Iterable[tuple[object, str]]]) -> None:
    """Register a package's texts; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def _own_texts(meeting: Meeting):
    for attribute in ("title", "description", "confirmation_text", "follow_up_text"):
        yield meeting, attribute
    for organisation in meeting.organisations:
        yield organisation, "name"


def texts(meeting: Meeting) -> list[tuple[object, str]]:
    """Every organiser text of the meeting, as (object, attribute)."""
    found = list(_own_texts(meeting))
    for provider in _providers:
        found.extend(provider(meeting))
    return found


def completeness(meeting: Meeting) -> dict[str, tuple[int, int]]:
    """Per meeting language (default first): texts written in it, out of all written texts."""
    values = [getattr(owner, attribute) for owner, attribute in texts(meeting)]
    return count_languages(values, meeting.content_languages)


def reorder(meeting: Meeting) -> None:
    """Put the (new) default language first in every text, so readers fall back to it."""
    order = meeting.content_languages
    for owner, attribute in texts(meeting):
        value = getattr(owner, attribute)
        if isinstance(value, LocalizedText) and not value.is_plain:
            setattr(owner, attribute, value.ordered(order))
