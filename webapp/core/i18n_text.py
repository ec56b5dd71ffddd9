"""Text an organiser writes, one value per meeting language (pretix's i18n strings are the model).

A `LocalizedText` holds every language of one text in one column. Readers get their language,
else the meeting's default, else any filled value; the value keeps its languages in the order
its writer gave them (the meeting's default first), so it carries its own fallback without a
lookup. A plain `str` is a text that reads the same in every language (legacy rows, names).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from functools import total_ordering

from flask import has_app_context
from flask_babel import get_locale
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

#: The language texts read in outside Flask-Babel's locale (a mail worker, a CLI export).
_reading: ContextVar[str | None] = ContextVar("puente_reading_language", default=None)


def reader_language() -> str | None:
    """The language the current reader wants: the pinned one, else Flask-Babel's locale."""
    pinned = _reading.get()
    if pinned:
        return pinned
    if not has_app_context():
        return None
    try:
        locale = get_locale()
    except RuntimeError:  # an app context without a request and no forced locale
        return None
    if locale is None:
        return None
    return "zh_Hans" if locale.language == "zh" else locale.language


class reading:
    """`with reading("es"):` every `LocalizedText` read inside the block is in Spanish."""

    def __init__(self, language: str | None):
        self.language = language
        self._token = None

    def __enter__(self):
        self._token = _reading.set(self.language)
        return self

    def __exit__(self, *exc):
        _reading.reset(self._token)


@total_ordering
class LocalizedText:
    """One organiser text in several languages; `str()` reads it in the reader's language."""

    __slots__ = ("_plain", "_values")

    def __init__(self, value: str | Mapping[str, str] | LocalizedText | None = None):
        if isinstance(value, LocalizedText):
            self._values, self._plain = dict(value._values), value._plain
        elif isinstance(value, Mapping):
            self._values = {str(lang): str(text) for lang, text in value.items()
                            if isinstance(text, str) and text.strip()}
            self._plain = None
        else:
            self._values, self._plain = {}, (value or "")

    # -- reading ------------------------------------------------------------------------

    def pick(self, language: str | None = None) -> tuple[str, str | None]:
        """The text for `language` and the language it is in (None: same in every language)."""
        if self._plain is not None:
            return self._plain, None
        if language is None:
            language = reader_language()
        if language in self._values:
            return self._values[language], language
        for lang, text in self._values.items():
            return text, lang
        return "", None

    def localize(self, language: str | None = None) -> str:
        """The text in `language` (or the reader's), with the fallback rule."""
        return self.pick(language)[0]

    def language_shown(self, language: str | None = None) -> str | None:
        """The language `localize` returns for this reader, for the `lang` attribute."""
        return self.pick(language)[1]

    def get(self, language: str) -> str:
        """Exactly the value in `language`, empty when missing (editors, completeness)."""
        if self._plain is not None:
            return self._plain
        return self._values.get(language, "")

    def has(self, language: str) -> bool:
        """Whether `language` has its own value (a plain text counts for every language)."""
        return bool(self.get(language).strip())

    def is_blank(self) -> bool:
        """Whether no language has any visible text."""
        values = [self._plain] if self._plain is not None else self._values.values()
        return not any(value.strip() for value in values)

    @property
    def languages(self) -> list[str]:
        """The languages with a value, the writer's order (the default first)."""
        return list(self._values)

    @property
    def is_plain(self) -> bool:
        """Whether this is one text for every language (not yet translated by anyone)."""
        return self._plain is not None

    def as_dict(self, languages: Iterable[str] = ()) -> dict[str, str]:
        """Every value by language; a plain text is given for each of `languages`."""
        if self._plain is not None:
            return {lang: self._plain for lang in languages} if self._plain else {}
        return dict(self._values)

    def ordered(self, languages: Iterable[str]) -> LocalizedText:
        """The same values with `languages` first in that order (the meeting's default first)."""
        if self._plain is not None:
            return self
        order = [lang for lang in languages if lang in self._values]
        rest = [lang for lang in self._values if lang not in order]
        return LocalizedText({lang: self._values[lang] for lang in order + rest})

    # -- behaving like the text it reads as -----------------------------------------------

    def __str__(self) -> str:
        return self.localize()

    def __bool__(self) -> bool:
        return bool(self._plain) if self._plain is not None else bool(self._values)

    def __eq__(self, other) -> bool:
        if isinstance(other, LocalizedText):  # order counts: the first value is the fallback
            return (self._plain, list(self._values.items())) == (other._plain,
                                                                  list(other._values.items()))
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __lt__(self, other) -> bool:
        return str(self) < str(other)

    def __hash__(self) -> int:
        return hash((self._plain, tuple(self._values.items())))

    def __repr__(self) -> str:
        inner = repr(self._plain) if self._plain is not None else repr(self._values)
        return f"LocalizedText({inner})"

    def __json__(self):
        return self.to_json_value()

    def to_json_value(self) -> str | dict[str, str]:
        """What the column stores: the plain text or the dict of languages."""
        return self._plain if self._plain is not None else dict(self._values)


def localized(value) -> LocalizedText:
    """Any stored or given text as a `LocalizedText` (str, dict or already one)."""
    return value if isinstance(value, LocalizedText) else LocalizedText(value)


def completeness(texts: Iterable, languages: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Per language, how many of the non-empty texts have a value in it ("es 12/12")."""
    filled = [localized(text) for text in texts]
    filled = [text for text in filled if text]
    return {lang: (sum(1 for text in filled if text.has(lang)), len(filled))
            for lang in languages}


class LocalizedTextType(TypeDecorator):
    """A column holding a `LocalizedText` as JSON text: a JSON object or a JSON string.

    Always JSON, so a title that happens to look like JSON is never misread; rows written
    before the migration (raw text) still read as a plain text.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Store the value as JSON text."""
        if value is None:
            return None
        return json.dumps(localized(value).to_json_value(), ensure_ascii=False)

    def process_result_value(self, value, dialect):
        """Read the JSON text back into a `LocalizedText`."""
        if value is None:
            return None
        try:
            data = json.loads(value)
        except ValueError:
            return LocalizedText(value)
        if isinstance(data, dict | str):
            return LocalizedText(data)
        return LocalizedText(value)
