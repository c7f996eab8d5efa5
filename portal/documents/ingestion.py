"""Storing files once and reading them into pages: the service behind the admin, the task and the command."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modelsearch.backends import get_search_backends

from portal.documents import extraction
from portal.documents.models import DocumentPage, PortalDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
PAGE_BATCH = 500
Status = PortalDocument.Status


def sha256_of(file) -> str:
    """The SHA-256 of a file object or path, read in blocks (a 200 MB file is never held in memory)."""
    digest = hashlib.sha256()
    with _opened(file) as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _opened(file):
    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as fh:
            yield fh
        return
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        yield file
    finally:
        file.seek(position)


@dataclass
class Stored:
    document: PortalDocument
    created: bool  # False: the same bytes were already stored as `document`


def store_file(path: str | os.PathLike, *, title: str = "", enqueue: bool = True, **fields) -> Stored:
    """Store the file at `path` once: the same bytes again return the existing document, not a copy."""
    path = Path(path)
    digest = sha256_of(path)
    existing = PortalDocument.objects.filter(sha256=digest).first()
    if existing:
        return Stored(existing, False)
    countries = fields.pop("countries", None)
    document = PortalDocument(title=title or path.stem, sha256=digest, **fields)
    document.enqueue_on_save = enqueue
    with path.open("rb") as fh, transaction.atomic():  # one commit (a disk flush) per file, not three
        # Saving the model stores the file (in private storage), resets its ingestion state and enqueues it.
        document.file = File(fh, name=path.name)
        document.file_size = path.stat().st_size
        document.save()
        if countries:
            document.countries.set(countries)
            document.save()  # a ParentalManyToManyField is written when its model is saved
    return Stored(document, True)


def store_read_file(path: str | os.PathLike, result: extraction.ExtractionResult, *, digest: str, **fields) -> Stored:
    """Store the file at `path` together with `result`, its text already read (from the file whose SHA-256 is
    `digest`): the document, its pages and their index entries in one transaction, so one commit, and no
    moment at which the document waits to be read. Stored bytes return the existing document, as store_file."""
    stored = None
    try:
        with transaction.atomic():
            stored = store_file(path, enqueue=False, **fields)
            if not stored.created or stored.document.sha256 == digest:
                if stored.created:
                    save_result(stored.document, result)
                return stored
    except Exception:
        if stored is not None and stored.created:
            stored.document.file.delete(save=False)  # rolled back: the stored copy belongs to no document
        raise
    # The file changed between its reading and its storing: read what was stored.
    document = claim(stored.document.pk)
    if document is not None:
        ingest(document)
        stored.document = document
    return stored


def enqueue_ingestion(document: PortalDocument) -> None:
    from portal.documents.tasks import ingest_document

    ingest_document.enqueue(document.pk)


@contextlib.contextmanager
def local_path(document: PortalDocument) -> Iterator[Path]:
    """A path on this machine to the document's file: the file itself, or a temporary copy (object storage)."""
    try:
        yield Path(document.file.path)
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp, document.file.open("rb") as fh:
        shutil.copyfileobj(fh, tmp)
        tmp.flush()
        yield Path(tmp.name)


def claim(document_id: int) -> PortalDocument | None:
    """Mark a document as being read, counting the attempt; None if it is not waiting (or gone)."""
    waiting = (Status.PENDING, Status.PROCESSING)
    updated = PortalDocument.objects.filter(pk=document_id, status__in=waiting).update(
        status=Status.PROCESSING, attempts=F("attempts") + 1, processing_started_at=timezone.now()
    )
    return PortalDocument.objects.filter(pk=document_id).first() if updated else None


def ingest(document: PortalDocument, password: str | None = None) -> extraction.ExtractionResult:
    """Read the document's file into pages and record what happened. Never raises for a bad file.

    The password, if any, is used for this reading only and stored nowhere.
    """
    result = read(document, password)
    save_result(document, result)
    return result


def read(document: PortalDocument, password: str | None = None) -> extraction.ExtractionResult:
    """The extraction alone, without touching the database (so that many can run side by side)."""
    if document.attempts > MAX_ATTEMPTS:
        return extraction.ExtractionResult(
            status=extraction.UNREADABLE,
            message=f"Could not be read: the reader stopped on this file {MAX_ATTEMPTS} times, so it was given up.",
        )
    try:
        with local_path(document) as path:
            return extraction.extract_pdf(path, password=password)
    except OSError as exc:
        return extraction.ExtractionResult(
            status=extraction.UNREADABLE, message=f"Could not be read: the stored file cannot be opened ({exc})."
        )


