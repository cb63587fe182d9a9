"""Read-only JSON API (Wagtail API v2) at ``/api/v2/``: ``pages/``, ``agreements/``, ``events/``.

Every endpoint answers GET only (writes get 405), lists only what visitors may see (live public
pages, published agreements and events), and gives both languages' texts (``title_fr``,
``title_en``…) plus ``title`` and ``summary`` in the language asked with ``?lang=fr|en``
(French by default; another value answers 400).

Agreements and events: ``?kind=``, ``?area=`` (AreaPage id), ``?status=`` (agreements),
``?order=`` (one of the fields listed in ``order_fields``, ``-`` for descending), ``?limit=``,
``?offset=``, ``?fields=``. Any other parameter, or a value that does not fit, answers 400 with
``{"message": ...}``, never 500.

About 500 lines: the two snippet endpoints' fields, filters and orderings are declared here, beside
Wagtail's pages endpoint and the JSON errors.

Errors are JSON in one shape, ``{"message": ...}``: 400s, 404s (an unknown id, an unknown
endpoint, ``/api/v2/`` itself), 405s (in the language asked). Every answer is JSON whatever the
``Accept`` header says (no browsable API), so that responses do not vary on it and the page
cache stores them like the feeds (``relations.core.middleware``). Listings are Wagtail's, over
plain querysets whose related rows are prefetched: a fixed number of queries per request.
"""

import unicodedata

from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.filters import BaseFilterBackend
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from django.conf import settings
from django.core.exceptions import FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.http import JsonResponse
from django.utils.translation import gettext, override
from django.views.decorators.csrf import csrf_exempt

from wagtail.api import APIField
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError, get_full_url
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from .core.caching import declare_query
from .core.dates import DatePrecision, format_iso_partial
from .exports import detail_url
from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementIndexPage,
    AgreementKind,
    AgreementStatus,
    Country,
    Event,
    EventIndexPage,
    EventKind,
    Organization,
    live_areas_prefetch,
    translated_value,
)
from .models.agreements import status_label

API_PREFIX = "/api/"
MAX_OFFSET = 10**9


class Pagination(WagtailPagination):
    """Wagtail's, refusing offsets so large that the database would choke on them (400)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "")
        if len(offset) > 10 or (offset.isdigit() and int(offset) > MAX_OFFSET):
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


def asked_language(request):
    """The language of ``?lang=``, French when it is missing or unknown."""
    language = request.GET.get("lang") or settings.LANGUAGE_CODE
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


class JSONOnly(BaseContentNegotiation):
    """JSON whatever ``Accept`` or ``?format=`` say: the answer never varies on them (DRF's
    "ignore the client" negotiation)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LanguageAPIMixin:
    """``?lang=fr|en`` chooses the language of ``title``, ``summary``… (French by default); bad
    input answers 400 with a JSON message, never 500."""

    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    def requested_language(self, request):
        return request.GET.get("lang") or settings.LANGUAGE_CODE

    def dispatch(self, request, *args, **kwargs):
        with override(asked_language(request)):
            # The serializers and the error messages run inside the view: all in this language.
            response = super().dispatch(request, *args, **kwargs)
        # Wagtail's API answers 400 to a parameter it does not know: a 200 used them all.
        declare_query(request, request.GET.keys())
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.requested_language(request) not in LANGUAGE_CODES:
            raise BadRequestError("lang must be one of: " + ", ".join(LANGUAGE_CODES))

    def handle_exception(self, exc):
        # A value the database layer refuses (a date that is not one, a number too large…).
        if isinstance(exc, DjangoValidationError | FieldError | ValueError | OverflowError):
            return Response({"message": "invalid query parameter value"}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, APIException):
            # DRF's own errors (405, 406…) in Wagtail's shape, their text in the language asked.
            return Response({"message": str(exc.detail)}, status=exc.status_code)
        return super().handle_exception(exc)


