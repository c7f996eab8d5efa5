"""Admin views beyond the snippet viewset: import a file and read its report; list and merge duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .forms import ImportForm
from .importer import ImportDefaults, import_file
from .merge import duplicate_groups, merge
from .models import BibliographyEntry


@permission_required("bibliography.add_bibliographyentry", raise_exception=True)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        defaults = ImportDefaults(
            record_tier=data["record_tier"],
            file_tier=data["file_tier"],
            themes=list(data["themes"]),
            countries=list(data["countries"]),
        )
        upload = data["file"]
        report = import_file(upload.read(), upload.name, dry_run=data["dry_run"], defaults=defaults)
    return TemplateResponse(request, "bibliography/admin/import.html", {"form": form, "report": report})


@permission_required("bibliography.change_bibliographyentry", raise_exception=True)
def duplicates_view(request):
    return TemplateResponse(request, "bibliography/admin/duplicates.html", {"groups": duplicate_groups()})


@require_POST
@permission_required("bibliography.delete_bibliographyentry", raise_exception=True)
def merge_view(request):
    keep = get_object_or_404(BibliographyEntry, pk=request.POST.get("keep"))
    other = get_object_or_404(BibliographyEntry, pk=request.POST.get("other"))
    if keep.pk == other.pk:
        messages.error(request, "Choose two different entries to merge.")
    else:
        title = str(other)
        merge(keep, other)
        messages.success(request, f"Merged “{title}” into “{keep}”.")
    return redirect("bibliography_admin:duplicates")
