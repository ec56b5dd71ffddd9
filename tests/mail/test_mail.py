"""E-mail: real SMTP delivery, outbox without SMTP, kept for retry when the server is down."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

from webapp.mail import Attachment, OutgoingMail, send
from webapp.mail.sender import retry_failed

MAIL = OutgoingMail(
    to="maría.quispe@example.org",
    subject="Confirmación · 确认",
    text="Hola María, 你好",
    html="<p>Hola <b>María</b></p>",
    attachments=(Attachment("reunion.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR"),),
)


def test_delivers_through_a_real_smtp_server(app, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    assert send(MAIL) is True
    (received,) = smtp_server.wait_for(1)
    message = received["message"]
    assert received["to"] == ["maría.quispe@example.org"]
    assert message["Subject"] == "Confirmación · 确认"
    assert message.get_body(("plain",)).get_content().strip() == "Hola María, 你好"
    assert "<b>María</b>" in message.get_body(("html",)).get_content()
    (ics,) = list(message.iter_attachments())
    assert ics.get_filename() == "reunion.ics" and ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"


def test_without_smtp_mail_goes_to_the_outbox(app):
    assert send(MAIL) is True
    (path,) = Path(app.config["PUENTE_OUTBOX"]).glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert message["To"] == MAIL.to


def test_unreachable_smtp_keeps_the_mail_for_retry(app, smtp_server):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"
    assert send(MAIL) is False
    assert len(list((Path(app.config["PUENTE_OUTBOX"]) / "failed").glob("*.eml"))) == 1
    app.config["SMTP_URL"] = smtp_server.url
    assert retry_failed() == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