@csrf_exempt  # as the API's own views: a POST gets the JSON 404 too, not a CSRF page
def api_not_found(request, *args, **kwargs):
    """Any other address under ``/api/``: a JSON 404 (not the site's HTML page)."""
    with override(asked_language(request)):
        message = gettext("No API endpoint here. The endpoints are %(endpoints)s.") % {
            "endpoints": ", ".join(f"{API_PREFIX}v2/{name}/" for name in ("pages", "agreements", "events"))
        }
    return JsonResponse({"message": message}, status=404, json_dumps_params={"ensure_ascii": False})


class PortalSearchFilter(SearchFilter):
    """Wagtail's ``?search=``, refusing what the search backends cannot take (400, not 500): a
    control character (PostgreSQL refuses NUL) or an unclosed double quote (SQLite's full-text
    syntax)."""

    def filter_queryset(self, request, queryset, view):
        query = request.GET.get("search")
        if query is not None:
            if any(unicodedata.category(character) == "Cc" for character in query):
                raise BadRequestError("search cannot hold control characters")
            if query.count('"') % 2:
                raise BadRequestError("search has an unclosed double quote")
        return super().filter_queryset(request, queryset, view)


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------


class BaseURLHtmlUrlField(PageHtmlUrlField):
    """``html_url`` on the configured base URL (``WAGTAILAPI_BASE_URL``), as ``detail_url`` is,
    rather than on the Site record's host name (``http://localhost/`` in the demo)."""

    def to_representation(self, page):
        url = page.get_url(self.context.get("request"))
        return get_full_url(self.context.get("request"), url) if url else None


class PortalPageSerializer(PageSerializer):
    html_url = BaseURLHtmlUrlField(read_only=True)


