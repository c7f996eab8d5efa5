"""Staff decide on access requests: an approval leaves a grant the policy honours until it ends."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import audit
from .models import AccessGrant, AccessRequest


def approve(access_request: AccessRequest, by, valid_until, request=None) -> AccessGrant:
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            user=access_request.user,
            content_type=access_request.content_type,
            object_id=access_request.object_id,
            valid_until=valid_until,
            granted_by=by,
        )
        _decide(access_request, AccessRequest.Status.APPROVED, by, grant=grant, valid_until=valid_until)
        until = f"{timezone.localtime(valid_until):%Y-%m-%d %H:%M %Z}"
        audit.record(
            audit.Action.GRANT_CREATED,
            access_request.item,
            request=request,
            user=by,
            detail=f"for {access_request.user.get_username()} until {until}",
        )
    _tell_requester(access_request)
    return grant


def refuse(access_request: AccessRequest, by, reason: str, request=None) -> None:
    with transaction.atomic():
        _decide(access_request, AccessRequest.Status.REFUSED, by, refusal_reason=reason)
        audit.record(
            audit.Action.GRANT_REFUSED,
            access_request.item,
            request=request,
            user=by,
            detail=f"for {access_request.user.get_username()}: {reason}",
        )
    _tell_requester(access_request)


def _decide(access_request, status, by, **fields):
    access_request.status = status
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(access_request, name, value)
    access_request.save()


def _tell_requester(access_request: AccessRequest) -> None:
    if not access_request.user.email:
        return
    body = render_to_string("access/email/request_decided.txt", {"access_request": access_request})
    subject = f"Your request for “{access_request.title}”: {access_request.get_status_display().lower()}"
    send_mail(subject, body, None, [access_request.user.email])
