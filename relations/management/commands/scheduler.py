"""The portal's clock, beside the web server and the task worker (``docker-compose.yml``,
``make demo``): every ``--interval`` seconds it publishes and unpublishes what editors scheduled
(Wagtail's ``publish_scheduled``) and, when mails are due (digests, retries, what a stopped
worker left), enqueues the task that sends them; once an hour it deletes expired alert data.
``--once`` does one round and stops.
"""

import logging
import signal
import time

from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from relations.alerts import sending, tasks

logger = logging.getLogger(__name__)
PURGE_EVERY = 3600


class Command(BaseCommand):
    help = "Scheduled publishing, due alert mails and the purge of expired alert data, on a loop."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        last_purge = 0.0
        while self.running:
            self.tick()
            if time.monotonic() - last_purge >= PURGE_EVERY:
                sending.purge_expired()
                last_purge = time.monotonic()
            if once:
                return
            deadline = time.monotonic() + max(interval, 1.0)
            while self.running and time.monotonic() < deadline:
                time.sleep(0.5)

    def stop(self, *args):
        self.running = False

    def tick(self):
        try:
            call_command("publish_scheduled", verbosity=0)
            if sending.has_due_work(timezone.now()) and not waiting(tasks.send_due_mail):
                tasks.send_due_mail.enqueue()
        except Exception:  # the database may be restarting: try again next round
            logger.exception("scheduler round failed")


def waiting(task):
    """Whether ``task`` is already queued and not started (no need for a second one)."""
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()