class PortalPagesAPIViewSet(LanguageAPIMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, with both languages' titles and ``?lang=``."""

    base_serializer_class = PortalPageSerializer

    filter_backends = [
        PortalSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
    body_fields = PagesAPIViewSet.body_fields + ["title_fr", "title_en"]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["title_fr", "title_en"]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["lang"])


# --------------------------------------------------------------------------------------
# Serializer fields for agreements and events
# --------------------------------------------------------------------------------------


class WholeObjectField(serializers.Field):
    """A read-only field computed from the whole object."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class DetailURLField(WholeObjectField):
    """The object's page: ``url`` in the requested language, ``url_fr``, ``url_en``."""

    def __init__(self, language=None, **kwargs):
        self.language = language
        super().__init__(**kwargs)

    def to_representation(self, obj):
        view = self.context["view"]
        return view.detail_urls(obj, self.language or view.language) or None


class PartialDateField(WholeObjectField):
    """A date known to the day, the month or the year, as ISO 8601: ``2015-01-01``, ``2016-12``, ``2007``."""

    def __init__(self, date_field, precision_field=None, **kwargs):
        self.date_field = date_field
        self.precision_field = precision_field
        super().__init__(**kwargs)

    def to_representation(self, obj):
        precision = getattr(obj, self.precision_field) if self.precision_field else DatePrecision.DAY
        return format_iso_partial(getattr(obj, self.date_field), precision) or None


class ChoiceLabelField(WholeObjectField):
    """The label of a choice in the requested language (``kind_label``, ``status_label``…)."""

    def __init__(self, field_name, choices, **kwargs):
        self.choice_field = field_name
        self.choices_class = choices
        super().__init__(**kwargs)

    def to_representation(self, obj):
        value = getattr(obj, self.choice_field)
        return str(self.choices_class(value).label) if value in self.choices_class.values else None


class StatusLabelField(WholeObjectField):
    """The agreement's status in the requested language, agreeing in French with its kind."""

    def to_representation(self, obj):
        return str(status_label(getattr(obj, "current_status", None) or obj.status, obj.kind))


class AreasField(WholeObjectField):
    """The live areas: id and title in the requested language and in each language."""

    def to_representation(self, obj):
        language = self.context["view"].language
        return [
            {
                "id": area.pk,
                "title": translated_value(area, "title", language),
                **{f"title_{code}": getattr(area, f"title_{code}", "") or "" for code in LANGUAGE_CODES},
            }
            for area in obj.areas.all()
        ]


class OrganizationsField(WholeObjectField):
    """Parties or organisers: id, name (requested language and each language), acronym, country."""

    def __init__(self, relation, **kwargs):
        self.relation = relation
        super().__init__(**kwargs)

    def to_representation(self, obj):
        language = self.context["view"].language
        return [
            {
                "id": organization.pk,
                "name": translated_value(organization, "name", language),
                **{
                    f"name_{code}": getattr(organization, f"name_{code}", "") or "" for code in LANGUAGE_CODES
                },
                "acronym": organization.acronym,
                "country": organization.country,
            }
            for organization in getattr(obj, self.relation).all()
        ]


def translated(field):
    """``field`` in the requested language, then in each language."""
    return [field] + [f"{field}_{code}" for code in LANGUAGE_CODES]


# --------------------------------------------------------------------------------------
# Agreements and events
# --------------------------------------------------------------------------------------


class SnippetFilter(BaseFilterBackend):
    """``?kind=``, ``?area=`` (AreaPage id), ``?status=`` where the endpoint has it; validated."""

    def filter_queryset(self, request, queryset, view):
        kind = request.GET.get("kind")
        if kind is not None:
            if kind not in view.kind_choices.values:
                raise BadRequestError("kind must be one of: " + ", ".join(view.kind_choices.values))
            queryset = queryset.filter(kind=kind)
        area = request.GET.get("area")
        if area is not None:
            if not area.isascii() or not area.isdigit() or len(area) > 18:
                raise BadRequestError("area must be the id of an area page (a positive integer)")
            queryset = queryset.filter(areas=int(area))
        status_value = request.GET.get("status")
        if status_value is not None and "status" in view.filter_parameters:
            if status_value not in AgreementStatus.values:
                raise BadRequestError("status must be one of: " + ", ".join(AgreementStatus.values))
            queryset = queryset.filter(current_status=status_value)
        return queryset


class SnippetOrdering(BaseFilterBackend):
    """``?order=title_fr`` or ``?order=-signed_on``: only the fields in ``view.order_fields``."""

    def filter_queryset(self, request, queryset, view):
        order = request.GET.get("order")
        if not order:
            return queryset
        fields = order.split(",")
        for name in fields:
            if name.lstrip("-") not in view.order_fields:
                raise BadRequestError(
                    "cannot order by '{}': order by one of {}".format(
                        name, ", ".join(sorted(view.order_fields))
                    )
                )
        return queryset.order_by(*fields, "pk")


class SnippetAPIViewSet(LanguageAPIMixin, BaseAPIViewSet):
    """What the agreements and events endpoints share."""

    filter_backends = [SnippetFilter, SnippetOrdering]
    filter_parameters = frozenset(["kind", "area"])
    known_query_parameters = frozenset(["limit", "offset", "fields", "order", "lang", "format", "_"])
    order_fields = frozenset()
    index_model = None
    kind_choices = None

    def check_query_parameters(self, queryset):
        allowed = self.known_query_parameters | self.filter_parameters
        unknown = set(self.request.GET.keys()) - allowed
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised filter: " + ", ".join(sorted(unknown))
            )

    @property
    def language(self):
        return self.requested_language(self.request)

    def detail_urls(self, obj, language):
        return detail_url(obj, language, self.request)


