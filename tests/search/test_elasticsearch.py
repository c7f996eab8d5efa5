"""The Elasticsearch 9 backend, against a real cluster only (no mocks): set ELASTICSEARCH_URL to run."""

import os

import pytest
from django.core.management import call_command

from portal.access import policy
from portal.access.tiers import Tier
from search.service import search
from tests.factories import StandardPageFactory

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ELASTICSEARCH_URL,
        reason="ELASTICSEARCH_URL is not set: the Elasticsearch 9 backend is only tested against a real cluster",
    ),
]


@pytest.fixture
def elasticsearch(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": "cauportal_test_",
        }
    }


def test_search_and_audience_filter_through_elasticsearch(elasticsearch, home_page, users):
    public = StandardPageFactory(parent=home_page, title="Maritime routes", intro="fishing boats")
    StandardPageFactory(parent=home_page, title="Maritime sources", intro="informants", record_tier=Tier.RESTRICTED)
    call_command("update_index", verbosity=0)
    anonymous = search("maritime", policy.ANONYMOUS)
    assert [hit.obj.pk for hit in anonymous.hits] == [public.pk]
    assert anonymous.total == 1
    official = search("maritime", policy.audience_for(users["official_th"]))
    assert official.total == 2
