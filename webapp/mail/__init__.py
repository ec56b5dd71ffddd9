"""Outgoing e-mail: compose in the recipient's language, keep in the database, send in the
background via SMTP or into the outbox."""

from webapp.mail.compose import Attachment, OutgoingMail, compose
from webapp.mail.store import (
    count_since,
    forget_address,
    on_forget,
    queue,
    send,
    wake_after_commit,
)
from webapp.mail.worker import produce, run_pending

__all__ = ["Attachment", "OutgoingMail", "compose", "count_since", "forget_address",
           "on_forget", "produce", "queue", "run_pending", "send", "wake_after_commit"]
