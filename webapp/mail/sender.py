"""Hand one rendered message to SMTP_URL, or to the console and the instance outbox.

Nothing here retries or keeps state: `webapp.mail.store` owns that. Every failure is raised as
`DeliveryError` so the queue can record it on the row and try again later.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import uuid
from datetime import UTC
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from webapp.core.timeutil import utcnow
from webapp.mail.compose import OutgoingMail

logger = logging.getLogger(__name__)
#: Seconds one SMTP conversation may take before the attempt counts as failed.
SMTP_TIMEOUT = 15


class DeliveryError(Exception):
    """The message could not be handed over this time (SMTP refused, outbox unwritable)."""


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """The MIME message for one outgoing mail from `sender`."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        subtype, _, params = subtype.partition(";")
        extra = {}
        for param in filter(None, (p.strip() for p in params.split(";"))):
            key, _, value = param.partition("=")
            extra[key] = value
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype.strip(),
                               filename=attachment.filename, params=extra)
    return message


def parse(raw: bytes) -> EmailMessage:
    """A stored raw message back as an EmailMessage."""
    return BytesParser(policy=policy.default).parsebytes(raw)


def write_outbox(raw: bytes) -> Path:
    """Write one message to the outbox, readable by the owner only (it may hold a join link)."""
    folder = Path(current_app.config["PUENTE_OUTBOX"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    return path


def smtp_address(url: str) -> tuple[str, int]:
    """The host and port SMTP_URL points at (465 for smtps://, else 25 when none is given)."""
    parts = urlsplit(url)
    return parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25)


def deliver_smtp(url: str, message: EmailMessage) -> None:
    """Hand `message` to the SMTP server of `url` now; smtplib's and the socket's errors pass
    through (`explain_smtp_error` words them)."""
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    host, port = smtp_address(url)
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with client:
        if parts.scheme == "smtp+starttls" or options.get("starttls") == ["1"]:
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def deliver(raw: bytes) -> None:
    """Send one rendered message now; raise DeliveryError when it could not be handed over."""
    config = current_app.config
    url = config.get("SMTP_URL")
    message = parse(raw)
    try:
        if url:
            deliver_smtp(url, message)
            return
        path = write_outbox(raw)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}"[:1000]) from error
    logger.info("e-mail to %s (%s) written to %s", message["To"], message["Subject"], path)
    if not config.get("TESTING"):
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        print(f"--- e-mail to {message['To']}: {message['Subject']}\n{text}\n--- saved as {path}")


def explain_smtp_error(error: BaseException) -> str:
    """One line for an operator: what went wrong talking to the SMTP server."""
    if isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(answer)}" for code, answer in error.recipients.values())
    else:
        detail = str(error)
    detail = " ".join(detail.split())[:300]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        reason = "authentication failed (check the user name and password in SMTP_URL)"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        reason = "the server refused the recipient"
    elif isinstance(error, smtplib.SMTPSenderRefused):
        reason = "the server refused the sender (check MAIL_FROM)"
    elif isinstance(error, ssl.SSLError):
        reason = "TLS error"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        reason = "TLS error: the server does not offer STARTTLS"
    elif isinstance(error, ConnectionRefusedError):
        reason = "connection refused (nothing listens there)"
    elif isinstance(error, socket.gaierror):
        reason = "the host name does not resolve"
    elif isinstance(error, TimeoutError):
        reason = f"no answer within {SMTP_TIMEOUT} seconds"
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        reason = "the server closed the connection"
    elif isinstance(error, smtplib.SMTPResponseException):
        reason = "the server refused the message"
    else:
        reason = type(error).__name__
    return f"{reason}: {detail}" if detail else reason


def _text(answer) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
