import pytest

from portal.access.tiers import Tier
from publications.models import Kind
from tests.factories import UserFactory
from tests.publications.factories import (
    PublicationIndexPageFactory,
    PublicationPageFactory,
    add_author,
    attach,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return PublicationIndexPageFactory(parent=home_page)


def test_publication_page_shows_metadata_files_and_citations(client, index, countries):
    page = PublicationPageFactory(parent=index, title="Sea routes to Indonesia", doi="10.1234/cau.2025.1")
    page.covered_countries.set([countries["ID"]])
    page.save()
    add_author(page, "Nguyen", "Van An")
    add_author(page, "Coordination and Analysis Unit", kind="organisation")
    document = attach(page, title="Sea routes full report")
    html = client.get(page.url).content.decode()
    assert "Sea routes to Indonesia" in html
    assert "Indonesia" in html
    assert f'href="{document.url}"' in html
    assert "Nguyen, V. A." in html  # APA
    assert "?format=bibtex" in html


def test_bibtex_and_ris_downloads(client, index):
    page = PublicationPageFactory(parent=index, title="Fees and debt", isbn="978-3-16-148410-0")
    add_author(page, "Sok", "Dara")
    bibtex = client.get(page.url + "?format=bibtex")
    assert bibtex["Content-Type"].startswith("application/x-bibtex")
    assert "Fees and debt" in bibtex.content.decode()
    ris = client.get(page.url + "?format=ris").content.decode()
    assert "TI  - Fees and debt" in ris
    assert "AU  - Sok, Dara" in ris
    assert client.get(page.url + "?format=nonsense").status_code == 404


def test_scholar_tags_only_for_public_records_and_pdf_url_only_for_public_files(client, index):
    public = PublicationPageFactory(parent=index, title="Open report")
    document = attach(public)
    html = client.get(public.url).content.decode()
    assert '<meta name="citation_title" content="Open report">' in html
    assert f'<meta name="citation_pdf_url" content="http://testserver{document.url}">' in html
    assert 'property="og:title" content="Open report"' in html
    assert '<script type="application/ld+json">' in html

    gated = PublicationPageFactory(parent=index, title="Gated files report", file_tier=Tier.REGISTERED)
    attach(gated)
    html = client.get(gated.url).content.decode()
    assert '<meta name="citation_title" content="Gated files report">' in html
    assert "citation_pdf_url" not in html
    assert "Restricted to registered users" in html

    registered = PublicationPageFactory(parent=index, title="Members report", record_tier=Tier.REGISTERED)
    client.force_login(UserFactory())
    html = client.get(registered.url).content.decode()
    assert "Members report" in html
    assert "citation_title" not in html
    assert "og:title" not in html
    assert "ld+json" not in html


def test_jsonld_cannot_break_out_of_its_script(client, index):
    page = PublicationPageFactory(parent=index, title="Routes </script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert "\\u003C/script\\u003E" in block


def test_attached_documents_are_never_more_open_than_the_page(index, countries):
    page = PublicationPageFactory(
        parent=index, record_tier=Tier.RESTRICTED, file_tier=Tier.CONFIDENTIAL, title="Route analysis"
    )
    page.countries.set([countries["TH"]])  # in the revision only: publishing commits it
    document = attach(page)
    assert document.file_tier == Tier.PUBLIC
    page.save_revision().publish()
    document.refresh_from_db()
    assert document.record_tier == Tier.RESTRICTED
    assert document.file_tier == Tier.CONFIDENTIAL
    assert [c.code for c in document.countries.all()] == ["TH"]


def test_index_filters_and_counts(client, index, countries):
    for n in range(3):
        p = PublicationPageFactory(parent=index, title=f"Assessment {n}", kind=Kind.NATIONAL_ASSESSMENT)
        p.covered_countries.set([countries["TH"]])
        p.save()
    PublicationPageFactory(parent=index, title="Regional study", kind=Kind.RESEARCH_STUDY)
    html = client.get(index.url).content.decode()
    assert "4 publications" in html
    assert "National assessment (3)" in html
    assert "Thailand (3)" in html
    html = client.get(index.url + "?kind=national_assessment&country=TH").content.decode()
    assert "3 publications" in html
    assert "Regional study" not in html
    html = client.get(index.url + "?year=abcd&kind=").content.decode()
    assert "4 publications" in html


def test_index_paginates(client, index):
    for n in range(index.per_page + 3):
        PublicationPageFactory(parent=index, title=f"Paper {n:02d}")
    first = client.get(index.url).content.decode()
    second = client.get(index.url + "?page=2").content.decode()
    assert first.count('class="card publication-card"') == index.per_page
    assert second.count('class="card publication-card"') == 3
    assert "Page 2 of 2" in second


def test_annual_report_series_one_per_year(client, index):
    import datetime

    PublicationPageFactory(
        parent=index, title="Annual report 2024", kind=Kind.ANNUAL_REPORT, publication_date=datetime.date(2024, 6, 1)
    )
    PublicationPageFactory(
        parent=index, title="Annual report 2025", kind=Kind.ANNUAL_REPORT, publication_date=datetime.date(2025, 6, 1)
    )
    PublicationPageFactory(parent=index, title="Not a report", kind=Kind.RESEARCH_STUDY)
    html = client.get(index.url + "annual-reports/").content.decode()
    assert html.index("Annual report 2025") < html.index("Annual report 2024")
    assert "Not a report" not in html


def test_home_and_country_sections(client, home_page, index, countries):
    from tests.factories import CountryIndexPageFactory, CountryPageFactory

    report = PublicationPageFactory(parent=index, title="Annual report 2025", kind=Kind.ANNUAL_REPORT)
    report.covered_countries.set([countries["VN"]])
    report.save()
    html = client.get("/").content.decode()
    assert "Latest annual regional analytical report" in html
    assert "Annual report 2025" in html
    country_index = CountryIndexPageFactory(parent=home_page)
    CountryPageFactory(parent=country_index, country=countries["VN"])
    html = client.get("/countries/vn/").content.decode()
    assert "Publications on Viet Nam" in html
    assert "Annual report 2025" in html
    assert "0 sent, 0 published" in html


def test_related_literature_shows_only_entries_the_reader_may_see(client, index):
    from bibliography.models import BibliographyEntry

    page = PublicationPageFactory(parent=index, title="With literature")
    open_entry = BibliographyEntry.objects.create(citation_key="open2020", title="Open paper", year=2020)
    closed = BibliographyEntry.objects.create(
        citation_key="closed2020", title="Closed paper", year=2020, record_tier=Tier.RESTRICTED
    )
    page.related_entries.set([open_entry, closed])
    page.save()
    html = client.get(page.url).content.decode()
    assert f'href="{open_entry.get_absolute_url()}">Open paper</a>' in html
    assert "Closed paper" not in html


def test_a_preview_shows_the_drafts_own_authors(index):
    from publications.models import PublicationAuthor

    page = PublicationPageFactory(parent=index, title="Draft authors report")
    add_author(page, "Published-Author")
    page.authors = [PublicationAuthor(family="Drafted-Author")]  # in the draft only, never saved
    html = page.make_preview_request().content.decode()
    assert "Drafted-Author" in html
    assert "Published-Author" not in html


def test_a_publication_page_reads_its_relations_once(client, index, countries, django_assert_max_num_queries):
    from portal.home.models import SiteSettings

    SiteSettings.load()  # created on first use, which would start a new generation of the caches mid-test
    page = PublicationPageFactory(parent=index, title="Counted report")
    page.covered_countries.set([countries["TH"], countries["VN"]])
    page.save()
    add_author(page, "One")
    add_author(page, "Two")
    client.get(page.url)
    with django_assert_max_num_queries(12):  # each relation once; the route and menu come from the cache
        assert "Counted report" in client.get(page.url + "?again=1").content.decode()
