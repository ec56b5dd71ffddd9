"""Build e-mails from templates/mail/<name>.txt and .html in the recipient's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound


@dataclass(frozen=True)
class Attachment:
    """A file attached to a mail (the calendar invitation)."""
    filename: str
    content_type: str  #: e.g. "text/calendar; method=PUBLISH"
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    """A mail ready to queue: recipient, subject, text and HTML, attachments."""
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    headers: dict = field(default_factory=dict)


def compose(template: str, *, to: str, language: str, subject, attachments=(),
            **context) -> OutgoingMail:
    """Render `mail/<template>.txt` (required) and `.html` (optional) in `language`.

    `subject` may be a lazy string: it is evaluated under the recipient's locale too.
    """
    with force_locale(language):
        subject_text = str(subject)
        text = render_template(f"mail/{template}.txt", subject=subject_text, **context)
        try:
            html = render_template(f"mail/{template}.html", subject=subject_text, **context)
        except TemplateNotFound:
            html = None
    return OutgoingMail(to=to, subject=subject_text, text=text, html=html,
                        attachments=tuple(attachments))
