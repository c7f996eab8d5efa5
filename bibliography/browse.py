"""Which entries a request may list, filtered, searched, sorted and counted.

Every listing, export and compiled bibliography starts from `visible_entries`, which asks the access
policy first; filters and facet counts are computed on what survived, so hidden entries never show up,
not even as a number. The number of queries does not grow with the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from portal.access import policy

from .formats.records import ENTRY_TYPES
from .models import BibliographyEntry, EntryCreator

SORTS = {
    "year": ("-year", "title"),
    "year_asc": ("year", "title"),
    "author": ("first_author", "-year"),
    "title": ("title",),
}
SORT_LABELS = {"year": "Newest first", "year_asc": "Oldest first", "author": "Author", "title": "Title"}


def visible_entries(request_or_user) -> QuerySet:
    """The entries whose existence this audience may know, and nothing else."""
    return policy.filter_records(BibliographyEntry.objects.all(), policy.audience_for(request_or_user))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _values(params, name: str) -> list[str]:
    # PostgreSQL refuses NUL in text: such a value matches nothing, so it is dropped.
    return [value for value in params.getlist(name) if "\x00" not in value][:20]


@dataclass
class EntryFilter:
    """The browse page's filters, read from a query string."""

    q: str = ""
    countries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "year"

    @classmethod
    def from_query(cls, params) -> EntryFilter:
        return cls(
            q=params.get("q", "").replace("\x00", "").strip()[:200],
            countries=[c.upper() for c in _values(params, "country")],
            themes=_values(params, "theme"),
            types=[t for t in params.getlist("type") if t in ENTRY_TYPES],
            languages=_values(params, "language"),
            keywords=_values(params, "keyword"),
            year_from=_int(params.get("year_from")),
            year_to=_int(params.get("year_to")),
            sort=params.get("sort") if params.get("sort") in SORTS else "year",
        )

    def apply(self, queryset: QuerySet, skip: str = "") -> QuerySet:
        """Narrow `queryset`; `skip` leaves one facet's own filter out (for that facet's counts)."""
        filters = {
            "country": (self.countries, "countries_covered__code__in"),
            "theme": (self.themes, "themes__slug__in"),
            "type": (self.types, "entry_type__in"),
            "language": (self.languages, "language__in"),
            "keyword": (self.keywords, "keywords__name__in"),
        }
        for name, (values, lookup) in filters.items():
            if values and name != skip:
                queryset = queryset.filter(pk__in=BibliographyEntry.objects.filter(**{lookup: values}).values("pk"))
        if self.year_from is not None:
            queryset = queryset.filter(year__gte=self.year_from)
        if self.year_to is not None:
            queryset = queryset.filter(year__lte=self.year_to)
        if self.q:
            queryset = queryset.filter(pk__in=_matching(self.q))
        return queryset

    def order(self, queryset: QuerySet) -> QuerySet:
        first_author = EntryCreator.objects.filter(entry=OuterRef("pk")).order_by("sort_order").values("family")[:1]
        return queryset.annotate(first_author=Subquery(first_author)).order_by(*SORTS[self.sort])


def _matching(q: str) -> QuerySet:
    """Entries whose text contains every word of `q` (substring match also finds Thai and CJK words)."""
    matches = BibliographyEntry.objects.all()
    for word in q.split()[:8]:
        matches = matches.filter(
            Q(title__icontains=word)
            | Q(original_title__icontains=word)
            | Q(abstract__icontains=word)
            | Q(annotation__icontains=word)
            | Q(container_title__icontains=word)
            | Q(creators__family__icontains=word)
            | Q(keywords__name__icontains=word)
            | Q(doi__iexact=word)
        )
    return matches.values("pk")


def facets(queryset: QuerySet, entry_filter: EntryFilter) -> dict[str, list[dict]]:
    """Counts per value of each facet, over the entries visible and matching the other filters."""

    def count(skip: str, field_name: str, label_field: str | None = None, limit: int | None = None):
        base = entry_filter.apply(queryset, skip=skip)
        fields = [field_name] + ([label_field] if label_field else [])
        rows = (
            BibliographyEntry.objects.filter(pk__in=base.values("pk"))
            .exclude(**{f"{field_name}__isnull": True})
            .exclude(**{field_name: ""})
            .values(*fields)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", field_name)
        )
        rows = list(rows[:limit] if limit else rows)
        return [{"value": r[field_name], "label": r.get(label_field) or r[field_name], "count": r["n"]} for r in rows]

    result = {
        "country": count("country", "countries_covered__code", "countries_covered__name"),
        "theme": count("theme", "themes__slug", "themes__name"),
        "type": count("type", "entry_type"),
        "language": count("language", "language"),
        "keyword": count("keyword", "keywords__name", limit=25),
    }
    for row in result["type"]:
        row["label"] = ENTRY_TYPES.get(row["value"], row["value"])
    return result


def select(request, params=None) -> tuple[QuerySet, EntryFilter]:
    """The visible entries a request's query string selects, ordered, with what to prefetch for listing."""
    entry_filter = EntryFilter.from_query(params if params is not None else request.GET)
    queryset = entry_filter.order(entry_filter.apply(visible_entries(request)))
    return queryset.prefetch_related("creators"), entry_filter
