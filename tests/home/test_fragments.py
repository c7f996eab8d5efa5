"""Cached page parts (portal.home.fragments): kept per audience, retired when content, access or grants change."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page

from portal.access import policy
from portal.access.models import AccessGrant
from portal.access.tiers import Tier
from portal.home import fragments
from portal.home.models import SiteSettings
from tests.access.helpers import sign_in
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def html_of(client, path, user=None):
    client.logout()
    sign_in(client, user)  # staff, officials and focal points pass the second factor too
    return client.get(path).content.decode()


@pytest.fixture(autouse=True)
def site_settings(db):
    # Created on first use, which starts a new generation: create them first, so what a test caches stays cached.
    return SiteSettings.load()


@pytest.fixture
def section(home_page):
    return StandardPageFactory(parent=home_page, title="Studies", slug="studies")


def test_what_staff_saw_is_never_shown_to_other_readers(client, section, users):
    StandardPageFactory(parent=section, title="Confidential route study", record_tier=Tier.CONFIDENTIAL)
    assert "Confidential route study" in html_of(client, "/studies/", users["staff"])  # cached for staff
    for audience in ("registered", "official_th", "anonymous"):
        assert "Confidential route study" not in html_of(client, "/studies/?again=1", users[audience]), audience


def test_a_signed_in_readers_parts_are_never_shown_to_the_anonymous(client, section, users):
    StandardPageFactory(parent=section, title="Members-only study", record_tier=Tier.REGISTERED)
    assert "Members-only study" in html_of(client, "/studies/", users["registered"])
    assert "Members-only study" not in html_of(client, "/studies/?utm_source=x")


def test_the_menu_is_kept_per_audience(client, home_page, users):
    StandardPageFactory(parent=home_page, title="Staff handbook", slug="handbook", show_in_menus=True)
    handbook = Page.objects.get(slug="handbook").specific
    handbook.record_tier = Tier.CONFIDENTIAL
    handbook.save_revision().publish()
    assert 'href="/handbook/"' in html_of(client, "/", users["staff"])
    assert 'href="/handbook/"' not in html_of(client, "/", users["registered"])
    assert 'href="/handbook/"' not in html_of(client, "/")


def test_a_grant_shows_at_once_and_its_withdrawal_hides_at_once(client, section, users):
    StandardPageFactory(parent=section, title="Restricted route study", record_tier=Tier.RESTRICTED)
    study = Page.objects.get(title="Restricted route study")
    reader = users["registered"]
    assert "Restricted route study" not in html_of(client, "/studies/", reader)
    grant = AccessGrant.objects.create(
        user=reader,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=study.pk,
        valid_until=timezone.now() + timedelta(days=1),
    )
    assert "Restricted route study" in html_of(client, "/studies/", reader)
    grant.delete()
    assert "Restricted route study" not in html_of(client, "/studies/", reader)


def test_cached_parts_never_outlive_the_readers_next_grant(home_page, users):
    reader = users["registered"]
    audience = policy.audience_for(reader)
    assert fragments.timeout(audience) > 60
    AccessGrant.objects.create(
        user=reader,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=home_page.pk,
        valid_until=timezone.now() + timedelta(seconds=42),
    )
    assert 30 <= fragments.timeout(audience) <= 42


def test_a_preview_is_never_stored_nor_answered_from_the_cache(users):
    request = RequestFactory().get("/")
    request.user = users["registered"]
    fragments.cached(request, "part", [], lambda: "live text")
    request.is_preview = True
    assert fragments.cached(request, "part", [], lambda: "draft text") == "draft text"
    del request.is_preview
    assert fragments.cached(request, "part", [], lambda: "other") == "live text"


def test_a_change_of_the_site_settings_shows_at_once(client, home_page, users):
    reader = users["registered"]
    html_of(client, "/", reader)
    settings = SiteSettings.load()
    settings.footer_text = "A new footer sentence."
    settings.save()
    assert "A new footer sentence." in html_of(client, "/", reader)


def test_a_page_part_does_not_run_its_queries_once_cached(client, section, users, django_assert_max_num_queries):
    for n in range(5):
        StandardPageFactory(parent=section, title=f"Study {n}")
    reader = users["registered"]
    html_of(client, "/studies/", reader)
    with django_assert_max_num_queries(16):  # routing, session, user and audience; none for the listing
        assert "Study 4" in client.get("/studies/?again=1").content.decode()


def test_a_generation_lost_from_the_cache_never_brings_old_entries_back(client, section, users):
    from django.core.cache import cache

    from portal.home import page_cache

    child = StandardPageFactory(parent=section, title="Soon confidential study")
    cache.clear()  # the generation starts afresh, as after a restart of the cache
    assert "Soon confidential study" in html_of(client, "/studies/", users["registered"])
    child.record_tier = child.file_tier = Tier.CONFIDENTIAL
    child.save()
    cache.delete(page_cache.GENERATION_KEY)  # evicted, as a full cache does
    assert "Soon confidential study" not in html_of(client, "/studies/?again=1", users["registered"])


def test_readers_without_grants_share_parts_and_a_grant_holders_parts_stay_theirs(client, section, users):
    from tests.factories import UserFactory

    StandardPageFactory(parent=section, title="Restricted route study", record_tier=Tier.RESTRICTED)
    study = Page.objects.get(title="Restricted route study")
    holder, other, newcomer = users["registered"], UserFactory(), UserFactory()
    AccessGrant.objects.create(
        user=holder,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=study.pk,
        valid_until=timezone.now() + timedelta(days=1),
    )
    keys = {user: policy.audience_for(user).key for user in (holder, other, newcomer)}
    assert keys[other] == keys[newcomer] != keys[holder]
    assert "Restricted route study" in html_of(client, "/studies/", holder)
    assert "Restricted route study" not in html_of(client, "/studies/", other)
    assert "Restricted route study" not in html_of(client, "/studies/", newcomer)
