"""Page feedback: visitors answer "Was this page useful?" at the foot of a page; editors read the
answers per page in Reports → Page feedback."""

import pytest

from django.core.cache import cache
from django.urls import reverse

from relations.feedback.models import PageFeedback

pytestmark = pytest.mark.django_db


def answer(client, page, helpful="yes", **extra):
    return client.post(reverse("page_feedback"), {"page": page.pk, "helpful": helpful, **extra})


def test_every_page_asks_and_the_answer_is_stored(client, tree):
    page = client.get(tree.economy.url)
    assert "Cette page vous a-t-elle été utile ?" in page.content.decode()
    response = answer(client, tree.economy, "no", comment="Il manque les dates <b>clés</b>.")
    assert response.status_code == 200
    assert "Merci de votre avis" in response.content.decode()
    (stored,) = PageFeedback.objects.all()
    assert (stored.page_id, stored.helpful, stored.language) == (tree.economy.pk, False, "fr")


def test_bots_and_junk_are_kept_out(client, tree, settings):
    answer(client, tree.economy, feedback_website="http://spam.example")  # the honeypot
    assert not PageFeedback.objects.exists()
    for data in (
        {"page": "x", "helpful": "yes"},
        {"page": 99_999_999, "helpful": "yes"},
        {"page": tree.economy.pk, "helpful": "maybe"},
        {"page": tree.economy.pk, "helpful": "yes", "comment": "x" * 10_000},
    ):
        assert client.post(reverse("page_feedback"), data).status_code == 400
    assert client.get(reverse("page_feedback")).status_code == 405
    settings.PORTAL_FEEDBACK_PER_CLIENT = 2
    cache.clear()  # the honeypot's answer counted too
    codes = [answer(client, tree.culture).status_code for _n in range(4)]
    assert codes == [200, 200, 429, 429]
    assert PageFeedback.objects.count() == 2


def test_editors_read_the_answers_per_page(client, tree, editor):
    answer(client, tree.economy, "yes")
    answer(client, tree.economy, "no", comment="Trop <court>")
    answer(client, tree.culture, "yes")
    url = reverse("feedback_report")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(editor)
    report = client.get(url)
    assert report.status_code == 200
    html = report.content.decode()
    assert "Économie et commerce" in html and "Culture" in html
    assert "Trop &lt;court&gt;" in html
