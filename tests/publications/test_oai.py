"""OAI-PMH 2.0 at /oai/, harvested with the `oaipmh` client library (over HTTP against the live server, and
through Django's test client for the error cases)."""

import datetime as dt

import pytest
from django.utils import timezone
from lxml import etree
from oaipmh import error
from oaipmh.client import BaseClient, Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader

from bibliography.models import BibliographyEntry
from portal.access.tiers import Tier
from publications import oai
from publications.models import Kind
from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory, add_author

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def registry():
    reg = MetadataRegistry()
    reg.registerReader("oai_dc", oai_dc_reader)
    return reg


class DjangoClient(BaseClient):
    """The oaipmh client, its requests sent through Django's test client (GET, as harvesters may)."""

    def __init__(self, client):
        super().__init__(registry())
        self.client = client

    def makeRequest(self, **kw):
        response = self.client.get("/oai/", kw)
        assert response.status_code == 200
        return response.content


def _error_code(client, **params):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    found = etree.fromstring(response.content).find("oai:error", OAI_NS)
    return found.get("code") if found is not None else None


@pytest.fixture
def index(home_page):
    return PublicationIndexPageFactory(parent=home_page)


def _publications(index, countries, n=12):
    pages = []
    for i in range(n):
        page = PublicationPageFactory(
            parent=index,
            title=f"Open study {i:02d}",
            kind=Kind.ANNUAL_REPORT if i % 4 == 0 else Kind.RESEARCH_STUDY,
            summary="What the study found.",
        )
        page.covered_countries.set([countries["TH" if i % 2 else "VN"]])
        page.save()
        add_author(page, "Phan", "Thi Lan")
        pages.append(page)
    hidden = [
        PublicationPageFactory(parent=index, title="Hidden registered study", record_tier=Tier.REGISTERED),
        PublicationPageFactory(parent=index, title="Hidden restricted study", record_tier=Tier.RESTRICTED),
        PublicationPageFactory(parent=index, title="Hidden confidential study", record_tier=Tier.CONFIDENTIAL),
    ]
    return pages, hidden


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_harvest_over_http_with_the_oaipmh_client(live_server, home_page, countries, monkeypatch):
    monkeypatch.setattr(oai, "BATCH_SIZE", 5)  # several resumption tokens with few records
    index = PublicationIndexPageFactory(parent=home_page)
    pages, hidden = _publications(index, countries)
    harvester = Client(live_server.url + "/oai/", registry())

    identify = harvester.identify()
    assert identify.protocolVersion() == "2.0"
    assert identify.baseURL().endswith("/oai/")
    assert [f[0] for f in harvester.listMetadataFormats()] == ["oai_dc"]
    sets = {spec for spec, _, _ in harvester.listSets()}
    assert {"kind:annual_report", "country:TH", "type:publication"} <= sets

    records = list(harvester.listRecords(metadataPrefix="oai_dc"))
    titles = [md["title"][0] for _, md, _ in records]
    assert sorted(titles) == sorted(p.title for p in pages)
    assert not any("Hidden" in t for t in titles)
    header, metadata, _ = records[0]
    assert header.identifier().startswith("oai:som-cau-portal:publication/")
    assert metadata["creator"] == ["Phan, Thi Lan"]
    assert metadata["identifier"][0].startswith(live_server.url)

    reports = list(harvester.listIdentifiers(metadataPrefix="oai_dc", set="kind:annual_report"))
    assert len(reports) == 3
    thai = list(harvester.listIdentifiers(metadataPrefix="oai_dc", set="country:TH"))
    assert len(thai) == 6

    one = harvester.getRecord(metadataPrefix="oai_dc", identifier=f"oai:som-cau-portal:publication/{pages[1].pk}")
    assert one[1]["title"] == [pages[1].title]
    for page in hidden:
        with pytest.raises(error.IdDoesNotExistError):
            harvester.getRecord(metadataPrefix="oai_dc", identifier=f"oai:som-cau-portal:publication/{page.pk}")


