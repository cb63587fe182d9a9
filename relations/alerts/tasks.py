"""Background work of the alerts, on Django's Tasks API (the ``django-tasks`` backport; its
database backend, ``django_tasks_db``, keeps the queue in the database and ``manage.py db_worker``
runs it). In Django 6 the import becomes ``django.tasks``.

The tasks hold no state of their own: what is due lives in the ``Delivery`` and ``Subscriber``
rows, so a task that runs twice, or a worker killed in the middle of one, loses and doubles
nothing. ``manage.py scheduler`` enqueues ``send_due_mail`` whenever something is due (digests,
retries, leftovers of a killed worker) and ``purge`` once a day.
"""

from django_tasks import task

from django.apps import apps
from django.db import transaction

from . import sending

BACKEND = "alerts"  # settings.TASKS: the database backend that `db_worker --backend alerts` runs


@task(backend=BACKEND)
def record_publication(model_label, pk):
    """A page or snippet was published: an alert item for subscribers, then the mails."""
    model = apps.get_model(model_label)
    obj = model.objects.filter(pk=pk).first()
    if obj is not None:
        sending.record(getattr(obj, "specific", obj))
    return send_all()


@task(backend=BACKEND)
def send_due_mail():
    return send_all()


@task(backend=BACKEND)
def purge():
    return sending.purge_expired()


def send_all():
    return {"confirmations": sending.send_confirmations(), "alerts": sending.send_due()}


def enqueue_after_commit(task_object, *args):
    transaction.on_commit(lambda: task_object.enqueue(*args))
