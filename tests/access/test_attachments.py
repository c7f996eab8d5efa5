"""A document attached to a page never ends up more open than the page says its files are."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import given, settings
from wagtail.documents import get_document_model

from portal.access import policy
from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.test_policy_properties import NOW, Item, at, audiences, items
from tests.factories import StandardPageFactory


class ScopedItem(Item):
    """An Item whose countries can be narrowed the way close_to_container does (a queryset-like filter/set)."""

    def __init__(self, *args):
        super().__init__(*args)
        outer = self

        class Countries(type(self.countries)):
            def filter(self, code__in):
                return [c for c in self.all() if c.code in code__in]

            def set(self, countries):
                outer.countries = Countries([c.code for c in countries])

        self.countries = Countries([c.code for c in self.countries.all()])


def _scoped(item):
    return ScopedItem(item.record_tier, item.file_tier, [c.code for c in item.countries.all()], item.embargo_until)


@settings(max_examples=300, deadline=None)
@given(audience=audiences(), document=items(), page=items())
def test_after_closing_the_document_is_never_more_open_than_the_page(monkeypatch_module, audience, document, page):
    document, page = _scoped(document), _scoped(page)
    policy.close_to_container(document, page)
    if at(NOW, policy.can_open_files, audience, document):
        assert at(NOW, policy.can_open_files, audience, page)
    if at(NOW, policy.can_see_record, audience, document):
        assert at(NOW, policy.can_see_record, audience, page)


@pytest.mark.django_db
def test_publishing_a_page_closes_the_documents_it_links_to(home_page, countries, users):
    document = get_document_model()(title="Annex", file=ContentFile(b"annex", name="annex.txt"))
    document.save()
    until = timezone.now() + timedelta(days=10)
    page = StandardPageFactory(
        parent=home_page,
        title="Assessment TH",
        record_tier=Tier.RESTRICTED,
        file_tier=Tier.CONFIDENTIAL,
        embargo_until=until,
    )
    page.body = [("document", {"document": document, "label": "Annex"})]
    page.countries.set([countries["TH"]])
    page.save_revision().publish()

    document.refresh_from_db()
    assert (document.record_tier, document.file_tier) == (Tier.RESTRICTED, Tier.CONFIDENTIAL)
    assert document.embargo_until == until
    assert document.country_codes == {"TH"}
    assert AuditEvent.objects.filter(action="tier_changed", object_title="Annex").exists()
