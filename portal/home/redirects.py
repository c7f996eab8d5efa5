"""Wagtail's redirects, except to a page the reader may not know about.

Renaming or moving a page leaves a redirect from its old address. Following it for a reader who may not see the
page would tell them that it exists and where it now is; for them the old address answers 404 like any other.
"""

from __future__ import annotations

from urllib.parse import urlparse

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from portal.access import policy


class GuardedRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and _leads_to_hidden_page(request):
            return response
        return super().process_response(request, response)


def _leads_to_hidden_page(request) -> bool:
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = get_redirect(request, path) or get_redirect(request, urlparse(path).path)
    if redirect is None or redirect.redirect_page_id is None:
        return False
    page = redirect.redirect_page.specific
    if not page.live:
        return True
    return hasattr(page, "record_tier") and not policy.can_see_record(policy.audience_for(request), page)
