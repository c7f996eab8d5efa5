"""Access requests, staff decisions in the admin, grants that end, and the append-only audit log."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from portal.access.models import AccessGrant, AccessRequest, AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import request_access_url, sign_in
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(home_page):
    """A report anyone may know about, whose file only officials may open."""
    document = get_document_model()(
        title="Debt bondage along the Mekong",
        file=ContentFile(b"the full text", name="debt-bondage.txt"),
        record_tier=Tier.PUBLIC,
        file_tier=Tier.RESTRICTED,
    )
    document.save()
    return document


def _ask(client, item, reason="I teach the module on debt bondage."):
    return client.post(request_access_url(item), {"reason": reason})


def test_the_restricted_panel_explains_and_offers_sign_in_then_request(client, users, report):
    response = client.get(report.url)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Restricted to verified officials of the participating countries" in html
    assert "/account/login/?next=" in html and request_access_url(report) not in html
    sign_in(client, users["registered"])
    html = client.get(report.url).content.decode()
    assert request_access_url(report) in html


def test_a_request_is_recorded_once_and_logged(client, users, report):
    sign_in(client, users["registered"])
    assert _ask(client, report).status_code == 302
    request = AccessRequest.objects.get()
    assert (request.user, request.title, request.status) == (users["registered"], report.title, "pending")
    assert AuditEvent.objects.filter(action="access_requested", object_title=report.title).exists()
    _ask(client, report)  # a second one while the first is pending is not created
    assert AccessRequest.objects.count() == 1


def test_no_request_form_for_items_whose_record_is_hidden(client, users, home_page):
    secret = StandardPageFactory(parent=home_page, record_tier=Tier.CONFIDENTIAL, file_tier=Tier.CONFIDENTIAL)
    sign_in(client, users["registered"])
    assert client.get(request_access_url(secret)).status_code == 404
    assert _ask(client, secret).status_code == 404
    assert not AccessRequest.objects.exists()


def _decide(client, access_request, **data):
    return client.post(f"/admin/access/requests/edit/{access_request.pk}/", data)


def test_staff_approve_until_a_date_and_the_grant_is_honoured_until_then(client, users, report):
    requester = users["registered"]
    access_request = AccessRequest.objects.create(
        user=requester, content_type_id=_ct(report), object_id=report.pk, title=report.title, reason="work"
    )
    sign_in(client, users["staff"])
    until = timezone.localtime() + timedelta(days=14)
    response = _decide(client, access_request, decision="approve", valid_until=until.strftime("%Y-%m-%d %H:%M"))
    assert response.status_code == 302, response.content.decode()[:2000]

    grant = AccessGrant.objects.get(user=requester)
    assert abs(grant.valid_until - until) < timedelta(minutes=1)
    assert mail.outbox[-1].to == [requester.email] and "approved" in mail.outbox[-1].subject
    assert AuditEvent.objects.filter(action="grant_created", user=users["staff"]).exists()

    sign_in(client, requester)
    assert client.get(report.url).status_code == 200
    AccessGrant.objects.filter(pk=grant.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert client.get(report.url).status_code == 403  # the grant has ended by itself


def test_staff_refuse_with_a_reason_that_is_sent(client, users, report):
    access_request = AccessRequest.objects.create(
        user=users["registered"], content_type_id=_ct(report), object_id=report.pk, title=report.title, reason="x"
    )
    sign_in(client, users["staff"])
    response = _decide(client, access_request, decision="refuse", refusal_reason="")
    assert response.status_code == 200  # a refusal needs its reason
    _decide(client, access_request, decision="refuse", refusal_reason="Only for officials of the countries.")
    access_request.refresh_from_db()
    assert access_request.status == "refused" and not AccessGrant.objects.exists()
    assert "Only for officials of the countries." in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="grant_refused").exists()


def test_staff_verify_an_official_from_the_admin(client, users, countries, home_page):
    from portal.access.models import AccessProfile

    applicant = UserFactory()
    profile = AccessProfile.objects.create(user=applicant, role="official", country=countries["LA"], agency="Police")
    sign_in(client, users["staff"])
    assert "Verify" in client.get("/admin/access/officials/").content.decode()
    assert client.post(f"/admin/access/officials/verify/{profile.pk}/").status_code == 302
    profile.refresh_from_db()
    assert profile.is_verified and profile.verified_by == users["staff"]
    assert AuditEvent.objects.filter(action="official_verified").exists()


def test_only_unit_staff_reach_the_access_admin(client, users, home_page):
    sign_in(client, users["official_th"])
    assert client.get("/admin/access/requests/").status_code in (302, 403)


# ---- the audit log ------------------------------------------------------------------------------------------


def test_opening_a_non_public_file_is_logged_with_who_and_where(client, users, report):
    sign_in(client, users["official_vn"])
    client.get(report.url, HTTP_USER_AGENT="pytest-browser", REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.get(action="file_opened")
    assert (event.user, event.object_id, event.object_title) == (users["official_vn"], report.pk, report.title)
    assert (event.ip_address, event.user_agent) == ("203.0.113.9", "pytest-browser")


def test_public_files_are_not_logged(client, home_page):
    document = get_document_model()(title="Public", file=ContentFile(b"x", name="p.txt"))
    document.save()
    assert client.get(document.url).status_code == 200
    assert not AuditEvent.objects.filter(action="file_opened").exists()


def test_tier_changes_are_logged_with_before_and_after(client, users, countries, home_page):
    page = StandardPageFactory(parent=home_page, title="Assessment")
    page.record_tier = Tier.RESTRICTED
    page.countries.set([countries["TH"]])
    page.save()
    event = AuditEvent.objects.get(action="tier_changed")
    assert "record tier: Public → Restricted" in event.detail
    assert "countries: all → TH" in event.detail
    page.title = "Assessment (revised)"
    page.save()
    page.save_revision()  # a draft leaves the live settings alone
    assert AuditEvent.objects.filter(action="tier_changed").count() == 1


def test_the_audit_log_cannot_be_changed_or_deleted(users, report):
    event = AuditEvent.objects.create(action="file_opened", object_title="x")
    event.detail = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()


def test_the_audit_admin_lists_filters_and_exports_csv_but_has_no_edit(client, users, report):
    sign_in(client, users["official_vn"])
    client.get(report.url)
    AuditEvent.objects.create(action="grant_refused", object_title="Something else")
    sign_in(client, users["staff"])
    html = client.get("/admin/access/audit/?action=file_opened").content.decode()
    assert report.title in html and "Something else" not in html
    response = client.get("/admin/access/audit/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert any(report.title in row for row in rows)
    event = AuditEvent.objects.first()
    assert client.get("/admin/access/audit/new/").status_code in (302, 403)
    assert client.post(f"/admin/access/audit/edit/{event.pk}/", {"action": "x"}).status_code in (302, 403)
    assert client.post(f"/admin/access/audit/delete/{event.pk}/").status_code in (302, 403)
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()


def _ct(item):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


def test_the_decision_and_verification_forms_show_their_fields(client, users, report):
    access_request = AccessRequest.objects.create(
        user=users["registered"], content_type_id=_ct(report), object_id=report.pk, title=report.title, reason="x"
    )
    sign_in(client, users["staff"])
    html = client.get(f"/admin/access/requests/edit/{access_request.pk}/").content.decode()
    assert 'name="decision"' in html and 'name="valid_until"' in html and 'name="refusal_reason"' in html
    profile = users["official_th"].access_profile
    html = client.get(f"/admin/access/officials/edit/{profile.pk}/").content.decode()
    assert 'name="verified"' in html


@pytest.mark.parametrize(
    ("offset", "honoured"),
    [
        (timedelta(days=-1), False),
        (timedelta(seconds=-1), False),
        (timedelta(seconds=30), True),
        (timedelta(days=30), True),
    ],
)
def test_a_grant_is_honoured_until_it_ends_in_every_form_of_the_policy(users, report, offset, honoured):
    from portal.access import policy

    requester = users["registered"]
    AccessGrant.objects.create(
        user=requester, content_type_id=_ct(report), object_id=report.pk, valid_until=timezone.now() + offset
    )
    audience = policy.audience_for(requester)
    one = type(report).objects.filter(pk=report.pk)
    assert policy.can_open_files(audience, report) is honoured
    assert policy.filter_files(one, audience).exists() is honoured
    other = policy.audience_for(UserFactory())  # a grant is for one user only
    assert not policy.can_open_files(other, report) and not policy.filter_files(one, other).exists()


def test_stored_files_have_no_public_address(client, users, report):
    name = report.file.name
    for url in (f"/media/{name}", f"/private/{name}", f"/media/private/{name}", f"/static/{name}"):
        assert client.get(url).status_code == 404, url
