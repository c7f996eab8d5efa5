"""The public browse page, entry page, exports, commands and the compiled bibliography (public entries)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibliography.formats.bibtex import parse_bibtex
from bibliography.models import BibliographyEntry
from portal.access.tiers import Tier
from portal.taxonomy.models import Theme

from .factories import BibliographyEntryFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def shelf(countries):
    routes = Theme.objects.get(slug="routes")
    finance = Theme.objects.get(slug="fees-and-finance")
    a = BibliographyEntryFactory(title="Boats and brokers", year=2015, entry_type="article", language="en",
                                 authors=[("Zeller", "Anna")])  # fmt: skip
    b = BibliographyEntryFactory(title="Crossing fees in Cambodia", year=2019, language="km",
                                 authors=[("Ang", "Bopha")])  # fmt: skip
    c = BibliographyEntryFactory(title="Debt bondage at sea", year=2022, language="en", authors=[("Mai", "Lan")])
    a.themes.set([routes])
    a.countries_covered.set([countries["TH"]])
    b.themes.set([finance])
    b.countries_covered.set([countries["KH"], countries["TH"]])
    c.themes.set([routes, finance])
    for entry in (a, b, c):
        entry.keywords.add("smuggling")
        entry.save()
    return {"a": a, "b": b, "c": c}


def titles(response):
    body = response.content.decode()
    return [t for t in ("Boats and brokers", "Crossing fees in Cambodia", "Debt bondage at sea") if t in body]


def test_filters_by_country_theme_type_language_keyword_and_years(client, shelf):
    assert titles(client.get("/bibliography/?country=TH")) == ["Boats and brokers", "Crossing fees in Cambodia"]
    assert titles(client.get("/bibliography/?theme=fees-and-finance")) == [
        "Crossing fees in Cambodia", "Debt bondage at sea"]  # fmt: skip
    assert titles(client.get("/bibliography/?type=article")) == ["Boats and brokers"]
    assert titles(client.get("/bibliography/?language=km")) == ["Crossing fees in Cambodia"]
    assert len(titles(client.get("/bibliography/?keyword=smuggling"))) == 3
    assert titles(client.get("/bibliography/?year_from=2016&year_to=2020")) == ["Crossing fees in Cambodia"]
    assert titles(client.get("/bibliography/?q=bondage")) == ["Debt bondage at sea"]
    assert titles(client.get("/bibliography/?q=zeller")) == ["Boats and brokers"]


def test_sorting_and_facet_counts(client, shelf):
    body = client.get("/bibliography/?sort=author").content.decode()
    assert body.index("Crossing fees") < body.index("Debt bondage") < body.index("Boats and brokers")
    body = client.get("/bibliography/?sort=year_asc").content.decode()
    assert body.index("Boats and brokers") < body.index("Crossing fees") < body.index("Debt bondage")
    response = client.get("/bibliography/?theme=routes")
    facets = response.context["facets"]
    assert {r["value"]: r["count"] for r in facets["theme"]} == {"routes": 2, "fees-and-finance": 2}
    assert {r["value"]: r["count"] for r in facets["country"]} == {"TH": 1}
    assert "2 entries" in response.content.decode()


def test_pagination(client):
    for n in range(30):
        BibliographyEntryFactory(title=f"Paged entry {n:02d}")
    first = client.get("/bibliography/?sort=title")
    second = client.get("/bibliography/?sort=title&page=2")
    assert "Paged entry 00" in first.content.decode() and "Paged entry 29" not in first.content.decode()
    assert "Paged entry 29" in second.content.decode()
    assert "30 entries" in second.content.decode()


@pytest.mark.parametrize("url", ["/bibliography/", "/bibliography/export/ris/", "/bibliography/compiled/"])
def test_listing_queries_do_not_grow_with_entries(client, url):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            entry = BibliographyEntryFactory()
            entry.keywords.add("smuggling")
            entry.save()

    add(3)
    queries()  # warm per-process caches (site, content types)
    few = queries()
    add(20)
    assert queries() == few


def test_entry_page_shows_citations_copy_buttons_and_exports(client, shelf):
    entry = shelf["a"]
    body = client.get(f"/bibliography/{entry.pk}/").content.decode()
    assert "Zeller, A. (2015). Boats and brokers." in body
    assert body.count('data-copy-text="') == 3
    for fmt in ("bibtex", "ris", "csljson"):
        assert f"/bibliography/{entry.pk}/export/{fmt}/" in body
    bib = client.get(f"/bibliography/{entry.pk}/export/bibtex/")
    assert bib["Content-Disposition"].endswith('.bib"')
    [record] = parse_bibtex(bib.content).records
    assert record.title == "Boats and brokers" and record.creators[0].family == "Zeller"
    cite = client.get(f"/bibliography/{entry.pk}/cite/chicago/").content.decode()
    assert cite.startswith("Zeller, Anna. 2015. “Boats and Brokers.”")
    assert client.get(f"/bibliography/{entry.pk}/cite/mla/").status_code == 404
    assert client.get(f"/bibliography/{entry.pk}/export/docx/").status_code == 404


def test_list_export_follows_the_filters(client, shelf):
    items = json.loads(client.get("/bibliography/export/csljson/?country=KH").content)
    assert [i["title"] for i in items] == ["Crossing fees in Cambodia"]


def test_compiled_bibliography_groups_by_theme_and_country(client, shelf):
    body = client.get("/bibliography/compiled/?group=theme").content.decode()
    assert body.index("Fees and finance") < body.index("Routes")
    assert body.count("Debt bondage at sea") == 2  # under both of its themes
    body = client.get("/bibliography/compiled/?group=country").content.decode()
    assert "Cambodia" in body and "Other and regional" in body


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_compiled_bibliography_pdf(client, shelf):
    response = client.get("/bibliography/compiled.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_import_command_dry_run_and_defaults(countries):
    out = StringIO()
    path = FIXTURES / "ris" / "extraneous-data.ris"
    call_command("import_bibliography", str(path), "--dry-run", "--no-progress", stdout=out, stderr=StringIO())
    assert "dry run, nothing written: 0 created" not in out.getvalue()
    assert "2 created" in out.getvalue() and BibliographyEntry.objects.count() == 0
    call_command("import_bibliography", str(path), "--record-tier", "restricted", "--theme", "routes",
                 "--countries", "TH,VN", "--no-progress", stdout=out, stderr=StringIO())  # fmt: skip
    entry = BibliographyEntry.objects.get(title="Title of reference")
    assert entry.record_tier == Tier.RESTRICTED
    assert sorted(c.code for c in entry.countries_covered.all()) == ["TH", "VN"]


def test_import_command_reports_failures_and_refusals():
    out = StringIO()
    call_command("import_bibliography", str(FIXTURES / "bib" / "malformed-empty-and-paren-entries.bib"),
                 "--no-progress", stdout=out, stderr=StringIO())  # fmt: skip
    assert "failed (line 2)" in out.getvalue() and "Expected comma" in out.getvalue()
    with pytest.raises(CommandError, match="Unknown tier"):
        call_command("import_bibliography", "x.bib", "--record-tier", "secret", stdout=out)


def test_export_command_exports_only_what_the_user_may_see(users, shelf):
    BibliographyEntryFactory(title="Hidden draft", record_tier=Tier.RESTRICTED)
    out = StringIO()
    call_command("export_bibliography", "--format", "ris", "--country", "TH", stdout=out)
    assert "Boats and brokers" in out.getvalue() and "Hidden draft" not in out.getvalue()
    out = StringIO()
    call_command("export_bibliography", "--format", "bibtex", "--user", "staff", stdout=out)
    assert "Hidden draft" in out.getvalue()


def test_full_text_link_only_for_who_may_open_it(client, users):
    from django.core.files import File
    from wagtail.documents import get_document_model

    from tests.access.helpers import sign_in

    with open(FIXTURES / "pdf" / "latex-minimal-1p.pdf", "rb") as fh:
        document = get_document_model()(title="Full text of the study", file=File(fh, name="study.pdf"),
                                         record_tier=Tier.PUBLIC, file_tier=Tier.REGISTERED)  # fmt: skip
        document.save()
    entry = BibliographyEntryFactory(title="Study with full text", document=document, file_tier=Tier.REGISTERED)
    anonymous = client.get(f"/bibliography/{entry.pk}/").content.decode()
    assert "Study with full text" in anonymous
    assert document.url not in anonymous and "Restricted to registered users" in anonymous
    registered = sign_in(client, users["registered"]).get(f"/bibliography/{entry.pk}/").content.decode()
    assert document.url in registered
