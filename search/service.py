"""The portal's one search: every kind of item, filtered by the dissemination guidelines inside the query.

``search(query_string, audience, filters, sort, page)`` is what the search page, its JSON form and
"search within this document" call. For each registered source (``search.sources``) it narrows the
source's queryset to what the audience may see — ``policy.filter_records`` on records,
``policy.filter_files`` on the documents whose passages are searched — and to the chosen facets, then
hands that queryset to the search engine. Totals, facet counts and pages are computed from the same
filtered hits, so a user learns nothing about what they may not see, and snippets come only from text
the user may read. An embargo that ends is honoured at once: the policy compares with the current time
on every query.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from wagtail.models import Page

from portal.access import policy
from portal.access.tiers import Tier

from . import engines
from .query import ParsedQuery, normalise_words, parse
from .snippets import find_matches, highlight
from .sources import FACETS, SearchSource, available_sources

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_PAGE = 50
PASSAGES_PER_DOCUMENT = 3
SORTS = ("relevance", "date")
FILTER_NAMES = (*FACETS, "document")


@dataclass
class Passage:
    page_number: int
    label: str
    url: str
    snippet: SafeString

    def as_json(self) -> dict:
        return {"page": self.page_number, "label": self.label, "url": self.url, "snippet_html": str(self.snippet)}


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    date: date | None
    countries: list[str]
    tier: int
    files_open: bool
    explanation: str = ""
    snippet: SafeString = SafeString("")
    passages: list[Passage] = field(default_factory=list)
    score: float = 0.0
    obj: Any = None

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "title": strip_tags(self.title),
            "title_html": str(self.title),
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
            "countries": self.countries,
            "tier": Tier(self.tier).name.lower(),
            "tier_label": self.tier_label,
            "files_open": self.files_open,
            "access": self.explanation,
            "snippet_html": str(self.snippet),
            "passages": [passage.as_json() for passage in self.passages],
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    sort: str = "relevance"
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""
    approximate: bool = False  # a very common word: counts are a lower bound

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def as_json(self) -> dict:
        return {
            "query": self.query.text,
            "notices": list(self.query.notices),
            "message": self.message,
            "total": self.total,
            "total_is_lower_bound": self.approximate,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
            "sort": self.sort,
            "filters": self.filters,
            "results": [hit.as_json() for hit in self.hits],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
                for name, values in self.facets.items()
            },
        }


@dataclass
class _Run:
    """One source's part of a search: its filtered queryset and the ids of its hits."""

    source: SearchSource
    model: type
    queryset: Any
    hits: Any  # the queryset of this source's hits, audience and filters applied
    total: int = 0
    groups: dict = field(default_factory=dict)  # item sources: {item id: best relevance}


# ---- entry points -----------------------------------------------------------------------------------------


