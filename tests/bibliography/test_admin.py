"""Editors in the admin: the entry listing with filters and search, the import view and its report,
possible duplicates and the merge that keeps every field and link."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bibliography.merge import duplicate_groups, merge
from bibliography.models import BibliographyEntry
from portal.access.tiers import Tier
from portal.taxonomy.models import Theme

from .factories import BibliographyEntryFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def editor(client, users):
    user = users["staff"]
    user.is_staff = True
    user.is_superuser = True  # Wagtail admin access and every model permission
    user.save()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def upload(name, kind="bib"):
    return SimpleUploadedFile(name, (FIXTURES / kind / name).read_bytes())


def test_import_view_shows_the_report(editor):
    response = editor.post("/admin/bibliography-tools/import/", {
        "file": upload("malformed-empty-and-paren-entries.bib"), "record_tier": Tier.PUBLIC})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 created" in body and "1 failed" in body
    assert "Expected comma after entry key" in body
    assert BibliographyEntry.objects.count() == 1


def test_import_view_dry_run_and_defaults(editor, countries):
    theme = Theme.objects.get(slug="routes")
    data = {"file": upload("full-tag-set.ris", "ris"), "record_tier": Tier.REGISTERED, "themes": [theme.pk],
            "file_tier": Tier.RESTRICTED,
            "countries": [countries["VN"].pk], "dry_run": "on"}  # fmt: skip
    body = editor.post("/admin/bibliography-tools/import/", data).content.decode()
    assert "dry run, nothing written" in body and BibliographyEntry.objects.count() == 0
    data["file"] = upload("full-tag-set.ris", "ris")
    del data["dry_run"]
    editor.post("/admin/bibliography-tools/import/", data)
    entry = BibliographyEntry.objects.get(title="Title of reference")
    assert entry.record_tier == Tier.REGISTERED and list(entry.themes.all()) == [theme]
    assert entry.file_tier == Tier.RESTRICTED


def test_import_view_refuses_a_pdf_with_a_message(editor):
    file = SimpleUploadedFile("paper.bib", b"%PDF-1.4 binary")
    body = editor.post("/admin/bibliography-tools/import/", {"file": file, "record_tier": 0}).content.decode()
    assert "not imported" in body and "PDF" in body


def test_import_view_needs_permission(client, users):
    client.force_login(users["registered"])
    assert client.get("/admin/bibliography-tools/import/").status_code in (302, 403)


def test_snippet_listing_filters_and_searches(editor):
    BibliographyEntryFactory(title="Maritime smuggling in the Andaman Sea", entry_type="article")
    BibliographyEntryFactory(title="Upland routes study", entry_type="report")
    listing = "/admin/snippets/bibliography/bibliographyentry/"
    assert "Andaman" in editor.get(listing + "?q=andaman").content.decode()
    assert "Upland routes" not in editor.get(listing + "?q=andaman").content.decode()
    filtered = editor.get(listing + "?entry_type=report").content.decode()
    assert "Upland routes" in filtered and "Andaman" not in filtered


@pytest.fixture
def twins(countries):
    routes, finance = Theme.objects.get(slug="routes"), Theme.objects.get(slug="fees-and-finance")
    keep = BibliographyEntryFactory(citation_key="a1", title="Smuggling fees", doi="10.1234/sm.1", abstract="",
                                    annotation="<p>First view.</p>")  # fmt: skip
    other = BibliographyEntryFactory(citation_key="b2", title="Smuggling fees (copy)", doi="https://doi.org/10.1234/SM.1",
                                     abstract="Second abstract.", annotation="<p>Second view.</p>",
                                     record_tier=Tier.REGISTERED, scope=[countries["TH"]])  # fmt: skip
    keep.themes.set([routes])
    keep.save()
    other.themes.set([finance])
    other.keywords.add("fees")
    other.save()
    BibliographyEntryFactory(citation_key="c3", title="Unrelated")
    return keep, other


def test_duplicates_are_listed_and_merge_keeps_everything(editor, twins):
    keep, other = twins
    assert [[e.citation_key for e in g] for g in duplicate_groups()] == [["a1", "b2"]]
    assert "Merge into a1" in editor.get("/admin/bibliography-tools/duplicates/").content.decode()
    editor.post("/admin/bibliography-tools/duplicates/merge/", {"keep": keep.pk, "other": other.pk})
    keep.refresh_from_db()
    assert not BibliographyEntry.objects.filter(pk=other.pk).exists()
    assert keep.abstract == "Second abstract."
    assert "First view." in keep.annotation and "Second view." in keep.annotation
    assert sorted(t.slug for t in keep.themes.all()) == ["fees-and-finance", "routes"]
    assert [t.name for t in keep.keywords.all()] == ["fees"]
    assert keep.record_tier == Tier.REGISTERED  # the stricter tier wins
    assert [c.code for c in keep.countries.all()] == ["TH"]
    assert keep.raw_record["merged"][0]["citation_key"] == "b2"
    assert duplicate_groups() == []


def test_merge_refuses_the_same_entry(twins):
    with pytest.raises(ValueError):
        merge(twins[0], twins[0])


def test_entry_edit_and_add_forms_render(editor):
    entry = BibliographyEntryFactory(title="Editable entry")
    base = "/admin/snippets/bibliography/bibliographyentry/"
    edit = editor.get(f"{base}edit/{entry.pk}/")
    assert edit.status_code == 200
    body = edit.content.decode()
    assert "Editable entry" in body and "annotation" in body
    assert editor.get(f"{base}add/").status_code == 200
