import logging

from django.http import FileResponse, Http404, HttpResponse
from django.template.response import TemplateResponse
from wagtail import hooks

from . import audit, policy, stamping

logger = logging.getLogger(__name__)
NO_STORE = "private, no-store"


@hooks.register("before_serve_page")
def guard_page(page, request, serve_args, serve_kwargs):
    specific = page.specific
    if hasattr(specific, "record_tier") and not policy.can_see_record(policy.audience_for(request), specific):
        # Its existence is information: answer as if there were no such page.
        raise Http404


@hooks.register("before_serve_document")
def guard_document(document, request):
    audience = policy.audience_for(request)
    if not policy.can_see_record(audience, document):
        raise Http404
    if not policy.can_open_files(audience, document):
        return files_restricted_response(request, document, audience)
    if policy.files_are_public(document):
        return None  # Wagtail serves it as usual.
    if policy.files_are_stamped(document) and stamping.is_pdf(document):
        return serve_stamped(request, document)
    audit.record(audit.Action.FILE_OPENED, document, request=request)
    return _private_file_response(document)


def files_restricted_response(request, item, audience, status=403):
    """The item's metadata, why its files are closed, and the sign-in / request-access actions."""
    context = {"item": item, "explanation": policy.explain(audience, item)}
    response = TemplateResponse(request, "access/files_restricted.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


def serve_stamped(request, document):
    """The stamped copy, or nothing at all (503) when it cannot be made: never the unstamped original."""
    try:
        data = stamping.stamped_copy(document, stamping.stamp_lines(request.user, document))
    except Exception as exc:  # any failure, whatever its kind, must not fall through to the original
        logger.exception("stamping document %s failed", document.pk)
        audit.record(audit.Action.STAMP_FAILED, document, request=request, detail=str(exc))
        return TemplateResponse(
            request, "access/stamp_failed.html", {"item": document}, status=503, headers={"Cache-Control": NO_STORE}
        )
    audit.record(audit.Action.FILE_OPENED, document, request=request, detail="stamped copy")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_ascii_filename(document.filename)}"'
    response["Cache-Control"] = NO_STORE
    return response


def _private_file_response(document):
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)
    response["Cache-Control"] = NO_STORE
    return response


def _ascii_filename(name: str) -> str:
    cleaned = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return cleaned or "document.pdf"


# ---- admin ------------------------------------------------------------------------------------------------


def _register_policies():
    from wagtail.permissions import register_permission_policy

    from .admin_views import POLICY_ACTIONS, UnitStaffPolicy

    for model, actions in POLICY_ACTIONS.items():
        register_permission_policy(model, UnitStaffPolicy(model, actions))


_register_policies()


@hooks.register("register_admin_viewset")
def register_access_viewsets():
    from .admin_views import AccessViewSetGroup

    return AccessViewSetGroup()
