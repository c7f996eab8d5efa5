"""Remembered routes (portal.home.routing) never outlive a move, a new slug or an unpublish, and never skip the
access check."""

import pytest

from portal.access.tiers import Tier
from portal.home.models import SiteSettings
from tests.access.helpers import sign_in
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_settings(db):
    return SiteSettings.load()  # created on first use, which would start a new generation mid-test


def test_a_remembered_route_is_served_without_walking_the_tree(client, home_page, django_assert_max_num_queries):
    StandardPageFactory(parent=StandardPageFactory(parent=home_page, slug="a"), slug="b", title="Deep page")
    client.get("/a/b/")
    with django_assert_max_num_queries(3):  # Wagtail's view-restriction check; no site, no page lookups
        assert "Deep page" in client.get("/a/b/?again=1").content.decode()


def test_a_moved_page_answers_at_its_new_address_only(client, home_page):
    old_parent = StandardPageFactory(parent=home_page, slug="old")
    new_parent = StandardPageFactory(parent=home_page, slug="new")
    page = StandardPageFactory(parent=old_parent, slug="report", title="Moving report")
    assert client.get("/old/report/").status_code == 200
    page.move(new_parent, pos="last-child")
    moved = client.get("/old/report/?again=1")
    assert moved.status_code == 301  # Wagtail's automatic redirect, not the remembered route
    assert moved["Location"] == "/new/report/"
    assert "Moving report" in client.get("/new/report/").content.decode()


def test_an_unpublished_page_is_gone_at_once(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="notice", title="Notice")
    assert client.get("/notice/").status_code == 200
    page.unpublish()
    assert client.get("/notice/?again=1").status_code == 404


def test_a_remembered_route_still_checks_who_asks(client, home_page, users):
    StandardPageFactory(parent=home_page, slug="briefing", title="Restricted briefing", record_tier=Tier.RESTRICTED)
    sign_in(client, users["official_th"])
    assert client.get("/briefing/").status_code == 200  # route remembered
    client.logout()
    sign_in(client, users["registered"])
    assert client.get("/briefing/?again=1").status_code == 404
    client.logout()
    assert client.get("/briefing/?again=2").status_code == 404