def save_result(document: PortalDocument, result: extraction.ExtractionResult) -> None:
    """Replace the document's pages and ingestion fields in one transaction, then index the new pages."""
    pages = [
        DocumentPage(
            document=document,
            number=p.number,
            label=p.label[:50],
            # Garbled text would only pollute search; the page stays, so that page numbers stay right.
            text=p.text if p.state == extraction.PAGE_TEXT else "",
        )
        for p in result.pages
    ]
    with transaction.atomic():
        unindex_pages(document)
        document.pages.all()._raw_delete(document.pages.db)  # no per-page signals: unindexed in bulk above
        pages = DocumentPage.objects.bulk_create(pages, batch_size=PAGE_BATCH)
        document.status = result.status
        document.message = result.message
        document.page_count = result.page_count or None
        document.scanned_pages = result.scanned_pages
        document.language = result.language or document.language
        document.extractor = result.extractor
        document.pdf_title = result.title[:500]
        document.pdf_author = result.author[:500]
        document.pdf_created = _aware(result.created)
        document.processing_started_at = None
        document.ingested_at = timezone.now()
        # An update, not save(): nothing search indexes about the document itself has changed.
        PortalDocument.objects.filter(pk=document.pk).update(**{f: getattr(document, f) for f in _RESULT_FIELDS})
        if pages:
            # The database backend's index commits with the pages. bulk_create gave them their keys (PostgreSQL,
            # SQLite 3.35+), so they need not be read back.
            index_pages(document, pages if all(p.pk for p in pages) else None)


def _aware(moment: datetime | None) -> datetime | None:
    """PDF dates without a time zone are taken as UTC (the PDF does not say)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, UTC)
    return moment


_RESULT_FIELDS = [
    "status",
    "message",
    "page_count",
    "scanned_pages",
    "language",
    "extractor",
    "pdf_title",
    "pdf_author",
    "pdf_created",
    "processing_started_at",
    "ingested_at",
]


def unindex_pages(document: PortalDocument) -> None:
    """Remove the document's pages from every search backend, in bulk where the backend is the database."""
    ids = [str(pk) for pk in document.pages.values_list("pk", flat=True)]
    if not ids:
        return
    for backend in get_search_backends(with_auto_update=True):
        index = backend.get_index_for_model(DocumentPage)
        if hasattr(index, "entries"):  # the database backends keep index entries in a table
            content_type = ContentType.objects.get_for_model(DocumentPage)
            index.entries.filter(content_type=content_type, object_id__in=ids).delete()
        else:
            for page in document.pages.all():
                backend.delete(page)


def index_pages(document: PortalDocument, pages: list[DocumentPage] | None = None) -> None:
    """Add the document's pages (all of them, unless given) to every search backend in bulk (bulk_create sends
    no signals)."""
    pages = list(document.pages.all()) if pages is None else pages
    for backend in get_search_backends(with_auto_update=True):
        try:
            index = backend.get_index_for_model(DocumentPage)
            if hasattr(index, "_refresh_title_norms"):
                # The database backends follow every insert with two passes over the whole index table to weigh
                # titles; a page has no title, so they would change nothing but cost more as the index grows.
                index._refresh_title_norms = _no_titles
            with transaction.atomic():  # a failed insert must not spoil the pages' transaction (PostgreSQL)
                index.add_items(DocumentPage, pages)
        except Exception:
            # The pages are stored; `manage.py update_index` catches the index up.
            logger.exception("Could not index the pages of document %s in %s", document.pk, backend)


def _no_titles(full: bool = False) -> None:
    pass


def release_stuck(older_than: timedelta | None = None) -> list[int]:
    """Documents left "processing" by a worker that died: back to waiting (and re-enqueued), or given up.

    Extraction cannot take longer than its timeout, so a document processing for longer is not being worked on.
    """
    older_than = older_than or timedelta(seconds=extraction.DEFAULT_TIMEOUT * 2)
    stuck = PortalDocument.objects.filter(
        status=Status.PROCESSING, processing_started_at__lt=timezone.now() - older_than
    )
    released = []
    for document in stuck:
        if document.attempts >= MAX_ATTEMPTS:
            save_result(
                document,
                extraction.ExtractionResult(
                    status=extraction.UNREADABLE,
                    message=f"Could not be read: the reader stopped on this file {document.attempts} times.",
                ),
            )
        else:
            PortalDocument.objects.filter(pk=document.pk).update(status=Status.PENDING)
            enqueue_ingestion(document)
        released.append(document.pk)
    return released


def reingest(document: PortalDocument) -> None:
    """Queue a document to be read again (a new attempt budget: an editor asked for it)."""
    PortalDocument.objects.filter(pk=document.pk).update(status=Status.PENDING, attempts=0)
    enqueue_ingestion(document)
