"""The menu, the footer and the language switcher, as a visitor reads them on every page."""

import pytest

from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


def footer(html):
    return html.split('class="site-footer"')[1]


def main_nav(html):
    return html.split('class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_pages_behind_a_login_or_a_password_are_not_listed_in_the_menu_or_footer(
    client, tree, restriction_type
):
    public = factories.StandardPageFactory(
        parent=tree.home, title_fr="Accessibilité", title_en="Accessibility", slug_fr="accessibilite"
    )
    staff = factories.StandardPageFactory(
        parent=tree.home, title_fr="Réservé au personnel", title_en="Staff only", slug_fr="personnel"
    )
    PageViewRestriction.objects.create(page=staff, restriction_type=restriction_type, password="s3cret")
    hidden_area = factories.AreaPageFactory(
        parent=tree.home, title_fr="Espace privé", title_en="Private area", slug_fr="prive"
    )
    PageViewRestriction.objects.create(page=hidden_area, restriction_type=restriction_type, password="s3cret")

    html = client.get("/fr/").text
    assert public.title_fr in footer(html)
    assert "Réservé au personnel" not in html
    assert "Culture" in main_nav(html)
    assert "Espace privé" not in main_nav(html) and "Espace privé" not in footer(html)
