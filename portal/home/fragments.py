"""A cache of rendered page parts that depend on who is asking: menus, listings, sections, page bodies.

What a part shows depends on the reader, so every key holds the audience's key (`policy.Audience.key`: audiences
with the same key see exactly the same things), the host and the page cache's generation. A new generation starts
whenever a page is published or unpublished, an access-controlled item, an access grant or the taxonomy changes
(portal.home.signals), which retires every entry at once. An entry never outlives the next embargo that lifts nor,
for a signed-in reader, the end of that reader's next access grant. Previews are never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from portal.access import policy

from . import page_cache


def key(request, name: str, parts=()) -> str:
    audience = policy.audience_for(request)
    vary = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"fragment:{page_cache.generation()}:{request.get_host()}:{audience.key}:{name}:{vary}"


def cached(request, name: str, parts, build: Callable):
    """Part `name` (text, or any picklable value) for this request's audience, built and stored when missing."""
    if not is_cacheable(request):
        return build()
    fragment_key = key(request, name, parts)
    stored = cache.get(fragment_key)
    if stored is None:
        stored = (build(),)
        if not hasattr(request, "_portal_fragment_timeout"):  # worked out once per request
            request._portal_fragment_timeout = timeout(policy.audience_for(request))
        cache.set(fragment_key, stored, request._portal_fragment_timeout)
    return stored[0]


def is_cacheable(request) -> bool:
    # A preview shows a draft: it must never be stored, nor be answered with what is live.
    return request is not None and request.method in ("GET", "HEAD") and not getattr(request, "is_preview", False)


def timeout(audience: policy.Audience) -> int:
    """Seconds an entry may live: until the next embargo lifts or the audience's next grant ends."""
    seconds = page_cache._timeout()
    ends = _next_grant_end(audience)
    if ends is not None:
        seconds = min(seconds, int((ends - timezone.now()).total_seconds()))
    return max(1, seconds)


def _next_grant_end(audience: policy.Audience):
    from portal.access.models import AccessGrant

    if not audience.is_authenticated or audience.is_staff:
        return None
    grants = AccessGrant.objects.filter(user_id=audience.user_id, valid_until__gt=timezone.now())
    return grants.aggregate(ends=Min("valid_until"))["ends"]
