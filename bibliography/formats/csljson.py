"""CSL-JSON, the format citeproc processors and Zotero read (https://citeproc-js.readthedocs.io)."""

from __future__ import annotations

import json

from .records import BibRecord, Creator

CSL_TYPES = {
    "article": "article-journal", "book": "book", "chapter": "chapter", "report": "report",
    "thesis": "thesis", "conference_paper": "paper-conference", "grey_literature": "report",
    "web_page": "webpage", "legal_document": "legislation", "dataset": "dataset", "other": "article",
}  # fmt: skip


def _name(creator: Creator) -> dict:
    if creator.is_organisation or not creator.given:
        return {"literal": creator.family}
    return {"family": creator.family, "given": creator.given}


def _issued(record: BibRecord) -> dict | None:
    if record.date:
        return {"date-parts": [[int(part) for part in record.date.split("-")]]}
    if record.year:
        return {"date-parts": [[record.year]]}
    return None


def record_to_csl(record: BibRecord, item_id: str | None = None) -> dict:
    """The CSL-JSON item for a record; empty values left out."""
    authors = [_name(c) for c in record.creators if c.role == "author"]
    editors = [_name(c) for c in record.creators if c.role == "editor"]
    item = {
        "id": item_id or record.citation_key or "item",
        "type": CSL_TYPES.get(record.entry_type, "article"),
        "citation-key": record.citation_key,
        "title": record.title,
        "original-title": record.original_title,
        "author": authors,
        "editor": editors,
        "issued": _issued(record),
        "container-title": record.container_title,
        "collection-title": record.series,
        "publisher": record.publisher or record.institution,
        "publisher-place": record.place,
        "edition": record.edition,
        "volume": record.volume,
        "issue": record.issue,
        "page": record.pages,
        "DOI": record.doi,
        "ISBN": record.isbn,
        "ISSN": record.issn,
        "URL": record.url,
        "language": record.language,
        "abstract": record.abstract,
        "keyword": ", ".join(record.keywords),
        "note": record.note,
    }
    return {key: value for key, value in item.items() if value}


def write_csljson(records: list[BibRecord]) -> str:
    """A CSL-JSON array of the records."""
    return json.dumps([record_to_csl(r) for r in records], ensure_ascii=False, indent=2)
