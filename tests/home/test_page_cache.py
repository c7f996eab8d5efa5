from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.access.tiers import Tier
from portal.home import page_cache
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_anonymous_page_is_served_from_cache_until_a_page_is_published(
    client, home_page, django_assert_max_num_queries
):
    page = StandardPageFactory(parent=home_page, title="Annual report 2025", slug="report")
    assert "Annual report 2025" in client.get("/report/").content.decode()
    page.title = "Annual report 2025 (revised)"
    page.save_revision().publish()
    assert "Annual report 2025 (revised)" in client.get("/report/").content.decode()


def test_cached_anonymous_page_is_never_given_to_a_signed_in_user(client, home_page):
    parent = StandardPageFactory(parent=home_page, title="Studies", slug="studies")
    StandardPageFactory(parent=parent, title="Members-only study", record_tier=Tier.REGISTERED)
    assert "Members-only study" not in client.get("/studies/").content.decode()  # now cached for anonymous
    client.force_login(UserFactory())
    assert "Members-only study" in client.get("/studies/").content.decode()


def test_cache_entries_never_outlive_the_next_embargo(home_page):
    assert page_cache._timeout() == page_cache.DEFAULT_TIMEOUT
    StandardPageFactory(parent=home_page, embargo_until=timezone.now() + timedelta(seconds=42))
    assert 30 <= page_cache._timeout() <= 42


def test_a_tier_change_clears_the_cache(client, home_page):
    parent = StandardPageFactory(parent=home_page, title="Reports", slug="reports")
    child = StandardPageFactory(parent=parent, title="Route analysis")
    assert "Route analysis" in client.get("/reports/").content.decode()
    child.record_tier = Tier.RESTRICTED
    child.save()
    assert "Route analysis" not in client.get("/reports/").content.decode()


def test_a_cached_page_keeps_the_security_headers(client, home_page):
    StandardPageFactory(parent=home_page, title="Open report", slug="open")
    client.get("/open/")
    hit = client.get("/open/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Frame-Options"]
    assert "frame-ancestors" in hit["Content-Security-Policy"]
