"""The organisations directory: ``/fr/organisations/`` lists the organisations taking part in the
relations, filtered by kind and country (an unknown value is ignored and the visitor told), and
``/fr/organisations/<id>/`` shows one with its published agreements and events."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import override
from django.views.decorators.http import require_safe

from relations.models import Agreement, Country, Event, Organization, OrganizationKind, current_language

FILTERS = {"kind": OrganizationKind, "country": Country}


def by_name(queryset, language):
    name = (
        F("name_fr") if language == "fr" else Coalesce(NullIf(F(f"name_{language}"), Value("")), F("name_fr"))
    )
    return queryset.order_by(Lower(name), "pk")


def translations(request, chosen=None):
    """The same page in each language, with the filters that were applied (only those)."""
    query = urlencode(chosen or {})
    return {
        code: translate_url(request.path, code) + (f"?{query}" if query else "")
        for code, _name in settings.LANGUAGES
    }


@require_safe
def directory(request):
    language = current_language()
    chosen, ignored = {}, []
    for name, choices in FILTERS.items():
        value = request.GET.get(name, "")[:40]
        if value in choices.values:
            chosen[name] = value
        elif value:
            ignored.append(name)
    organisations = by_name(Organization.objects.filter(**chosen), language)
    with override(language):
        facets = {
            name: [
                (value, str(FILTERS[name](value).label), count, chosen.get(name) == value)
                for value, count in Organization.objects.values_list(name)
                .annotate(n=Count("pk"))
                .order_by(name)
            ]
            for name in FILTERS
        }
    context = {
        "organisations": organisations,
        "facets": facets,
        "ignored": ignored,
        "chosen": chosen,
        "translations": translations(request, chosen),
    }
    return render(request, "relations/directory.html", context)


@require_safe
def organisation(request, pk):
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    agreements = Agreement.objects.published().filter(parties=found).newest_signed_first()
    events = Event.objects.published().filter(organisers=found).order_by("-start_date", "-pk")
    context = {
        "organisation": found,
        "agreements": agreements,
        "events": events,
        "translations": translations(request),
    }
    return render(request, "relations/organisation.html", context)
