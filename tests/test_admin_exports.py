"""The admin's CSV exports of snippets: a cell a spreadsheet would run as a formula is made text,
as in the public export of the register; numbers stay numbers."""

import csv
import io

import pytest

from relations.models import Agreement, KeyFigure, Organization
from tests import factories
from tests.editorial import snippet_url

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://example.com/x","Cliquez")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)"]


def exported_rows(client, model):
    response = client.get(snippet_url(model, "list"), {"export": "csv"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("formula", FORMULAS)
def test_agreement_titles_that_look_like_formulas_are_exported_as_text(client, admin_user, tree, formula):
    factories.AgreementFactory(title_fr=formula, reference_number=formula)
    client.force_login(admin_user)
    cells = [cell for row in exported_rows(client, Agreement)[1:] for cell in row]
    assert f"'{formula}" in cells
    assert formula not in cells


def test_organisation_names_and_sites_are_neutralised_too(client, admin_user, tree):
    factories.OrganizationFactory(name_fr="=1+1", name_en="@A1", acronym="+X")
    client.force_login(admin_user)
    header, row = exported_rows(client, Organization)
    assert {"'=1+1", "'@A1", "'+X"} <= set(row)


def test_ordinary_text_and_numbers_are_unchanged(client, admin_user, tree):
    factories.KeyFigureFactory(label_fr="Échanges commerciaux", value=-2.5)
    client.force_login(admin_user)
    header, row = exported_rows(client, KeyFigure)
    assert "Échanges commerciaux" in row
    assert "-2.500" in row
