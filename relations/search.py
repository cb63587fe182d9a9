"""The site search (``/fr/search/?q=``, ``/en/search/?q=``): pages, agreements, events, organisations
and updates, in the visitor's language only.

Only the fields of the visitor's language are searched (``title_fr``, ``intro_fr``, ``body_fr``… on
a French page; ``title_en``… on an English one), so that a French word never brings up a result
through its English translation, and the other way round.

- **PostgreSQL**: full-text search computed on the fly over those fields, with the
  ``french_unaccent`` text-search configuration for French (a copy of ``french`` that also removes
  accents: ``Quebec`` finds ``Québec``, ``coreen`` finds ``coréenne``) and ``english_unaccent`` for
  English (English stemming, accents removed), both made by the migration
  ``0004_search_config``. The query is read by ``websearch_to_tsquery``, which accepts any input
  (quotes, ``-``, ``or``, stray operators) without a syntax error. Ranked by ``ts_rank`` with the
  titles weighted highest.
- **SQLite** (the demo, the tests): no stemming. Each word of the query must appear in one of the
  fields, compared without accents or case (a SQL function registered on the connection), so
  ``Quebec`` still finds ``Québec`` and ``coreen`` finds ``coréenne`` as a word start.

Nothing is written to the database by a search: no query log, no promoted results.
"""

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.text import Truncator
from django.utils.translation import pgettext_lazy

from wagtail.fields import StreamField
from wagtail.models import Page

from .models import (
    LANGUAGE_CODES,
    Agreement,
    AgreementIndexPage,
    AreaPage,
    Event,
    EventIndexPage,
    Organization,
    UpdatePage,
    translated_value,
)

MAX_QUERY_LENGTH = 200  # characters kept of what the visitor typed (the search box allows 200)
MAX_TERMS = 10  # words kept of the query on SQLite
MAX_PER_SOURCE = 100  # results kept per kind of object before ranking them all together
PER_PAGE = 10

# PostgreSQL text-search configuration per language (and the built-in one used when the
# migration's configuration is missing, e.g. on a database restored without it).
PG_CONFIGS = {"fr": ("french_unaccent", "french"), "en": ("english_unaccent", "english")}

WEIGHTS = ("A", "B", "C", "D")


@dataclass
class Kind:
    """A kind of result, as the visitor reads it above each result."""

    code: str
    label: object
    plural: object


KINDS = {
    "page": Kind(
        "page", pgettext_lazy("search result kind", "Page"), pgettext_lazy("search result kinds", "Pages")
    ),
    "area": Kind(
        "area",
        pgettext_lazy("search result kind", "Area of collaboration"),
        pgettext_lazy("search result kinds", "Areas of collaboration"),
    ),
    "agreement": Kind(
        "agreement",
        pgettext_lazy("search result kind", "Agreement"),
        pgettext_lazy("search result kinds", "Agreements"),
    ),
    "event": Kind(
        "event", pgettext_lazy("search result kind", "Event"), pgettext_lazy("search result kinds", "Events")
    ),
    "update": Kind(
        "update",
        pgettext_lazy("search result kind", "Update"),
        pgettext_lazy("search result kinds", "Updates"),
    ),
    "organization": Kind(
        "organization",
        pgettext_lazy("search result kind", "Organisation"),
        pgettext_lazy("search result kinds", "Organisations"),
    ),
}
KIND_ORDER = list(KINDS)


@dataclass
class Result:
    kind: Kind
    title: str
    url: str
    summary: str = ""
    rank: float = 0.0
    obj: object = None
    lang: str = ""  # ' lang="fr"' when the title is the French fallback on an English page
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# The query
# --------------------------------------------------------------------------------------


def clean_query(raw):
    """The query as searched: no control characters (PostgreSQL refuses NUL), spaces collapsed,
    at most MAX_QUERY_LENGTH characters."""
    if not raw:
        return ""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(raw)[: MAX_QUERY_LENGTH * 4])
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        # Shortened at the last space when there is one: no half word at the end.
        cut = text[: MAX_QUERY_LENGTH + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_LENGTH]
    return text.strip()


