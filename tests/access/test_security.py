"""CSP per area, CSRF, upload size, no shared caching of signed-in pages, user text always escaped."""

import pytest
from django.test import Client, override_settings

from portal.access.models import AccessProfile
from tests.access.helpers import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _csp(response) -> dict:
    directives = (d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def test_the_public_site_gets_the_strict_policy(client, home_page):
    csp = _csp(client.get("/"))
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in _csp(client.get("/account/login/"))["script-src"]


def test_the_admin_gets_what_wagtail_needs_and_no_more(client, users, home_page):
    sign_in(client, users["staff"])
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = _csp(response)
    assert "'unsafe-inline'" in csp["style-src"] and "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["default-src"] == ["'self'"]
    assert not any(src.startswith("http") for sources in csp.values() for src in sources)


def test_forms_refuse_posts_without_a_csrf_token(home_page):
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    response = client.post("/account/login/", {"username": user.username, "password": "a-test-password"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@override_settings(PORTAL_MAX_UPLOAD_MB=1)
def test_uploads_over_the_limit_are_refused_before_reading(client, users, home_page):
    sign_in(client, users["staff"])
    response = client.post("/admin/documents/multiple/add/", {"files[]": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()


def test_pages_for_signed_in_users_are_never_kept_by_shared_caches(client, users, home_page):
    anonymous = client.get("/")
    assert "private" not in anonymous.get("Cache-Control", "")
    sign_in(client, users["registered"])
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_the_audience_key_changes_with_the_second_factor(rf, users):
    from django.contrib.auth.models import AnonymousUser

    from portal.access import policy

    official = users["official_th"]
    request = rf.get("/")
    request.user = official
    official.is_verified = lambda: False
    unverified = policy.audience_for(request)
    request2 = rf.get("/")
    request2.user = official
    official.is_verified = lambda: True
    verified = policy.audience_for(request2)
    assert unverified.key != verified.key and not unverified.official_countries
    request3 = rf.get("/")
    request3.user = AnonymousUser()
    assert policy.audience_for(request3).key == "anonymous"


def test_text_from_applicants_is_escaped_in_the_admin(client, users, countries, home_page):
    applicant = UserFactory()
    profile = AccessProfile.objects.create(
        user=applicant, role="official", country=countries["MM"], justification="<script>alert(1)</script>"
    )
    sign_in(client, users["staff"])
    html = client.get(f"/admin/access/officials/verify/{profile.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
