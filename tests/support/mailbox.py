"""The mail a test app wrote to its instance outbox, and the join links inside."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

JOIN_LINK = re.compile(r"/m/[\w-]+/join/([A-Za-z0-9_-]+)")


def outbox(app) -> list:
    """E-mails written to the instance outbox (no SMTP_URL), oldest first.

    Runs the mail worker's pass first, as `puente serve`'s background worker would have.
    """
    from webapp.mail import run_pending

    run_pending()
    folder = Path(app.config["PUENTE_OUTBOX"])
    if not folder.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def mails_to(app, address: str) -> list:
    return [m for m in outbox(app) if m["To"] == address]


def token_in(message) -> str:
    """The join-link token in an e-mail's plain-text body."""
    match = JOIN_LINK.search(message.get_body(("plain",)).get_content())
    assert match, "no join link in the e-mail"
    return match.group(1)
