"""The view receiving "Was this page useful?" answers, and the editors' report of them."""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from relations.security import client_ip

from .models import MAX_COMMENT, PageFeedback

logger = logging.getLogger(__name__)
HONEYPOT = "feedback_website"


class FeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    comment = forms.CharField(required=False, max_length=MAX_COMMENT, strip=True)


def over_limit(request):
    key = "portal:feedback:" + hashlib.sha256(str(client_ip(request)).encode()).hexdigest()[:32]
    limit = getattr(settings, "PORTAL_FEEDBACK_PER_CLIENT", 20)
    try:
        if cache.add(key, 1, 3600):
            return False
        return cache.incr(key) > limit
    except Exception:  # a cache outage must not lose the answer
        logger.warning("feedback throttle: cache unavailable", exc_info=True)
        return False


@csrf_exempt  # see the module docstring
@never_cache
@require_POST
def receive(request):
    form = FeedbackForm(request.POST)
    page = None
    if form.is_valid():
        page = Page.objects.live().public().filter(pk=form.cleaned_data["page"], depth__gt=1).first()
    translations = {code: translate_url(request.path, code) for code, _name in settings.LANGUAGES}
    context = {"back": page.specific.get_url(request) if page else "/", "translations": translations}
    if page is None:
        return render(request, "includes/page_feedback_thanks.html", {**context, "invalid": True}, status=400)
    if over_limit(request):
        return render(
            request, "includes/page_feedback_thanks.html", {**context, "throttled": True}, status=429
        )
    if not request.POST.get(HONEYPOT):
        PageFeedback.objects.create(
            page=page,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        )
    return render(request, "includes/page_feedback_thanks.html", context)


class FeedbackReport(ReportView):
    """Reports → Page feedback: per page, how many said yes and no, and the latest comments."""

    page_title = _("Page feedback")
    header_icon = "comment"
    template_name = "wagtailadmin/reports/base_report.html"
    results_template_name = "relations/admin/feedback_report_results.html"
    index_url_name = "feedback_report"
    index_results_url_name = "feedback_report_results"

    def get_queryset(self):
        return (
            Page.objects.filter(feedback__isnull=False)
            .annotate(
                yes=Count("feedback", filter=Q(feedback__helpful=True)),
                no=Count("feedback", filter=Q(feedback__helpful=False)),
            )
            .order_by("-no", "-yes", "path")
        )

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        comments = {}
        for entry in (
            PageFeedback.objects.filter(page__in=pages).exclude(comment="").order_by("-created_at")[:500]
        ):
            comments.setdefault(entry.page_id, [])
            if len(comments[entry.page_id]) < 5:
                comments[entry.page_id].append(entry)
        for page in pages:
            page.latest_comments = comments.get(page.pk, [])
        return pages
