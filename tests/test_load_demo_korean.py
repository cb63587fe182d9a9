"""`load_demo` gives the demo its Korean text (fixtures/demo.ko.yaml), idempotently, and keeps
what editors wrote in Korean."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.utils.translation import override

from wagtail.models import Revision

from relations.models import Agreement, AreaPage, Event, KeyFigure, Organization, Sector

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo", stdout=out, skip_index=True)
    return out.getvalue()


def test_the_demo_reads_in_korean_under_the_english_slugs(client):
    load()
    economy = AreaPage.objects.get(slug_fr="economie")
    assert economy.title_ko == "경제 및 통상"
    assert economy.slug_ko == "economy"
    assert Organization.objects.get(acronym="KITECH").name_ko == "한국생산기술연구원"
    assert Organization.objects.get(acronym="HUFS").name_ko == "한국외국어대학교"
    assert KeyFigure.objects.filter(label_ko="퀘벡과 한국 간 상품 교역액").exists()
    assert Sector.objects.get(slug="aerospace").name_ko == "항공우주"
    fta = Agreement.objects.get(slug_fr="accord-de-libre-echange-canada-coree")
    assert fta.title_ko == "한-캐나다 자유무역협정"
    assert Event.objects.filter(title_ko="부산국제영화제").exists()
    with override("ko"):
        assert economy.get_url() == "/ko/economy/"
    html = client.get("/ko/economy/").content.decode()
    assert "<h1>경제 및 통상</h1>" in html
    assert "21억 달러" in html


def test_loading_again_changes_nothing_and_keeps_editors_korean(client):
    load()
    office = Organization.objects.get(acronym="KITECH")
    office.name_ko = "한국생산기술연구원(KITECH)"
    office.save()
    culture = AreaPage.objects.get(slug_fr="culture")
    culture.title_ko = "문화 예술"
    culture.save_revision().publish()
    revisions = Revision.objects.count()
    output = load()
    assert Revision.objects.count() == revisions
    assert "in Korean: created 0" in output
    assert Organization.objects.get(acronym="KITECH").name_ko == "한국생산기술연구원(KITECH)"
    assert AreaPage.objects.get(slug_fr="culture").title_ko == "문화 예술"


def test_an_editor_s_draft_is_never_published_by_the_demo():
    call_command("load_demo", stdout=StringIO(), skip_index=True, no_korean=True)
    page = AreaPage.objects.get(slug_fr="economie")
    page.title_fr = "Économie (brouillon)"
    page.save_revision()  # a draft, not published
    load()
    page = AreaPage.objects.get(slug_fr="economie")
    assert page.title_ko in (None, "")
    assert page.has_unpublished_changes
    assert AreaPage.objects.get(slug_fr="culture").title_ko == "문화"
