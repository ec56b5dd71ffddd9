"""Deliver e-mails through SMTP_URL, or write them to the console and the instance outbox.

A failed delivery never undoes the caller's work: the message is kept in outbox/failed/ and
logged, and `puente mail retry` sends it again.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from webapp.core.timeutil import utcnow
from webapp.mail.compose import OutgoingMail

logger = logging.getLogger(__name__)


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
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


def _outbox(folder: str | None = None) -> Path:
    path = Path(current_app.config["PUENTE_OUTBOX"])
    if folder:
        path = path / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(message: EmailMessage, folder: str | None = None) -> Path:
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path = _outbox(folder) / name
    path.write_bytes(bytes(message))
    return path


def _deliver_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    host, port = parts.hostname or "localhost", parts.port
    timeout = 15
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port or 25, timeout=timeout)
    with client:
        if parts.scheme == "smtp+starttls" or options.get("starttls") == ["1"]:
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def send(mail: OutgoingMail) -> bool:
    """Send one e-mail; returns False (and keeps it for retry) when delivery failed."""
    config = current_app.config
    message = build_message(mail, config["MAIL_FROM"])
    url = config.get("SMTP_URL")
    if not url:
        path = _write(message)
        logger.info("e-mail to %s (%s) written to %s", mail.to, mail.subject, path)
        if not config.get("TESTING"):
            print(f"--- e-mail to {mail.to}: {mail.subject}\n{mail.text}\n--- saved as {path}")
        return True
    try:
        _deliver_smtp(url, message)
    except (OSError, smtplib.SMTPException) as error:
        path = _write(message, "failed")
        logger.error("e-mail to %s failed (%s); kept in %s", mail.to, error, path)
        return False
    return True


def retry_failed() -> tuple[int, int]:
    """Send the e-mails kept in outbox/failed/ again; returns (sent, still failing)."""
    from email import policy
    from email.parser import BytesParser

    url = current_app.config.get("SMTP_URL")
    sent = failed = 0
    for path in sorted(_outbox("failed").glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        try:
            if url:
                _deliver_smtp(url, message)
            else:
                _write(message)
        except (OSError, smtplib.SMTPException):
            failed += 1
            continue
        path.unlink()
        sent += 1
    return sent, failed
