"""The publications index keeps its results and facet counts per audience (portal.home.fragments)."""

import datetime
import re

import pytest

from portal.access.tiers import Tier
from portal.home.models import SiteSettings
from portal.taxonomy.models import Country
from publications.models import Kind
from tests.access.helpers import sign_in
from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    SiteSettings.load()  # created on first use, which would start a new generation in the middle of a test
    return PublicationIndexPageFactory(parent=home_page)


def html_of(client, path, user=None):
    client.logout()
    sign_in(client, user)
    return client.get(path).content.decode()


def test_counts_and_titles_staff_saw_are_never_shown_to_other_readers(client, index, users):
    PublicationPageFactory(parent=index, title="Open study", kind=Kind.RESEARCH_STUDY)
    PublicationPageFactory(
        parent=index, title="Internal guidelines", kind=Kind.GUIDELINES, record_tier=Tier.CONFIDENTIAL
    )
    staff_html = html_of(client, index.url, users["staff"])
    assert "Internal guidelines" in staff_html
    assert "2 publications" in staff_html
    assert "Guidelines (1)" in staff_html
    for audience in ("registered", "official_th", "anonymous"):
        html = html_of(client, index.url + "?utm_source=mail", users[audience])
        assert "Internal guidelines" not in html, audience
        assert "1 publication" in html, audience
        assert "Guidelines (" not in html, audience


def test_filtered_counts_are_kept_per_audience_too(client, index, users, countries):
    for title, tier in (("Thai open study", Tier.PUBLIC), ("Thai restricted study", Tier.RESTRICTED)):
        page = PublicationPageFactory(parent=index, title=title, record_tier=tier)
        page.covered_countries.set([countries["TH"]])
        page.countries.set([countries["TH"]])
        page.save()
    query = "?country=TH&kind=research_study"
    assert "Thai restricted study" in html_of(client, index.url + query, users["official_th"])
    html = html_of(client, index.url + query, users["official_vn"])
    assert "Thai restricted study" not in html
    assert "Thailand (1)" in html


def test_pagination_links_keep_the_filters_and_drop_other_parameters(client, index):
    for n in range(index.per_page + 1):
        PublicationPageFactory(parent=index, title=f"Paper {n:02d}")
    html = client.get(index.url + "?kind=research_study&utm_source=mail").content.decode()
    links = re.findall(r'rel="next" href="([^"]+)"', html)
    assert links == ["?kind=research_study&amp;page=2"]


def test_a_renamed_country_shows_at_once_in_the_facets(client, index, countries):
    page = PublicationPageFactory(parent=index, title="Border study")
    page.covered_countries.set([countries["KH"]])
    page.save()
    assert "Cambodia (1)" in client.get(index.url).content.decode()
    country = Country.objects.get(code="KH")
    country.name = "Kampuchea"
    country.save()
    assert "Kampuchea (1)" in client.get(index.url).content.decode()


def test_year_facet_counts_each_year(client, index):
    for year, n in ((2023, 2), (2025, 1)):
        for _ in range(n):
            PublicationPageFactory(parent=index, publication_date=datetime.date(year, 3, 1))
    html = client.get(index.url).content.decode()
    assert "2023 (2)" in html
    assert "2025 (1)" in html
    assert html.index("2025 (1)") < html.index("2023 (2)")
    assert "1 publication" in client.get(index.url + "?year=2025").content.decode()
