"""E-mail alerts at scale: N confirmed subscribers follow every new agreement, one agreement is
published, and a real task worker (``manage.py db_worker``) sends every mail to an SMTP sink on
loopback (aiosmtpd). Prints, for each N: the time from publication to the last mail accepted, the
worker's peak memory (VmHWM), and the SQL queries per mail (counted in this process on the same
code path, since the worker is another process), which must not grow with N.

Run by hand, on a throwaway database (created when missing, its alert tables emptied each round):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_alerts_bench \\
        .venv/bin/python bench/alerts.py --subscribers 1000 10000

The send rate is unbounded here (``PORTAL_ALERTS_MAX_RATE=0``): the figures are what the code
costs; in production the bound (20 mails a second by default) sets the pace.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ensure_database(url):
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def peak_memory_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def prepare(count):
    """``count`` confirmed subscribers following every new agreement; nothing else in the way."""
    from django_tasks_db.models import DBTaskResult

    from django.utils import timezone

    from relations.alerts.models import AlertItem, Delivery, Subscriber, Subscription
    from relations.models import Agreement

    Agreement.objects.all().delete()  # of earlier rounds: this database is the bench's own
    Delivery.objects.all().delete()
    AlertItem.objects.all().delete()
    Subscription.objects.all().delete()
    Subscriber.objects.all().delete()
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n}@example.org", language="fr", confirmed_at=now) for n in range(count)],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, target="kind:agreements", confirmed=True) for s in subscribers],
        batch_size=2000,
    )


def run_worker(count, port, env):
    """Publishes one agreement, runs a worker until the queue is empty: (seconds, peak MB)."""
    from tests import factories

    started = time.monotonic()
    factories.AgreementFactory(title_fr=f"Entente du banc d’essai {count}")  # enqueues on commit
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--backend",
        "alerts",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
    ]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603 -- fixed arguments
    peak = None
    while worker.poll() is None:
        peak = peak_memory_mb(worker.pid) or peak
        time.sleep(0.1)
    return time.monotonic() - started, peak


def queries_per_mail():
    """The same work in this process, with every query counted: (queries, mails)."""
    from django.db import connection

    from relations.alerts import sending
    from tests import factories

    agreement = factories.AgreementFactory(title_fr="Entente comptée")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)  # a counter: Django's own query log keeps only the last 9,000
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        sending.record(agreement)
        mails = sending.send_due()
    return len(queries), mails


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-alerts.sqlite3")
    ensure_database(os.environ["DATABASE_URL"])
    from tests.smtp import SMTPServer

    with SMTPServer() as sink:
        os.environ.update(
            {"DJANGO_SETTINGS_MODULE": "tests.alerts_worker_settings", "EMAIL_PORT": str(sink.port)}
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PORTAL_ALERTS_CLAIM_SECONDS = 300
        call_command("migrate", interactive=False, verbosity=0)
        env = {**os.environ, "ALERTS_CLAIM_SECONDS": "300"}
        print(f"machine: {os.cpu_count()} cores; database: {settings.DATABASES['default']['ENGINE']}")
        print("subscribers  seconds  mails/s  worker peak MB  queries  mails  queries/mail")
        for count in args.subscribers:
            prepare(count)
            before = len(sink.messages)
            seconds, peak = run_worker(count, sink.port, env)
            sent = len(sink.messages) - before
            assert sent == count, f"{sent} mails for {count} subscribers"
            queries, mails = queries_per_mail()
            assert mails == count, f"{mails} mails counted for {count} subscribers"
            print(
                f"{count:>11}  {seconds:7.1f}  {count / seconds:7.0f}  {peak or 0:14.0f}  "
                f"{queries:7}  {mails:5}  {queries / mails:12.2f}"
            )


if __name__ == "__main__":
    main()