class AgreementsAPIViewSet(SnippetAPIViewSet):
    name = "agreements"
    model = Agreement
    index_model = AgreementIndexPage
    kind_choices = AgreementKind
    filter_parameters = frozenset(["kind", "area", "status"])
    order_fields = frozenset(
        [
            "id",
            "title_fr",
            "title_en",
            "reference_number",
            "signed_on",
            "ratified_on",
            "in_force_on",
            "ended_on",
        ]
    )
    body_fields = [
        "id",
        *translated("title"),
        *translated("summary"),
        "reference_number",
        "kind",
        APIField("kind_label", serializer=ChoiceLabelField("kind", AgreementKind)),
        APIField("status", serializer=serializers.CharField(source="current_status", read_only=True)),
        APIField("status_label", serializer=StatusLabelField()),
        APIField("signed_on", serializer=PartialDateField("signed_on", "signed_precision")),
        "signed_precision",
        APIField("ratified_on", serializer=PartialDateField("ratified_on", "ratified_precision")),
        "ratified_precision",
        APIField("in_force_on", serializer=PartialDateField("in_force_on", "in_force_precision")),
        "in_force_precision",
        APIField("ended_on", serializer=PartialDateField("ended_on")),
        APIField("parties", serializer=OrganizationsField("parties")),
        APIField("areas", serializer=AreasField()),
        "official_link",
        "order_in_council",
        *[f"text_{code}" for code in LANGUAGE_CODES],
        APIField("url", serializer=DetailURLField()),
        *[APIField(f"url_{code}", serializer=DetailURLField(code)) for code in LANGUAGE_CODES],
        "first_published_at",
        "last_published_at",
    ]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        *translated("title"),
        *translated("summary"),
        "reference_number",
        "kind",
        "kind_label",
        "status",
        "status_label",
        "signed_on",
        "ratified_on",
        "in_force_on",
        "ended_on",
        "parties",
        "areas",
        "url",
        *[f"url_{code}" for code in LANGUAGE_CODES],
        "last_published_at",
    ]

    def get_queryset(self):
        return (
            Agreement.objects.published()
            .with_status()
            .prefetch_related(
                live_areas_prefetch(),
                Prefetch("parties", queryset=Organization.objects.order_by("name_fr", "pk")),
            )
            .newest_signed_first()
        )


class EventsAPIViewSet(SnippetAPIViewSet):
    name = "events"
    model = Event
    index_model = EventIndexPage
    kind_choices = EventKind
    order_fields = frozenset(["id", "title_fr", "title_en", "start_date", "last_day"])
    body_fields = [
        "id",
        *translated("title"),
        *translated("summary"),
        "kind",
        APIField("kind_label", serializer=ChoiceLabelField("kind", EventKind)),
        APIField("start_date", serializer=PartialDateField("start_date", "date_precision")),
        "start_time",
        APIField("end_date", serializer=PartialDateField("end_date")),
        "end_time",
        "date_precision",
        "all_day",
        "timezone",
        *translated("venue"),
        *translated("city"),
        "country",
        APIField("country_label", serializer=ChoiceLabelField("country", Country)),
        APIField("areas", serializer=AreasField()),
        APIField("organisers", serializer=OrganizationsField("organisers")),
        "link",
        *[f"text_{code}" for code in LANGUAGE_CODES],
        APIField("url", serializer=DetailURLField()),
        *[APIField(f"url_{code}", serializer=DetailURLField(code)) for code in LANGUAGE_CODES],
        "first_published_at",
        "last_published_at",
    ]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        *translated("title"),
        *translated("summary"),
        "kind",
        "kind_label",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "date_precision",
        "all_day",
        "timezone",
        "venue",
        "city",
        "country",
        "areas",
        "url",
        *[f"url_{code}" for code in LANGUAGE_CODES],
        "last_published_at",
    ]

    def get_queryset(self):
        return (
            Event.objects.published()
            .prefetch_related(
                live_areas_prefetch(),
                Prefetch("organisers", queryset=Organization.objects.order_by("name_fr", "pk")),
            )
            .order_by(F("start_date").asc(nulls_last=True), "start_time", "pk")
        )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("agreements", AgreementsAPIViewSet)
api_router.register_endpoint("events", EventsAPIViewSet)
