"""Search indexing of imported entries: in-process by default, `manage.py db_worker` with the database backend."""

from collections import defaultdict

from django_tasks import task
from modelsearch.backends import get_search_backends

from .models import BibliographyEntry, BibliographyEntryTag, EntryCreator

CHUNK = 500


@task()
def index_entries(entry_ids: list[int]) -> int:
    """Add or refresh entries in every search backend, in bulk (bulk_create sends no save signals)."""
    done = 0
    for start in range(0, len(entry_ids), CHUNK):
        entries = entries_for_indexing(entry_ids[start : start + CHUNK])
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(BibliographyEntry, entries)
        done += len(entries)
    return done


def entries_for_indexing(entry_ids: list[int]) -> list[BibliographyEntry]:
    """The entries with their authors and keywords, in three queries.

    Django's prefetch_related builds a queryset per entry (most of the indexing time); modelcluster's in-memory
    child lists serve ``creators.all()`` and ``tagged_items.all()`` as well. The entries are never saved.
    """
    entries = list(BibliographyEntry.objects.filter(pk__in=entry_ids).defer("raw_record"))
    creators, tagged = defaultdict(list), defaultdict(list)
    for creator in EntryCreator.objects.filter(entry_id__in=entry_ids).order_by("sort_order", "pk"):
        creators[creator.entry_id].append(creator)
    for item in BibliographyEntryTag.objects.filter(content_object_id__in=entry_ids).select_related("tag"):
        tagged[item.content_object_id].append(item)
    for entry in entries:
        entry.creators = creators[entry.pk]
        entry.tagged_items = tagged[entry.pk]
    return entries
