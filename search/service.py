"""The portal's one search: every kind of item, filtered by the dissemination guidelines inside the query.

``search(query_string, audience, filters, sort, page)`` is what the search page, its JSON form and
"search within this document" call. For each registered source (``search.sources``) it narrows the
source's queryset to what the audience may see — ``policy.records_q`` on records, ``policy.files_q`` on
the documents whose passages are searched — and hands that queryset to the search engine. What the engine
finds is gathered into one result per item (a document found by its title and by its pages is one result)
with the item's facet values; the chosen filters, the total, the facet counts (each facet counted under
every filter but its own) and the page of hits all come from those results, so a user learns nothing about
what they may not see, and snippets come only from text the user may read. An embargo that ends is
honoured at once: the policy compares with the current time on every query.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from typing import Any

from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from wagtail.models import Page

from portal.access import policy
from portal.access.tiers import Tier

from . import engines
from .query import ParsedQuery, normalise_words, parse
from .snippets import highlight, term_counter
from .sources import FACETS, SearchSource, available_sources, has_path

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
class _Found:
    """What one source found of one item: its relevance and the values filters and facets look at."""

    score: float
    when: float
    title: str
    values: dict[str, set[str]]  # facet name -> the item's values ("kind" included)
    failed: frozenset[str] = frozenset()  # the chosen filters this find does not satisfy


@dataclass
class _Run:
    """One source's part of a search: its queryset under the audience filter, and the items it found."""

    source: SearchSource
    model: type
    item_model: type
    queryset: Any
    found: dict[int, _Found] = field(default_factory=dict)


@dataclass
class _Result:
    """One result as it is counted and shown: an item, with each source that found it.

    A document found by its title (the document source) and by its pages (the passage source) is one result.
    """

    model: type
    pk: int
    finds: list[tuple[_Run, _Found]] = field(default_factory=list)

    def passing(self, skip: str = "") -> list[tuple[_Run, _Found]]:
        """The finds that satisfy every chosen filter, except ``skip``."""
        return [(run, find) for run, find in self.finds if not find.failed - {skip}]


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
    with _no_collection_pauses():
        matcher = engines.matcher(engines.backend(), parsed)
        runs = [run for source in _sources_for(filters) if (run := _run(matcher, source, audience, filters))]
        found = _results(runs, filters)
        shown = [result for result in found if result.passing()]
        results.total = len(shown)
        results.approximate = matcher.capped
        results.facets = _facets(found, runs, filters)
        results.page = min(page, results.pages)
        results.hits = _hits(matcher, shown, parsed, audience, results.page, per_page, sort)
    if not results.total:
        results.message = "No results. Check the spelling, use fewer words, or remove a filter."
    return results


@contextmanager
def _no_collection_pauses():
    """No cyclic garbage collection while a search runs.

    A search makes tens of thousands of short-lived objects (rows, facts per item). They outlive a few young
    collections, are promoted, and every few searches trigger a full collection over the process's ~200,000
    long-lived objects (Django, Wagtail, ICU): 100-350 ms measured at 100,000 passages, about half of the
    search's CPU time. Reference counting frees the search's objects when it ends, so deferring collection
    costs no memory. Another thread's search may re-enable collection early: that is only slower, never wrong.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


# ---- what each source finds -------------------------------------------------------------------------------


def _sources_for(filters: dict[str, list[str]]) -> list[SearchSource]:
    # Every kind is searched even when some are chosen: the kind facet counts the others too.
    sources = available_sources()
    if "document" in filters:
        return [source for source in sources if source.guard == "files"]
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
    """The source's queryset narrowed to what the audience may see (and to one document, if asked).

    The facet filters are applied to what this finds (``_Result.passing``), so that each facet can also be
    counted without its own filter.
    """
    queryset = model._default_manager.all()
    if issubclass(model, Page):
        queryset = queryset.live().public()
    if not audience.is_staff:
        queryset = _audience_filter(queryset, source, model, audience, in_database)
    if "document" in filters:
        queryset = queryset.filter(**{f"{source.item}__in": [int(v) for v in filters["document"]]})
    return queryset


def _run(matcher, source: SearchSource, audience, filters) -> _Run | None:
    model = source.model()
    if not matcher.may_match(model):
        return None
    queryset = _restricted_queryset(source, model, audience, filters, engines.is_database(matcher.backend))
    run = _Run(source, model, _item_model(source, model), queryset)
    scores = matcher.scores(queryset, source.item)
    run.found = _facts(run, scores) if scores else {}
    return run if run.found else None


def _local(source: SearchSource, path: str) -> str:
    """A path from the source's model as a path from its item (passages: from their document)."""
    return path.removeprefix(f"{source.item}__") if source.item else path


def _is_many(model, path: str) -> bool:
    for part in path.split("__"):
        field_ = model._meta.get_field(part)
        if field_.many_to_many or field_.one_to_many:
            return True
        model = field_.related_model
        if model is None:
            return False
    return False


def _fields(run: _Run) -> tuple[dict[str, Any], dict[str, str]]:
    """The item's single values (as expressions) and the paths of its many-valued facets."""
    source, single, many = run.source, {}, {}
    if source.date:
        when = _local(source, source.date)
        single["v_when"] = F(when)  # the year is read from it (in Python: SQLite's year extraction is slow)
    if has_path(run.item_model, "title"):
        single["v_title"] = F("title")
    for name in FACETS[1:]:
        path = source.facet_path(name)
        if path is None or name == "year":
            continue
        path = _local(source, path)
        if _is_many(run.item_model, path):
            many[name] = path
        else:
            single[f"v_{name}"] = F(path)
    return single, many


# A list of ids is sent in slices: SQLite binds at most 32,766 parameters.
ID_SLICE = 10_000


