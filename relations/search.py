"""The site search (``/fr/search/?q=``, ``/en/search/?q=``): pages, agreements, events, organisations
and updates, in the visitor's language only.

It reads the site search's index (``relations.search_index``: one entry per object and language,
kept by Wagtail on every save and by ``update_index``), so that a French word never brings up a
result through its English translation, and the other way round. One query reads the first
``MAX_RESULTS`` matching entries of all kinds, which are ranked here; the page shown then reads its
ten objects (one query per kind on the page).

- **PostgreSQL**: the stored ``tsvector`` of each entry, under a GIN index, matched with
  ``websearch_to_tsquery`` in the language's configuration (``french_unaccent``: French stemming,
  accents removed, so ``Quebec`` finds ``Québec`` and ``coreen`` finds ``coréenne``), which
  accepts any input (quotes, ``-``, ``or``, stray operators) without a syntax error. Ranked by
  ``ts_rank``, the titles weighted highest.
- **SQLite** (the demo, the tests): no stemming. Each word of the query must appear in the entry's
  folded text (stored without accents or case, so no function runs per row), as a word start or
  inside a word: ``Quebec`` finds ``Québec``, ``coreen`` finds ``coréenne``.

Measured (docs/performance.md, "Search"; bench/search.sh), 10,000 agreements, events and updates,
gunicorn with two workers, page cache off, on a busy machine: on PostgreSQL a search's p50 went
from 3.7-4.7x the agreement page's to 0.24-1.04x (in-process 1,418 ms to 39-67 ms); on SQLite from
6-9x to 0.85-1.8x (1,314 ms to 40-89 ms); 21-25 queries became 1-7 (one per kind shown, + 1).

- **Korean** (``/ko/search/``, Korean fields only): Korean attaches particles to words (퀘벡의,
  퀘벡과, 퀘벡에서) and PostgreSQL has no Korean dictionary, so each word of the query is matched as
  a prefix (``'퀘벡':*``) under the ``simple`` configuration: 퀘벡 finds 퀘벡의. SQLite's contained
  words already find them.

Nothing is written to the database by a search: no query log, no promoted results.
"""

import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import pgettext_lazy

from wagtail.models import Page, PageViewRestriction

from relations.core.caching import shared_lookup
from relations.core.language import LANGUAGE_CODES, translated_value, value_language
from relations.models.agreements import Agreement
from relations.models.events import Event
from relations.models.reference import Organization
from relations.models.search import SearchEntry
from relations.pages import UpdatePage, any_view_restriction, public_pages
from relations.search_index import fold, search_config

MAX_QUERY_LENGTH = 200  # characters kept of what the visitor typed (the search box allows 200)
MAX_TERMS = 10  # words kept of the query on SQLite
MAX_RESULTS = 1000  # entries found and ranked at most: 100 pages of results
PER_PAGE = 10


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
    lang: str = ""  # ' lang="fr"' when the title shown is a fallback in another language
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """An entry found: what the pagination counts, before its object is read."""

    kind: str
    content_type_id: int
    object_id: int
    rank: float


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


def query_terms(query):
    """The words of the query, folded, at most MAX_TERMS (operators and punctuation dropped)."""
    terms = []
    for word in re.findall(r"\w+", fold(query)):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


# --------------------------------------------------------------------------------------
# Finding: one query over the entries of the visitor's language
# --------------------------------------------------------------------------------------


