"""Someone searches, narrows by country and opens a PDF passage at its page, in a real browser."""

from pathlib import Path

import pytest

from portal.access.tiers import Tier
from portal.documents import ingestion
from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"


def test_search_filter_and_open_a_passage_at_its_page(live_server, page, home_page, countries):
    report = ingestion.store_file(FIXTURES / "pdflatex-4-pages.pdf", title="Four page report").document
    report.countries.set([countries["TH"]])
    report.save()
    other = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", title="Minimal note").document
    other.countries.set([countries["VN"]])
    other.save()
    secret = ingestion.store_file(FIXTURES / "page-labels-roman.pdf", title="Secret", file_tier=Tier.RESTRICTED)
    word = "alphabet"

    page.goto(f"{live_server.url}/search/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Search publications, literature").fill(f"{word} OR document")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url("**/search/?q=*")
    results = page.locator("ol.results > li")
    assert results.count() >= 1
    assert secret.document.title not in page.locator("ol.results").inner_text()
    assert_no_serious_axe_violations(page)

    page.get_by_role("navigation", name="Filter results").get_by_role("link", name="Thailand").click()
    page.wait_for_url("**country=TH*")
    assert page.locator("ol.results > li").count() == 1
    assert "Four page report" in page.locator("ol.results").inner_text()

    passage = page.locator("ul.passages a").first
    href = passage.get_attribute("href")
    number = int(href.rsplit("#page=", 1)[1])
    assert word in report.pages.get(number=number).text
    assert page.locator("ol.results mark").first.is_visible()
    response = page.request.get(live_server.url + href.split("#")[0])
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