def _slices(ids: list) -> list[list]:
    return [ids[start : start + ID_SLICE] for start in range(0, len(ids), ID_SLICE)]


def _facts(run: _Run, scores: dict) -> dict[int, _Found]:
    """Each found item's date, title and facet values: one query, plus one per many-valued facet."""
    single, many = _fields(run)
    manager = run.item_model._default_manager
    found: dict[int, _Found] = {}
    zone = timezone.get_current_timezone()
    for ids in _slices(list(scores)):
        for row in manager.filter(pk__in=ids).values("pk", **single):
            row["v_year"] = _year(row.get("v_when"), zone)
            values = {"kind": {run.source.kind}}
            for name in FACETS[1:]:
                value = row.get(f"v_{name}")
                values[name] = set() if value is None or value == "" else {str(value)}
            when = _timestamp(row.get("v_when"))
            found[row["pk"]] = _Found(scores[row["pk"]], when, str(row.get("v_title") or ""), values)
    for name, path in many.items():
        for ids in _slices(list(found)):
            for pk, value in manager.filter(pk__in=ids).values_list("pk", path):
                if value is not None and value != "":
                    found[pk].values[name].add(str(value))
    return found


def _year(value, zone) -> int | None:
    """The year of a date as the year filter means it (in the site's time zone), or a year stored as a number."""
    if isinstance(value, datetime):
        return value.astimezone(zone).year if value.tzinfo else value.year
    if isinstance(value, date):
        return value.year
    return value if isinstance(value, int) else None


def _results(runs: list[_Run], filters: dict[str, list[str]]) -> list[_Result]:
    """What the runs found, one result per item, each find marked with the filters it does not satisfy."""
    chosen = {name: set(values) for name, values in filters.items() if name in FACETS}
    by_item: dict[tuple[type, int], _Result] = {}
    for run in runs:
        for pk, find in run.found.items():
            find.failed = frozenset(name for name, wanted in chosen.items() if not find.values[name] & wanted)
            result = by_item.setdefault((run.item_model, pk), _Result(run.item_model, pk))
            result.finds.append((run, find))
    return list(by_item.values())


# ---- facets -----------------------------------------------------------------------------------------------


def _facets(found: list[_Result], runs: list[_Run], filters: dict) -> dict[str, list[FacetValue]]:
    """Counts of results per value, each facet under every filter but its own (so its other values show)."""
    counted: dict[str, list[set[str]]] = {name: [] for name in FACETS}
    for result in found:
        only = result.finds[0][1] if len(result.finds) == 1 else None
        for name in FACETS:
            if only is not None:  # most results: found by one source; no union needed
                if not only.failed or only.failed == {name}:
                    counted[name].append(only.values[name])
                continue
            counted[name].append(set().union(*(find.values[name] for _run, find in result.passing(skip=name))))
    counts = {name: Counter(chain.from_iterable(sets)) for name, sets in counted.items()}
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
    source: SearchSource  # the source the hit is shown as: the record's own if it found it, else passages
    model: type
    pk: int
    files_runs: list[_Run] = field(default_factory=list)  # passage sources that found it
    item: Any = None
    passages: list = field(default_factory=list)


def _hits(matcher, shown: list[_Result], parsed, audience, page, per_page, sort) -> list[Hit]:
    in_title = term_counter(parsed.highlight_terms)
    candidates = [_candidate(result, in_title, len(parsed.highlight_terms)) for result in shown]
    if sort == "date":
        candidates.sort(key=lambda c: (-c.when, -c.score, -c.pk))
    else:
        candidates.sort(key=lambda c: (-c.score, -c.when, -c.pk))
    chosen = _load(candidates[(page - 1) * per_page : page * per_page])
    _add_passages(matcher, chosen)
    _prefetch_countries(chosen)
    hits = [_hit(candidate, parsed, audience) for candidate in chosen]
    return [hit for hit in hits if hit is not None]


def _candidate(result: _Result, in_title, terms: int) -> _Candidate:
    finds = result.passing()
    runs = [run for run, _find in finds]
    shown_as = next((run for run in runs if not run.source.item), runs[0])
    # Title matches above body matches, whatever the engine's own column weights do.
    bonus = 1.0 + in_title(finds[0][1].title) / max(terms, 1)
    score = max(find.score * run.source.weight for run, find in finds) * bonus
    when = max(find.when for _run, find in finds)
    files_runs = [run for run in runs if run.source.item]
    return _Candidate(score, when, shown_as.source, result.model, result.pk, files_runs)


def _load(candidates: list[_Candidate]) -> list[_Candidate]:
    """The shown items, one query per model (an item deleted since it was found is left out)."""
    by_model: dict[type, list[int]] = {}
    for candidate in candidates:
        by_model.setdefault(candidate.model, []).append(candidate.pk)
    objects = {model: model._default_manager.in_bulk(pks) for model, pks in by_model.items()}
    for candidate in candidates:
        candidate.item = objects[candidate.model].get(candidate.pk)
    return [candidate for candidate in candidates if candidate.item is not None]


def _add_passages(matcher, candidates: list[_Candidate]) -> None:
    """The best passages of the shown documents only: one query per passage source."""
    by_run: dict[int, tuple[_Run, dict[int, _Candidate]]] = {}
    for candidate in candidates:
        for run in candidate.files_runs:
            by_run.setdefault(id(run), (run, {}))[1][candidate.pk] = candidate
    for run, wanted in by_run.values():
        item = run.source.item
        for passage in matcher.best_per_item(run.queryset, item, list(wanted), PASSAGES_PER_DOCUMENT):
            candidate = wanted[getattr(passage, f"{item}_id")]
            if len(candidate.passages) < PASSAGES_PER_DOCUMENT:
                candidate.passages.append(passage)


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
