"""Public views outside the page tree: the root redirect, the health check, the site search,
robots.txt."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_from_request, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail.models import Site

from . import search as site_search
from .core.caching import declare_query
from .listings.pagination import paginate
from .models import LANGUAGE_CODES, current_language


@require_safe
def root_redirect(request):
    """`/` → `/fr/`, or `/en/` when the browser (or the language cookie) prefers English."""
    language = get_language_from_request(request, check_path=False)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def search(request):
    """``/<lang>/search/?q=…&type=…&page=…``: the site search, in the visitor's language only.

    Any input is accepted: an empty query shows the search form, a long one is shortened (and the
    visitor told), operators and punctuation are read as words or ignored. ``type`` keeps one kind
    of result (agreements, events…); ``page`` beyond the last gives the last page.
    """
    language = current_language()
    raw_query = request.GET.get("q", "")
    site = Site.find_for_request(request)
    outcome = site_search.search(raw_query, language, site.root_page if site else None)
    kind = request.GET.get("type", "")
    if kind not in outcome.counts:
        kind = ""
    hits = outcome.of_kind(kind)
    page_obj, page_adjusted = paginate(hits, request.GET.get("page"), per_page=site_search.PER_PAGE)
    # Only the hits shown are read as objects (one query per kind of result on the page).
    page_obj.object_list = site_search.results_for(page_obj.object_list, language, request)
    params = {"q": outcome.query} if outcome.query else {}
    querystring = urlencode({**params, **({"type": kind} if kind else {})})
    translations = {}
    for code in LANGUAGE_CODES:
        with override(code):
            translations[code] = reverse("search") + (f"?{urlencode(params)}" if params else "")
    kinds = [
        {
            "code": code,
            "label": site_search.KINDS[code].plural,
            "count": outcome.counts[code],
            "url": "?" + urlencode({**params, "type": code}),
            "current": code == kind,
        }
        for code in site_search.KIND_ORDER
        if code in outcome.counts
    ]
    context = {
        "query": outcome.query,
        "query_shortened": len(raw_query.strip()) > site_search.MAX_QUERY_LENGTH,
        "kind": kind,
        "kinds": kinds,
        "all_url": "?" + urlencode(params),
        "total": len(outcome.hits),
        "capped": outcome.capped,
        "max_results": site_search.MAX_RESULTS,
        "results": page_obj,
        "result_count": len(hits),
        "page_adjusted": page_adjusted and bool(hits),
        "querystring": querystring,
        "translations": translations,
        "searched": bool(outcome.query),
        "max_length": site_search.MAX_QUERY_LENGTH,
    }
    # A search that found nothing, a query cut short or a junk type or page is not kept.
    junk = not hits or context["query_shortened"] or page_adjusted or (request.GET.get("type") and not kind)
    declare_query(request, ["q", "type", "page"], junk)
    return render(request, "relations/search.html", context)


@require_safe
def robots_txt(request):
    """Crawlers may read everything public; the admin and the search results are left out."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code in LANGUAGE_CODES:
        with override(code):
            lines.append(f"Disallow: {reverse('search')}")
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
