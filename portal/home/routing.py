"""Wagtail's routing, remembered: which site and page answer a path on a host.

Wagtail finds the site and walks the page tree one query or two per path segment on every request; a reader
moving through the portal asks the same few paths again and again. The answer is kept in the cache under the
page cache's generation, so publishing, unpublishing, moving or deleting a page or changing a site retires it.
Only the route is remembered: who may see the page is still decided on every request (the `before_serve_page`
hooks), and what follows a page's own path is routed by the page afresh (RoutablePageMixin's routes).
"""

from django.core.cache import cache
from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import Page

from . import page_cache


def remember_route(request, view_func, view_args, view_kwargs) -> None:
    """Before Wagtail's serve view runs: give it the remembered route, or remember the one it will use."""
    if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
        return
    path = view_args[0] if view_args else view_kwargs.get("path", "")
    key = f"route:{page_cache.generation()}:{request.get_host()}:{request.get_port()}:{path}"
    remembered = cache.get(key)
    if remembered is not None:
        site, page, rest = remembered
        request._wagtail_site = site
        try:
            # The page's own routing of what follows its path (a RoutablePageMixin's routes): no query.
            request._wagtail_route_for_request = page.route(request, rest)
        except Http404:
            request._wagtail_route_for_request = None
        return
    route = Page.route_for_request(request, path)  # Wagtail keeps it on the request for the serve view
    if route is not None:
        rest = _after_page_path(request._wagtail_site, route[0], path)
        if rest is not None:
            cache.set(key, (request._wagtail_site, route[0], rest), page_cache.DEFAULT_TIMEOUT)


def _after_page_path(site, page, path: str) -> list[str] | None:
    """The path components after the page's own path; None when the page was not reached by its own path."""
    components = [part for part in path.split("/") if part]
    own = [part for part in page.url_path.removeprefix(site.root_page.url_path).split("/") if part]
    return components[len(own) :] if components[: len(own)] == own else None
