"""What a publication page shows: its files for this audience, citations, and metadata for search engines."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from bibliography.formats import EXPORTERS
from bibliography.formats.citations import format_all
from bibliography.formats.records import ORGANISATION, PERSON, BibRecord, Creator
from portal.access import policy

RESTRICTED_PANEL = "access/includes/restricted_panel.html"
CITATION_CACHE_SECONDS = 24 * 3600

_ENTRY_TYPES = {"annual_report": "report", "national_assessment": "report", "research_study": "report"}


def to_record(page, request=None) -> BibRecord:
    """The publication as a bibliographic record, for citations, BibTeX/RIS and harvesters."""
    main = page.main_file
    return BibRecord(
        entry_type=_ENTRY_TYPES.get(page.kind, "report"),
        citation_key=f"cau{page.year}{slugify(page.title)[:30].replace('-', '')}{page.pk}",
        title=page.title,
        creators=[
            Creator(
                family=a.family,
                given=a.given,
                kind=ORGANISATION if a.kind == a.ORGANISATION else PERSON,
            )
            for a in page.authors.all()
        ]
        or [Creator(family=page.publisher, kind=ORGANISATION)],
        year=page.year,
        date=page.publication_date.isoformat(),
        publisher=page.publisher,
        institution=page.publisher,
        place="Bangkok",
        doi=page.doi,
        isbn=page.isbn,
        url=page.get_full_url(request) or "",
        language=(main.language.code if main and main.language else ""),
        abstract=page.summary,
        keywords=[t.name for t in page.themes.all()],
    )


def citation_download(page, fmt: str) -> HttpResponse | None:
    exporter = EXPORTERS.get(fmt)
    if exporter is None or fmt == "csljson":
        return None
    record = to_record(page)
    response = HttpResponse(exporter.write([record]), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{record.citation_key}.{exporter.extension}"'
    return response


def publication_context(page, request) -> dict:
    if not getattr(request, "is_preview", False):  # a preview's draft holds its own, unsaved, relations
        # Citations, Scholar tags, JSON-LD and the template each read these: fetch them once.
        prefetch_related_objects([page], "authors", "themes", "covered_countries", "languages")
    audience = policy.audience_for(request)
    page_files_open = policy.can_open_files(audience, page)
    files = [
        {"file": f, "can_open": page_files_open and policy.can_open_files(audience, f.document)}
        for f in page.ordered_files
        if policy.can_see_record(audience, f.document)  # an annex kept closer than the page is not named
    ]
    record = to_record(page, request)
    context = {
        "files": files,
        "files_open": page_files_open,
        "citations": citations(page, record, request),
        "explanation": None if page_files_open else policy.explain(audience, page),
        "restricted_panel_template": _restricted_panel_template(),
        "authors": list(page.authors.all()),
        "related_publications": policy.filter_records(page.related_publications.live().public(), audience).order_by(
            "-publication_date"
        ),
        "related_entries": _related_entries(page, audience),
    }
    if policy.can_see_record(policy.ANONYMOUS, page):
        context["scholar"] = scholar_meta(page, request, record)
        context["jsonld"] = jsonld_script(json_ld(page, request, record))
        context["open_graph"] = open_graph(page, request)
    return context


def citations(page, record: BibRecord, request) -> dict:
    """The formatted citations, kept per published revision: citeproc takes tens of milliseconds per style.

    Only reached for a page the reader may see; the key holds the host because the citation holds the URL.
    """
    key = f"publications:cite:{page.pk}:{page.live_revision_id or page.latest_revision_id}:{request.get_host()}"
    return cache.get_or_set(key, lambda: format_all(record), CITATION_CACHE_SECONDS)


def _related_entries(page, audience):
    return policy.filter_records(page.related_entries.all(), audience)


def _restricted_panel_template() -> str | None:
    try:
        get_template(RESTRICTED_PANEL)
    except TemplateDoesNotExist:
        return None
    return RESTRICTED_PANEL


def public_pdf_url(page, request) -> str:
    """The main PDF's address, only when anyone may open it (Scholar must not index a gated file)."""
    main = page.main_file
    if main is None or not policy.can_open_files(policy.ANONYMOUS, page):
        return ""
    if not policy.can_open_files(policy.ANONYMOUS, main.document):
        return ""
    return request.build_absolute_uri(main.document.url)


def scholar_meta(page, request, record: BibRecord) -> list[tuple[str, str]]:
    """Google Scholar's Highwire-style tags, in the order its inclusion guidelines give."""
    tags = [("citation_title", page.title)]
    tags += [("citation_author", a.citation_name()) for a in page.authors.all()]
    tags += [
        ("citation_publication_date", page.publication_date.strftime("%Y/%m/%d")),
        ("citation_publisher", page.publisher),
        ("citation_technical_report_institution", page.publisher),
    ]
    if page.doi:
        tags.append(("citation_doi", page.doi))
    if page.isbn:
        tags.append(("citation_isbn", page.isbn))
    if record.language:
        tags.append(("citation_language", record.language))
    if page.summary:
        tags.append(("citation_abstract", page.summary))
    tags += [("citation_keywords", t.name) for t in page.themes.all()]
    pdf = public_pdf_url(page, request)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    tags.append(("citation_abstract_html_url", page.get_full_url(request)))
    return [(name, value) for name, value in tags if value]


def json_ld(page, request, record: BibRecord) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": page.title,
        "headline": page.title,
        "datePublished": page.publication_date.isoformat(),
        "url": page.get_full_url(request),
        "publisher": {"@type": "Organization", "name": page.publisher},
        "author": [
            {"@type": "Organization" if a.kind == a.ORGANISATION else "Person", "name": a.display()}
            for a in page.authors.all()
        ],
        "about": [t.name for t in page.themes.all()],
        "spatialCoverage": [c.name for c in page.covered_countries.all()],
        "inLanguage": [lang.code for lang in page.languages.all()],
    }
    if page.summary:
        data["abstract"] = page.summary
    if page.doi:
        data["identifier"] = f"https://doi.org/{page.doi}"
    if page.isbn:
        data["isbn"] = page.isbn
    pdf = public_pdf_url(page, request)
    if pdf:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": pdf, "encodingFormat": "application/pdf"}
    return {k: v for k, v in data.items() if v}


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> str:
    """A schema.org block; <, > and & escaped as json_script does, so no value can close the script element."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def open_graph(page, request) -> list[tuple[str, str]]:
    tags = [
        ("og:type", "article"),
        ("og:title", page.title),
        ("og:url", page.get_full_url(request)),
        ("og:site_name", "SOM CAU Portal"),
        ("og:description", page.summary[:300]),
    ]
    cover = page.cover
    if cover is not None and policy.files_are_public(cover):  # link previews are fetched by anonymous robots
        rendition = cover.get_rendition("width-600")
        tags.append(("og:image", request.build_absolute_uri(rendition.url)))
    return [(k, v) for k, v in tags if v]
