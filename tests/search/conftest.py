import pytest

from portal.home.models import CountryPage, StandardPage
from search.index import segmented


@pytest.fixture(autouse=True)
def segmented_pages(monkeypatch):
    """Pages index segmented text (idempotent once portal.home adopts ``search.index.segmented``)."""
    for model in (StandardPage, CountryPage):
        monkeypatch.setattr(model, "search_fields", segmented(model.search_fields))
