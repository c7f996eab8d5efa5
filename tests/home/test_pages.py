import pytest

from portal.access.tiers import Tier
from tests.factories import CountryIndexPageFactory, CountryPageFactory, StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_with_entry_points(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert home_page.title in html
    assert 'href="#main"' in html  # skip link
    assert "Browse the annotated bibliography" in html


def test_country_page_lists_under_home(client, home_page, countries):
    index = CountryIndexPageFactory(parent=home_page)
    CountryPageFactory(parent=index, country=countries["VN"])
    response = client.get("/countries/vn/")
    assert response.status_code == 200
    assert "Việt Nam" in response.content.decode()
    assert "Viet Nam" in client.get("/").content.decode()


def test_standard_page_shows_only_children_the_user_may_see(client, home_page):
    parent = StandardPageFactory(parent=home_page, title="Reports", slug="reports")
    StandardPageFactory(parent=parent, title="Open study")
    StandardPageFactory(parent=parent, title="Registered-only study", record_tier=Tier.REGISTERED)
    html = client.get("/reports/").content.decode()
    assert "Open study" in html
    assert "Registered-only study" not in html
    client.force_login(UserFactory())
    assert "Registered-only study" in client.get("/reports/").content.decode()


def test_restricted_page_answers_404_not_403(client, home_page):
    StandardPageFactory(
        parent=home_page,
        title="Secret route analysis",
        slug="secret",
        record_tier=Tier.RESTRICTED,
        file_tier=Tier.RESTRICTED,
    )
    response = client.get("/secret/")
    assert response.status_code == 404
    assert "Secret route analysis" not in response.content.decode()


def test_menu_hides_pages_the_user_may_not_see(client, home_page):
    StandardPageFactory(parent=home_page, title="Open menu item", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hidden menu item", show_in_menus=True, record_tier=Tier.CONFIDENTIAL)
    html = client.get("/").content.decode()
    assert "Open menu item" in html
    assert "Hidden menu item" not in html


def test_unknown_address_gets_the_portal_404_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_assets_are_self_hosted(client, home_page):
    html = client.get("/").content.decode()
    assert "https://" not in html.split("</head>")[0]
