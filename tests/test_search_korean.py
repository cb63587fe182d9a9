"""Search in Korean (/ko/search/?q=): the Korean fields only, and a bare word finds it written
with a particle (퀘벡 → 퀘벡의, 퀘벡과, 퀘벡에서), on PostgreSQL and on SQLite."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r'<h3 class="result__title"[^>]*>(.*?)</h3>', response.text, re.S)
    ]


@pytest.fixture
def korean(tree):
    agreement = factories.AgreementFactory(
        title_fr="Accord de libre-échange Canada-Corée",
        title_en="Canada–Korea Free Trade Agreement",
        title_ko="한-캐나다 자유무역협정",
        summary_ko="퀘벡과 한국 간 통상 관계를 활성화할 것입니다.",
    )
    update = factories.UpdatePageFactory(
        parent=tree.updates,
        title_ko="퀘벡에서 열린 회의",
        intro_ko="퀘벡의 대표단이 서울을 방문했습니다.",
    )
    english_only = factories.EventFactory(title_en="Quebec film week", summary_en="Films from Quebec.")
    return {"agreement": agreement, "update": update, "english_only": english_only}


@pytest.mark.parametrize("word", ["퀘벡", "한국", "통상"])
def test_a_bare_korean_word_finds_it_with_its_particles(client, korean, word):
    found = titles(client.get("/ko/search/", {"q": word}))
    assert "한-캐나다 자유무역협정" in found
    if word == "퀘벡":
        assert "퀘벡에서 열린 회의" in found  # 퀘벡에서 and 퀘벡의


def test_every_word_of_a_korean_query_must_be_found(client, korean):
    assert titles(client.get("/ko/search/", {"q": "퀘벡 대표단"})) == ["퀘벡에서 열린 회의"]


def test_korean_search_reads_the_korean_fields_only(client, korean):
    assert titles(client.get("/ko/search/", {"q": "Quebec"})) == []
    assert "Quebec film week" in titles(client.get("/en/search/", {"q": "Quebec"}))


@pytest.mark.parametrize(
    "query",
    ["퀘벡" * 5000, "퀘벡 & | ! ( ) :* ' \\ <-> \"", "Québec 퀘벡 ケベック 魁北克", "':*", "퀘벡:*A"],
)
def test_long_queries_operators_and_mixed_scripts_never_fail(client, korean, query):
    assert client.get("/ko/search/", {"q": query}).status_code == 200