def search(
    query_string: str,
    audience: policy.Audience,
    filters: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search everything the audience may see. Never raises on what a user typed."""
    parsed = parse(query_string)
    filters = clean_filters(filters)
    sort = sort if sort in SORTS else "relevance"
    page = _clamp(page, 1, MAX_PAGE)
    results = SearchResults(parsed, page=page, per_page=per_page, sort=sort, filters=filters)
    if parsed.is_empty:
        results.message = _empty_message(parsed)
        return results
    matcher = engines.matcher(engines.backend(), parsed)
    runs = [run for source in _sources_for(filters) if (run := _run(matcher, source, audience, filters))]
    for run in runs:
        if run.source.item:
            run.groups = matcher.grouped(run.queryset, run.source.item)
            run.total = len(run.groups)
        else:
            run.total = _count(run)
    results.total = sum(run.total for run in runs)
    results.approximate = matcher.capped
    results.facets = _facets(runs, filters)
    results.page = min(page, results.pages)
    results.hits = _hits(matcher, runs, parsed, audience, results.page, per_page, sort)
    if not results.total:
        results.message = "No results. Check the spelling, use fewer words, or remove a filter."
    return results


def suggest(prefix: str, audience: policy.Audience, limit: int = 8) -> list[dict]:
    """Titles that start with what the user is typing (modelsearch autocomplete), filtered like search."""
    text = " ".join(normalise_words(str(prefix or "")[:100]))
    if len(text) < 2:
        return []
    backend = engines.backend()
    suggestions: list[dict] = []
    for source in available_sources():
        model = source.model()
        if source.guard != "record" or not model.get_autocomplete_search_fields():
            continue
        queryset = _restricted_queryset(source, model, audience, {}, engines.is_database(backend))
        for obj in engines.search(backend, text, queryset, order_by_relevance=True, autocomplete=True)[:limit]:
            suggestions.append({"title": obj.title, "url": _url(obj), "kind": source.label})
    return suggestions[:limit]


def clean_filters(filters: dict | None) -> dict[str, list[str]]:
    """Keep the known filters, as lists of short strings; numbers where numbers are expected."""
    cleaned: dict[str, list[str]] = {}
    for name in FILTER_NAMES:
        raw = (filters or {}).get(name) or []
        values = [raw] if isinstance(raw, str | int) else list(raw)
        values = [str(value).strip()[:64] for value in values if str(value).strip()]
        if name in ("year", "tier", "document"):
            values = [value for value in values if value.isdigit()]
        if values:
            cleaned[name] = sorted(set(values))[:20]
    return cleaned


# ---- building the filtered querysets ----------------------------------------------------------------------


def _sources_for(filters: dict[str, list[str]]) -> list[SearchSource]:
    sources = available_sources()
    if "document" in filters:
        return [source for source in sources if source.guard == "files"]
    if "kind" in filters:
        return [source for source in sources if source.kind in filters["kind"]]
    return sources


def _item_model(source: SearchSource, model):
    return model._meta.get_field(source.item).related_model if source.item else model


def _audience_filter(queryset, source: SearchSource, model, audience: policy.Audience, in_database: bool):
    """The guidelines as part of the query: what the audience may know of (records) or open (passages)."""
    prefix = f"{source.item}__" if source.item else ""
    if in_database:
        # Conditions on the item itself (joined for passages): the engine then starts from the matching
        # rows, instead of crossing a list of allowed documents with the list of hits.
        guard_q = policy.files_q if source.guard == "files" else policy.records_q
        return queryset.filter(guard_q(model, audience, prefix))
    # Engines that translate filters (Elasticsearch) take the allowed ids, an `id__in` on a FilterField.
    guard = policy.filter_files if source.guard == "files" else policy.filter_records
    allowed = guard(_item_model(source, model)._default_manager.all(), audience).values("pk")
    return queryset.filter(**{f"{source.item or 'id'}__in": allowed})


def _restricted_queryset(
    source: SearchSource, model, audience: policy.Audience, filters: dict, in_database: bool = True
):
    """The source's queryset narrowed to the audience and the filters, or None if a filter excludes it."""
    queryset = model._default_manager.all()
    if issubclass(model, Page):
        queryset = queryset.live().public()
    if not audience.is_staff:
        queryset = _audience_filter(queryset, source, model, audience, in_database)
    for name, values in filters.items():
        if name == "kind":
            continue
        if name == "document":
            queryset = queryset.filter(**{f"{source.item}__in": [int(v) for v in values]})
            continue
        path = source.facet_path(name)
        if path is None:
            return None
        lookup = f"{path}__year__in" if name == "year" and not source.year_is_number() else f"{path}__in"
        queryset = queryset.filter(id__in=model._default_manager.filter(**{lookup: values}).values("pk"))
    return queryset


def _run(matcher, source: SearchSource, audience, filters) -> _Run | None:
    model = source.model()
    if not matcher.may_match(model):
        return None
    queryset = _restricted_queryset(source, model, audience, filters, engines.is_database(matcher.backend))
    if queryset is None:
        return None
    return _Run(source, model, queryset, matcher.restrict(queryset))


def _hits_queryset(run: _Run):
    return run.hits


def _count(run: _Run) -> int:
    """Items found; for passages, the documents they belong to (passages are grouped by document)."""
    hits = _hits_queryset(run)
    if run.source.item:
        return hits.values(run.source.item).distinct().count()
    return hits.count()


# ---- facets -----------------------------------------------------------------------------------------------


def _facets(runs: list[_Run], filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for run in runs:
        if run.total:
            counts["kind"][run.source.kind] = run.total
            for name in FACETS[1:]:
                _add_counts(counts[name], run, name)
    kinds = {run.source.kind: run.source.label for run in runs}
    facets = {}
    for name, values in counts.items():
        if values:
            labels = kinds if name == "kind" else _taxonomy_labels(name)  # one query per facet, not per value
            facets[name] = [
                FacetValue(value, _facet_label(name, value, labels), count, value in filters.get(name, []))
                for value, count in _ordered(name, values)
            ]
    return facets


def _add_counts(into: dict[str, int], run: _Run, name: str) -> None:
    path = run.source.facet_path(name)
    if path is None:
        return
    value = ExtractYear if name == "year" and not run.source.year_is_number() else F
    if run.source.item:
        # Counted on the items found (documents), not on their passages: one small query per facet.
        items = _item_model(run.source, run.model)._default_manager.filter(pk__in=_group_ids(run))
        rows = items.order_by().values(facet_value=value(path.removeprefix(f"{run.source.item}__")))
    else:
        rows = _hits_queryset(run).order_by().values(facet_value=value(path))
    rows = rows.annotate(n=Count("pk", distinct=True))
    for row in rows:
        if row["facet_value"] not in (None, ""):
            key = str(row["facet_value"])
            into[key] = into.get(key, 0) + row["n"]


# SQLite binds at most 32,766 parameters; beyond that the ids are selected again by a sub-query.
MAX_LITERAL_IDS = 20_000


def _group_ids(run: _Run):
    if len(run.groups) <= MAX_LITERAL_IDS:
        return list(run.groups)
    return run.hits.values(run.source.item)


def _ordered(name: str, values: dict[str, int]) -> list[tuple[str, int]]:
    if name in ("year", "tier"):
        return sorted(values.items(), key=lambda item: int(item[0]), reverse=name == "year")
    return sorted(values.items(), key=lambda item: (-item[1], item[0]))


def _facet_label(name: str, value: str, labels: dict[str, str]) -> str:
    if name == "tier":
        return Tier(int(value)).label
    return labels.get(value, value)


def _taxonomy_labels(name: str) -> dict[str, str]:
    from django.apps import apps

    model_field = {"country": ("taxonomy.Country", "code"), "language": ("taxonomy.Language", "code"),
                   "theme": ("taxonomy.Theme", "slug")}.get(name)  # fmt: skip
    if model_field is None:
        return {}
    try:
        model = apps.get_model(model_field[0])
    except LookupError:
        return {}
    return {str(key): label for key, label in model.objects.values_list(model_field[1], "name")}


# ---- the page of hits -------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    score: float
    when: float
    source: SearchSource
    item: Any
    passages: list = field(default_factory=list)


def _hits(matcher, runs, parsed, audience, page, per_page, sort) -> list[Hit]:
    wanted = page * per_page
    candidates: list[_Candidate] = []
    for run in runs:
        if run.total:
            candidates.extend(_candidates(matcher, run, wanted, sort))
    for candidate in candidates:
        candidate.score *= _title_bonus(candidate, parsed)
    candidates = _merge_documents(candidates)
    if sort == "date":
        candidates.sort(key=lambda c: (-c.when, -c.score))
    else:
        candidates.sort(key=lambda c: (-c.score, -c.when))
    chosen = candidates[(page - 1) * per_page : wanted]
    _prefetch_countries(chosen)
    hits = [_hit(candidate, parsed, audience) for candidate in chosen]
    return [hit for hit in hits if hit is not None]


def _candidates(matcher, run: _Run, wanted: int, sort: str) -> list[_Candidate]:
    source = run.source
    if source.item:
        return _item_candidates(matcher, run, wanted, sort)
    if sort == "date" and source.date:
        objects = list(run.hits.order_by(F(source.date).desc(nulls_last=True), "-pk")[:wanted])
        chosen = run.queryset.filter(pk__in=[obj.pk for obj in objects])
        relevance = {obj.pk: obj.relevance for obj in matcher.ranked(chosen, wanted)}
        for obj in objects:
            obj.relevance = relevance.get(obj.pk, 0.0)
    else:
        objects = matcher.ranked(run.queryset, wanted)
    return [
        _Candidate(obj.relevance * source.weight, _timestamp(_value(obj, source.date)), source, obj) for obj in objects
    ]


def _item_candidates(matcher, run: _Run, wanted: int, sort: str) -> list[_Candidate]:
    """The best items (documents) by their best passage or by date, with their best passages."""
    source = run.source
    item_model = _item_model(source, run.model)
    if sort == "date" and source.date:
        date_path = source.date.removeprefix(f"{source.item}__")
        by_date = item_model._default_manager.filter(pk__in=_group_ids(run))
        top = list(by_date.order_by(F(date_path).desc(nulls_last=True), "-pk").values_list("pk", flat=True)[:wanted])
    else:
        top = sorted(run.groups, key=lambda pk: (-run.groups[pk], -pk))[:wanted]
    chosen = run.queryset.filter(**{f"{source.item}__in": top}).select_related(source.item)
    passages = matcher.best_per_item(chosen, source.item, PASSAGES_PER_DOCUMENT)
    groups = dict.fromkeys(top)
    for passage in passages:
        item = getattr(passage, source.item)
        group = groups.get(item.pk)
        if group is None:
            when = _timestamp(_value(passage, source.date))
            group = groups[item.pk] = _Candidate(run.groups[item.pk] * source.weight, when, source, item)
        if len(group.passages) < PASSAGES_PER_DOCUMENT:
            group.passages.append(passage)
    return [group for group in groups.values() if group is not None]


def _prefetch_countries(candidates: list[_Candidate]) -> None:
    """The policy and the hit both read the items' countries: one query per relation, not per hit."""
    by_relation: dict[tuple[type, str], list] = {}
    for candidate in candidates:
        source, item = candidate.source, candidate.item
        path = source.facet_path("country") or ""
        shown = path.removeprefix(f"{source.item}__" if source.item else "").removesuffix("__code")
        for relation in {"countries", shown} - {""}:
            if hasattr(item, relation):
                by_relation.setdefault((type(item), relation), []).append(item)
    for (_model, relation), items in by_relation.items():
        prefetch_related_objects(items, relation)


def _merge_documents(candidates: list[_Candidate]) -> list[_Candidate]:
    """A document found by its title and by its passages is one hit, with its passages under it."""
    by_item = {(type(c.item), c.item.pk): c for c in candidates if not c.source.item and hasattr(c.item, "pages")}
    merged = []
    for candidate in candidates:
        twin = by_item.get((type(candidate.item), candidate.item.pk)) if candidate.source.item else None
        if twin is None:
            merged.append(candidate)
            continue
        twin.passages = candidate.passages
        twin.score = max(twin.score, candidate.score)
    return merged


def _title_bonus(candidate: _Candidate, parsed: ParsedQuery) -> float:
    """Title matches above body matches, whatever the engine's own column weights do."""
    terms = parsed.highlight_terms
    found = {match.term for match in find_matches(str(getattr(candidate.item, "title", "")), terms)}
    return 1.0 + len(found) / len(terms)


def _hit(candidate: _Candidate, parsed: ParsedQuery, audience) -> Hit | None:
    source, item = candidate.source, candidate.item
    record = item
    # Defence in depth: the query already filtered, but nothing leaves without the policy's word.
    if not policy.can_see_record(audience, record):
        logger.error("search: %s #%s reached a hit but the policy hides it", source.kind, item.pk)
        return None
    files_open = policy.can_open_files(audience, record)
    if source.guard == "files" and not files_open:
        logger.error("search: passages of %s #%s reached a hit for an audience without files", source.kind, item.pk)
        return None
    hit = Hit(
        kind=source.kind,
        kind_label=source.label,
        title=highlight(str(getattr(item, "title", item)), parsed, max_chars=None),
        url=_url(item),
        date=_as_date(_value(item, source.date.split("__", 1)[-1] if source.item else source.date)),
        countries=_country_names(source, item),
        tier=record.record_tier,
        files_open=files_open,
        explanation="" if files_open else policy.explain(audience, record),
        score=candidate.score,
        obj=item,
    )
    if candidate.passages and files_open:
        passages = [_passage(passage, hit.url, parsed) for passage in candidate.passages]
        hit.passages = sorted(passages, key=lambda passage: passage.page_number)
    if not source.item:
        hit.snippet = highlight(_summary(item, source), parsed)
    return hit


def _country_names(source: SearchSource, item) -> list[str]:
    path = source.facet_path("country") or ""
    relation = path.removeprefix(source.item + "__" if source.item else "").removesuffix("__code")
    manager = getattr(item, relation, None) if relation else None
    return [country.name for country in manager.all()] if manager is not None else []


def _passage(passage, document_url: str, parsed: ParsedQuery) -> Passage:
    number = int(getattr(passage, "number", None) or getattr(passage, "page_number", 0) or 0)
    label = str(getattr(passage, "label", "") or number)
    return Passage(number, label, f"{document_url}#page={number}", highlight(getattr(passage, "text", ""), parsed))


def _summary(obj, source: SearchSource) -> str:
    for name in source.summary_fields:
        value = getattr(obj, name, None)
        if value:
            return strip_tags(str(value))
    return ""


def _url(obj) -> str:
    if isinstance(obj, Page):
        return obj.url or ""
    url = getattr(obj, "url", None) or (obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "")
    return str(url or "")


def _value(obj, path: str | None):
    if not path:
        return None
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int) and 1000 < value < 3000:
        return date(value, 1, 1)
    return None


def _timestamp(value) -> float:
    when = _as_date(value)
    return float(when.toordinal()) if when else 0.0


def _clamp(value, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return low
    return max(low, min(high, number))


def _empty_message(parsed: ParsedQuery) -> str:
    if parsed.excluded:
        return "Add at least one word to look for: excluded words (-word) only narrow a search."
    if parsed.text:
        return "Type some words to search for: letters or numbers."
    return ""


__all__ = ["Hit", "Passage", "SearchResults", "clean_filters", "search", "suggest"]
