"""Possible duplicates already in the bibliography, and merging two entries without losing anything."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, QuerySet

from portal.access import policy

from .importer import BIBLIOGRAPHIC_FIELDS
from .models import BibliographyEntry, EntryCreator

LINKS = ("themes", "countries_covered", "related_pages")


def duplicate_groups(queryset: QuerySet | None = None) -> list[list[BibliographyEntry]]:
    """Entries sharing a DOI, or a title, year and first author: oldest first in each group."""
    queryset = queryset if queryset is not None else BibliographyEntry.objects.all()
    keys = (
        queryset.exclude(duplicate_key__endswith="||")
        .values("duplicate_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("duplicate_key", flat=True)
    )
    entries = queryset.filter(duplicate_key__in=list(keys)).order_by("duplicate_key", "created_at", "pk")
    groups: dict[str, list] = {}
    for entry in entries.prefetch_related("creators"):
        groups.setdefault(entry.duplicate_key, []).append(entry)
    return list(groups.values())


@transaction.atomic
def merge(keep: BibliographyEntry, other: BibliographyEntry) -> BibliographyEntry:
    """Fold `other` into `keep` and delete it: empty fields filled, links and keywords united, the stricter
    tiers kept, both annotations kept, `other`'s original record kept in `keep.raw_record['merged']`."""
    if keep.pk == other.pk:
        raise ValueError("An entry cannot be merged with itself.")
    for name in (*BIBLIOGRAPHIC_FIELDS, "document"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    keep.annotation = _joined(keep.annotation, other.annotation)
    keep.record_tier = policy.stricter(keep.record_tier, other.record_tier)
    keep.file_tier = policy.stricter(keep.file_tier, other.file_tier)
    if other.embargo_until and (not keep.embargo_until or other.embargo_until > keep.embargo_until):
        keep.embargo_until = other.embargo_until
    keep.raw_record = {**keep.raw_record, "merged": [*keep.raw_record.get("merged", []), _snapshot(other)]}
    _merge_links(keep, other)
    keep.save()
    other.delete()
    return keep


def _joined(first: str, second: str) -> str:
    if not second or second == first:
        return first
    return f"{first}{second}" if first else second


def _snapshot(entry: BibliographyEntry) -> dict:
    return {"citation_key": entry.citation_key, "record": entry.raw_record,
            "creators": [c.display() for c in entry.creators.all()]}  # fmt: skip


def _merge_links(keep: BibliographyEntry, other: BibliographyEntry) -> None:
    for name in LINKS:
        getattr(keep, name).add(*getattr(other, name).all())
    keep.keywords.add(*other.keywords.all())
    if not keep.creators.exists():
        EntryCreator.objects.filter(entry=other).update(entry=keep)
    # The access scope only ever narrows: a merged entry is never shown to more officials than before.
    if not keep.countries.exists() and other.countries.exists():
        keep.countries.set(other.countries.all())
