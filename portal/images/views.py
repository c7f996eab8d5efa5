"""Serving images: every rendition (the admin's thumbnails and the "original" included) passes the policy."""

from __future__ import annotations

import mimetypes

from django.core.cache import cache
from django.http import FileResponse, Http404

from portal.access import audit, policy
from portal.access.wagtail_hooks import NO_STORE, files_restricted_response

from .models import PortalRendition

PUBLIC_MAX_AGE = 300  # short: an image closed later must not linger in shared caches
AUDIT_WINDOW = 600


def serve_rendition(request, rendition_id: int, filename: str):
    rendition = PortalRendition.objects.select_related("image").filter(pk=rendition_id).first()
    if rendition is None or rendition.filename != filename:
        raise Http404
    image = rendition.image
    audience = policy.audience_for(request)
    if not policy.can_see_record(audience, image):
        raise Http404  # its existence is information
    if not policy.can_open_files(audience, image):
        return files_restricted_response(request, image, audience)
    try:
        handle = rendition.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
    if policy.files_are_public(image):
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = NO_STORE
        _record_opening(request, image)
    return response


def _record_opening(request, image) -> None:
    """One audit event per user, image and ten minutes.

    A page shows an image in several sizes and is read again and again; the admin lists thumbnails. Those are one
    opening of the image, not dozens: the log stays readable and still says who saw which restricted image when.
    """
    who = request.user.pk if request.user.is_authenticated else request.META.get("REMOTE_ADDR", "")
    if cache.add(f"images:audited:{who}:{image.pk}", 1, AUDIT_WINDOW):
        audit.record(audit.Action.FILE_OPENED, image, request=request, detail="image")
