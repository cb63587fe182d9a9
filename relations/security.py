"""Security helpers read by the settings: the client's address behind proxies (for django-axes)."""

from django.conf import settings


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so with N trusted proxies
    the client is the N-th address from the right; anything to its left is what the client sent and
    may be forged. Without trusted proxies (TRUSTED_PROXY_COUNT=0) the header is ignored.
    """
    count = settings.PORTAL_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
