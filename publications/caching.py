"""Anonymous responses of the open channels (feeds, OAI-PMH) go into the portal's page cache.

They show what anyone may see whoever asks, so one cached copy per address serves every anonymous harvester;
the cache is cleared whenever a page is published or unpublished (portal.home.signals) and never outlives an
embargo. Signed-in requests are rendered afresh (same content, but nothing of theirs is ever stored).
"""

from functools import wraps

from portal.home import page_cache


def anonymous_cache(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if page_cache.is_cacheable(request) and not getattr(response, "streaming", False):
            if hasattr(response, "render"):
                response.render()
            page_cache.store(request, response)
        return response

    return wrapper