def fold(text):
    """Lower case, no accents, typographic apostrophes made plain: `Coréenne’s` → `coreenne's`."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u00a0", " ").casefold()


def query_terms(query):
    """The words of the query, folded, at most MAX_TERMS (operators and punctuation dropped)."""
    terms = []
    for word in re.findall(r"\w+", fold(query)):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


# --------------------------------------------------------------------------------------
# What is searched
# --------------------------------------------------------------------------------------


def _page_models():
    """Every page type of the portal (the contact page included), with its searchable fields."""
    models = []
    for model in apps.get_app_config("relations").get_models():
        if issubclass(model, Page) and not model._meta.abstract:
            models.append(model)
    return models


def _fields(model, names):
    """``[(base name, weight, is_streamfield)]`` for the translated fields ``model`` has."""
    found = []
    for name, weight in names:
        try:
            model_field = model._meta.get_field(f"{name}_fr")
        except Exception:  # noqa: S112 - a page type without this field
            continue
        found.append((name, weight, isinstance(model_field, StreamField)))
    return found


PAGE_FIELDS = [("title", "A"), ("search_description", "B"), ("intro", "B"), ("body", "C")]


def _page_kind(model):
    if issubclass(model, AreaPage):
        return KINDS["area"]
    if issubclass(model, UpdatePage):
        return KINDS["update"]
    return KINDS["page"]


def sources(request, site_root=None):
    """``[(kind, queryset, fields, to_result)]``: what the search looks through."""
    found = []
    for model in _page_models():
        queryset = model.objects.live().public()
        if site_root is not None:
            queryset = queryset.descendant_of(site_root, inclusive=True)
        found.append((_page_kind(model), queryset, _fields(model, PAGE_FIELDS), _page_result))
    found.append(
        (
            KINDS["agreement"],
            Agreement.objects.published(),
            [("title", "A", False), ("summary", "B", False), ("text", "C", False)],
            _agreement_result,
        )
    )
    found.append(
        (
            KINDS["event"],
            Event.objects.published(),
            [
                ("title", "A", False),
                ("summary", "B", False),
                ("city", "B", False),
                ("venue", "C", False),
                ("text", "C", False),
            ],
            _event_result,
        )
    )
    found.append(
        (
            KINDS["organization"],
            Organization.objects.all(),
            [("name", "A", False), ("description", "C", False), ("city", "C", False)],
            _organization_result,
        )
    )
    return found


# Untranslated fields searched as well (the same in both languages).
PLAIN_FIELDS = {Organization: [("acronym", "A")], Agreement: [("reference_number", "A")]}


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


def _summary(text, words=35):
    text = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    return Truncator(re.sub(r"\s+", " ", text).strip()).words(words)


def _fallback_lang(obj, name, language):
    if getattr(obj, f"{name}_{language}", None) or not getattr(obj, f"{name}_fr", None):
        return ""
    return ' lang="fr"' if language != "fr" else ""


def _page_result(obj, kind, language, context):
    page = obj
    url = page.get_url(context["request"])
    if not url:
        return None
    summary = translated_value(page, "search_description", language) or translated_value(
        page, "intro", language
    )
    extra = {}
    if isinstance(page, UpdatePage):
        extra["date"] = page.date
        extra["date_precision"] = page.date_precision
    return Result(
        kind=kind,
        title=translated_value(page, "title", language),
        url=url,
        summary=_summary(summary),
        obj=page,
        lang=_fallback_lang(page, "title", language),
        extra=extra,
    )


def _detail_result(obj, kind, language, context, index_model):
    key = f"index-{index_model.__name__}"
    if key not in context:
        context[key] = index_model.objects.live().first()
    url = obj.get_url_for_language(language, context["request"])
    if not url:
        return None
    return Result(
        kind=kind,
        title=translated_value(obj, "title", language),
        url=url,
        summary=_summary(translated_value(obj, "summary", language)),
        obj=obj,
        lang=_fallback_lang(obj, "title", language),
    )


def _agreement_result(obj, kind, language, context):
    return _detail_result(obj, kind, language, context, AgreementIndexPage)


def _event_result(obj, kind, language, context):
    return _detail_result(obj, kind, language, context, EventIndexPage)


def _organization_result(obj, kind, language, context):
    """An organisation has no page of its own: its agreements in the register, or its website."""
    if "agreements-url" not in context:
        index = AgreementIndexPage.objects.live().first()
        context["agreements-url"] = index.get_url(context["request"]) if index else None
        context["parties"] = set(
            Agreement.parties.through.objects.filter(agreement__in=Agreement.objects.published()).values_list(
                "organization_id", flat=True
            )
        )
    url = ""
    if context["agreements-url"] and obj.pk in context["parties"]:
        url = f"{context['agreements-url']}?party={obj.pk}"
    elif obj.website:
        url = obj.website
    name = translated_value(obj, "name", language)
    if obj.acronym and obj.acronym != name:
        name = f"{name} ({obj.acronym})"
    return Result(
        kind=kind,
        title=name,
        url=url,
        summary=_summary(translated_value(obj, "description", language)),
        obj=obj,
        lang=_fallback_lang(obj, "name", language),
        extra={"party_link": bool(url and "?party=" in url)},
    )


# --------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------

_pg_configs = {}


def pg_config(language):
    """The text-search configuration for ``language``: the migration's, else PostgreSQL's own."""
    wanted, builtin = PG_CONFIGS.get(language, PG_CONFIGS["fr"])
    if wanted not in _pg_configs:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [wanted])
            _pg_configs[wanted] = cursor.fetchone() is not None
    return wanted if _pg_configs[wanted] else builtin


# A StreamField is JSON: keep the text of its values, drop the block types, ids and keys.
STREAM_NOISE = r'"(?:type|id)": "[^"]*"|"[A-Za-z_]+": |\\[nrt]'


def _pg_text(name, is_stream):
    if not is_stream:
        return F(name)
    return Func(
        Cast(F(name), TextField()),
        Value(STREAM_NOISE),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _search_postgres(queryset, fields, model, query, language):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    config = pg_config(language)
    vector = None
    for name, weight, is_stream in fields:
        part = SearchVector(_pg_text(f"{name}_{language}", is_stream), weight=weight, config=config)
        vector = part if vector is None else vector + part
    for name, weight in PLAIN_FIELDS.get(model, []):
        vector = vector + SearchVector(name, weight=weight, config="simple")
    search_query = SearchQuery(query, config=config, search_type="websearch")
    return list(
        queryset.annotate(_search=vector, _rank=SearchRank(vector, search_query))
        .filter(_search=search_query)
        .order_by("-_rank", "pk")[:MAX_PER_SOURCE]
    )


# --------------------------------------------------------------------------------------
# SQLite (and any other database): words contained, without accents or case
# --------------------------------------------------------------------------------------


def _stream_text(value, is_json=False):
    """The text of a field: a StreamField's JSON gives its values only; tags are removed."""
    if not value:
        return ""
    text = str(value)
    if is_json and text[:1] in "[{":
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if data is not None:
            parts = []

            def walk(node, key=None):
                if isinstance(node, dict):
                    for k, v in node.items():
                        if k not in ("type", "id"):
                            walk(v, k)
                elif isinstance(node, list):
                    for item in node:
                        walk(item)
                elif isinstance(node, str):
                    parts.append(node)

            walk(data)
            text = " ".join(parts)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _sql_fold(value):
    return " " + fold(_stream_text(value)) + " "


