"""The little that differs between search engines, behind one small interface: a ``Matcher``.

A matcher is made once per search, for the parsed query. ``scores(queryset, item)`` returns
``{id: relevance}`` (higher is better) of every hit in an already access-filtered queryset, or, with
``item``, of the items the hits belong to (a document, by its best page); ``best_per_item`` returns the
best few hits of each chosen item as objects (the passages shown under a document). The service builds
totals, facets and the page of hits from ``scores``, so the audience filter and the match are one SQL query
on the database engines.

- SQLite: the FTS5 ``MATCH`` runs once per search into a per-connection temporary table of
  (content type, id, bm25 score); everything else joins that table through its primary key. Running the
  match once (instead of once per source, count and facet) is what keeps 100,000 passages fast.
- PostgreSQL and anything else modelsearch's database backend handles: modelsearch's own query
  compilers over the queryset as it is (full text and filters in one SQL statement).
- Elasticsearch (``ELASTICSEARCH_URL``): modelsearch's backend; the ids of the hits come back from the
  cluster (capped) and counts and facets are computed on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections, router
from django.db.models import FloatField, Max, QuerySet
from django.db.models.expressions import RawSQL
from modelsearch.backends import get_search_backend
from modelsearch.index import class_is_indexed
from modelsearch.utils import get_descendants_content_types_pks

from .query import ParsedQuery, to_fts5, to_search_query

# Elasticsearch returns at most this many ids for counts and facets.
MAX_EXTERNAL_IDS = 10_000
# A word found on more pages than this (a very common word) is ranked on its best MAX_HITS pages only;
# counts then say "more than". Hits are cut before the audience filter, so nothing hidden is revealed.
# settings.PORTAL_SEARCH_MAX_HITS overrides it (bench/bench_search.py measures the trade-off).
MAX_HITS = 2_000
# FTS5 column weights for bm25(): autocomplete, body, title — a word in the title counts three times.
FTS5_WEIGHTS = (0.0, 1.0, 3.0)


def backend():
    return get_search_backend()


def is_database(search_backend) -> bool:
    return type(search_backend).__module__.startswith("modelsearch.backends.database")


def _is_sqlite_fts(search_backend) -> bool:
    return type(search_backend).__module__.endswith(".sqlite.sqlite")


def matcher(search_backend, parsed: ParsedQuery, using: str | None = None):
    if _is_sqlite_fts(search_backend):
        return SQLiteMatcher(search_backend, parsed, using)
    return ModelsearchMatcher(search_backend, parsed)


def search(search_backend, query, queryset, *, order_by_relevance: bool, autocomplete: bool = False):
    """Run a modelsearch query over ``queryset``.

    The database backends turn the queryset into SQL as it is, so any filter the access policy builds
    (sub-queries, EXISTS over the countries) is part of the query; their ``check()`` — which exists for
    backends that must translate filters into their own language — is not needed there. Other engines
    get modelsearch's ordinary path, where every filtered field must be an ``index.FilterField``.
    """
    if is_database(search_backend) and class_is_indexed(queryset.model):
        compiler_class = (
            search_backend.autocomplete_query_compiler_class if autocomplete else search_backend.query_compiler_class
        )
        compiler = compiler_class(queryset, query, order_by_relevance=order_by_relevance)
        return search_backend.results_class(search_backend, compiler)
    method = search_backend.autocomplete if autocomplete else search_backend.search
    return method(query, queryset, order_by_relevance=order_by_relevance)


class ModelsearchMatcher:
    capped = False

    def may_match(self, model) -> bool:
        return True

    def __init__(self, search_backend, parsed: ParsedQuery):
        self.backend = search_backend
        self.query = to_search_query(parsed)

    def ranked(self, queryset: QuerySet, limit: int) -> list:
        results = search(self.backend, self.query, queryset, order_by_relevance=True).annotate_score("_score")
        objects = list(results[:limit])
        for obj in objects:
            obj.relevance = float(getattr(obj, "_score", None) or 0.0)
        return objects

    def scores(self, queryset: QuerySet, item: str = "") -> dict:
        """{id: relevance} of the hits in ``queryset``; with ``item``, of the items they belong to (their best hit)."""
        results = search(self.backend, self.query, queryset, order_by_relevance=True).annotate_score("_score")
        if is_database(self.backend) and hasattr(results, "get_queryset"):
            rows = results.get_queryset().order_by().values_list(item or "pk").annotate(best=Max("_score"))
            return {key: float(best or 0.0) for key, best in rows}
        best: dict = {}
        for obj in self.ranked(queryset, MAX_EXTERNAL_IDS):
            key = getattr(obj, f"{item}_id") if item else obj.pk
            best[key] = max(best.get(key, float("-inf")), obj.relevance)
        return best

    def best_per_item(self, queryset: QuerySet, item: str, ids: list, per_item: int) -> list:
        """The best ``per_item`` hits of each of the items ``ids``."""
        chosen, seen = [], {}
        queryset = queryset.filter(**{f"{item}__in": ids}).select_related(item)
        for obj in self.ranked(queryset, 1000):
            key = getattr(obj, f"{item}_id")
            seen[key] = seen.get(key, 0) + 1
            if seen[key] <= per_item:
                chosen.append(obj)
        return chosen


class SQLiteMatcher:
    """One FTS5 MATCH per search, kept in ``temp.portal_search_hits`` for the rest of the search."""

    def may_match(self, model) -> bool:
        """Whether any item of ``model`` matched at all: sources without hits cost no further query."""
        return not self.content_types.isdisjoint(get_descendants_content_types_pks(model))

    TABLE = "temp.portal_search_hits"

    def __init__(self, search_backend, parsed: ParsedQuery, using: str | None = None):
        from modelsearch.conf import get_app_config

        index_entry = get_app_config().get_model("IndexEntry")
        self.backend = search_backend
        self.max_hits = getattr(settings, "PORTAL_SEARCH_MAX_HITS", None) or MAX_HITS
        self.connection = connections[using or router.db_for_read(index_entry)]
        self._hits_by_item: dict = {}
        self._fill(index_entry._meta.db_table, "{title body} : (" + to_fts5(parsed) + ")")

    def _fill(self, entry_table: str, match: str) -> None:
        fts = f"{entry_table}_fts"
        weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS portal_search_hits (ct INTEGER NOT NULL, oid INTEGER NOT NULL,"
                " score REAL NOT NULL, PRIMARY KEY (ct, oid)) WITHOUT ROWID"
            )
            cursor.execute(f"DELETE FROM {self.TABLE}")  # noqa: S608 - constant table name
            # The best rows are chosen inside FTS5 and only they are joined to their entries: joining every
            # matching row before sorting costs as much again for a common word.
            cursor.execute(
                f"INSERT OR REPLACE INTO {self.TABLE} (ct, oid, score)"  # noqa: S608 - constant table names
                f" SELECT e.content_type_id, CAST(e.object_id AS INTEGER), best.score FROM"
                f" (SELECT rowid AS entry_id, bm25({fts}, {weights}) AS score FROM {fts} WHERE {fts} MATCH %s"
                f" ORDER BY score LIMIT %s) best JOIN {entry_table} e ON e.id = best.entry_id",
                [match, self.max_hits],
            )
            self.capped = cursor.rowcount >= self.max_hits
            cursor.execute(f"SELECT DISTINCT ct FROM {self.TABLE}")  # noqa: S608 - constant table name
            self.content_types = {row[0] for row in cursor.fetchall()}

    def _hits_of(self, model) -> tuple[str, list]:
        content_types = get_descendants_content_types_pks(model)
        marks = ", ".join(["%s"] * len(content_types))
        return f"SELECT oid FROM {self.TABLE} WHERE ct IN ({marks})", content_types  # noqa: S608

    def restrict(self, queryset: QuerySet) -> QuerySet:
        sql, params = self._hits_of(queryset.model)
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, bound parameters

    def _score(self, model) -> RawSQL:
        content_types = get_descendants_content_types_pks(model)
        marks = ", ".join(["%s"] * len(content_types))
        column = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
        return RawSQL(  # noqa: S611 - constant SQL, bound parameters
            f"SELECT h.score FROM {self.TABLE} h WHERE h.ct IN ({marks}) AND h.oid = {column}",  # noqa: S608
            content_types,
            output_field=FloatField(),
        )

    def scores(self, queryset: QuerySet, item: str = "") -> dict:
        """{id: relevance} of the hits in ``queryset`` (or of the items they belong to), in one query.

        For items, the hits' own scores are kept for ``best_per_item``.
        """
        score = self._score(queryset.model)
        hits = self.restrict(queryset).order_by()
        if not item:
            return {key: -float(bm25) for key, bm25 in hits.values_list("pk", score)}  # bm25(): lower is better
        best, by_item = {}, {}
        for pk, key, bm25 in hits.values_list("pk", item, score):
            by_item.setdefault(key, []).append((bm25, -pk))
            best[key] = max(best.get(key, float("-inf")), -float(bm25))
        self._hits_by_item[(queryset.model, item)] = by_item
        return best

    def best_per_item(self, queryset: QuerySet, item: str, ids: list, per_item: int) -> list:
        """The best ``per_item`` hits of each of the items ``ids``, chosen from what ``scores`` read."""
        by_item = self._hits_by_item.get((queryset.model, item), {})
        chosen = {-neg_pk: -bm25 for key in ids for bm25, neg_pk in sorted(by_item.get(key, ()))[:per_item]}
        objects = list(queryset.filter(pk__in=list(chosen)).select_related(item))
        for obj in objects:
            obj.relevance = chosen[obj.pk]
        return sorted(objects, key=lambda obj: (-obj.relevance, -obj.pk))
