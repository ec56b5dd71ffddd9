"""Outgoing e-mail: compose in the recipient's language, send via SMTP or into the outbox."""

from webapp.mail.compose import Attachment, OutgoingMail, compose
from webapp.mail.sender import send

__all__ = ["Attachment", "OutgoingMail", "compose", "send"]
