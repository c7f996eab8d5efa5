"""Admin views of ingestion: the list with statuses, a document's pages, re-reading, the password retry."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.documents import ingestion, pdftools
from portal.documents.models import PortalDocument

Status = PortalDocument.Status
PER_PAGE = 50


def _permissions():
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(get_document_model())


class PasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text="Used once to read the file now; it is not stored anywhere.",
    )


def _require(request, action: str = "change") -> None:
    if not _permissions().user_has_permission(request.user, action):
        raise PermissionDenied


def index(request):
    """Every document with its ingestion status, filterable by status and language."""
    _require(request, "choose")
    ingestion.release_stuck()
    documents = PortalDocument.objects.order_by("-created_at")
    status, language = request.GET.get("status", ""), request.GET.get("language", "")
    if status in Status.values:
        documents = documents.filter(status=status)
    if language:
        documents = documents.filter(language=language)
    counts = _status_counts()
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("p"))
    languages = (
        PortalDocument.objects.exclude(language="").values_list("language", flat=True).distinct().order_by("language")
    )
    return TemplateResponse(
        request,
        "documents/ingestion_index.html",
        {
            "page_obj": page,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "languages": languages,
            "current_status": status,
            "current_language": language,
        },
    )


def _status_counts() -> dict[str, int]:
    return dict(PortalDocument.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def pages(request, document_id: int):
    """A document's text page by page, as search sees it, with what ingestion recorded."""
    _require(request, "choose")
    document = get_object_or_404(PortalDocument, pk=document_id)
    page = Paginator(document.pages.all(), 20).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "documents/document_pages.html",
        {
            "document": document,
            "page_obj": page,
            "password_form": PasswordForm() if document.status == Status.NEEDS_PASSWORD else None,
            "offer_pdf_title": bool(document.pdf_title) and document.pdf_title != document.title,
        },
    )


@require_POST
def reingest(request, document_id: int):
    _require(request)
    document = get_object_or_404(PortalDocument, pk=document_id)
    ingestion.reingest(document)
    document.refresh_from_db()
    messages.success(request, f"“{document.title}”: {document.get_status_display().lower()}. {document.message}")
    return redirect(request.POST.get("next") or reverse("documents_ingestion:pages", args=[document.pk]))


@require_POST
def retry_with_password(request, document_id: int):
    _require(request)
    document = get_object_or_404(PortalDocument, pk=document_id)
    form = PasswordForm(request.POST)
    if form.is_valid():
        claimed = ingestion.claim(document.pk) or document
        # Read now, in this request: a queued task would store the password with its arguments.
        result = ingestion.ingest(claimed, password=form.cleaned_data["password"])
        level = messages.success if result.status != Status.NEEDS_PASSWORD else messages.error
        level(request, result.message)
    return redirect("documents_ingestion:pages", document.pk)


@require_POST
def use_pdf_title(request, document_id: int):
    _require(request)
    document = get_object_or_404(PortalDocument, pk=document_id)
    if document.pdf_title:
        document.title = document.pdf_title[:255]
        document.save(update_fields=["title"])
        messages.success(request, f"The title is now the PDF's own: “{document.title}”.")
    return redirect("documents_ingestion:pages", document.pk)


def thumbnail(request, document_id: int):
    """The first page as a PNG, drawn locally and cached by the file's SHA-256 (the bytes never change)."""
    _require(request, "choose")
    document = get_object_or_404(PortalDocument, pk=document_id)
    if not document.is_pdf or document.status in (Status.NEEDS_PASSWORD, Status.UNREADABLE):
        return HttpResponse(status=404)
    key = f"documents:thumbnail:{document.sha256}"
    png = cache.get(key)
    if png is None:
        with ingestion.local_path(document) as path:
            png = pdftools.render_thumbnail(path) or b""
        cache.set(key, png, 60 * 60 * 24 * 30)
    if not png:
        return HttpResponse(status=404)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
