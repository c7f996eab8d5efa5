"""Hidden publications leave no trace in listings: not their title, not a count (facets, home and country
sections). The per-item rows of every channel are in test_access_matrix.py."""

import pytest

from portal.access.tiers import Tier
from publications.models import Kind
from tests.access.helpers import sign_in
from tests.factories import CountryIndexPageFactory, CountryPageFactory
from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db

HIDDEN = [
    ("restricted", {"record_tier": Tier.RESTRICTED}),
    ("confidential", {"record_tier": Tier.CONFIDENTIAL}),
]


@pytest.fixture
def setup(home_page, countries):
    index = PublicationIndexPageFactory(parent=home_page)
    country_index = CountryIndexPageFactory(parent=home_page)
    CountryPageFactory(parent=country_index, country=countries["MM"])
    PublicationPageFactory(parent=index, title="Visible study", kind=Kind.RESEARCH_STUDY)
    return index


@pytest.mark.parametrize(("label", "tiers"), HIDDEN, ids=[h[0] for h in HIDDEN])
@pytest.mark.parametrize("audience", ["anonymous", "registered", "official_vn"])
def test_hidden_publication_leaves_no_title_and_no_count(client, setup, countries, users, audience, label, tiers):
    import datetime

    index = setup
    secret = PublicationPageFactory(
        parent=index,
        title=f"Secret {label} guidelines",
        kind=Kind.GUIDELINES,  # the only guidelines: a facet count would give it away
        publication_date=datetime.date(2019, 5, 1),  # the only 2019 item
        **tiers,
    )
    secret.covered_countries.set([countries["MM"]])  # the only item on Myanmar
    secret.countries.set([countries["TH"]])
    secret.save()
    sign_in(client, users[audience])
    pages = {
        "index": client.get(index.url).content.decode(),
        "filtered": client.get(index.url + "?kind=guidelines").content.decode(),
        "series": client.get(index.url + "annual-reports/").content.decode(),
        "home": client.get("/").content.decode(),
        "country": client.get("/countries/mm/").content.decode(),
    }
    for name, html in pages.items():
        assert secret.title not in html, name
    assert "Guidelines (" not in pages["index"]
    assert "2019 (" not in pages["index"]
    assert "Myanmar (" not in pages["index"]
    assert "0 publications" in pages["filtered"]


def test_embargoed_publication_files_stay_closed_while_the_record_shows(client, setup, users):
    import datetime

    from django.utils import timezone

    from tests.publications.factories import attach

    page = PublicationPageFactory(
        parent=setup, title="Embargoed study", embargo_until=timezone.now() + datetime.timedelta(days=10)
    )
    document = attach(page)
    page.save()
    html = client.get(page.url).content.decode()
    assert "Embargoed study" in html
    assert document.url not in html
    assert "Under embargo until" in html
    assert "citation_pdf_url" not in html
    assert client.get(document.url).status_code in (403, 404)


def test_staff_see_hidden_items_and_their_counts(client, setup, users):
    PublicationPageFactory(
        parent=setup, title="Staff-only guidelines", kind=Kind.GUIDELINES, record_tier=Tier.CONFIDENTIAL
    )
    sign_in(client, users["staff"])
    html = client.get(setup.url).content.decode()
    assert "Staff-only guidelines" in html
    assert "Guidelines (1)" in html
