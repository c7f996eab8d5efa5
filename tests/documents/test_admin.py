"""The admin side of ingestion: statuses and filters, page-by-page text, re-reading, password retry, thumbnails."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.documents import ingestion
from portal.documents.models import DocumentPage, PortalDocument
from tests.access.helpers import sign_in
from tests.factories import UserFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
Status = PortalDocument.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    # The seeded "Unit staff" group does not yet hold Wagtail's document permissions: an editor with them.
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    return sign_in(client, editor)


@pytest.fixture
def documents():
    return {
        name: ingestion.store_file(FIXTURES / f"{name}.pdf", title=name).document
        for name in ("pdflatex-4-pages", "scanned-xerox-jbig2-no-text", "encrypted-aes256-r6-user-foo-owner-bar")
    }


def test_listing_shows_status_pages_and_language(staff_client, documents):
    response = staff_client.get("/admin/documents/ingestion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "pdflatex-4-pages" in html
    assert "Ingested; some pages have no text (scanned)" in html
    assert "Needs a password" in html


def test_listing_filters_by_status(staff_client, documents):
    response = staff_client.get("/admin/documents/ingestion/", {"status": Status.NEEDS_PASSWORD})
    html = response.content.decode()
    assert "encrypted-aes256-r6-user-foo-owner-bar" in html
    assert "pdflatex-4-pages</a>" not in html


def test_listing_is_refused_to_users_who_may_not_manage_documents(client, users, documents):
    sign_in(client, users["registered"])
    assert client.get("/admin/documents/ingestion/").status_code in (302, 403)


def test_page_by_page_preview(staff_client, documents):
    document = documents["pdflatex-4-pages"]
    response = staff_client.get(f"/admin/documents/ingestion/{document.pk}/")
    html = response.content.decode()
    assert "Page 4" in html
    assert document.pages.get(number=1).text[:40] in html


def test_reingest_action_reads_it_again(staff_client, documents):
    document = documents["pdflatex-4-pages"]
    document.pages.update(text="stale")
    response = staff_client.post(f"/admin/documents/ingestion/{document.pk}/reingest/")
    assert response.status_code == 302
    assert document.pages.count() == 4
    assert not document.pages.filter(text="stale").exists()


def test_password_retry_reads_it_and_forgets_the_password(staff_client, documents):
    document = documents["encrypted-aes256-r6-user-foo-owner-bar"]
    staff_client.post(f"/admin/documents/ingestion/{document.pk}/password/", {"password": "wrong-one"})
    document.refresh_from_db()
    assert document.status == Status.NEEDS_PASSWORD
    staff_client.post(f"/admin/documents/ingestion/{document.pk}/password/", {"password": "foo"})
    document.refresh_from_db()
    assert document.status == Status.INGESTED
    assert "pdf encryption test" in DocumentPage.objects.get(document=document).text
    stored = [str(v) for v in PortalDocument.objects.filter(pk=document.pk).values().get().values()]
    assert "foo" not in stored


def test_thumbnail_is_a_png(staff_client, documents):
    response = staff_client.get(f"/admin/documents/ingestion/{documents['pdflatex-4-pages'].pk}/thumbnail.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_the_pdfs_own_title_is_offered_and_used(staff_client):
    document = ingestion.store_file(FIXTURES / "google-docs-export.pdf", title="google-docs-export").document
    html = staff_client.get(f"/admin/documents/ingestion/{document.pk}/").content.decode()
    assert "Use the PDF&#x27;s title" in html or "Use the PDF's title" in html
    staff_client.post(f"/admin/documents/ingestion/{document.pk}/use-pdf-title/")
    document.refresh_from_db()
    assert document.title == "PDF Example Document"


def test_uploading_stored_bytes_in_the_admin_points_to_the_existing_document(staff_client, documents):
    existing = documents["pdflatex-4-pages"]
    content = (FIXTURES / "pdflatex-4-pages.pdf").read_bytes()
    response = staff_client.post(
        "/admin/documents/add/",
        {
            "title": "copy",
            "file": SimpleUploadedFile("copy.pdf", content, "application/pdf"),
            "collection": 1,
            "record_tier": 0,
            "file_tier": 0,
        },
    )
    assert f"already stored as document #{existing.pk}" in response.content.decode()
    assert PortalDocument.objects.count() == 3


def test_uploading_a_new_pdf_in_the_admin_reads_it(staff_client):
    content = (FIXTURES / "lang-th.pdf").read_bytes()
    response = staff_client.post(
        "/admin/documents/add/",
        {
            "title": "Thai",
            "file": SimpleUploadedFile("lang-th.pdf", content, "application/pdf"),
            "collection": 1,
            "record_tier": 0,
            "file_tier": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    document = PortalDocument.objects.get(title="Thai")
    assert document.status == Status.INGESTED
    assert document.language == "th"


def test_wagtails_listing_shows_thumbnails_and_ingestion_columns(staff_client, documents):
    html = staff_client.get("/admin/documents/").content.decode()
    assert f"/admin/documents/ingestion/{documents['pdflatex-4-pages'].pk}/thumbnail.png" in html
    assert "Needs a password" in html
    # No thumbnail for a file that cannot be drawn.
    assert f"/admin/documents/ingestion/{documents['encrypted-aes256-r6-user-foo-owner-bar'].pk}/thumbnail" not in html


def test_the_chooser_shows_thumbnails(staff_client, documents):
    response = staff_client.get("/admin/documents/chooser/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/admin/documents/ingestion/{documents['pdflatex-4-pages'].pk}/thumbnail.png" in body
