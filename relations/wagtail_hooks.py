"""The "Relations" admin menu: agreements, events, organisations, key figures and sectors."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Agreement, Event, KeyFigure, Organization, Sector


class AgreementViewSet(SnippetViewSet):
    model = Agreement
    icon = "doc-full"
    menu_label = _("Agreements")
    list_display = ["title", "kind", "signed_on", "in_force_on", "live"]
    list_filter = ["kind", "live"]
    search_fields = ["title_fr", "title_en", "reference_number"]
    ordering = ["-signed_on"]


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = _("Events")
    list_display = ["title", "kind", "start_date", "city", "live"]
    list_filter = ["kind", "country", "live"]
    search_fields = ["title_fr", "title_en"]
    ordering = ["-start_date"]


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name_fr", "name_en", "acronym"]


class KeyFigureViewSet(SnippetViewSet):
    model = KeyFigure
    icon = "pick"
    menu_label = _("Key figures")
    list_display = ["label", "value", "unit", "reference_year", "area"]
    list_filter = ["unit", "area"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["name", "slug"]


class RelationsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Relations")
    menu_icon = "site"
    menu_order = 200
    items = (AgreementViewSet, EventViewSet, OrganizationViewSet, KeyFigureViewSet, SectorViewSet)


register_snippet(RelationsViewSetGroup)
