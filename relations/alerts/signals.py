"""Publication → alerts: a new agreement, event or update published (Wagtail's ``published`` and
``page_published`` signals) enqueues ``record_publication`` once the transaction commits."""

from wagtail.signals import page_published, published

from .sending import KINDS
from .tasks import enqueue_after_commit, record_publication


def on_publish(sender, instance, **kwargs):
    if type(instance) in KINDS:
        enqueue_after_commit(record_publication, instance._meta.label, instance.pk)


def connect():
    published.connect(on_publish, dispatch_uid="portal-alerts-published")
    page_published.connect(on_publish, dispatch_uid="portal-alerts-page-published")
