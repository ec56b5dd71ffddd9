"""E-mail: real SMTP delivery, the outbox without SMTP, and the outgoing mail table.

Mail is queued in the caller's transaction and sent by the worker (`run_pending`), which
records every failure on the row and tries again with exponential back-off.
"""

import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.mail import Attachment, OutgoingMail, forget_address, queue, run_pending, send
from webapp.mail.models import MailStatus, QueuedMail
from webapp.mail.sender import parse

MAIL = OutgoingMail(
    to="maría.quispe@example.org",
    subject="Confirmación · 确认",
    text="Hola María, 你好",
    html="<p>Hola <b>María</b></p>",
    attachments=(Attachment("reunion.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR"),),
)


def rows():
    db.session.expire_all()
    return list(db.session.scalars(select(QueuedMail).order_by(QueuedMail.id)))


def outbox_files(app):
    return sorted(Path(app.config["PUENTE_OUTBOX"]).glob("*.eml"))


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


def test_without_smtp_mail_goes_to_a_private_outbox_file(app):
    assert send(MAIL) is True
    (path,) = outbox_files(app)
    assert parse(path.read_bytes())["To"] == MAIL.to
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_queued_mail_goes_out_only_after_its_transaction_commits(app):
    queue(MAIL, category="test")
    db.session.rollback()
    assert rows() == [] and run_pending() == 0
    queue(MAIL, category="test")
    db.session.commit()
    assert run_pending() == 1
    (row,) = rows()
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert len(outbox_files(app)) == 1
    assert run_pending() == 0 and len(outbox_files(app)) == 1


def test_unreachable_smtp_keeps_the_mail_in_the_table_for_retry(app, smtp_server):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"
    assert send(MAIL) is False
    (row,) = rows()
    assert row.status == MailStatus.QUEUED and row.attempts == 1 and row.last_error
    assert not (Path(app.config["PUENTE_OUTBOX"]) / "failed").exists()
    app.config["SMTP_URL"] = smtp_server.url
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 waiting, 0 failed" in result.output
    assert len(smtp_server.wait_for(1)) == 1


def test_a_refusing_smtp_server_gets_the_mail_again_with_back_off_exactly_once(
        app, smtp_server):
    app.config.update(SMTP_URL=smtp_server.url, PUENTE_MAIL_RETRY_BASE=30)
    smtp_server.refuse_next(2)
    queue(MAIL)
    db.session.commit()
    start = utcnow()

    assert run_pending(start) == 0
    (row,) = rows()
    assert row.attempts == 1 and "451" in row.last_error and row.status == MailStatus.QUEUED
    assert row.next_attempt_at - start >= timedelta(seconds=30)
    assert run_pending(start) == 0 and rows()[0].attempts == 1  # not due yet

    first_retry = row.next_attempt_at
    assert run_pending(first_retry) == 0
    (row,) = rows()
    assert row.attempts == 2
    assert row.next_attempt_at - first_retry == timedelta(seconds=60)  # the wait doubled

    assert run_pending(row.next_attempt_at) == 1
    assert run_pending(row.next_attempt_at + timedelta(days=1)) == 0
    assert len(smtp_server.wait_for(1)) == 1
    assert len(smtp_server.messages) == 1 and smtp_server.collector.refused == 2
    (row,) = rows()
    assert row.status == MailStatus.SENT and row.last_error is None


def test_after_the_last_attempt_the_mail_is_failed_and_status_says_so(app):
    app.config.update(SMTP_URL="smtp://127.0.0.1:1", PUENTE_MAIL_MAX_ATTEMPTS=2)
    queue(MAIL)
    db.session.commit()
    now = utcnow()
    run_pending(now)
    run_pending(now + timedelta(hours=2))
    (row,) = rows()
    assert row.status == MailStatus.FAILED and row.attempts == 2
    result = app.test_cli_runner().invoke(args=["mail", "status"])
    assert result.exit_code == 0
    assert "0 waiting, 0 sent, 1 failed." in result.output
    assert "maría.quispe@example.org" in result.output and "2 attempt(s)" in result.output
    assert run_pending(now + timedelta(days=1)) == 0  # given up until `mail retry`


def test_forget_address_deletes_every_stored_mail_to_it(app):
    queue(MAIL)
    queue(OutgoingMail(to="Other@Example.org", subject="x", text="y"))
    send(MAIL)
    db.session.commit()
    run_pending()
    assert len(rows()) == 2  # send() delivered at once and keeps nothing
    queue(MAIL)
    db.session.commit()
    assert forget_address("MARÍA.quispe@example.org") == 2
    assert [r.recipient for r in rows()] == ["other@example.org"]


@pytest.mark.postgres
def test_two_workers_on_postgresql_send_each_mail_once(pg_app, smtp_server):
    pg_app.config["SMTP_URL"] = smtp_server.url
    for n in range(20):
        queue(OutgoingMail(to=f"person{n}@example.org", subject=f"n{n}", text="hola"))
    db.session.commit()
    sent = []
    barrier = threading.Barrier(2)

    def work():
        with pg_app.app_context():
            barrier.wait()
            sent.append(run_pending())
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(sent) == 20
    messages = smtp_server.wait_for(20)
    assert sorted(m["message"]["Subject"] for m in messages) == sorted(
        f"n{n}" for n in range(20))
    assert all(r.status == MailStatus.SENT and r.attempts == 1 for r in rows())


def test_forget_address_also_drops_unanswered_link_requests(app):
    from tests.factories import make_meeting
    from webapp.registration import services
    from webapp.registration.models import LinkRequest

    meeting = make_meeting()
    services.resend_link(meeting, "ana@example.org")
    services.resend_link(meeting, "ben@example.org")
    forget_address("Ana@example.org")
    assert [r.email for r in db.session.scalars(select(LinkRequest))] == ["ben@example.org"]


def test_sent_mail_is_deleted_after_a_week(app):
    queue(MAIL)
    db.session.commit()
    now = utcnow()
    assert run_pending(now) == 1
    run_pending(now + timedelta(days=6))
    assert len(rows()) == 1
    run_pending(now + timedelta(days=8))
    assert rows() == []
