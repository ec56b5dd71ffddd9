"""A form field for text an organiser writes in every meeting language, side by side.

The field renders one input per language (`title-es`, `title-zh_Hans`) and gives a
`LocalizedText` with the meeting's default language first. Which languages a form shows is
given to the form as `meta={"languages": meeting.content_languages}` (default first);
without it the field offers every language Puente speaks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import ValidationError

from webapp.core.fields import CleanText
from webapp.core.i18n import LANGUAGES, html_lang
from webapp.core.i18n_text import LocalizedText, completeness
from webapp.core.text import normalise_line_ends


class LocalizedField(Field):
    """One input (or textarea) per language; data is a `LocalizedText`."""

    def __init__(self, label=None, validators=None, *, multiline: bool = False,
                 max_length: int | None = None, required: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.multiline = multiline
        self.max_length = max_length
        self.required = required
        if required:
            self.flags.required = True
        self.languages: list[str] = list(LANGUAGES)

    def process(self, formdata, data=None, extra_filters=None):
        """Read `<name>-<language>` values from the form, else the object's stored value."""
        self.process_errors = []
        self.raw_data = None
        self.languages = list(getattr(self.meta, "languages", None) or LANGUAGES)
        if formdata is not None and any(self._key(lang) in formdata for lang in self.languages):
            values = {}
            for lang in self.languages:
                text = formdata.get(self._key(lang), "")
                values[lang] = normalise_line_ends(text) if self.multiline else text
            self.raw_data = [values]
            self.data = LocalizedText(values).ordered(self.languages)
            return
        if formdata is not None and self.name in formdata:
            # A post with one plain value (a script, an older form): the default language's.
            text = formdata.get(self.name, "")
            text = normalise_line_ends(text) if self.multiline else text
            self.raw_data = [{self.languages[0]: text}]
            self.data = LocalizedText({self.languages[0]: text})
            return
        if data is None and self.default is not None:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = (LocalizedText(data) if data is not None else LocalizedText()
                     ).ordered(self.languages)

    def _key(self, language: str) -> str:
        return f"{self.name}-{language}"

    def input_id(self, language: str) -> str:
        """The id of one language's input, for labels and error links."""
        return f"{self.id}-{language}"

    def value(self, language: str) -> str:
        """What the input of `language` shows: the submitted text, else the stored one."""
        if self.raw_data:
            return self.raw_data[0].get(language, "")
        return self.data.get(language) if self.data else ""

    def pre_validate(self, form):
        """Check each language's text: length, control characters, the default filled."""
        default = self.languages[0] if self.languages else None
        if self.required and default and not self.value(default).strip():
            raise ValidationError(_l("Please fill this in, at least in %(language)s.",
                                     language=LANGUAGES.get(default, default)))
        check = CleanText(multiline=self.multiline)
        for lang in self.languages:
            text = self.value(lang)
            if self.max_length and len(text) > self.max_length:
                raise ValidationError(_l("%(language)s: at most %(n)d characters.",
                                         language=LANGUAGES.get(lang, lang), n=self.max_length))
            probe = _Probe(text)
            try:
                check(None, probe)
            except ValidationError as error:
                raise ValidationError(f"{LANGUAGES.get(lang, lang)}: {error}") from error

    def populate_obj(self, obj, name):
        """Store the `LocalizedText` on the model."""
        setattr(obj, name, self.data)

    def __call__(self, **kwargs) -> Markup:
        """The inputs side by side, each labelled with its language and marked with `lang`."""
        described = kwargs.pop("aria_describedby", None)
        invalid = kwargs.pop("aria_invalid", None)
        rows = kwargs.pop("rows", 4)
        parts = []
        for lang in self.languages:
            attributes = {"id": self.input_id(lang), "name": self._key(lang),
                          "lang": html_lang(lang)}
            if described:
                attributes["aria-describedby"] = described
            if invalid == "true":
                attributes["aria-invalid"] = "true"
            if self.max_length:
                attributes["maxlength"] = str(self.max_length)
            rendered = " ".join(f'{key}="{escape(value)}"' for key, value in attributes.items())
            text = escape(self.value(lang))
            control = (f"<textarea {rendered} rows=\"{rows}\">\n{text}</textarea>"
                       if self.multiline else f'<input type="text" {rendered} value="{text}">')
            parts.append(
                f'<div class="i18n-value"><label for="{self.input_id(lang)}" '
                f'class="i18n-language">{escape(LANGUAGES.get(lang, lang))}</label>{control}</div>')
        return Markup(f'<div class="i18n-values" id="{self.id}">{"".join(parts)}</div>')  # noqa: S704 - every part escaped above


class _Probe:
    """The smallest stand-in for a field `CleanText` can check one language's text with."""

    def __init__(self, data):
        self.data = data


def form_completeness(form) -> dict[str, tuple[int, int]]:
    """Per language of the form, filled texts out of the texts filled in any language."""
    fields = [field for field in form if isinstance(field, LocalizedField)]
    if not fields:
        return {}
    languages = fields[0].languages
    texts = [LocalizedText({lang: field.value(lang) for lang in languages}) for field in fields]
    return completeness(texts, languages)


def _lines(text: str) -> list[str]:
    return [line for line in normalise_line_ends(text or "").split("\n") if line.strip()]


def split_lines(text: LocalizedText) -> list[LocalizedText]:
    """A one-per-line list written in several languages, as one text per line: line n of
    every language belongs to entry n."""
    if text.is_plain:
        return [LocalizedText(line) for line in _lines(text.get(""))]
    per_language = {lang: _lines(value) for lang, value in text.as_dict().items()}
    count = max((len(entries) for entries in per_language.values()), default=0)
    return [LocalizedText({lang: entries[index] for lang, entries in per_language.items()
                           if index < len(entries)}) for index in range(count)]


def join_lines(entries) -> LocalizedText:
    """The inverse of `split_lines`: each language's entries, one per line."""
    entries = [LocalizedText(entry) if not isinstance(entry, LocalizedText) else entry
               for entry in entries]
    languages = list(dict.fromkeys(lang for entry in entries for lang in entry.languages))
    if not languages:
        return LocalizedText("\n".join(entry.get("") for entry in entries))
    return LocalizedText({lang: "\n".join(entry.get(lang) for entry in entries)
                          for lang in languages})
