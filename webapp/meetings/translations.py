"""Translations of what attendees and staff write (questions, answers, announcements).

One stored shape for all of them: `{language: {"text", "machine", "by", "at"}}` in a JSON
column of the translated row. `machine` marks a suggestion from a translation service; a
person's correction stores `machine: false`. Plain Python, shared by `qa` and `board`.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l

from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timeutil import iso_utc, utcnow
from webapp.errors import InvalidInput
from webapp.meetings.models import Meeting


def check_language(meeting: Meeting, original: str, language) -> str:
    """A language the text may be translated into: one of the meeting's, not the original's."""
    if not isinstance(language, str) or language not in (meeting.languages or []):
        raise InvalidInput(_l("Choose one of the meeting's languages."), field="language")
    if language == original:
        raise InvalidInput(_l("The text is already in this language."), field="language")
    return language


def check_text(text, max_length: int) -> str | None:
    """The translation as typed (line ends normalised), or None to remove it (blank)."""
    if text is None or (isinstance(text, str) and is_blank(text)):
        return None
    if not isinstance(text, str):
        raise InvalidInput(field="text")
    if len(text) > max_length:
        raise InvalidInput(_l("Please use at most %(n)d characters.", n=max_length),
                           field="text", max_length=max_length)
    if forbidden_character(text) is not None:
        raise InvalidInput(_l("Please remove control characters from the text."), field="text")
    return normalise_line_ends(text)


def apply(current: dict | None, language: str, text: str | None, *, machine: bool,
          by: int | None) -> dict | None:
    """A new translations value with `language` set to `text` (None removes it).

    Always a new dict: SQLAlchemy notices a JSON column changed only when it is reassigned.
    """
    result = dict(current or {})
    if text is None:
        result.pop(language, None)
    else:
        result[language] = {"text": text, "machine": bool(machine), "by": by,
                            "at": iso_utc(utcnow())}
    return result or None


def public(translations: dict | None) -> dict:
    """What clients receive: text and the machine flag, not who wrote it."""
    return {language: {"text": entry["text"], "machine": bool(entry.get("machine"))}
            for language, entry in (translations or {}).items()}


def missing(meeting: Meeting, original: str, translations: dict | None) -> list[str]:
    """The meeting languages the text still lacks (its own language excluded)."""
    have = translations or {}
    return [language for language in (meeting.languages or [])
            if language != original and language not in have]


def language_name(code: str, reader: str) -> str:
    """A language's name in the reader's language ("Spanish", "español", "西班牙语")."""
    try:
        return Locale.parse(code).get_display_name(reader) or code
    except (ValueError, UnknownLocaleError):
        return code
