"""``SearchEntry``: the site search's index, one row per object and language.

Written by the search backend of ``relations.search_index`` (an output, as it reads the pages),
which Wagtail calls on every save and delete and ``manage.py update_index`` to rebuild; read by
``relations.search``. It holds what a visitor reads in that language, folded (lower case, no
accents): ``title`` and ``body``; on PostgreSQL also ``vector``, the stored ``tsvector`` of both
(title weighted A, body B) made with the language's text-search configuration, under a GIN index
(migration 0010). SQLite leaves ``vector`` empty and matches the folded text.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    # The kind of result the visitor reads above it: page, area, agreement, event, update, organization.
    kind = models.CharField(max_length=16)
    # A page's tree path (a search is limited to the site's pages); empty for snippets.
    path = models.CharField(max_length=255, blank=True, default="")
    # An agreement or event scheduled to expire is no longer found after it, even before
    # ``publish_scheduled`` unpublishes it (as ``published()`` does).
    expire_at = models.DateTimeField(null=True, blank=True)
    title = models.TextField(blank=True, default="")
    body = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="search_entry_object_language"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"
