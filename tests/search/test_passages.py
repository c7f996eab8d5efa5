"""Passages: the text of every PDF page, found in the region's languages, only from files the user may open."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.access import policy
from portal.access.policy import ANONYMOUS
from portal.access.tiers import Tier
from portal.documents import ingestion
from portal.documents.models import DocumentPage, PortalDocument
from search.service import search
from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.matrix import Channel, run_matrix, set_countries

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
pytestmark = pytest.mark.django_db

# A word of each language as a reader types it, found inside the text Chromium printed to the PDF.
WORDS = {
    "th": "ตำรวจ",
    "lo": "ຕຳຫຼວດ",
    "km": "ប្រទេស",
    "my": "နိုင်ငံ",
    "zh": "移民",
    "vi": "nguoi di cu",
    "id": "penyelundupan",
}


@pytest.fixture
def language_documents(db):
    return {code: ingestion.store_file(FIXTURES / f"lang-{code}.pdf", title=f"Note {code}").document for code in WORDS}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_each_language_is_found_in_its_pdf(language_documents, language):
    results = search(WORDS[language], ANONYMOUS)
    document = language_documents[language]
    assert [hit.obj.pk for hit in results.hits] == [document.pk], document.message
    passage = results.hits[0].passages[0]
    assert passage.url.endswith("#page=1")
    assert "<mark>" in passage.snippet


def document_with_text(text, title="A report", **fields):
    document = PortalDocument(title=title, file=ContentFile(title.encode(), name=f"{title}.txt"), **fields)
    document.save()
    DocumentPage.objects.bulk_create(
        [DocumentPage(document=document, number=n, text=t) for n, t in enumerate(text, start=1)]
    )
    ingestion.index_pages(document)
    return document


def test_passages_are_grouped_under_their_document():
    document_with_text(["nothing here", "the boat left at night", "another boat at dawn"])
    results = search("boat", ANONYMOUS)
    assert results.total == 1
    assert [p.page_number for p in results.hits[0].passages] == [2, 3]


def test_no_text_from_files_the_user_may_not_open(users, countries):
    document = document_with_text(["the ledger names the broker"], title="Broker study", file_tier=Tier.RESTRICTED)
    document.countries.set([countries["TH"]])
    document.save()
    anonymous = search("ledger broker", ANONYMOUS)
    assert anonymous.total == 0 and anonymous.facets == {}
    # The record stays findable by its title, with the restricted badge and without a word of the file.
    by_title = search("broker study", ANONYMOUS)
    assert [hit.obj.pk for hit in by_title.hits] == [document.pk]
    assert by_title.hits[0].passages == [] and not by_title.hits[0].files_open
    assert "ledger" not in str(by_title.as_json())
    official = search("ledger broker", policy.audience_for(users["official_th"]))
    assert "<mark>ledger</mark>" in official.hits[0].passages[0].snippet
    assert search("ledger broker", policy.audience_for(users["official_vn"])).total == 0


def test_an_embargo_that_ends_needs_no_rebuild():
    document = document_with_text(["convoy schedule"], embargo_until=timezone.now() + timedelta(days=1))
    assert search("convoy", ANONYMOUS).total == 0
    PortalDocument.objects.filter(pk=document.pk).update(embargo_until=timezone.now() - timedelta(seconds=1))
    assert search("convoy", ANONYMOUS).total == 1


def test_search_within_one_document():
    first = document_with_text(["fishing vessel"], title="First")
    document_with_text(["fishing vessel"], title="Second")
    results = search("vessel", ANONYMOUS, filters={"document": [str(first.pk)]})
    assert [hit.obj.pk for hit in results.hits] == [first.pk]


def test_passages_page_link_in_the_search_page(client):
    document = document_with_text(["a", "b", "debt bondage on page three"], title="Handbook")
    response = client.get("/search/", {"q": '"debt bondage"'})
    assert f'{document.url}#page=3"'.encode() in response.content
    assert b"<mark>debt bondage</mark>" in response.content


# ---- the access matrix row for passages -------------------------------------------------------------------

WORD = "passageword"


def make_document(spec, env):
    document = document_with_text(
        [f"{WORD} page text of {spec.slug}"],
        title=spec.title,
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
    )
    set_countries(document, spec, env).save()
    return document


def probe_passages(client, document, env):
    key = ("passages", id(client))
    if key not in env.scratch:
        env.scratch[key] = client.get("/search/api/", {"q": f"{WORD} OR matrix", "per_page": 100}).json()
    hit = next((h for h in env.scratch[key]["results"] if h["title"] == document.title), None)
    if hit is None:
        return False, False
    page_text = any(WORD in p["snippet_html"] for p in hit["passages"])
    return True, page_text


def test_passages_matrix(matrix_env):  # noqa: F811
    assert run_matrix(Channel("search passages", make_document, probe_passages), matrix_env) == []


def test_a_document_found_by_its_title_and_its_pages_is_one_result():
    document = document_with_text(["the trawler left at night", "a second trawler"], title="Trawler census")
    other = document_with_text(["one trawler only"], title="Harbour log")
    results = search("trawler", ANONYMOUS)
    assert [hit.obj.pk for hit in results.hits] == [document.pk, other.pk]
    assert [p.page_number for p in results.hits[0].passages] == [1, 2]
    assert results.total == 2
    assert results.pages == 1
    # Every facet counts the document once, as it is shown once.
    assert {v.value: v.count for v in results.facets["tier"]} == {"0": 2}
    assert {v.value: v.count for v in results.facets["kind"]} == {"document": 1, "passage": 2}
    # Choosing a kind shows the document as that kind only; the kind facet still offers the other.
    by_pages = search("trawler", ANONYMOUS, filters={"kind": ["passage"]})
    assert (by_pages.total, [h.kind for h in by_pages.hits]) == (2, ["passage", "passage"])
    by_title = search("trawler", ANONYMOUS, filters={"kind": ["document"]})
    assert [(h.obj.pk, h.kind, h.passages) for h in by_title.hits] == [(document.pk, "document", [])]
    assert {v.value: v.count for v in by_title.facets["kind"]} == {"document": 1, "passage": 2}
