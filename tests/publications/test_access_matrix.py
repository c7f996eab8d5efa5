"""The publications' channels in the access matrix (tests/access/matrix.py): the publication page, the index
listing, the RSS and Atom feeds, sitemap.xml and OAI-PMH.

Feeds, the sitemap and OAI-PMH are served to harvesters that never sign in: they must show exactly what the
anonymous audience may see, whoever asks. Their rows run as the anonymous audience, and a second test checks that
a staff session gets the same answer (no session leaks into them).
"""

import pytest
from django.core.files.base import ContentFile
from lxml import etree

from publications.models import PublicationIndexPage
from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.matrix import Channel, run_matrix, set_countries
from tests.publications.factories import DocumentFactory, PublicationIndexPageFactory, PublicationPageFactory, attach

pytestmark = pytest.mark.django_db

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


def _index(env):
    if "index" not in env.scratch:
        env.scratch["index"] = PublicationIndexPageFactory(parent=env.home_page)
    return env.scratch["index"]


def make_publication(spec, env):
    # Made once per spec and shared by every channel of the test: the same items seen through each channel.
    key = ("item", spec)
    if key not in env.scratch:
        env.scratch[key] = _make_publication(spec, env)
    return env.scratch[key]


def _make_publication(spec, env):
    page = PublicationPageFactory(
        parent=_index(env),
        title=spec.title,
        slug=spec.slug,
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
        summary=f"Summary of {spec.title}",
    )
    set_countries(page, spec, env)
    # The document starts public: saving the page must close it to the page's tiers.
    attach(
        page,
        DocumentFactory(title=f"File of {spec.slug}", file=ContentFile(f"matrix {spec.slug}".encode(), name="m.txt")),
    )
    page.save()
    return page


def probe_publication_page(client, page, env):
    response = client.get(page.url)
    assert response.status_code in (200, 404), (page.url, response.status_code)
    if response.status_code == 404:
        assert page.title.encode() not in response.content
        return False, False
    document = page.files.first().document
    html = response.content.decode()
    download = f'href="{document.url}"' in html
    # The link is offered exactly when the file itself would be served.
    served = client.get(document.url).status_code == 200
    assert download == served, (page.title, download, served)
    return True, download


def _cached(env, client, key, fetch):
    memo = (key, id(client))
    if memo not in env.scratch:
        env.scratch[memo] = fetch()
    return env.scratch[memo]


def probe_index(client, page, env):
    def fetch():
        html = client.get(_index(env).url).content.decode()
        return html

    return page.title in _cached(env, client, "index", fetch), None


def _probe_text(url_of):
    def probe(client, page, env):
        text = _cached(env, client, url_of(page), lambda: client.get(url_of(page)).content.decode())
        marker = page.title if "sitemap" not in url_of(page) else page.url
        return marker in text, None

    return probe


def probe_oai(client, page, env):
    def fetch():
        titles, token = set(), None
        while True:
            params = {"verb": "ListRecords"}
            params.update({"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"})
            tree = etree.fromstring(client.get("/oai/", params).content)
            titles |= {t.text for t in tree.iterfind(".//dc:title", OAI_NS)}
            found = tree.find(".//oai:resumptionToken", OAI_NS)
            token = found.text if found is not None else None
            if not token:
                return titles

    return page.title in _cached(env, client, "oai", fetch), None


PUBLICATION_PAGE = Channel("publication page", make_publication, probe_publication_page)
INDEX = Channel("publications index", make_publication, probe_index)
RSS = Channel("RSS feed", make_publication, _probe_text(lambda p: "/publications-feeds/rss/"))
ATOM = Channel("Atom feed", make_publication, _probe_text(lambda p: "/publications-feeds/atom/"))
SITEMAP = Channel("sitemap.xml", make_publication, _probe_text(lambda p: "/sitemap.xml"))
OAI = Channel("OAI-PMH ListRecords", make_publication, probe_oai)


@pytest.fixture
def big_pages(monkeypatch):
    # The matrix makes ~150 items: one index page and one feed hold them all.
    monkeypatch.setattr(PublicationIndexPage, "per_page", 1000)
    monkeypatch.setattr("publications.feeds.FEED_SIZE", 1000)


OPEN_CHANNELS = [
    (RSS, "/publications-feeds/rss/"),
    (ATOM, "/publications-feeds/atom/"),
    (SITEMAP, "/sitemap.xml"),
    (OAI, "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc"),
]


def test_access_matrix_publication_channels(matrix_env, big_pages):  # noqa: F811
    mismatches = []
    for channel in (PUBLICATION_PAGE, INDEX):
        mismatches += run_matrix(channel, matrix_env)
    for channel, _ in OPEN_CHANNELS:
        mismatches += run_matrix(channel, matrix_env, audiences=("anonymous",))
    assert mismatches == [], "\n".join(mismatches[:40])


@pytest.mark.parametrize("url", [url for _, url in OPEN_CHANNELS])
def test_open_channels_ignore_the_session(url, client, home_page, users):
    """Harvesters' channels show staff exactly what they show anyone: no session leaks into a cached feed."""
    from portal.access.tiers import Tier
    from tests.access.helpers import sign_in

    index = PublicationIndexPageFactory(parent=home_page)
    PublicationPageFactory(parent=index, title="Open harvest item", slug="m-open")
    PublicationPageFactory(parent=index, title="Staff-only harvest item", slug="m-staff", record_tier=Tier.CONFIDENTIAL)
    anonymous = client.get(url).content.decode()
    staff = sign_in(client, users["staff"]).get(url).content.decode()
    if url.startswith("/oai/"):
        assert anonymous.count("<identifier>") == staff.count("<identifier>") == 1
    else:
        assert "m-open" in anonymous and "m-open" in staff
        assert "m-staff" not in anonymous and "m-staff" not in staff
