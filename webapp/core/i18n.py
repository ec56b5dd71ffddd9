"""Language negotiation: an explicit choice wins, then the browser's Accept-Language."""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import get_translations, refresh
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = {"en": "English", "es": "Español", "zh_Hans": "简体中文"}
DEFAULT_LANGUAGE = "en"


def normalise_language(tag: str | None) -> str | None:
    """Map a BCP 47 tag (`es-PE`, `zh-CN`, `zh-Hans`) to a supported catalogue or None."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh_Hans"
    primary = tag.split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def negotiate(explicit: str | None, accept_language: list[tuple[str, float]]) -> str:
    """Pick the interface language from a stored choice or the header's weighted list."""
    chosen = normalise_language(explicit)
    if chosen:
        return chosen
    for tag, _quality in sorted(accept_language, key=lambda pair: -pair[1]):
        chosen = normalise_language(tag)
        if chosen:
            return chosen
    return DEFAULT_LANGUAGE


def supported_language(tag) -> str | None:
    """`tag` when it names one of the interface languages exactly (`zh_Hans` or `zh-Hans`)."""
    if not isinstance(tag, str):
        return None
    tag = tag.replace("-", "_")
    return tag if tag in LANGUAGES else None


def pin_language(tag) -> str | None:
    """Fix this request's interface language to `tag` when supported, whatever the browser or
    the session say (a presenter link that must show one language). Returns the language."""
    language = supported_language(tag)
    if language and has_request_context():
        g.puente_pinned_language = language
        refresh()  # forget a locale already chosen for this request
    return language


def pinned_language() -> str | None:
    """The language `pin_language` fixed for this request, if any."""
    return g.get("puente_pinned_language") if has_request_context() else None


def current_language() -> str:
    """The language of the current request's pages and mails (one answer for every view)."""
    from flask_babel import get_locale  # needs a request; the rest of this module does not

    locale = get_locale()
    return str(locale) if locale else DEFAULT_LANGUAGE


def language_or_default(tag: str | None) -> str:
    """A supported language for a stored tag (a registration's), else the default."""
    return normalise_language(tag) or DEFAULT_LANGUAGE


def html_lang(language: str) -> str:
    """The `lang` attribute value: zh_Hans -> zh-Hans."""
    return language.replace("_", "-")


def template_gettext() -> dict:
    """`gettext` and `ngettext` for one render, bound to the request's catalogue once.

    Flask-Babel's Jinja callables look the catalogue up again for every string; on a page with
    sixty strings that was a sixth of the render. Passed to `render_template`, these shadow
    the globals and behave like Jinja's new-style ones: translate, mark safe if autoescaping,
    then format with the (escaped) variables.
    """
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - our catalogue, as Jinja's own gettext does
        return text % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - our catalogue, as Jinja's own ngettext does
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}
