"""A real SMTP server on loopback for the mail tests (aiosmtpd), recording what it accepts.

``refuse`` maps an address to the reply its RCPT gets (``"550 No such user"``, ``"451 Try
later"``); ``delay`` slows each DATA down (seconds), so that a worker can be killed mid-batch.
"""

import asyncio
import email
import socket
from email import policy

from aiosmtpd.controller import Controller

PORTS = range(8825, 8900)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the test SMTP server")


class Recorder:
    def __init__(self, delay=0.0):
        self.messages = []
        self.refuse = {}
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Kept as soon as the final line arrives, as a mail server queues it; the answer may come
        # later (``delay``), and a client killed meanwhile does not take the message back.
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


class SMTPServer:
    def __init__(self, delay=0.0):
        self.recorder = Recorder(delay)
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self):
        return self.recorder.messages


def body(message, subtype):
    """The text (``"plain"``) or HTML (``"html"``) part of ``message``."""
    return message.get_body(preferencelist=(subtype,)).get_content()
