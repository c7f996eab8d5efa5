from django.http import Http404
from django.template.response import TemplateResponse
from wagtail import hooks

from . import policy


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
        context = {"item": document, "explanation": policy.explain(audience, document)}
        return TemplateResponse(request, "access/files_restricted.html", context, status=403)
    return None
