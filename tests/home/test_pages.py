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


def test_featured_pages_respect_the_guidelines(client, home_page):
    open_page = StandardPageFactory(parent=home_page, title="Featured open report")
    closed = StandardPageFactory(parent=home_page, title="Featured confidential note", record_tier=Tier.CONFIDENTIAL)
    home_page.featured = [("page", closed), ("page", open_page)]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Featured open report" in html
    assert "Featured confidential note" not in html


def test_restricted_country_page_is_not_listed_on_the_home_page(client, home_page, countries):
    index = CountryIndexPageFactory(parent=home_page)
    CountryPageFactory(parent=index, country=countries["MM"], record_tier=Tier.RESTRICTED)
    CountryPageFactory(parent=index, country=countries["KH"])
    html = client.get("/").content.decode()
    assert 'href="/countries/kh/"' in html
    assert "/countries/mm/" not in html


def test_server_error_page_needs_no_database(rf):
    from portal.home.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