def _sql_fold_stream(value):
    return " " + fold(_stream_text(value, is_json=True)) + " "


def _register_sqlite_functions():
    connection.ensure_connection()
    connection.connection.create_function("portal_fold", 1, _sql_fold, deterministic=True)
    connection.connection.create_function("portal_fold_stream", 1, _sql_fold_stream, deterministic=True)


def _folded(name, is_stream=False):
    return Func(
        Coalesce(F(name), Value(""), output_field=TextField()),
        function="portal_fold_stream" if is_stream else "portal_fold",
        output_field=TextField(),
    )


def _search_contains(queryset, fields, model, terms, language):
    parts = []
    for name, _weight, is_stream in fields:
        parts += [_folded(f"{name}_{language}", is_stream), Value(" ")]
    for name, _weight in PLAIN_FIELDS.get(model, []):
        parts += [_folded(name), Value(" ")]
    title_field = fields[0][0]
    queryset = queryset.annotate(
        _doc=Concat(*parts, output_field=TextField()), _title=_folded(f"{title_field}_{language}")
    )
    condition = Q()
    for term in terms:
        condition &= Q(_doc__contains=term)
    found = []
    for obj in queryset.filter(condition).order_by("pk")[: MAX_PER_SOURCE * 3]:
        rank = 0.0
        for term in terms:
            if f" {term}" in obj._title:
                rank += 3.0
            elif term in obj._title:
                rank += 2.0
            elif f" {term}" in obj._doc:
                rank += 1.0
            else:
                rank += 0.5
        obj._rank = rank / len(terms)
        found.append(obj)
    found.sort(key=lambda o: (-o._rank, o.pk))
    return found[:MAX_PER_SOURCE]


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    query: str
    results: list
    counts: dict  # kind code → number of results


def search(query, language, request, site_root=None):
    """Every result for ``query`` in ``language``, best first, with the count of each kind."""
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    query = clean_query(query)
    terms = query_terms(query)
    if not query or not terms:
        return SearchOutcome(query=query, results=[], counts={})
    postgres = connection.vendor == "postgresql"
    if connection.vendor == "sqlite":
        _register_sqlite_functions()
    context = {"request": request}
    results = []
    for kind, queryset, fields, to_result in sources(request, site_root):
        if not fields:
            continue
        model = queryset.model
        if postgres:
            found = _search_postgres(queryset, fields, model, query, language)
        elif connection.vendor == "sqlite":
            found = _search_contains(queryset, fields, model, terms, language)
        else:  # pragma: no cover - the portal runs on PostgreSQL or SQLite
            found = _search_icontains(queryset, fields, terms, language)
        for obj in found:
            result = to_result(obj, kind, language, context)
            if result is not None:
                result.rank = float(getattr(obj, "_rank", 0.0) or 0.0)
                results.append(result)
    results.sort(key=lambda r: (-r.rank, KIND_ORDER.index(r.kind.code), fold(r.title)))
    counts = {}
    for result in results:
        counts[result.kind.code] = counts.get(result.kind.code, 0) + 1
    return SearchOutcome(query=query, results=results, counts=counts)


def _search_icontains(queryset, fields, terms, language):  # pragma: no cover
    condition = Q()
    for term in terms:
        any_field = Q()
        for name, _weight, _is_stream in fields:
            any_field |= Q(**{f"{name}_{language}__icontains": term})
        condition &= any_field
    return list(
        queryset.filter(condition).annotate(_rank=Value(1.0, output_field=FloatField()))[:MAX_PER_SOURCE]
    )
