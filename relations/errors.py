"""The server-error handler (``handler500`` in portal/urls.py).

A database that does not answer for a moment (a restart, a failover, too many connections) is
not a bug of the page: the visitor gets 503 with ``Retry-After`` and the styled "temporarily
unavailable" page in the language of the URL, as load balancers get 503 from ``/healthz``.
Any other error gets Django's 500 page (``500.html``). Neither page reads the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Long enough for PostgreSQL to restart or a managed database to fail over.
RETRY_AFTER_SECONDS = 30


def database_unavailable(error):
    """Whether ``error``, or an error it was raised from (a template error, say), is the database's."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """503 when the database is unreachable, else the usual 500 (Django calls this while handling
    the exception, so ``sys.exc_info()`` holds it)."""
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    # The failure may come before LocaleMiddleware has read the language from the URL.
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    with translation.override(language):
        html = loader.render_to_string("503.html")  # no request: no context processor runs
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
