"""Search indexing of imported entries: in-process by default, `manage.py db_worker` with the database backend."""

from django_tasks import task
from modelsearch.backends import get_search_backends

from .models import BibliographyEntry


@task()
def index_entries(entry_ids: list[int]) -> int:
    """Add or refresh entries in every search backend, in bulk (bulk_create sends no save signals)."""
    entries = list(BibliographyEntry.objects.filter(pk__in=entry_ids).prefetch_related("creators", "tagged_items__tag"))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(BibliographyEntry, entries)
    return len(entries)
