"""The SMTP conversation of the alerts, arranged so that a killed worker never sends a mail twice.

Django's SMTP backend (``send_messages``) sends a whole message and only then says whether the
server took it: a worker killed between the server's "250 OK" and the database write that records
the mail as sent would send it again after a restart. Here the message goes in three steps, on one
connection kept open for the whole batch, with Django's ``EMAIL_*`` settings:

1. ``MAIL FROM``, ``RCPT TO``, ``DATA`` and the message itself, without the final ``.`` line;
2. ``commit()``: the caller records the mail as sent (and checks that it still holds its claim);
3. the final ``.`` line, and the server's answer.

A server keeps nothing of a message whose final line never came: a worker killed before step 2
leaves a mail that was not received and is still claimed (the claim expires, the mail is sent
again); killed after step 2, the final line is already in the socket's buffer or the mail is lost,
never doubled. When the server refuses the message at step 3, the caller undoes step 2.

Answers: ``SENT``; ``TEMPORARY`` (4xx, connection refused or dropped: retry later); ``PERMANENT``
(5xx: this address refuses); ``ABANDONED`` (``commit()`` said the claim was lost: nothing sent).
"""

import logging
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection

logger = logging.getLogger(__name__)

SENT, TEMPORARY, PERMANENT, ABANDONED = "sent", "temporary", "permanent", "abandoned"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass
class Outcome:
    status: str
    detail: str = ""
    connection_lost: bool = False


def classify(code, reply):
    detail = f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"[:300]
    return Outcome(PERMANENT if 500 <= code < 600 else TEMPORARY, detail)


def wire_bytes(message):
    """The message as sent inside DATA: CRLF line ends, leading dots doubled (RFC 5321 4.5.2)."""
    data = message.message().as_bytes(linesep="\r\n")
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


class SMTPTransport:
    """One SMTP connection (opened when first needed) for a batch of mails."""

    def __init__(self):
        self.smtp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self):
        if settings.EMAIL_USE_SSL:
            smtp = smtplib.SMTP_SSL(
                settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT or 30
            )
        else:
            smtp = smtplib.SMTP(
                settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT or 30
            )
        # The final line goes in a write of its own, after the commit: without TCP_NODELAY, Nagle's
        # algorithm holds it until the server acknowledges the message (up to 40 ms a mail).
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp.ehlo_or_helo_if_needed()
        if settings.EMAIL_USE_TLS:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        self.smtp = smtp

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def drop(self):
        """Closes the connection without QUIT: a message in progress is discarded by the server."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def send(self, message, commit):
        try:
            if self.smtp is None:
                self.open()
            return self._send(message, commit)
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("SMTP connection failed: %s", error)
            self.drop()
            return Outcome(TEMPORARY, str(error)[:300], connection_lost=True)

    def _send(self, message, commit):
        smtp = self.smtp
        options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
        for code, reply in (
            smtp.mail(message.from_email, options),
            *(smtp.rcpt(address) for address in message.recipients()),
        ):
            if code not in (250, 251):
                smtp.rset()
                return classify(code, reply)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            return classify(code, reply)
        smtp.send(wire_bytes(message))
        if not commit():
            self.drop()
            return Outcome(ABANDONED)
        try:
            smtp.send(b".\r\n")
        except (smtplib.SMTPException, OSError) as error:
            # The final line did not leave: the server discards the message.
            self.drop()
            return Outcome(TEMPORARY, str(error)[:300], connection_lost=True)
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPException, OSError) as error:
            # The final line left but no answer came: the server may well have the message;
            # sending it again could double it, so it stays recorded as sent.
            logger.warning("SMTP answer lost after a message was sent: %s", error)
            self.drop()
            return Outcome(SENT, str(error)[:300], connection_lost=True)
        if code != 250:
            return classify(code, reply)
        return Outcome(SENT)


class DjangoTransport:
    """Any other ``EMAIL_BACKEND`` (the console in development, locmem in some tests): the message
    goes through Django's backend after ``commit()``; no SMTP conversation to split."""

    def __enter__(self):
        self.connection = get_connection()
        return self

    def __exit__(self, *exc):
        self.connection.close()

    def send(self, message, commit):
        if not commit():
            return Outcome(ABANDONED)
        message.connection = self.connection
        try:
            message.send()
        except Exception as error:  # the backend failed after the commit: undo it, retry later
            return Outcome(TEMPORARY, str(error)[:300], connection_lost=True)
        return Outcome(SENT)


def transport():
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        return SMTPTransport()
    return DjangoTransport()
