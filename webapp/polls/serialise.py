"""A poll on the wire: one shape for everyone (drafts reach staff only, by room)."""

from __future__ import annotations

from webapp.core.i18n_text import localized
from webapp.core.timeutil import iso_utc as iso
from webapp.polls.models import Poll


def wire_text(value) -> str | dict:
    """A `LocalizedText` as sent: a str, or `{lang: text}` with the default language first."""
    return localized(value).to_json_value()


def poll(item: Poll) -> dict:
    """Every field of a poll; question and options as wire values."""
    return {
        "id": item.id,
        "kind": item.kind.value,
        "question": wire_text(item.question),
        "options": [wire_text(option) for option in item.options or []],
        "max_choices": item.max_choices,
        "scale": item.scale.value if item.scale else None,
        "results": item.results.value,
        "anonymous": item.anonymous,
        "status": item.status.value,
        "agenda_item_id": item.agenda_item_id,
        "position": item.position,
        "answer_count": item.answer_count,
        "version": item.version,
        "opened_at": iso(item.opened_at),
        "closed_at": iso(item.closed_at),
    }
