"""What the site search finds, kept up to date by Wagtail through its search-backend API.

``WAGTAILSEARCH_BACKENDS["site"]`` names ``SiteSearchBackend``: Wagtail's signal handlers call it on
every save and delete of an indexed model (a publication, an unpublication, a deletion) and
``manage.py update_index`` rebuilds it, as they do Wagtail's own index. It writes ``SearchEntry``
rows (``relations.models.search``): one per object and language, with the folded text a visitor
reads in that language, and on PostgreSQL its stored ``tsvector`` under a GIN index.

Why not Wagtail's database backend alone: it keeps one entry per object, every language's fields
in one vector made with one configuration, where the site search must find a French word on the
French pages only, stemmed in French. The admin's search keeps using it (the ``default`` backend).
Searching is ``relations.search.search``, not ``backend.search()``.

A language is searched once it is in ``settings.LANGUAGES``: its fields (``title_ko``…) are read by
name; give it its PostgreSQL text-search configuration in ``SEARCH_CONFIGS`` (else ``simple``:
words without stemming) and run ``update_index``.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from modelsearch.backends.base import BaseIndex, BaseSearchBackend

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from wagtail.models import Page

from relations.core.language import LANGUAGE_CODES
from relations.models.agreements import Agreement
from relations.models.events import Event
from relations.models.reference import Organization
from relations.models.search import SearchEntry
from relations.pages import AreaPage, UpdatePage

# PostgreSQL text-search configuration per language, made by migration 0004 (a copy of the
# language's own with ``unaccent`` before its stemmer: ``Quebec`` finds ``Québec``).
SEARCH_CONFIGS = {"fr": "french_unaccent", "en": "english_unaccent"}
DEFAULT_CONFIG = "simple"


def search_config(language):
    return SEARCH_CONFIGS.get(language, DEFAULT_CONFIG)


def fold(text):
    """Lower case, no accents, ligatures and typographic apostrophes made plain:
    `Cœur coréen’s` → `coeur coreen's`. Hangul is kept whole (recomposed after the accents go)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).casefold()
    return text.replace("œ", "oe").replace("æ", "ae").replace("\u2019", "'").replace("\u00a0", " ")


def plain_text(value):
    """The words of a field: a StreamField gives the strings of its blocks (not their types or
    ids), rich text loses its tags."""
    if value is None:
        return ""
    if hasattr(value, "get_prep_value") and hasattr(value, "raw_data"):  # a StreamField's value
        parts = []
        _strings(value.get_prep_value(), parts)
        value = " ".join(parts)
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(value)))
    return re.sub(r"\s+", " ", text).strip()


def _strings(node, parts):
    if isinstance(node, dict):
        for key, item in node.items():
            if key not in ("type", "id"):
                _strings(item, parts)
    elif isinstance(node, list):
        for item in node:
            _strings(item, parts)
    elif isinstance(node, str):
        parts.append(node)


@dataclass(frozen=True)
class Source:
    """How one kind of object is searched: its fields, translated (``title`` → ``title_fr``…) or
    not (``plain``, the same in every language), the title first."""

    title: tuple
    body: tuple
    plain: tuple = ()

    def texts(self, obj, language):
        def words(names, translated=True):
            values = (getattr(obj, f"{name}_{language}" if translated else name, None) for name in names)
            return " ".join(text for text in map(plain_text, values) if text)

        title = " ".join(part for part in (words(self.title), words(self.plain, False)) if part)
        return fold(title), fold(words(self.body))


PAGE_SOURCE = Source(title=("title",), body=("search_description", "intro", "body"))
SNIPPET_SOURCES = {
    Agreement: ("agreement", Source(title=("title",), body=("summary", "text"), plain=("reference_number",))),
    Event: ("event", Source(title=("title",), body=("summary", "city", "venue", "text"))),
    Organization: (
        "organization",
        Source(title=("name",), body=("description", "city"), plain=("acronym",)),
    ),
}


def is_searched(model):
    return model in SNIPPET_SOURCES or (issubclass(model, Page) and model._meta.app_label == "relations")


def page_kind(model):
    if issubclass(model, AreaPage):
        return "area"
    if issubclass(model, UpdatePage):
        return "update"
    return "page"


def entries_for(obj, content_type):
    """The entries of ``obj``, one per language it has words in; none when visitors cannot see it."""
    if not getattr(obj, "live", True):
        return []
    if isinstance(obj, Page):
        kind, source, path = page_kind(type(obj)), PAGE_SOURCE, obj.path
    else:
        (kind, source), path = SNIPPET_SOURCES[type(obj)], ""
    entries = []
    for language in LANGUAGE_CODES:
        title, body = source.texts(obj, language)
        if title or body:
            entries.append(
                SearchEntry(
                    content_type=content_type,
                    object_id=obj.pk,
                    language=language,
                    kind=kind,
                    path=path,
                    expire_at=getattr(obj, "expire_at", None),
                    title=title,
                    body=body,
                )
            )
    return entries


class SiteIndex(BaseIndex):
    def add_items(self, model, items):
        if not is_searched(model) or not items:
            return
        content_type = ContentType.objects.get_for_model(model)
        ids = [item.pk for item in items]
        entries = [entry for item in items for entry in entries_for(item, content_type)]
        with transaction.atomic():
            SearchEntry.objects.filter(content_type=content_type, object_id__in=ids).delete()
            SearchEntry.objects.bulk_create(entries)
            if connection.vendor == "postgresql":
                for language in {entry.language for entry in entries}:
                    config = search_config(language)
                    SearchEntry.objects.filter(
                        content_type=content_type, object_id__in=ids, language=language
                    ).update(
                        vector=SearchVector("title", weight="A", config=config)
                        + SearchVector("body", weight="B", config=config)
                    )

    def delete_item(self, item):
        model = type(item)
        if is_searched(model):
            SearchEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id=item.pk
            ).delete()

    def reset(self):
        SearchEntry.objects.all().delete()


class Rebuilder:
    """``update_index``: every entry written again, the search answering meanwhile. An entry
    rewritten gets a new id; those older than the rebuild left at its end are of objects gone
    without a signal (bulk deletes, a restore) and are deleted."""

    def __init__(self, index):
        self.index = index
        self.last_before = None

    def start(self):
        self.last_before = SearchEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        return self.index

    def finish(self):
        if self.last_before is not None:
            SearchEntry.objects.filter(pk__lte=self.last_before).delete()
        if connection.vendor == "postgresql":  # the planner's statistics of the table just filled
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE relations_searchentry")


class SiteSearchBackend(BaseSearchBackend):
    index_class = SiteIndex
    rebuilder_class = Rebuilder

    def search(self, *args, **kwargs):
        raise NotImplementedError("the site search is relations.search.search()")

    autocomplete = search
