from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from modelsearch.queryset import SearchableQuerySetMixin
from wagtail.documents.models import AbstractDocument, Document

from portal.access.models import AccessControlled
from portal.documents import extraction
from search.index import segmented


def private_storage():
    """Documents never live under the public media URL; the serve view is the only way to them."""
    return storages["private"]


def validate_upload(file) -> None:
    """Refuse files above PORTAL_MAX_UPLOAD_MB, and files named .pdf whose content is not a PDF."""
    limit = settings.PORTAL_MAX_UPLOAD_MB
    size = getattr(file, "size", None)
    if size is not None and size > limit * 1024 * 1024:
        raise ValidationError(
            _("This file is %(size).0f MB; files above %(limit)s MB are refused. Split or compress it first."),
            params={"size": size / (1024 * 1024), "limit": limit},
            code="too_large",
        )
    if not (getattr(file, "name", "") or "").lower().endswith(".pdf"):
        return  # other types (DOCX, XLSX, images) are stored as documents without text
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(1024)
    file.seek(position)
    kind = extraction.sniff(head)
    if kind == "empty":
        raise ValidationError(_("This file is empty (0 bytes)."), code="empty")
    if kind != "pdf":
        raise ValidationError(
            _("This file is named .pdf but is not a PDF (it looks like %(kind)s)."),
            params={"kind": kind},
            code="not_pdf",
        )


class PortalDocument(AccessControlled, AbstractDocument):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be read")
        PROCESSING = "processing", _("Being read")
        INGESTED = extraction.INGESTED, _("Ingested")
        NO_TEXT_PAGES = extraction.NO_TEXT_PAGES, _("Ingested; some pages have no text (scanned)")
        GARBLED = extraction.GARBLED, _("Text looks garbled")
        NEEDS_PASSWORD = extraction.NEEDS_PASSWORD, _("Needs a password")
        UNREADABLE = extraction.UNREADABLE, _("Could not be read")
        STORED = "stored", _("Stored (not a PDF: no text)")

    file = models.FileField(
        upload_to="documents", storage=private_storage, verbose_name="file", validators=[validate_upload]
    )
    sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.PENDING, db_index=True, editable=False
    )
    message = models.TextField(blank=True, editable=False, help_text="What happened when the file was read.")
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    scanned_pages = models.PositiveIntegerField(default=0, editable=False)
    language = models.CharField(
        max_length=8, blank=True, db_index=True, help_text="Detected language (ISO 639-1 code)."
    )
    extractor = models.CharField(max_length=32, blank=True, editable=False)
    pdf_title = models.CharField(max_length=500, blank=True, editable=False)
    pdf_author = models.CharField(max_length=500, blank=True, editable=False)
    pdf_created = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    processing_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    ingested_at = models.DateTimeField(null=True, blank=True, editable=False)

    admin_form_fields = (
        *Document.admin_form_fields,
        "record_tier",
        "file_tier",
        "countries",
        "embargo_until",
    )

    # Ingestion fields are not in the search index: the admin filters them with the ORM, and leaving them out
    # lets ingestion record its result without re-indexing the document.
    search_fields = segmented(
        [
            *AbstractDocument.search_fields,
            index.FilterField("id"),
            index.FilterField("record_tier"),
            index.FilterField("file_tier"),
        ]
    )

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    def clean(self):
        super().clean()
        if self.file and not getattr(self.file, "_committed", True):
            self._check_not_stored_yet()

    def _check_not_stored_yet(self) -> None:
        """The same bytes are stored once: point the editor to the document that already has them."""
        from portal.documents.ingestion import sha256_of

        self.sha256 = sha256_of(self.file.file)
        existing = PortalDocument.objects.filter(sha256=self.sha256).exclude(pk=self.pk).first()
        if existing:
            raise ValidationError(
                {
                    "file": _(
                        "This file is already stored as document #%(id)s “%(title)s”; use that one "
                        "(nothing was stored twice)."
                    )
                    % {"id": existing.pk, "title": existing.title}
                }
            )

    def save(self, *args, **kwargs):
        new_file = bool(self.file) and not getattr(self.file, "_committed", True)
        if new_file:
            from portal.documents.ingestion import sha256_of

            self.sha256 = sha256_of(self.file.file)  # a replaced file has new bytes: never keep the old hash
            self._reset_ingestion()
        super().save(*args, **kwargs)
        if new_file and self.status == self.Status.PENDING and getattr(self, "enqueue_on_save", True):
            from portal.documents.ingestion import enqueue_ingestion

            # In the same transaction: the database task backend's row commits with the document's.
            enqueue_ingestion(self)

    def _reset_ingestion(self) -> None:
        is_pdf = self.file.name.lower().endswith(".pdf")
        self.status = self.Status.PENDING if is_pdf else self.Status.STORED
        self.message = "" if is_pdf else "Stored as a file; only PDFs are read into pages of text."
        self.attempts = 0
        self.page_count = None

    @property
    def is_pdf(self) -> bool:
        return self.file.name.lower().endswith(".pdf")

    @property
    def has_problem(self) -> bool:
        return self.status in (self.Status.GARBLED, self.Status.NEEDS_PASSWORD, self.Status.UNREADABLE)


class DocumentPageQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class DocumentPage(index.Indexed, models.Model):
    """One page of a document's text, as extracted: what search finds and quotes, with the page to open."""

    document = models.ForeignKey(PortalDocument, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(help_text="1 for the first page of the file.")
    label = models.CharField(max_length=50, blank=True, help_text="The PDF's own page label (iv, A-3), if any.")
    text = models.TextField(blank=True)

    objects = DocumentPageQuerySet.as_manager()

    search_fields = segmented(
        [
            index.SearchField("text"),
            index.FilterField("id"),
            index.FilterField("document_id"),
            index.FilterField("number"),
        ]
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_page")]

    def __str__(self):
        return f"{self.document} p. {self.display_number}"

    @property
    def display_number(self) -> str:
        return self.label or str(self.number)

    @property
    def language(self) -> str:
        return self.document.language
