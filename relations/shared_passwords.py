"""Shared passwords of private pages and document collections, under the same lock as the login.

Wagtail checks a shared password (page privacy "accessible with a password", or a collection's)
in ``wagtail.views.authenticate_with_password`` and its documents twin, with no limit on tries.
These views wrap Wagtail's: each wrong password is a failed attempt for django-axes, under the
name ``page-password-<restriction>`` or ``collection-password-<restriction>`` (the name only keys
the count: nothing logs in with it), so the login's rules apply: 5 failures from one address lock
that password for that address for 15 minutes, answered 429 in the visitor's language; attempts
are kept in the database, so every worker sees them; ``manage.py axes_reset_username
page-password-<restriction>`` lifts a lock.

Why throttle rather than turn the option off: the office shares a page with partners who have no
account (a partner ministry, a university) before it is public, and a shared password is how
Wagtail lets them read it without an account to create and remove. Throttled, it can no longer be
guessed; pages for staff only should still use "private, accessible to logged-in users".
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response

from django.contrib.auth.signals import user_login_failed

from wagtail import views as page_views
from wagtail.documents.views import serve as document_views


def _checked(request, name, wagtail_view, *args):
    """Wagtail's view, refused once ``name`` is locked for this address; a wrong password (the
    form shown again) counts as a failed attempt."""
    if request.method != "POST":
        return wagtail_view(request, *args)
    credentials = {"username": name}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    response = wagtail_view(request, *args)
    if response.status_code == 200:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, credentials=credentials)
    return response


def page_password(request, page_view_restriction_id, page_id):
    name = f"page-password-{page_view_restriction_id}"
    return _checked(request, name, page_views.authenticate_with_password, page_view_restriction_id, page_id)


def collection_password(request, restriction_id):
    name = f"collection-password-{restriction_id}"
    return _checked(request, name, document_views.authenticate_with_password, restriction_id)
