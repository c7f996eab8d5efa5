"""Public pages of the bibliography: browse, entry, exports, citations and the compiled bibliography.

Every view starts from `browse.visible_entries` (the access policy); an entry the audience may not know
about answers 404.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from portal.access import policy

from . import browse, compiled
from .formats import EXPORTERS
from .formats.citations import STYLES
from .formats.records import ENTRY_TYPES
from .models import BibliographyEntry

PAGE_SIZE = 25


def _visible_entry(request, pk: int) -> BibliographyEntry:
    entry = browse.visible_entries(request).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


@require_GET
def browse_view(request):
    entries, entry_filter = browse.select(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page,
        "entries": page.object_list,
        "filter": entry_filter,
        "facets": browse.facets(browse.visible_entries(request), entry_filter),
        "sorts": browse.SORT_LABELS,
        "query_string": query.urlencode(),
        "exporters": EXPORTERS.values(),
        "entry_types": ENTRY_TYPES,
    }
    return render(request, "bibliography/browse.html", context)


@require_GET
def entry_view(request, pk: int):
    entry = _visible_entry(request, pk)
    audience = policy.audience_for(request)
    context = {
        "entry": entry,
        "citations": entry.citations(),
        "exporters": EXPORTERS.values(),
        "document": entry.document if entry.document and policy.can_see_record(audience, entry.document) else None,
        "can_open_full_text": bool(entry.document)
        and policy.can_open_files(audience, entry)
        and policy.can_open_files(audience, entry.document),
        "access_explanation": policy.explain(audience, entry) if entry.document else "",
        "related_pages": _visible_pages(entry, audience),
    }
    return render(request, "bibliography/entry.html", context)


def _visible_pages(entry: BibliographyEntry, audience) -> list:
    pages = [p.specific for p in entry.related_pages.live().public()]
    return [p for p in pages if not hasattr(p, "record_tier") or policy.can_see_record(audience, p)]


@require_GET
def entry_export(request, pk: int, fmt: str):
    exporter = _exporter(fmt)
    entry = _visible_entry(request, pk)
    return _download(exporter, [entry.to_record()], slugify(entry.citation_key) or f"entry-{entry.pk}")


@require_GET
def entry_citation(request, pk: int, style: str):
    if style not in STYLES:
        raise Http404("No such citation style.")
    entry = _visible_entry(request, pk)
    text = entry.citations()[style]["text"]
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_GET
def list_export(request, fmt: str):
    exporter = _exporter(fmt)
    entries, _ = browse.select(request)
    entries = entries.prefetch_related("tagged_items__tag")
    return _download(exporter, [e.to_record() for e in entries], "bibliography")


def _exporter(fmt: str):
    if fmt not in EXPORTERS:
        raise Http404("No such export format.")
    return EXPORTERS[fmt]


def _download(exporter, records, name: str) -> HttpResponse:
    response = HttpResponse(exporter.write(records), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{exporter.extension}"'
    return response


@require_GET
def compiled_view(request):
    group = request.GET.get("group", "theme")
    context = compiled.context(browse.visible_entries(request), group)
    return render(request, "bibliography/compiled.html", context)


@require_GET
def compiled_pdf(request):
    group = request.GET.get("group", "theme")
    entries = browse.visible_entries(request)
    # Keyed by audience: two users with the same key see exactly the same entries.
    stamp = entries.aggregate(latest=Max("updated_at"))["latest"]
    key_text = f"{policy.audience_for(request).key}|{group}|{entries.count()}|{stamp}"
    key = "bibliography-pdf-" + hashlib.sha256(key_text.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        html = render_to_string("bibliography/compiled.html", compiled.context(entries, group, for_pdf=True))
        try:
            pdf = compiled.html_to_pdf(html)
        except compiled.PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, pdf, 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="annotated-bibliography.pdf"'
    return response
