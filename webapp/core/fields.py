"""Shared WTForms pieces: bounded, control-character-free text and constant option lists."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets.core import clean_key

from webapp.core.text import forbidden_character, normalise_line_ends, single_line


class CleanText:
    """Refuse control characters (PostgreSQL cannot store NUL) and, optionally, line breaks."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field):
        """Refuse control characters (and line breaks unless multiline)."""
        value = field.data
        if not isinstance(value, str) or not value:
            return
        bad = forbidden_character(value)
        if bad is not None:
            raise ValidationError(
                _l("This text contains a control character (U+%(code)04X) that cannot be saved.",
                   code=ord(bad))
            )
        if not self.multiline and not single_line(value):
            raise ValidationError(_l("Please keep this on one line."))


class MultilineField(TextAreaField):
    """A textarea whose text arrives with Unix line ends whatever the browser sent (CRLF)."""

    def process_formdata(self, valuelist):
        """Take the submitted text with its line ends normalised."""
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = normalise_line_ends(self.data)


class NotBlank:
    """Required and not only white space, while keeping the text exactly as typed.

    It sets the `required` flag so the form macro marks the field (asterisk, aria-required).
    """

    field_flags = {"required": True}

    def __call__(self, form, field):
        """Refuse empty text and text of only white space."""
        if not isinstance(field.data, str) or not field.data.strip():
            raise ValidationError(_l("This field is required."))


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated since WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def html_params(**attributes) -> Markup:
    """The `html_params` of WTForms with the same output, without `Markup.format`.

    That pure-Python formatter ran for every attribute of every field: a third of the time to
    render the registration form. Names and values are escaped exactly as there.
    """
    params = []
    for key, value in sorted(attributes.items()):
        key = escape(clean_key(key))
        if value is True:
            params.append(str(key))
        elif value is not False:
            params.append(f'{key}="{escape(value)}"')
    return Markup(" ".join(params))  # noqa: S704 - every piece is escaped above


class TextInput(widgets.TextInput):
    """A text input rendered without `Markup.format` (see `html_params`)."""
    html_params = staticmethod(html_params)


class EmailInput(widgets.EmailInput):
    """An e-mail input rendered without `Markup.format` (see `html_params`)."""
    html_params = staticmethod(html_params)


class CheckboxInput(widgets.CheckboxInput):
    """A checkbox rendered without `Markup.format` (see `html_params`)."""
    html_params = staticmethod(html_params)


_SELECTED = Markup("selected ")


class OptionList:
    """Constant (value, label) choices whose `<option>`s are escaped and joined only once.

    Country and time-zone selects have hundreds of options that change only with the
    language; rendering them per request was a fifth of the meeting page's time. Marking the
    selected option is then a string splice. Immutable, so one instance may serve every
    request. Iterating yields the pairs, so a SelectField accepts it as its `choices`.
    """

    __slots__ = ("_cuts", "_html", "_pairs")

    def __init__(self, pairs=(), *, groups=None):
        """`pairs` as options, then each (label, pairs) of `groups` as an `<optgroup>`. A value
        listed twice (a country in "This meeting's countries" and in "All countries") is
        marked selected only where it first appears."""
        sections = [(None, pairs), *(groups or ())]
        flat, parts, cuts, offset = [], [], {}, 0
        for group, members in sections:
            members = [(str(value), str(label)) for value, label in members]
            if group is not None:
                if not members:
                    continue
                part = Markup('<optgroup label="%s">') % str(group)
                parts.append(part)
                offset += len(part)
            for value, label in members:
                # What wtforms' Select.render_option writes; `selected` goes before `value`.
                part = Markup('<option value="%s">%s</option>') % (value, label or value)
                if group is None or value not in cuts:
                    cuts.setdefault(value, []).append(offset + len("<option "))
                parts.append(part)
                offset += len(part)
            if group is not None:
                parts.append(Markup("</optgroup>"))
                offset += len("</optgroup>")
            flat += members
        self._pairs = tuple(flat)
        self._html = Markup("").join(parts)
        self._cuts = {value: tuple(at) for value, at in cuts.items()}

    def __iter__(self):
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def html(self, selected=None) -> Markup:
        """The options, with `selected` on those whose value equals `selected`."""
        cuts = self._cuts.get(selected, ()) if isinstance(selected, str) else ()
        if not cuts:
            return self._html
        pieces, start = [], 0
        for cut in cuts:
            pieces += (self._html[start:cut], _SELECTED)
            start = cut
        pieces.append(self._html[start:])
        return Markup("").join(pieces)


class StaticSelect(widgets.Select):
    """A Select that writes an OptionList's cached options; other choices render as usual."""

    def __call__(self, field, **kwargs):
        """Render the select from prebuilt options (a constant list renders once)."""
        choices = field.choices
        if not isinstance(choices, OptionList) or self.multiple or field.coerce is not str:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        params = html_params(name=field.name, **kwargs)
        return Markup("<select %s>%s</select>") % (params, choices.html(field.data))
