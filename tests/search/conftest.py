import pytest

from portal.documents.models import DocumentPage, PortalDocument
from portal.home.models import CountryPage, StandardPage
from search.index import segmented


@pytest.fixture(autouse=True)
def segmented_fields(monkeypatch):
    """Index segmented text (a no-op once the models declare ``search.index.segmented`` themselves)."""
    for model in (StandardPage, CountryPage, PortalDocument, DocumentPage):
        monkeypatch.setattr(model, "search_fields", segmented(model.search_fields))
