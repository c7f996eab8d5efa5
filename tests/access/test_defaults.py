"""Each content type starts at its own default tiers; loading an item never resets them."""

import pytest

from portal.access.tiers import Tier
from portal.home.models import StandardPage

# A new Page may look up its default locale in the database.
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_by_default(monkeypatch):
    """StandardPage as a content type that declares closed defaults, as a subclass would."""
    monkeypatch.setattr(StandardPage, "default_record_tier", Tier.REGISTERED)
    monkeypatch.setattr(StandardPage, "default_file_tier", Tier.RESTRICTED)


def test_a_new_item_starts_at_its_content_types_defaults(closed_by_default):
    page = StandardPage(title="New report")
    assert (page.record_tier, page.file_tier) == (Tier.REGISTERED, Tier.RESTRICTED)
    assert StandardPage(title="x", record_tier=Tier.CONFIDENTIAL).file_tier == Tier.CONFIDENTIAL


def test_without_declared_defaults_items_start_public():
    page = StandardPage(title="Plain")
    assert (page.record_tier, page.file_tier) == (Tier.PUBLIC, Tier.PUBLIC)


def test_loading_an_item_keeps_its_stored_tiers(home_page, closed_by_default):
    from tests.factories import StandardPageFactory

    page = StandardPageFactory(parent=home_page, record_tier=Tier.PUBLIC, file_tier=Tier.PUBLIC)
    loaded = StandardPage.objects.get(pk=page.pk)
    assert (loaded.record_tier, loaded.file_tier) == (Tier.PUBLIC, Tier.PUBLIC)