@pytest.mark.django_db
def test_public_bibliography_entries_are_harvested_too(client, index, countries):
    PublicationPageFactory(parent=index, title="A publication")
    BibliographyEntry.objects.create(citation_key="open2024", title="Open literature", year=2024)
    BibliographyEntry.objects.create(
        citation_key="closed2024", title="Closed literature", year=2024, record_tier=Tier.RESTRICTED
    )
    harvester = DjangoClient(client)
    titles = {md["title"][0] for _, md, _ in harvester.listRecords(metadataPrefix="oai_dc")}
    assert titles == {"A publication", "Open literature"}
    only_entries = {
        md["title"][0] for _, md, _ in harvester.listRecords(metadataPrefix="oai_dc", set="type:bibliography")
    }
    assert only_entries == {"Open literature"}


@pytest.mark.django_db
def test_from_and_until_select_by_datestamp(client, index):
    old = PublicationPageFactory(parent=index, title="Old study")
    new = PublicationPageFactory(parent=index, title="New study")
    type(old).objects.filter(pk=old.pk).update(last_published_at=timezone.now() - dt.timedelta(days=400))
    harvester = DjangoClient(client)
    since = timezone.now().replace(tzinfo=None) - dt.timedelta(days=10)
    recent = [md["title"][0] for _, md, _ in harvester.listRecords(metadataPrefix="oai_dc", from_=since)]
    assert recent == [new.title]
    before = [md["title"][0] for _, md, _ in harvester.listRecords(metadataPrefix="oai_dc", until=since)]
    assert before == [old.title]


@pytest.mark.django_db
def test_protocol_errors(client, index, monkeypatch):
    monkeypatch.setattr(oai, "BATCH_SIZE", 1)
    PublicationPageFactory(parent=index, title="First")
    PublicationPageFactory(parent=index, title="Second")
    assert _error_code(client) == "badVerb"
    assert _error_code(client, verb="Frobnicate") == "badVerb"
    assert _error_code(client, verb="ListRecords") == "badArgument"  # no metadataPrefix
    assert _error_code(client, verb="ListRecords", metadataPrefix="oai_dc", colour="red") == "badArgument"
    assert _error_code(client, verb="ListRecords", metadataPrefix="marc21") == "cannotDisseminateFormat"
    assert _error_code(client, verb="ListRecords", metadataPrefix="oai_dc", set="kind:nonsense") == "noRecordsMatch"
    assert (
        _error_code(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"}) == "noRecordsMatch"
    )
    assert _error_code(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "yesterday"}) == "badArgument"
    assert _error_code(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:x:y/1") == "idDoesNotExist"
    for token in ("garbage", "metadataPrefix%3Doai_dc%26cursor%3D-4", "cursor%3D1%26evil%3D1", "%%%"):
        assert _error_code(client, verb="ListRecords", resumptionToken=token) == "badResumptionToken", token
    response = client.get("/oai/?verb=Identify&verb=Identify")
    assert etree.fromstring(response.content).find("oai:error", OAI_NS).get("code") == "badArgument"
    # A good token, passed back, gives the next record and no further token.
    first = etree.fromstring(client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content)
    token = first.find(".//oai:resumptionToken", OAI_NS).text
    second = etree.fromstring(client.get("/oai/", {"verb": "ListIdentifiers", "resumptionToken": token}).content)
    assert len(second.findall(".//oai:header", OAI_NS)) == 1
    last_token = second.find(".//oai:resumptionToken", OAI_NS)
    assert last_token is not None and not last_token.text  # the protocol's empty token ends the list


@pytest.mark.django_db
def test_post_requests_are_answered(client, index):
    PublicationPageFactory(parent=index, title="Posted")
    response = client.post("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert b"<identifier>oai:som-cau-portal:publication/" in response.content
