"""A page cache for anonymous readers only.

Signed-in users always get a freshly rendered page, because what they see depends on who they are. Anonymous
responses are cached per page and URL, cleared when any page is published or unpublished, and never kept past
the next embargo that lifts, so an embargo ends on time without anyone running anything.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

DEFAULT_TIMEOUT = 300
GENERATION_KEY = "pagecache:generation"


def is_cacheable(request) -> bool:
    # Cookies first: a request without a session cookie is anonymous without asking the database.
    return (
        request.method == "GET"
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.COOKIES.get("messages")
        and not getattr(request, "is_preview", False)
        and not request.user.is_authenticated
    )


def _key(request) -> str:
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    return f"pagecache:{generation}:{request.get_host()}:{request.get_full_path()}"


def get(request):
    body = cache.get(_key(request))
    if body is None:
        return None
    content, content_type = body
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def store(request, response) -> None:
    if response.status_code != 200 or response.cookies:
        return
    cache.set(_key(request), (response.content, response["Content-Type"]), _timeout())


class PageCacheMiddleware:
    """Answers anonymous GETs for pages from the cache before Wagtail routes them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_cacheable(request):
            cached = get(request)
            if cached is not None:
                return cached
        return self.get_response(request)


def clear() -> None:
    """Invalidate every cached page at once (a new generation; old entries age out)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _timeout() -> int:
    """Seconds until the next embargo on a page or document lifts, capped at DEFAULT_TIMEOUT."""
    from portal.documents.models import PortalDocument
    from portal.home.models import PortalPage

    now = timezone.now()
    upcoming = [
        model.objects.filter(embargo_until__gt=now)
        .order_by("embargo_until")
        .values_list("embargo_until", flat=True)
        .first()
        for model in (PortalPage, PortalDocument)
    ]
    seconds = [int((when - now).total_seconds()) for when in upcoming if when is not None]
    return max(1, min([DEFAULT_TIMEOUT, *seconds]))
