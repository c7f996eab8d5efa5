"""Request-wide protections around the policy: CSP per area, the admin's second factor, upload size, caching."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

from . import policy
from .audit import CurrentRequestMiddleware  # noqa: F401 - re-exported for MIDDLEWARE

ADMIN_PREFIX = "/admin/"
# The Wagtail admin sets inline styles and a few inline scripts (date pickers, inline panels), previews pages in
# a same-origin frame and loads images through blob: URLs. The public site gets the strict policy from settings.
ADMIN_EXTRA = {
    "style-src": ["'unsafe-inline'"],
    "script-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
}


def admin_directives() -> dict:
    directives = {k: list(v) for k, v in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}
    for name, sources in ADMIN_EXTRA.items():
        current = directives.get(name, ["'self'"])
        directives[name] = [*current, *(s for s in sources if s not in current)]
    return directives


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with the strict policy on the public site and a looser one under /admin/."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = admin_directives()
        return parts


class AdminSecondFactorMiddleware:
    """The Wagtail admin is for staff who have passed the second factor in this session."""

    OPEN_PATHS = ("login/", "logout/", "password_reset/", "jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(ADMIN_PREFIX) and not path[len(ADMIN_PREFIX) :].startswith(self.OPEN_PATHS):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not policy.audience_is_complete(request):
                return redirect(f"{reverse('access:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class UploadLimitMiddleware:
    """Refuse bodies over PORTAL_MAX_UPLOAD_MB before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PORTAL_MAX_UPLOAD_MB * 1024 * 1024:
            message = f"The upload is larger than the portal accepts ({settings.PORTAL_MAX_UPLOAD_MB} MB)."
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """What a signed-in user sees depends on who they are: no shared cache may keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_vary_headers(response, ["Cookie"])
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True)
        return response
