"""The little that differs between search engines, kept behind three functions.

The database backends (SQLite FTS5, PostgreSQL full text) run the search as SQL over the very queryset
they are given, so the audience filter, the facet filters and the counts are parts of one query. With
Elasticsearch (``ELASTICSEARCH_URL``) the matching ids come back from the cluster and are capped.
"""

from __future__ import annotations

from django.db.models import QuerySet
from modelsearch.backends import get_search_backend
from modelsearch.index import class_is_indexed

# Elasticsearch returns at most this many ids for counts and facets.
MAX_EXTERNAL_IDS = 10_000


def backend():
    return get_search_backend()


def is_database(search_backend) -> bool:
    return type(search_backend).__module__.startswith("modelsearch.backends.database")


def search(search_backend, query, queryset, *, order_by_relevance: bool, autocomplete: bool = False):
    """Run ``query`` over ``queryset``.

    The database backends turn the queryset into SQL as it is, so any filter the access policy builds
    (sub-queries, EXISTS over the countries) is part of the query; their ``check()`` — which only exists
    for backends that must translate filters into their own language — is not needed there. Other
    engines get modelsearch's ordinary path, where every filtered field must be an ``index.FilterField``.
    """
    if is_database(search_backend) and class_is_indexed(queryset.model):
        compiler_class = (
            search_backend.autocomplete_query_compiler_class if autocomplete else search_backend.query_compiler_class
        )
        compiler = compiler_class(queryset, query, order_by_relevance=order_by_relevance)
        return search_backend.results_class(search_backend, compiler)
    method = search_backend.autocomplete if autocomplete else search_backend.search
    return method(query, queryset, order_by_relevance=order_by_relevance)


def matching_ids(results) -> QuerySet | list:
    """The primary keys of every hit, as a sub-query where the engine is the database."""
    if hasattr(results, "get_queryset") and is_database(results.backend):
        return results.get_queryset().order_by().values("pk")
    return [obj.pk for obj in results[:MAX_EXTERNAL_IDS]]


def relevance(search_backend, score) -> float:
    """A score where higher is better, whatever the engine (SQLite's bm25() is lower-is-better)."""
    if score is None:
        return 0.0
    module = type(search_backend).__module__
    return -float(score) if module.endswith(".sqlite.sqlite") else float(score)
