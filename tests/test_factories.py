"""Every factory builds a valid object (smoke test)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        factories.SectorFactory,
        factories.OrganizationFactory,
        factories.AgreementFactory,
        factories.EventFactory,
        factories.KeyFigureFactory,
    ],
)
def test_snippet_factories_build_saved_objects(factory):
    obj = factory()
    assert obj.pk
    obj.full_clean()


def test_page_factories_build_a_tree(tree):
    update = factories.UpdatePageFactory(parent=tree.updates)
    standard = factories.StandardPageFactory(parent=tree.home)
    for page in (tree.home, tree.economy, tree.agreements, tree.events, tree.updates, update, standard):
        assert page.live
        page.full_clean()
