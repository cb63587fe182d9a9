"""Compression of the responses that carry no secret: Django's GZipMiddleware, made BREACH-safe.

BREACH recovers a secret from a compressed response that also reflects text an attacker chose
(a search query, a filter value), by watching the compressed size. So a response is compressed
only when it holds no secret at all, and holds nothing but what any anonymous visitor gets:

- not under the admin (``PORTAL_ADMIN_PATH_PREFIXES``): its pages carry CSRF tokens and reflect
  input;
- not for a request with a session cookie (a signed-in editor: their pages may show their name,
  their drafts, the userbar);
- not when the view used a CSRF token (``{% csrf_token %}`` in the contact form: Django flags the
  request then), nor when the response sets a cookie.

Only text is compressed (HTML, JSON, Atom, iCalendar, CSV…): images and PDF documents are already
compressed. Static files are not seen here: WhiteNoise, before this middleware, serves them with
their pre-compressed copies.

Everything else, HTML pages included, is what the page cache may share between visitors: public
by construction, so compressing it together with a reflected query leaks nothing. Django's own
mitigation (random bytes in the gzip header, "Heal the Breach") stays on as a second layer.

Placed before the page cache in ``MIDDLEWARE``: it compresses what the page cache serves as well
(a hit costs one compression), and the page cache keeps the uncompressed body (a response that
varies on ``Accept-Encoding`` would not be stored: ``PageCacheMiddleware.storable``).
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


def compressible(response):
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(TEXT_TYPES) or content_type.endswith(("+xml", "+json"))


def carries_secret(request, response):
    """Whether ``response`` may hold a secret (a CSRF token, session data) and must stay as is."""
    if request.path_info.startswith(settings.PORTAL_ADMIN_PATH_PREFIXES):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # set by ``get_token``: a token is in the page
        return True
    return bool(response.cookies)


class PublicGZipMiddleware(GZipMiddleware):
    """``GZipMiddleware`` for the responses that carry no secret (see the module's docstring)."""

    def process_response(self, request, response):
        if not compressible(response) or carries_secret(request, response):
            return response
        return super().process_response(request, response)
