"""The one absolute-URL helper: feeds, calendars, exports, the API, structured data and e-mails
give addresses that work outside the page they were found on."""

from django.conf import settings


def absolute_url(url, request=None):
    """``url`` with scheme and host: the request's when there is one, else ``WAGTAILADMIN_BASE_URL``
    (the configured public base URL). An absolute ``url`` or an empty one is returned as it is."""
    if not url or "://" in url:
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}"
