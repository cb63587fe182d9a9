"""What is kept between publications never changes what a visitor gets: every page type, feed,
calendar, export and API listing gives the same bytes right after a publication (nothing kept)
and on the next request (counts, menu, site and index URLs kept), nonces aside."""

import re

import pytest

from relations.core.caching import forget_shared_lookups
from relations.feeds import feed_path
from tests import factories
from tests.test_query_budget import add_rows, page_urls

pytestmark = pytest.mark.django_db

NONCE = re.compile(rb'nonce="[^"]*"|nonce-[A-Za-z0-9+/=]+')


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return NONCE.sub(b"nonce", response.content)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_first_and_a_second_render_are_the_same(client, tree, language):
    tree.timeline = factories.TimelinePageFactory(parent=tree.home)
    organisation = factories.OrganizationFactory(kind="government_office")
    add_rows(tree, organisation, 30, "a")
    urls = list(page_urls(tree, language).values())
    urls += [
        feed_path("agreements", language=language),
        feed_path("events", "ics", language=language),
        feed_path("updates", area=tree.economy, language=language),
        f"{tree.agreements.get_url()}export.csv?kind=institutional",
        f"/api/v2/agreements/?lang={language}",
        f"/api/v2/events/?lang={language}&limit=5",
    ]
    for url in urls:
        forget_shared_lookups()
        first = body(client, url)
        assert body(client, url) == first, url
