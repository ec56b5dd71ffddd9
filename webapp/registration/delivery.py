"""Hand registration e-mails to `webapp.mail` without making the visitor wait for SMTP.

Whether an address is registered must not show in how long a page takes, so delivery through
a real SMTP server happens after the response in a background thread; the outbox (no SMTP_URL)
is written at once. A failed delivery is kept by `webapp.mail` for `puente mail retry`.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app

from webapp.mail import OutgoingMail, send

logger = logging.getLogger(__name__)


def _send_in(app, mail: OutgoingMail) -> None:
    with app.app_context():
        try:
            send(mail)
        except Exception:  # never let a worker thread die silently
            logger.exception("e-mail to %s could not be handed over", mail.to)


def deliver(mail: OutgoingMail) -> None:
    app = current_app._get_current_object()
    if app.config.get("SMTP_URL") and not app.config.get("PUENTE_MAIL_SYNC"):
        threading.Thread(target=_send_in, args=(app, mail), daemon=True,
                         name="puente-mail").start()
    else:
        send(mail)
