"""The search page, its JSON form and title suggestions: thin wrappers around ``search.service``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from portal.access import policy

from . import service
from .sources import FACETS

FACET_TITLES = {
    "kind": "Kind",
    "country": "Country",
    "theme": "Theme",
    "year": "Year",
    "language": "Language",
    "tier": "Access",
}


def _params(request) -> tuple[str, dict[str, list[str]], str, str]:
    filters = {name: request.GET.getlist(name) for name in service.FILTER_NAMES}
    return request.GET.get("q", ""), filters, request.GET.get("sort", "relevance"), request.GET.get("page", "1")


def _private(response):
    # Results depend on who asks: never let a shared cache keep them.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def search_page(request):
    query, filters, sort, page = _params(request)
    audience = policy.audience_for(request)
    results = service.search(query, audience, filters, sort, page)
    context = {
        "search_query": results.query.text,
        "results": results,
        "facet_groups": _facet_groups(results),
        "sort_links": _sort_links(results),
        "page_links": _page_links(results),
        "within_document": _within_document(results, audience),
        "has_filters": bool(results.filters),
        "clear_filters_url": "?" + urlencode({"q": results.query.text}),
    }
    return _private(TemplateResponse(request, "search/search.html", context))


@require_GET
def search_api(request):
    query, filters, sort, page = _params(request)
    per_page = _number(request.GET.get("per_page"), default=service.PER_PAGE, high=100)
    results = service.search(query, policy.audience_for(request), filters, sort, page, per_page=per_page)
    return _private(JsonResponse(results.as_json(), json_dumps_params={"ensure_ascii": False}))


@require_GET
def suggest(request):
    suggestions = service.suggest(request.GET.get("q", ""), policy.audience_for(request))
    return _private(JsonResponse({"suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}))


def _number(value, *, default: int, high: int) -> int:
    try:
        return max(1, min(high, int(value)))
    except (TypeError, ValueError):
        return default


# ---- links for the template -------------------------------------------------------------------------------


def _base_params(results: service.SearchResults) -> dict[str, list[str]]:
    params = {"q": [results.query.text], **{k: list(v) for k, v in results.filters.items()}}
    if results.sort != "relevance":
        params["sort"] = [results.sort]
    return params


def _url(params: dict[str, list[str]]) -> str:
    return "?" + urlencode([(key, value) for key, values in params.items() for value in values])


def _facet_groups(results: service.SearchResults) -> list[dict]:
    groups = []
    for name in FACETS:
        values = results.facets.get(name)
        if not values:
            continue
        items = []
        for value in values:
            params = _base_params(results)
            chosen = params.get(name, [])
            params[name] = [v for v in chosen if v != value.value] if value.selected else [*chosen, value.value]
            items.append({"facet": value, "url": _url(params)})
        groups.append({"name": name, "title": FACET_TITLES[name], "items": items})
    return groups


def _sort_links(results: service.SearchResults) -> list[dict]:
    links = []
    for sort, label in (("relevance", "Relevance"), ("date", "Newest first")):
        params = _base_params(results)
        params.pop("sort", None)
        if sort != "relevance":
            params["sort"] = [sort]
        links.append({"label": label, "url": _url(params), "current": results.sort == sort})
    return links


def _page_links(results: service.SearchResults) -> dict:
    def link(number: int) -> str:
        return _url({**_base_params(results), "page": [str(number)]})

    return {
        "previous": link(results.page - 1) if results.has_previous else "",
        "next": link(results.page + 1) if results.has_next else "",
    }


def _within_document(results: service.SearchResults, audience) -> object | None:
    """The document a "search within this document" is limited to, if the user may open it."""
    ids = results.filters.get("document")
    if not ids:
        return None
    from .sources import source_for_kind

    source = source_for_kind("passage")
    if source is None:
        return None
    document_model = source.model()._meta.get_field(source.item).related_model
    document = document_model._default_manager.filter(pk=int(ids[0])).first()
    return document if document is not None and policy.can_open_files(audience, document) else None
