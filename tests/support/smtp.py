"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

from __future__ import annotations

import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller

from tests.support.server import free_port


class _Collector:
    def __init__(self):
        self.messages = []
        #: Answer this many DATA commands with a temporary failure before accepting mail.
        self.refuse = 0
        self.refused = 0
        #: Recipients answered with 550 at RCPT TO.
        self.unknown: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": message})
        return "250 OK"


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.collector = _Collector()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        return self.collector.messages

    def wait_for(self, count: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def refuse_next(self, count: int) -> None:
        """Refuse the next `count` messages with 451, as a busy or greylisting server does."""
        self.collector.refuse = self.collector.refused + count

    def refuse_recipient(self, address: str) -> None:
        """Answer RCPT TO for `address` with 550, as for an unknown mailbox."""
        self.collector.unknown.add(address.lower())

    def to(self, address: str):
        return [m["message"] for m in self.messages if address in m["to"]]

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
