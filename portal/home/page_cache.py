"""A page cache for anonymous readers only.

Signed-in users always get a freshly rendered page, because what they see depends on who they are. Anonymous
responses are cached per page and URL, cleared when any page is published or unpublished, and never kept past
the next embargo that lifts, so an embargo ends on time without anyone running anything.
"""

import time

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


def generation() -> int:
    """The current generation: every key of this cache and of portal.home.fragments holds it.

    It starts from the clock, so a generation lost from the cache (evicted when the cache is full) comes back
    newer than every earlier one and never brings their entries back.
    """
    return cache.get_or_set(GENERATION_KEY, time.time_ns, None)


def _key(request) -> str:
    return f"pagecache:{generation()}:{request.get_host()}:{request.get_full_path()}"


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
    """Answers anonymous GETs for pages from the cache before Wagtail routes them; remembers Wagtail's routes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_cacheable(request):
            cached = get(request)
            if cached is not None:
                return cached
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Every reader, signed in or not, is spared Wagtail's walk down the page tree for a path it has routed.
        from .routing import remember_route

        remember_route(request, view_func, view_args, view_kwargs)


def clear() -> None:
    """Invalidate every cached page at once (a new generation; old entries age out)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _timeout() -> int:
    """Seconds until the next embargo on any item (page, document, image…) lifts, capped at DEFAULT_TIMEOUT."""
    now = timezone.now()
    upcoming = next_embargo(now)
    seconds = int((upcoming - now).total_seconds()) if upcoming else DEFAULT_TIMEOUT
    return max(1, min(DEFAULT_TIMEOUT, seconds))


def next_embargo(now):
    """When the next embargo lifts (None: none pending), looked up once per generation.

    Setting or moving an embargo saves an access-controlled item, which starts a new generation; an embargo that
    has lifted since is looked up again.
    """
    key = f"pagecache:{generation()}:next-embargo"
    remembered = cache.get(key)
    if remembered is not None and (remembered[0] is None or remembered[0] > now):
        return remembered[0]
    upcoming = _look_up_next_embargo(now)
    cache.set(key, (upcoming,), DEFAULT_TIMEOUT)
    return upcoming


def _look_up_next_embargo(now):
    upcoming = [
        model.objects.filter(embargo_until__gt=now)
        .order_by("embargo_until")
        .values_list("embargo_until", flat=True)
        .first()
        for model in _embargoed_models()
    ]
    return min((when for when in upcoming if when is not None), default=None)


def _embargoed_models() -> list:
    """Every concrete model with the dissemination fields (pages, documents, images, entries…), once each."""
    from django.apps import apps

    from portal.access.models import AccessControlled

    return [
        model
        for model in apps.get_models()
        if issubclass(model, AccessControlled) and model._meta.get_field("embargo_until").model is model
    ]
