"""National contributions: sent from the public site by a verified focal point, reviewed in the CAU review
workflow, followed by the contributor on "my contributions"; counted on the country page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowState

from portal.access.models import AccessProfile
from portal.access.tiers import Tier
from publications import contributions
from publications.models import Kind, PublicationPage
from publications.workflow import assign_review_workflow
from tests.access.helpers import sign_in
from tests.factories import AccessProfileFactory, CountryIndexPageFactory, CountryPageFactory, UserFactory
from tests.publications.factories import DEMO_PDF, ContributionIndexPageFactory, PublicationIndexPageFactory

pytestmark = pytest.mark.django_db

CONTRIBUTE = reverse("publications:contribute")
MINE = reverse("publications:my_contributions")


@pytest.fixture
def indexes(home_page):
    index = PublicationIndexPageFactory(parent=home_page)
    assign_review_workflow(index)
    return index, ContributionIndexPageFactory(parent=index)


def _pdf(name="figures.pdf", extra=b""):
    return SimpleUploadedFile(name, DEMO_PDF.read_bytes() + b"\n% " + name.encode() + extra, "application/pdf")


def _form(countries, **overrides):
    data = {
        "title": "Southern border cases, 2025",
        "description": "Aggregated figures from the Immigration Bureau.",
        "country": countries["TH"].pk,
        "kind": Kind.NATIONAL_ASSESSMENT,
        "proposed_record_tier": Tier.RESTRICTED,
        "proposed_file_tier": Tier.RESTRICTED,
        "files": [_pdf()],
    }
    data.update(overrides)
    return data


def _reviewer():
    from django.contrib.auth.models import Group

    reviewer = UserFactory(username="reviewer")
    reviewer.groups.add(Group.objects.get(name="Moderators"), Group.objects.get(name="Unit staff"))
    return reviewer


def test_focal_point_sends_a_contribution_that_lands_in_review(client, indexes, countries, users):
    sign_in(client, users["focal_th"])
    response = client.post(CONTRIBUTE, _form(countries))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = PublicationPage.objects.get(kind=Kind.CONTRIBUTION)
    assert page.get_parent().specific == indexes[1]
    assert not page.live
    assert page.record_tier == Tier.CONFIDENTIAL and page.file_tier == Tier.CONFIDENTIAL
    assert [c.code for c in page.countries.all()] == ["TH"]
    assert page.proposed_record_tier == Tier.RESTRICTED
    document = page.files.get().document
    assert document.record_tier == Tier.CONFIDENTIAL and [c.code for c in document.countries.all()] == ["TH"]
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_IN_PROGRESS
    html = client.get(MINE).content.decode()
    assert "Southern border cases, 2025" in html and "In review" in html


@pytest.mark.parametrize("who", ["anonymous", "registered", "official_th", "official_vn"])
def test_only_verified_focal_points_may_contribute(client, indexes, countries, users, who):
    sign_in(client, users[who])
    response = client.get(CONTRIBUTE)
    assert response.status_code == (302 if who == "anonymous" else 403)
    sign_in(client, users[who]).post(CONTRIBUTE, _form(countries))
    assert not PublicationPage.objects.filter(kind=Kind.CONTRIBUTION).exists()


def test_focal_point_cannot_contribute_for_another_country(client, indexes, countries, users):
    sign_in(client, users["focal_th"])
    response = client.post(CONTRIBUTE, _form(countries, country=countries["VN"].pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PublicationPage.objects.exists() or not PublicationPage.objects.filter(kind=Kind.CONTRIBUTION)


def test_bad_files_are_refused_with_a_clear_message(client, indexes, countries, users, monkeypatch):
    sign_in(client, users["focal_th"])
    fake = SimpleUploadedFile("notes.pdf", b"just some text", "application/pdf")
    html = client.post(CONTRIBUTE, _form(countries, files=[fake])).content.decode()
    assert "notes.pdf is not a PDF file." in html
    monkeypatch.setattr(contributions, "MAX_FILE_MB", 0.01)
    html = client.post(CONTRIBUTE, _form(countries)).content.decode()
    assert "is larger than" in html
    assert not PublicationPage.objects.filter(kind=Kind.CONTRIBUTION).exists()


def test_reviewers_publish_ask_for_changes_or_keep_internal(client, home_page, indexes, countries, users):
    country_index = CountryIndexPageFactory(parent=home_page)
    CountryPageFactory(parent=country_index, country=countries["TH"])
    sign_in(client, users["focal_th"])
    for n in range(3):
        client.post(CONTRIBUTE, _form(countries, title=f"Contribution {n}", files=[_pdf(f"c{n}.pdf")]))
    first, second, third = PublicationPage.objects.filter(kind=Kind.CONTRIBUTION).order_by("pk")
    reviewer = _reviewer()

    # Publish, with the tiers the reviewer chose.
    first.record_tier = first.file_tier = Tier.PUBLIC
    first.countries = []
    first.save_revision(user=reviewer)
    first.current_workflow_task.on_action(first.current_workflow_task_state, reviewer, "approve", comment="Thanks!")
    # Ask for changes.
    second.current_workflow_task.on_action(
        second.current_workflow_task_state, reviewer, "reject", comment="Please add the 2024 figures."
    )
    # Keep internal: approved as it is (confidential), flagged.
    third.kept_internal = True
    third.save_revision(user=reviewer)
    third.current_workflow_task.on_action(third.current_workflow_task_state, reviewer, "approve")

    html = client.get(MINE).content.decode()
    assert "Published" in html and "Thanks!" in html
    assert "Changes requested" in html and "Please add the 2024 figures." in html
    assert "Kept internal by the unit" in html

    first.refresh_from_db()
    assert first.live
    client.logout()
    assert client.get(first.url).status_code == 200
    third.refresh_from_db()
    assert third.live and client.get(third.url).status_code == 404
    # Counted among what the reader may know about: the public sees the one published openly; the focal point all.
    assert "1 sent, 1 published" in client.get("/countries/th/").content.decode()
    sign_in(client, users["focal_th"])
    assert "3 sent, 2 published" in client.get("/countries/th/").content.decode()


def test_contributions_are_seen_by_focal_points_of_their_country_only(client, indexes, countries, users):
    sign_in(client, users["focal_th"]).post(CONTRIBUTE, _form(countries))
    colleague = AccessProfileFactory(role=AccessProfile.Role.FOCAL_POINT, country=countries["TH"]).user
    assert "Southern border cases" in sign_in(client, colleague).get(MINE).content.decode()
    neighbour = AccessProfileFactory(role=AccessProfile.Role.FOCAL_POINT, country=countries["VN"]).user
    assert "Southern border cases" not in sign_in(client, neighbour).get(MINE).content.decode()
    assert "Southern border cases" not in sign_in(client, users["official_th"]).get(MINE).content.decode()


def test_contributor_sends_a_revision_after_changes_were_requested(client, indexes, countries, users):
    sign_in(client, users["focal_th"]).post(CONTRIBUTE, _form(countries))
    page = PublicationPage.objects.get(kind=Kind.CONTRIBUTION)
    revise = reverse("publications:resubmit", args=[page.pk])
    assert client.get(revise).status_code == 404  # nothing to revise while in review
    reviewer = _reviewer()
    page.current_workflow_task.on_action(page.current_workflow_task_state, reviewer, "reject", comment="Add 2024.")
    assert "Send a revised version" in client.get(MINE).content.decode()
    response = client.post(revise, {"note": "Added the 2024 figures.", "files": [_pdf("revised.pdf")]})
    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert len(draft.files.all()) == 2
    assert "Added the 2024 figures." in draft.summary
    assert all(f.document.record_tier == Tier.CONFIDENTIAL for f in draft.files.all())
    # Another user cannot revise it.
    assert sign_in(client, users["staff"]).get(revise).status_code == 404
