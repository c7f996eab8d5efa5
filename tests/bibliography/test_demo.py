from io import StringIO

import pytest

from bibliography import demo
from bibliography.models import BibliographyEntry
from portal.access.tiers import Tier

pytestmark = pytest.mark.django_db


def test_demo_bibliography_loads_once():
    demo.load(StringIO())
    count = BibliographyEntry.objects.count()
    assert count == len(demo.ENTRIES) + len(demo.MORE) >= 30
    out = StringIO()
    demo.load(out)
    assert BibliographyEntry.objects.count() == count
    assert "0 demo entries created" in out.getvalue()
    restricted = BibliographyEntry.objects.get(citation_key="cau2023th-assessment")
    assert restricted.record_tier == Tier.RESTRICTED
    assert [c.code for c in restricted.countries.all()] == ["TH"]
    protocol = BibliographyEntry.objects.get(citation_key="un2000protocol")
    assert protocol.creators.get().kind == "organisation"
    assert protocol.themes.exists()