def restricted_paths():
    """The tree paths of pages with a view restriction (their subtrees are not searched)."""
    if not any_view_restriction():
        return []
    return shared_lookup(
        ("restricted-paths",), lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def visible(entries, site_root):
    """The entries visitors of the site of ``site_root`` may see now (after the words matched:
    SQLite reads the conditions in their order)."""
    entries = entries.exclude(expire_at__lte=timezone.now())
    if site_root is not None:
        entries = entries.filter(Q(path="") | Q(path__startswith=site_root.path))
    for path in restricted_paths():
        entries = entries.exclude(path__startswith=path)
    return entries


def _word_start(name, term):
    return Q(**{f"{name}__startswith": term}) | Q(**{f"{name}__contains": f" {term}"})


def _matching_words(entries, terms):
    """Every word in the title or the body (stored folded: plain LIKEs, no
    function per row); ranked as the words are found: a title's word start first, then inside a
    title's word, then a word start in the body."""
    ranks = []
    for term in terms:
        entries = entries.filter(Q(title__contains=term) | Q(body__contains=term))
        ranks.append(
            Case(
                When(_word_start("title", term), then=Value(3.0)),
                When(title__contains=term, then=Value(2.0)),
                When(_word_start("body", term), then=Value(1.0)),
                default=Value(0.5),
                output_field=FloatField(),
            )
        )
    return entries.annotate(rank=sum(ranks[1:], ranks[0]) / Value(float(len(terms))))


# Languages whose words carry suffixes (Korean particles) that no PostgreSQL configuration removes:
# their words are matched as prefixes. On SQLite every search matches words inside the text.
PREFIX_LANGUAGES = {"ko"}


def find(query, terms, language, site_root=None):
    """The hits for ``query``, best first (ties in the order of their titles): the first
    MAX_RESULTS entries found, ranked. A word found everywhere (``entente`` at 10,000 agreements)
    costs the ranking of that many entries, not of all of them: the database stops at the limit
    (the ranking is therefore done here, not in an ORDER BY, which would read every match)."""
    entries = SearchEntry.objects.filter(language=language)
    if connection.vendor == "postgresql":
        search_query = SearchQuery(fold(query), config=search_config(language), search_type="websearch")
        if language in PREFIX_LANGUAGES:
            if not terms:
                return []
            # Every word as a prefix: 퀘벡 finds 퀘벡의, 퀘벡과, 퀘벡에서 (no configuration strips
            # Korean particles). The words are \w+ only, quoted: no operator reaches PostgreSQL.
            prefixes = " & ".join(f"'{term}':*" for term in terms)
            search_query = SearchQuery(prefixes, config=search_config(language), search_type="raw")
        found = entries.filter(vector=search_query).annotate(rank=SearchRank(F("vector"), search_query))
    else:
        found = _matching_words(entries, terms)
    rows = visible(found, site_root).values_list("kind", "content_type_id", "object_id", "rank", "title")
    rows = sorted(rows[:MAX_RESULTS], key=lambda row: (-(row[3] or 0), row[4], row[2]))
    return [Hit(kind, content_type, pk, float(rank or 0)) for kind, content_type, pk, rank, _title in rows]


# --------------------------------------------------------------------------------------
# Results: the objects of the hits shown
# --------------------------------------------------------------------------------------


def _summary(text, words=35):
    text = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    return Truncator(re.sub(r"\s+", " ", text).strip()).words(words)


def _fallback_lang(obj, name, language):
    shown = value_language(obj, name, language)
    return f' lang="{shown}"' if shown and shown != language else ""


def _page_result(page, kind, language, context):
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


def _detail_result(obj, kind, language, context):
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


def _organization_result(obj, kind, language, context):
    """An organisation has no page of its own: its agreements in the register, or its website."""
    url = ""
    register = Agreement.index_url(language, context["request"])
    if register and obj.has_agreements:
        url = f"{register}?party={obj.pk}"
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


def _visible(model):
    """What visitors may see of ``model`` now (an entry can outlive a publication by an instant)."""
    if issubclass(model, Page):
        return public_pages(model.objects.live())
    if model in (Agreement, Event):
        return model.objects.published()
    if model is Organization:  # whether the register lists agreements of theirs
        return model.objects.annotate(
            has_agreements=Exists(Agreement.objects.published().filter(parties=OuterRef("pk")))
        )
    return model.objects.all()


RESULT_BUILDERS = {
    Agreement: _detail_result,
    Event: _detail_result,
    Organization: _organization_result,
}


def results_for(hits, language, request):
    """The results of ``hits`` (the page shown), in their order: one query per kind of object."""
    ids = defaultdict(list)
    for hit in hits:
        ids[hit.content_type_id].append(hit.object_id)
    objects = {}
    for content_type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for obj in _visible(model).filter(pk__in=pks):
            objects[content_type_id, obj.pk] = obj
    context = {"request": request}
    results = []
    for hit in hits:
        obj = objects.get((hit.content_type_id, hit.object_id))
        if obj is None:
            continue
        build = RESULT_BUILDERS.get(type(obj), _page_result)
        result = build(obj, KINDS[hit.kind], language, context)
        if result is not None:
            result.rank = hit.rank
            results.append(result)
    return results


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    query: str
    hits: list  # Hit, best first, at most MAX_RESULTS
    counts: dict  # kind code → number of hits

    @property
    def capped(self):
        """More entries matched than were ranked (MAX_RESULTS)."""
        return len(self.hits) >= MAX_RESULTS

    def of_kind(self, kind):
        return [hit for hit in self.hits if hit.kind == kind] if kind else self.hits


def search(query, language, site_root=None):
    """Every hit for ``query`` in ``language``, best first, with the count of each kind; the hits
    shown become results through ``results_for``."""
    language = language if language in LANGUAGE_CODES else LANGUAGE_CODES[0]
    query = clean_query(query)
    terms = query_terms(query)
    if not query or not terms:
        return SearchOutcome(query=query, hits=[], counts={})
    hits = find(query, terms, language, site_root)
    counts = {}
    for hit in hits:
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
    return SearchOutcome(query=query, hits=hits, counts=counts)
