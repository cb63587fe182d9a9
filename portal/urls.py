"""URL contract: see docs and DESIGN. Language-neutral URLs first, then /fr/ and /en/ page trees."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy
from django.views.i18n import JavaScriptCatalog

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from relations import directory, exports, feeds, opendata, shared_passwords, sitemaps, views
from relations.api import api_not_found, api_router
from relations.feedback import views as feedback_views

# A database that does not answer gives 503 + Retry-After, any other error 500 (relations/errors.py).
handler500 = "relations.errors.server_error"

urlpatterns = [
    # Outside i18n_patterns and before the page tree: a 404 here must stay a JSON 404.
    path("api/v2/", api_router.urls),
    re_path(r"^api/", api_not_found),  # any other address under /api/: a JSON 404
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's shared-password views, under the login's lock (relations/shared_passwords.py).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        shared_passwords.collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    # For crawlers, in both languages at once (outside i18n_patterns).
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # The DCAT catalogue of the open data, in both languages at one stable URL, for harvesters.
    path("data/catalog.jsonld", opendata.catalog, name="data-catalog"),
    path("", views.root_redirect, name="root"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The site search (/fr/search/, /en/search/), before Wagtail's catch-all.
    path("search/", views.search, name="search"),
    # Atom and iCalendar feeds (/fr/flux/…, /en/feeds/…), before Wagtail's catch-all.
    path("", include(feeds.urlpatterns)),
    # CSV and JSON exports of the agreements register (<index>/export.csv), idem.
    path("", include(exports.urlpatterns)),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        shared_passwords.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Open data (/fr/donnees/, /en/data/): the datasets, their dictionaries and files.
    path(pgettext_lazy("URL", "data/"), include(opendata.urlpatterns)),
    # E-mail alerts (/fr/alertes/…, /en/alerts/…), idem.
    path("", include("relations.alerts.urls")),
    # The organisations directory (relations/directory.py), idem.
    path(pgettext_lazy("URL", "organisations/"), directory.directory, name="organisations"),
    path(
        format_lazy("{}<int:pk>/", pgettext_lazy("URL", "organisations/")),
        directory.organisation,
        name="organisation",
    ),
    # "Was this page useful?" answers (relations/feedback.py), idem.
    path(pgettext_lazy("URL", "feedback/"), feedback_views.receive, name="page_feedback"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
