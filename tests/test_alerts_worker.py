"""The alerts survive a killed worker: ``manage.py db_worker`` is killed (SIGKILL) in the middle of
a batch and started again, and every subscriber gets the new agreement exactly once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django.conf import settings
from django.db import connection
from django.utils import timezone

from relations.alerts.models import Subscriber, Subscription
from tests import factories
from tests.smtp import SMTPServer

SUBSCRIBERS = 60
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def worker_environment(tmp_path, port):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.alerts_worker_settings", "EMAIL_PORT": str(port)}
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: the worker gets a copy on disk.
        path = tmp_path / "worker.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        params = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or '127.0.0.1'}:"
            f"{params['PORT'] or 5432}/{params['NAME']}"
        )
    return env


def start_worker(env):
    command = [
        sys.executable,
        MANAGE,
        "db_worker",
        "--backend",
        "alerts",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_sends_each_item_exactly_once(tree, tmp_path):
    addresses = [f"reader{n}@example.org" for n in range(SUBSCRIBERS)]
    for address in addresses:
        subscriber = Subscriber.objects.create(email=address, language="fr", confirmed_at=timezone.now())
        Subscription.objects.create(subscriber=subscriber, target="kind:agreements", confirmed=True)
    factories.AgreementFactory(title_fr="Entente envoyée une fois")  # enqueues the task on commit

    with SMTPServer(delay=0.03) as server:
        env = worker_environment(tmp_path, server.port)
        worker = start_worker(env)
        try:
            assert wait_for(lambda: len(server.messages) >= SUBSCRIBERS // 3, 120), "the worker sent nothing"
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            assert len(server.messages) < SUBSCRIBERS, "the batch ended before the kill"

            worker = start_worker(env)
            scheduler = [sys.executable, MANAGE, "scheduler", "--once"]

            def all_received():
                # The scheduler enqueues a send whenever something is due (here: what the killed
                # worker left, its claims once stale), as it does every minute in production.
                subprocess.run(scheduler, env=env, check=True, capture_output=True)  # noqa: S603
                return len(server.messages) >= SUBSCRIBERS and not wait_for(
                    lambda: len(server.messages) > SUBSCRIBERS, 1.5
                )

            assert wait_for(all_received, 180)
        finally:
            worker.kill()
            worker.wait(10)

    received = sorted(message["To"] for message in server.messages)
    assert received == sorted(addresses)  # every one, none twice
    assert all(message["Subject"] == "Entente : Entente envoyée une fois" for message in server.messages)
