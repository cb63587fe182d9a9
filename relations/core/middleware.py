"""Middleware of the portal: the anonymous page cache, the site and kept values looked up once a
request, the locale outside the API, and the two Content-Security-Policies."""

import base64
import hashlib
import logging
import os

from csp.middleware import CSPMiddleware
from csp.utils import default_config

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_cache_control

from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from .caching import PageStore, canonical_query, one_generation, query_is_used, shared_lookup

logger = logging.getLogger(__name__)

CACHE_HEADER = "X-Page-Cache"
# Headers a cached response must not replay: they belong to the request that produced it.
NOT_REPLAYED = {"set-cookie", "date", CACHE_HEADER.lower()}
MAX_KEY_PATH = 1024
API_PREFIX = "/api/"


class KeptLookupsMiddleware:
    """Reads the generation of the kept values once for the request (``caching.one_generation``),
    and finds the Wagtail site of the request once per publication, not once per request.

    Wagtail looks the site up with a query on every request and keeps it on the request
    (``request._wagtail_site``, as ``Site.find_for_request`` documents); this gives it the site
    kept by ``shared_lookup``, which forgets it whenever a site or page changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname, port = split_domain_port(request.get_host())[0], request.get_port()

        def find():
            try:
                return get_site_for_hostname(hostname, port)
            except Site.DoesNotExist:
                return None

        with one_generation():
            try:
                request._wagtail_site = shared_lookup(("site", hostname, port), find)
            except Exception:
                # The database is down: leave the lookup to Wagtail, and each view (/healthz says
                # 503) to answer as it does without this shortcut.
                logger.warning("site lookup failed", exc_info=True)
            return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except under ``/api/``: there a 404 must stay the API's JSON 404.

    Django's middleware turns any 404 outside the language prefixes into a redirect to
    ``/fr/<path>`` whenever that path resolves, and Wagtail's page URL pattern resolves any path.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests for public pages from the page cache.

    Placed right after SecurityMiddleware and WhiteNoise: a hit returns before sessions, locale,
    CSRF, authentication, messages, CSP and the URL resolver, which is what makes a cached page
    nearly as fast as a static file. The response stored is the complete one, with the headers the
    inner middleware added (Content-Security-Policy, X-Frame-Options, Content-Language, Vary…).

    A request is looked up only when it is a GET or HEAD, outside /admin/, /documents/ and the
    other excluded prefixes, carries no session, CSRF or messages cookie and no Authorization
    header, and is not a Wagtail preview (``request.is_dummy``). The key is scheme + host + path
    with the normalised query string (``canonical_query``): ``/fr/`` and ``/en/`` are different
    pages, and so are filters, but not the order of the parameters or empty ones.

    Junk is not stored: a response to a query string is stored only when the view said that it
    used every parameter and that none was ignored or adjusted (``core.caching.declare_query``).
    Otherwise each distinct junk query string would be a page-cache entry of its own, pushing
    real pages out (4,611 junk ``?q=`` values in 60 s grew a worker by 37 MB).

    A response is stored only when it is a 200 to a GET, sets no cookie, is not streamed, does not
    say private/no-cache/no-store, and varies on nothing but Cookie. It then gets
    ``Cache-Control: public, max-age=<browser seconds>, s-maxage=<cache seconds>`` for a CDN.
    Responses to requests with a session cookie (signed-in users) or credentials, and in the admin, get
    ``Cache-Control: private, no-cache`` unless the view set its own.

    CSP nonces: a page that used ``request.csp_nonce`` carries that nonce in its body and its
    header. A hit replaces it with a fresh one, so that no two visitors share a nonce.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.store = PageStore()

    # -- request side ------------------------------------------------------------------

    def cache_key(self, request):
        seconds = settings.PORTAL_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return None
        path = request.path
        if path.startswith(settings.PORTAL_PAGE_CACHE_EXCLUDED_PREFIXES):
            return None
        if getattr(request, "is_dummy", False) or "HTTP_AUTHORIZATION" in request.META:
            return None
        cookies = request.COOKIES
        if cookies and (
            settings.SESSION_COOKIE_NAME in cookies
            or settings.CSRF_COOKIE_NAME in cookies
            or "messages" in cookies
        ):
            return None
        query = canonical_query(request.GET)
        if len(request.path) + len(query) > MAX_KEY_PATH:
            return None
        raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()

    def __call__(self, request):
        key = self.cache_key(request)
        if key is not None:
            entry = self.store.get(key)
            if entry is not None:
                return self.replay(entry)
        response = self.get_response(request)
        if key is not None and request.method == "GET" and self.storable(response) and query_is_used(request):
            patch_cache_control(
                response,
                public=True,
                max_age=min(settings.PORTAL_PAGE_CACHE_BROWSER_SECONDS, settings.PORTAL_PAGE_CACHE_SECONDS),
                s_maxage=settings.PORTAL_PAGE_CACHE_SECONDS,
            )
            self.store.set(key, self.entry(request, response), settings.PORTAL_PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        elif not response.has_header("Cache-Control") and self.private(request, key):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    # -- response side -----------------------------------------------------------------

    @staticmethod
    def private(request, key):
        """Whether the response may be personal: the admin, or a request with a session or credentials."""
        if request.path.startswith(settings.PORTAL_ADMIN_PATH_PREFIXES):
            return True
        return key is None and (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        )

    @staticmethod
    def storable(response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        return vary <= {"cookie"}

    @staticmethod
    def entry(request, response):
        nonce = getattr(request, "_csp_nonce", None)
        headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED]
        return (
            None,
            response.status_code,
            headers,
            response.content,
            nonce if isinstance(nonce, str) else None,
        )

    @staticmethod
    def replay(entry):
        _generation, status, headers, content, nonce = entry
        fresh = None
        if nonce:
            fresh = base64.b64encode(os.urandom(16)).decode("ascii")
            content = content.replace(nonce.encode("ascii"), fresh.encode("ascii"))
        response = HttpResponse(content, status=status)
        for name, value in headers:
            if fresh and name.lower().startswith("content-security-policy"):
                value = value.replace(f"'nonce-{nonce}'", f"'nonce-{fresh}'")
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with a second, looser policy for the Wagtail admin and previews.

    The public policy is ``CONTENT_SECURITY_POLICY``; requests under ``PORTAL_ADMIN_PATH_PREFIXES``
    and Wagtail's preview requests (``request.is_dummy``: a page or snippet rendered inside the
    admin's preview panel) get ``PORTAL_ADMIN_CONTENT_SECURITY_POLICY``. A view's own
    ``@csp_override``/``@csp_replace``/``@csp_update`` still wins.
    """

    @staticmethod
    def uses_admin_policy(request):
        return getattr(request, "is_dummy", False) or request.path_info.startswith(
            settings.PORTAL_ADMIN_PATH_PREFIXES
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and self.uses_admin_policy(request):
            parts.config = default_config(settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
