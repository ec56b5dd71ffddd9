"""Default alternative text for pictures, in the reader's language."""

from __future__ import annotations

from webapp.core.i18n_text import localized, reading


def _text(value, lang: str | None) -> str:
    with reading(lang):
        return str(localized(value)).strip()


def speaker_alt(speaker, lang: str | None = None) -> str:
    """"Name, title" of a speaker (title in `lang`, else the meeting's fallback)."""
    name = (speaker.name or "").strip()
    title = _text(speaker.title, lang)
    return f"{name}, {title}" if name and title else name or title


def organisation_alt(organisation, lang: str | None = None) -> str:
    """A logo is named by its organisation."""
    return _text(organisation.name, lang)


def banner_alt(owner, lang: str | None = None, *, title_beside: bool = True) -> str:
    """A banner is decorative ("") when the title is shown beside it, else it is the title."""
    return "" if title_beside else _text(owner.title, lang)
