"""A page is never more open than the page above it: created, published above, or moved under a closed page."""

import pytest

from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def _restricted_section(home_page, countries, slug="thai-section"):
    section = StandardPageFactory(parent=home_page, slug=slug, title="Thai section", record_tier=Tier.RESTRICTED)
    section.countries.set([countries["TH"]])
    section.save()
    return section


def test_a_page_created_under_a_restricted_page_is_closed_to_it(client, users, home_page, countries):
    section = _restricted_section(home_page, countries)
    child = StandardPageFactory(parent=section, slug="open-child", title="Open child")
    child.refresh_from_db()
    assert (child.record_tier, child.file_tier) == (Tier.RESTRICTED, Tier.RESTRICTED)
    assert {c.code for c in child.countries.all()} == {"TH"}
    assert client.get(child.url).status_code == 404
    sign_in(client, users["official_th"])
    assert client.get(child.url).status_code == 200


def test_publishing_a_page_closes_the_pages_below_it(client, home_page, countries):
    section = StandardPageFactory(parent=home_page, slug="section", title="Section")
    child = StandardPageFactory(parent=section, slug="child", title="Child")
    grandchild = StandardPageFactory(parent=child, slug="grandchild", title="Grandchild")
    assert client.get(grandchild.url).status_code == 200
    section.record_tier = Tier.CONFIDENTIAL
    section.save_revision().publish()
    for page in (child, grandchild):
        page.refresh_from_db()
        assert page.record_tier == Tier.CONFIDENTIAL
        assert AuditEvent.objects.filter(action=AuditEvent.Action.TIER_CHANGED, object_id=page.pk).exists()
    client.logout()
    assert client.get(grandchild.url).status_code == 404


def test_moving_a_page_under_a_restricted_page_closes_it(client, home_page, countries):
    section = _restricted_section(home_page, countries)
    page = StandardPageFactory(parent=home_page, slug="wanderer", title="Wanderer")
    below = StandardPageFactory(parent=page, slug="below", title="Below")
    page.move(section, pos="last-child")
    for moved in (page, below):
        moved.refresh_from_db()
        assert moved.record_tier == Tier.RESTRICTED and {c.code for c in moved.countries.all()} == {"TH"}


def test_a_closed_page_under_a_public_page_stays_as_it_is(home_page):
    section = StandardPageFactory(parent=home_page, slug="public-section", title="Public section")
    secret = StandardPageFactory(parent=section, slug="secret", title="Secret", record_tier=Tier.CONFIDENTIAL)
    section.save_revision().publish()
    secret.refresh_from_db()
    section.refresh_from_db()
    assert (section.record_tier, secret.record_tier) == (Tier.PUBLIC, Tier.CONFIDENTIAL)
