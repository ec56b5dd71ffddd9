"""Organiser page helpers shared by every domain's views.

A page of one meeting loads it in three stages, as Indico's request handlers do: load the
meeting named in the URL, check the signed-in user's role in it (not theirs: 404; read-only
where a write is asked: 403), then run the view. `meeting_page` is that decorator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp.accounts.permissions import can_organise
from webapp.core.i18n import LANGUAGES, html_lang
from webapp.core.i18n_text import LocalizedText, localized
from webapp.core.rich_text import to_html
from webapp.errors import DomainError, Forbidden, NotFound
from webapp.meetings import services
from webapp.meetings.models import Meeting
from webapp.meetings.translations import language_name
from webapp.registration.labels import ORGANISATION_TYPE_LABELS, STATUS_LABELS, country_name


def abort_for(error: DomainError):
    """Map a refusal to its page: not yours -> 404, read-only -> 403, bad input -> 400."""
    if isinstance(error, NotFound):
        abort(404)
    if isinstance(error, Forbidden):
        abort(403)
    abort(400)


def managed_meeting(meeting_id: int, *, write: bool = False, options=()) -> Meeting:
    """The meeting for an organiser page, or 404/403 by role."""
    try:
        return services.get_managed(current_user, meeting_id, write=write, options=options)
    except DomainError as error:
        abort_for(error)


def meeting_page(*, write: bool = False, loads: Callable[[], tuple] | None = None):
    """Load the URL's `meeting_id` as `meeting` for the view, 404 or 403 by the user's role.

    `write=True` for views that change something: moderators may read, organisers write.
    `loads` returns the loader options for what the page lists (e.g. every agenda item's
    speakers), so it is read with the meeting instead of one query per row.
    """
    def decorate(view):
        @functools.wraps(view)
        def wrapper(meeting_id: int, **values):
            options = loads() if loads is not None else ()
            return view(managed_meeting(meeting_id, write=write, options=options), **values)

        return wrapper

    return decorate


def meeting_context(meeting: Meeting, section: str) -> dict:
    """What every organiser page of one meeting needs for its header and tabs."""
    return {"meeting": meeting, "section": section,
            "can_edit": can_organise(current_user, meeting.id)}


def refuse_read_only(meeting: Meeting):
    """403 for moderators on pages only organisers may change."""
    if not can_organise(current_user, meeting.id):
        abort(403)


def organisation_type_label(value) -> str:
    """The translated organisation type, for templates."""
    return str(ORGANISATION_TYPE_LABELS.get(value, value or "—"))


def registration_status_label(value) -> str:
    """The translated registration status, for templates."""
    return str(STATUS_LABELS.get(value, value))


def country_label(code: str) -> str:
    """The country name in the reader's language, for templates."""
    return country_name(code, str(get_locale() or "en")) if code else "—"


def language_label(code: str) -> str:
    """The language's own name, for templates."""
    return LANGUAGES.get(code, code)


def lang_attr(text) -> Markup:
    """` lang="es"` when an organiser text reads in another language than the page (a missing
    translation fell back), so fonts and screen-reader voices follow the text."""
    if not isinstance(text, LocalizedText | dict):  # a stored text, or one from a payload
        return Markup("")
    shown = localized(text).language_shown()
    if not shown or shown == str(get_locale() or "en"):
        return Markup("")
    return Markup(' lang="%s"') % html_lang(shown)


def lang_kwargs(text) -> dict:
    """`lang_attr` as keyword arguments, for WTForms labels of organiser texts (registration
    questions)."""
    if not lang_attr(text):
        return {}
    return {"lang": html_lang(localized(text).language_shown())}


def local_text(value) -> str:
    """An organiser text from a JSON payload (plain or by language) in the reader's language."""
    return str(localized(value)) if value is not None else ""


def language_name_here(code: str) -> str:
    """A language's name in the language of the page or e-mail being rendered ("Spanish")."""
    return language_name(code, str(get_locale() or "en"))


def translation_strings(meeting: Meeting) -> dict:
    """What a page needs to show translations: the labels and every meeting language's name,
    in the reader's language (pages never build these words themselves)."""
    reader = str(get_locale() or "en")
    return {
        "translated_from": _("Translated from %(language)s", language="%(language)s"),
        "machine_translation": _("Machine translation"),
        "show_original": _("Show original"),
        "page_language": reader,
        "content_language": meeting.default_language,
        "language_names": {code: language_name(code, reader)
                           for code in dict.fromkeys([*(meeting.languages or []), reader])},
    }


def init_app(app) -> None:
    """Offer the label helpers and the `rich_text` and `lang_attr` filters to every template."""
    for helper in (organisation_type_label, registration_status_label, country_label,
                   language_label, translation_strings, language_name_here, lang_kwargs):
        app.add_template_global(helper)
    app.add_template_filter(to_html, "rich_text")
    app.add_template_filter(lang_attr, "lang_attr")
    app.add_template_filter(local_text, "local_text")
