"""Writing the audit log: every opening of a non-public file, every grant and refusal, every tier change."""

from __future__ import annotations

import contextvars
import logging

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .models import AuditEvent

logger = logging.getLogger(__name__)
_current_request: contextvars.ContextVar = contextvars.ContextVar("portal_current_request", default=None)

Action = AuditEvent.Action


def current_request():
    """The request being served in this thread, for signals that have no request of their own."""
    return _current_request.get()


class CurrentRequestMiddleware:
    """Remembers the request so that model signals can record who changed what, and from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def record(action: str, obj=None, *, request=None, user=None, detail: str = "") -> AuditEvent:
    """Append one event; `request` (or the current one) gives who and from where."""
    request = request if request is not None else current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    event = AuditEvent(action=action, detail=detail[:5000], **_who(user), **_what(obj), **_where(request))
    event.save()
    logger.info("audit %s by %s on %s", action, event.username or "-", event.object_title or "-")
    return event


def _who(user) -> dict:
    if user is None:
        return {}
    return {"user": user, "username": user.get_username()}


def _what(obj) -> dict:
    if obj is None:
        return {}
    model = Page if isinstance(obj, Page) else type(obj)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return {"content_type": content_type, "object_id": obj.pk, "object_title": str(getattr(obj, "title", obj))[:500]}


def _where(request) -> dict:
    if request is None:
        return {}
    ip = request.META.get("REMOTE_ADDR") or None
    return {"ip_address": ip, "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500]}
