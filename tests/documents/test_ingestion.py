"""Storing once, reading into pages, recording the status: the document model, the task and the service."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from portal.documents import extraction, ingestion
from portal.documents.models import DocumentPage, PortalDocument
from portal.documents.tasks import ingest_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
Status = PortalDocument.Status

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    return [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_pdf_is_stored_privately_and_read_into_pages():
    stored = ingestion.store_file(FIXTURES / "pdflatex-4-pages.pdf", title="Four pages")
    document = PortalDocument.objects.get(pk=stored.document.pk)
    assert stored.created
    assert document.status == Status.INGESTED
    assert document.page_count == 4
    assert document.language == "en"
    assert document.extractor in extraction.EXTRACTORS
    assert document.ingested_at is not None
    assert document.attempts == 1
    assert [p.number for p in document.pages.all()] == [1, 2, 3, 4]
    assert all(p.text for p in document.pages.all())
    assert Path(document.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(document.file.path).is_relative_to(settings.MEDIA_ROOT)


def test_the_same_bytes_are_stored_once():
    before = set(stored_files())
    first = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf")
    again = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", title="another title")
    assert not again.created
    assert again.document.pk == first.document.pk
    assert PortalDocument.objects.count() == 1
    content = (FIXTURES / "latex-minimal-1p.pdf").read_bytes()
    assert [p.read_bytes() == content for p in set(stored_files()) - before].count(True) == 1


def test_reingesting_replaces_the_pages():
    document = ingestion.store_file(FIXTURES / "page-labels-roman.pdf").document
    document.pages.update(text="stale", label="x")
    ingestion.reingest(document)
    document.refresh_from_db()
    after = list(document.pages.values_list("number", "label"))
    assert after == [(1, "iii"), (2, "iv"), (3, "1"), (4, "2"), (5, "1")]
    assert not document.pages.filter(text="stale").exists()
    assert DocumentPage.objects.count() == 5
    assert document.status == Status.INGESTED


def test_pdf_metadata_is_kept_for_the_editor():
    document = ingestion.store_file(FIXTURES / "google-docs-export.pdf", title="google-docs-export").document
    document.refresh_from_db()
    assert document.pdf_title == "PDF Example Document"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("scanned-xerox-jbig2-no-text.pdf", Status.NO_TEXT_PAGES),
        ("font-non-unicode-cmap-czech.pdf", Status.GARBLED),
        ("encrypted-aes256-r6-user-foo-owner-bar.pdf", Status.NEEDS_PASSWORD),
        ("truncated-derived-dmca-60pct.pdf", Status.UNREADABLE),
    ],
)
def test_every_outcome_keeps_the_file_and_says_what_happened(name, status):
    document = ingestion.store_file(FIXTURES / name).document
    document.refresh_from_db()
    assert document.status == status
    assert document.message
    assert Path(document.file.path).read_bytes() == (FIXTURES / name).read_bytes()


def test_garbled_pages_are_kept_without_their_text():
    document = ingestion.store_file(FIXTURES / "font-non-unicode-cmap-czech.pdf").document
    page = document.pages.get()
    assert page.number == 1 and page.text == ""


def test_password_retry_reads_it_and_stores_no_password():
    document = ingestion.store_file(FIXTURES / "encrypted-aes256-r6-user-foo-owner-bar.pdf").document
    document.refresh_from_db()
    assert document.status == Status.NEEDS_PASSWORD
    result = ingestion.ingest(document, password="foo")
    document.refresh_from_db()
    assert result.status == extraction.INGESTED
    assert document.status == Status.INGESTED
    assert "pdf encryption test" in document.pages.get().text
    assert "foo" not in document.message


def test_a_document_left_processing_by_a_dead_worker_is_read_again():
    document = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", enqueue=False).document
    PortalDocument.objects.filter(pk=document.pk).update(
        status=Status.PROCESSING, attempts=1, processing_started_at=timezone.now() - timedelta(hours=1)
    )
    assert ingestion.release_stuck() == [document.pk]
    document.refresh_from_db()
    assert document.status == Status.INGESTED
    assert document.attempts == 2


def test_attempts_are_bounded():
    document = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", enqueue=False).document
    PortalDocument.objects.filter(pk=document.pk).update(
        status=Status.PROCESSING,
        attempts=ingestion.MAX_ATTEMPTS,
        processing_started_at=timezone.now() - timedelta(hours=1),
    )
    ingestion.release_stuck()
    document.refresh_from_db()
    assert document.status == Status.UNREADABLE
    assert "times" in document.message


def test_a_failure_of_the_machinery_never_leaves_it_processing(monkeypatch):
    document = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", enqueue=False).document

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ingestion, "save_result", broken)
    ingest_document.enqueue(document.pk)
    document.refresh_from_db()
    # Retried up to the bound, then given up with a message: never "processing".
    assert document.status == Status.UNREADABLE
    assert document.attempts == ingestion.MAX_ATTEMPTS
    assert document.processing_started_at is None


def test_a_file_read_before_it_is_stored_is_stored_with_its_pages_in_one_go():
    path = FIXTURES / "pdflatex-4-pages.pdf"
    result = extraction.extract_pdf(path)
    stored = ingestion.store_read_file(path, result, digest=ingestion.sha256_of(path), title="Four pages")
    document = PortalDocument.objects.get(pk=stored.document.pk)
    assert stored.created
    assert document.status == Status.INGESTED and document.attempts == 0  # never waited to be read
    assert document.page_count == 4
    assert [p.number for p in document.pages.all()] == [1, 2, 3, 4]
    again = ingestion.store_read_file(path, result, digest=ingestion.sha256_of(path))
    assert not again.created and again.document.pk == document.pk
    assert DocumentPage.objects.count() == 4


def test_a_file_that_changed_after_it_was_read_is_read_again_from_what_was_stored():
    read = FIXTURES / "lang-vi.pdf"
    result = extraction.extract_pdf(read)
    # The text of one file, but the bytes of another by the time they are stored.
    stored = ingestion.store_read_file(FIXTURES / "pdflatex-4-pages.pdf", result, digest=ingestion.sha256_of(read))
    document = PortalDocument.objects.get(pk=stored.document.pk)
    assert document.page_count == 4
    assert document.language == "en"
    assert "xuất nhập cảnh" not in " ".join(document.pages.values_list("text", flat=True))


def test_a_failure_while_storing_read_text_stores_nothing(monkeypatch):
    path = FIXTURES / "latex-minimal-1p.pdf"
    result = extraction.extract_pdf(path)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ingestion, "index_pages", broken)
    before = set(stored_files())
    with pytest.raises(RuntimeError):
        ingestion.store_read_file(path, result, digest=ingestion.sha256_of(path))
    # One transaction: no document left waiting, half-written or processing, and no file without a document.
    assert PortalDocument.objects.count() == 0
    assert DocumentPage.objects.count() == 0
    assert set(stored_files()) == before


def test_other_types_are_stored_without_text(tmp_path):
    sheet = tmp_path / "indicators.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    document = ingestion.store_file(sheet).document
    document.refresh_from_db()
    assert document.status == Status.STORED
    assert document.pages.count() == 0


# --- uploads through the model form's validation (what the admin uses) ---------------------------------------


def upload(name: str, content: bytes) -> PortalDocument:
    document = PortalDocument(title=name, file=SimpleUploadedFile(name, content))
    document.full_clean()
    return document


def test_upload_over_the_size_limit_is_refused():
    content = (FIXTURES / "pdflatex-4-pages.pdf").read_bytes()
    with override_settings(PORTAL_MAX_UPLOAD_MB=0.01), pytest.raises(ValidationError) as error:
        upload("big.pdf", content)
    assert "MB are refused" in str(error.value)


def test_default_size_limit_is_200_mb():
    assert settings.PORTAL_MAX_UPLOAD_MB == 200


def test_upload_of_a_non_pdf_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        upload("report.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert "not a PDF" in str(error.value)


def test_upload_of_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        upload("empty.pdf", b"")


def test_upload_of_stored_bytes_points_to_the_existing_document():
    existing = ingestion.store_file(FIXTURES / "latex-minimal-1p.pdf", title="Minimal").document
    with pytest.raises(ValidationError) as error:
        upload("copy.pdf", (FIXTURES / "latex-minimal-1p.pdf").read_bytes())
    assert f"already stored as document #{existing.pk}" in str(error.value)


def test_an_uploaded_pdf_is_read_on_save():
    document = upload("minimal.pdf", (FIXTURES / "latex-minimal-1p.pdf").read_bytes())
    document.save()
    document.refresh_from_db()
    assert document.status == Status.INGESTED
    assert document.sha256


# --- search -----------------------------------------------------------------------------------------------------


def test_pages_are_found_by_search_and_filtered_by_document():
    indonesian = ingestion.store_file(FIXTURES / "lang-id.pdf").document
    other = ingestion.store_file(FIXTURES / "pdflatex-4-pages.pdf").document
    hits = list(DocumentPage.objects.search("penyelundupan"))
    assert [(h.document_id, h.number) for h in hits] == [(indonesian.pk, 1)]
    assert list(DocumentPage.objects.filter(document_id=other.pk).search("penyelundupan")) == []


def test_pages_are_kept_when_their_search_entries_cannot_be_written(monkeypatch):
    from django.db import connection
    from modelsearch.backends import get_search_backend

    index_class = type(get_search_backend().get_index_for_model(DocumentPage))
    add_items = index_class.add_items

    def failing_for_pages(self, model, objs):
        if model is not DocumentPage:
            return add_items(self, model, objs)
        with connection.cursor() as cursor:  # a failed statement: PostgreSQL aborts the transaction it is in
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(index_class, "add_items", failing_for_pages)
    document = ingestion.store_file(FIXTURES / "pdflatex-4-pages.pdf").document
    document.refresh_from_db()
    # `manage.py update_index` catches the index up; the pages and the status are there.
    assert document.status == Status.INGESTED
    assert document.pages.count() == 4


def test_reingesting_leaves_no_stale_search_entries():
    document = ingestion.store_file(FIXTURES / "lang-id.pdf").document
    ingestion.reingest(document)
    hits = list(DocumentPage.objects.search("penyelundupan"))
    assert [h.pk for h in hits] == [document.pages.get().pk]


def test_replacing_the_file_reads_the_new_one():
    document = ingestion.store_file(FIXTURES / "pdflatex-4-pages.pdf").document
    old_hash = document.sha256
    document.file = SimpleUploadedFile("lang-vi.pdf", (FIXTURES / "lang-vi.pdf").read_bytes())
    document.full_clean()
    document.save()
    document.refresh_from_db()
    assert document.sha256 != old_hash
    assert document.page_count == 1
    assert document.language == "vi"
    assert "xuất nhập cảnh" in document.pages.get().text
