"""Settings of the task worker that tests/test_alerts_worker.py starts and kills: the test
settings, with mail going to the test's SMTP server (its port in ``EMAIL_PORT``)."""

import os

from portal.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["EMAIL_PORT"])
PORTAL_ALERTS_MAX_RATE = 0
PORTAL_ALERTS_CLAIM_SECONDS = 1  # a killed worker's claims are released a second later
