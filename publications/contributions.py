"""National contributions: a verified focal point sends documents from the public site; reviewers take it from there.

A contribution lands as a draft PublicationPage (kind "contribution") under the contributions index, confidential
to unit staff and the focal points of its country, and is submitted into the review workflow of the publications
index. Reviewers publish it (possibly with other tiers), ask for changes, or keep it internal.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Collection, WorkflowState

from portal.access import policy
from portal.access.tiers import Tier
from portal.documents.models import PortalDocument
from portal.taxonomy.models import Country

from .models import ContributionIndexPage, FileRole, Kind, PublicationFile, PublicationPage

logger = logging.getLogger(__name__)

MAX_FILES = 5
MAX_FILE_MB = getattr(settings, "PUBLICATIONS_CONTRIBUTION_MAX_MB", 20)

STATUS_LABELS = {
    "published": "Published",
    "internal": "Kept internal by the unit",
    "in_review": "In review",
    "changes": "Changes requested",
    "withdrawn": "Withdrawn",
    "draft": "Received",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError("Attach at least one PDF.")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Send at most {MAX_FILES} files at once.")
        return [self._check(super(MultipleFileField, self).clean(f, initial)) for f in files]

    def _check(self, upload):
        from portal.documents.ingestion import sha256_of

        if upload.size > MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(f"{upload.name} is larger than {MAX_FILE_MB} MB.")
        head = upload.read(5)
        upload.seek(0)
        if not upload.name.lower().endswith(".pdf") or head != b"%PDF-":
            raise forms.ValidationError(f"{upload.name} is not a PDF file.")
        # Each file is stored once; say so without naming the stored document (it may be confidential).
        if PortalDocument.objects.filter(sha256=sha256_of(upload)).exists():
            raise forms.ValidationError(f"The unit already holds exactly this file ({upload.name}).")
        upload.seek(0)
        return upload


PROPOSED_KINDS = [(k, label) for k, label in Kind.choices if k not in (Kind.CONTRIBUTION, Kind.ANNUAL_REPORT)]


class ContributionForm(forms.Form):
    title = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    country = forms.ModelChoiceField(queryset=Country.objects.none())
    kind = forms.ChoiceField(choices=PROPOSED_KINDS, initial=Kind.NATIONAL_ASSESSMENT, label="What it is")
    proposed_record_tier = forms.TypedChoiceField(
        choices=Tier.choices,
        coerce=int,
        initial=Tier.RESTRICTED,
        label="Who may know it exists, once published",
        help_text="A proposal: reviewers decide. Until then only unit staff and your country's focal points see it.",
    )
    proposed_file_tier = forms.TypedChoiceField(
        choices=Tier.choices, coerce=int, initial=Tier.RESTRICTED, label="Who may open the files, once published"
    )
    files = MultipleFileField(help_text=f"PDF only, up to {MAX_FILES} files of at most {MAX_FILE_MB} MB each.")

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        codes = sorted(countries)
        self.fields["country"].queryset = Country.objects.filter(code__in=codes)
        if len(codes) == 1:
            self.fields["country"].initial = Country.objects.filter(code=codes[0]).first()


def _focal_countries(request) -> frozenset[str]:
    return policy.audience_for(request).focal_countries


@login_required
def contribute(request):
    countries = _focal_countries(request)
    if not countries:
        raise PermissionDenied("Only verified national focal points send contributions.")
    index = ContributionIndexPage.objects.first()
    form = ContributionForm(request.POST or None, request.FILES or None, countries=countries)
    if request.method == "POST" and index is None:
        messages.error(request, "Contributions cannot be received right now: the unit has not set up their page.")
    elif request.method == "POST" and form.is_valid():
        page = submit_contribution(form.cleaned_data, request.user, index)
        messages.success(request, f"Thank you: “{page.title}” was sent to the unit for review.")
        return redirect(reverse("publications:my_contributions"))
    return TemplateResponse(request, "publications/contribute.html", {"form": form, "index_missing": index is None})


@transaction.atomic
def submit_contribution(data: dict, user, index: ContributionIndexPage) -> PublicationPage:
    """Store the files, create the draft publication and start its review; returns the page."""
    country = data["country"]
    page = PublicationPage(
        title=data["title"],
        summary=data["description"],
        kind=Kind.CONTRIBUTION,
        proposed_kind=data["kind"],
        proposed_record_tier=data["proposed_record_tier"],
        proposed_file_tier=data["proposed_file_tier"],
        contributed_by=user,
        contribution_country=country,
        record_tier=Tier.CONFIDENTIAL,
        file_tier=Tier.CONFIDENTIAL,
        live=False,
        owner=user,
    )
    page.countries = [country]
    page.covered_countries = [country]
    page.files = [
        PublicationFile(
            document=_store(upload, data["title"], country, user),
            role=FileRole.FULL_REPORT if n == 0 else FileRole.ANNEX,
        )
        for n, upload in enumerate(data["files"])
    ]
    index.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    workflow = index.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    else:
        logger.warning("No review workflow on %s: contribution %s waits as a draft", index, page.pk)
    logger.info("Contribution %s (revision %s) sent by user %s for %s", page.pk, revision.pk, user.pk, country.code)
    return page


def _store(upload, title, country, user) -> PortalDocument:
    document = PortalDocument(
        title=f"{title} — {upload.name}"[:255],
        file=upload,
        collection=Collection.get_first_root_node(),
        uploaded_by_user=user,
        record_tier=Tier.CONFIDENTIAL,
        file_tier=Tier.CONFIDENTIAL,
    )
    document.file_size = upload.size
    document.countries = [country]
    document.save()
    return document


def contribution_status(page: PublicationPage, state: WorkflowState | None) -> str:
    if page.kept_internal:
        return "internal"
    if page.live:
        return "published"
    if state is None:
        return "draft"
    return {
        WorkflowState.STATUS_IN_PROGRESS: "in_review",
        WorkflowState.STATUS_NEEDS_CHANGES: "changes",
        WorkflowState.STATUS_CANCELLED: "withdrawn",
    }.get(state.status, "in_review")


def contributions_of(user, countries=frozenset()) -> list[dict]:
    """The user's contributions, and those of the countries they are focal point of, newest first, each with its
    status and the reviewers' comments."""
    mine = Q(contributed_by=user) | Q(kind=Kind.CONTRIBUTION, contribution_country__code__in=sorted(countries))
    pages = list(
        PublicationPage.objects.filter(mine).select_related("contribution_country", "contributed_by").order_by("-pk")
    )
    states = _latest_states(pages)
    rows = []
    for page in pages:
        state = states.get(str(page.pk))
        status = contribution_status(page, state)
        rows.append(
            {
                "page": page,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "comments": _comments(state),
                "url": page.url if page.live and policy.can_see_record(policy.audience_for(user), page) else "",
            }
        )
    return rows


