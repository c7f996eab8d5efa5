"""Feeds (RSS, Atom; overall, per kind, per country) and sitemap.xml."""

import pytest
from lxml import etree

from portal.access.tiers import Tier
from publications.models import Kind
from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(home_page, countries):
    index = PublicationIndexPageFactory(parent=home_page)
    report = PublicationPageFactory(parent=index, title="Open annual report", kind=Kind.ANNUAL_REPORT)
    report.covered_countries.set([countries["KH"]])
    report.save()
    study = PublicationPageFactory(parent=index, title="Open study", kind=Kind.RESEARCH_STUDY)
    hidden = PublicationPageFactory(
        parent=index, title="Registered-only report", kind=Kind.ANNUAL_REPORT, record_tier=Tier.REGISTERED
    )
    hidden.covered_countries.set([countries["KH"]])
    hidden.save()
    return index, report, study, hidden


def test_rss_and_atom_list_public_publications(client, items):
    rss = etree.fromstring(client.get("/publications-feeds/rss/").content)
    assert {t.text for t in rss.iterfind(".//item/title")} == {"Open annual report", "Open study"}
    atom = etree.fromstring(client.get("/publications-feeds/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert {t.text for t in atom.iterfind(".//a:entry/a:title", ns)} == {"Open annual report", "Open study"}


def test_feeds_per_kind_and_country(client, items):
    rss = etree.fromstring(client.get("/publications-feeds/kind/annual_report/rss/").content)
    assert [t.text for t in rss.iterfind(".//item/title")] == ["Open annual report"]
    rss = etree.fromstring(client.get("/publications-feeds/country/kh/rss/").content)
    assert [t.text for t in rss.iterfind(".//item/title")] == ["Open annual report"]
    assert client.get("/publications-feeds/kind/nonsense/rss/").status_code == 404
    assert client.get("/publications-feeds/country/zz/atom/").status_code == 404


def test_feeds_never_show_signed_in_users_more(client, items, users):
    client.force_login(users["registered"])
    assert b"Registered-only report" not in client.get("/publications-feeds/rss/").content


def test_sitemap_lists_public_pages_only(client, items):
    index, report, study, hidden = items
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{report.full_url}</loc>" in xml
    assert f"<loc>{index.full_url}annual-reports/</loc>" in xml
    assert hidden.url not in xml


def test_anonymous_feed_is_cached_until_a_page_is_published(client, items):
    index, report, study, hidden = items
    first = client.get("/publications-feeds/rss/")
    assert client.get("/publications-feeds/rss/")["X-Page-Cache"] == "hit"
    assert b"Open study" in first.content
    study.title = "Renamed study"
    study.save_revision().publish()  # publishing clears the page cache
    assert b"Renamed study" in client.get("/publications-feeds/rss/").content
