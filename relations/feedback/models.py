"""The answers to "Was this page useful?" (see the package docstring)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

MAX_COMMENT = 1000


class PageFeedback(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("page"))
    helpful = models.BooleanField(_("useful"))
    comment = models.TextField(_("comment"), blank=True, max_length=MAX_COMMENT)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("received on"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.page_id}: {'+' if self.helpful else '-'}"