def _latest_states(pages) -> dict[str, WorkflowState]:
    if not pages:
        return {}
    states = (
        WorkflowState.objects.filter(object_id__in=[str(p.pk) for p in pages])
        .filter(base_content_type__model="page")
        .prefetch_related("task_states__finished_by")
        .order_by("created_at")
    )
    return {state.object_id: state for state in states}


def _comments(state) -> list[dict]:
    if state is None:
        return []
    return [
        {"text": ts.comment, "when": ts.finished_at, "status": ts.get_status_display()}
        for ts in state.task_states.all()
        if ts.comment
    ]


class RevisionForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label="What you changed", required=True
    )
    files = MultipleFileField(help_text=f"The revised PDF(s), up to {MAX_FILES} files of at most {MAX_FILE_MB} MB.")


@login_required
def resubmit(request, page_id: int):
    """After reviewers asked for changes, the contributor sends revised files; the review resumes."""
    page = PublicationPage.objects.filter(pk=page_id, contributed_by=request.user, kind=Kind.CONTRIBUTION).first()
    state = WorkflowState.objects.for_instance(page).first() if page else None
    if page is None or state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        raise Http404
    form = RevisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        send_revision(page, state, form.cleaned_data, request.user)
        messages.success(request, f"Your revised “{page.title}” was sent back to the reviewers.")
        return redirect(reverse("publications:my_contributions"))
    return TemplateResponse(request, "publications/resubmit.html", {"form": form, "contribution": page})


@transaction.atomic
def send_revision(page, state, data: dict, user) -> None:
    draft = page.get_latest_revision_as_object()
    country = page.contribution_country
    existing = list(draft.files.all())
    added = [
        PublicationFile(document=_store(upload, page.title, country, user), role=FileRole.ANNEX)
        for upload in data["files"]
    ]
    draft.files = existing + added
    draft.summary = f"{draft.summary}\n\nRevision note from the contributor: {data['note']}".strip()
    draft.save_revision(user=user, log_action=True)
    state.resume(user=user)


@login_required
def my_contributions(request):
    rows = contributions_of(request.user, _focal_countries(request))
    context = {"rows": rows, "can_contribute": bool(_focal_countries(request))}
    return TemplateResponse(request, "publications/my_contributions.html", context)
