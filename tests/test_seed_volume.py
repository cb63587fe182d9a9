"""``seed_volume``: the benchmarks' volume data is valid content that every page can show."""

import io

from django.core.management import call_command

from wagtail.models import Page

from relations import models


def seed(*args):
    out = io.StringIO()
    call_command("seed_volume", *args, stdout=out)
    return out.getvalue()


def test_volume_rows_in_both_languages_then_cleared(client, tree):
    output = seed("--agreements", "30", "--events", "20", "--updates", "25")
    assert "30 agreements, 20 events and 25 updates" in output
    assert models.Agreement.objects.published().count() == 30
    assert models.Event.objects.published().count() == 20
    updates = models.UpdatePage.objects.live().child_of(tree.updates)
    assert updates.count() == 25
    # The page tree stays sound: paths, depths and numchild agree (treebeard's own check).
    assert all(not problems for problems in Page.find_problems())
    update = updates.order_by("path").last()
    with_prefix = {"fr": "/fr/actualites/", "en": "/en/updates/"}
    for url in with_prefix.values():
        response = client.get(url + "?page=2")
        assert response.status_code == 200
        assert response.text.count('<article class="item item--update"') == 5
    assert client.get(f"/en/updates/{update.slug_en}/").status_code == 200
    assert client.get(f"/fr/actualites/{update.slug_fr}/").status_code == 200

    seed("--agreements", "0", "--events", "0", "--updates", "5")  # a second run adds, never collides
    assert updates.count() == 30

    seed("--clear", "--agreements", "0", "--events", "0")
    assert not models.Agreement.objects.exists() and not models.Event.objects.exists()
    assert not models.UpdatePage.objects.exists()
    assert all(not problems for problems in Page.find_problems())
