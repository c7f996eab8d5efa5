"""Sign-up with email confirmation, password reset, applying as an official, the second factor, lockout."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access.models import AccessProfile, AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import confirmed_device, sign_in, totp_now
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-test-password"


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_needs_the_emailed_link_before_signing_in(client, home_page):
    response = client.post(
        "/account/signup/",
        {
            "username": "trainee",
            "email": "trainee@example.org",
            "first_name": "Somchai",
            "last_name": "Dee",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    user = User.objects.get(username="trainee")
    assert not user.is_active
    assert not client.login(username="trainee", password="correct horse battery")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["trainee@example.org"]
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.login(username="trainee", password="correct horse battery")


def test_a_tampered_confirmation_link_is_refused(client, home_page):
    user = UserFactory(is_active=False)
    response = client.get(f"/account/confirm/{user.pk}/not-a-token/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_password_reset_by_email(client, home_page):
    user = UserFactory(email="reset@example.org")
    client.post("/account/password/reset/", {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    response = client.get(_link(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a brand new secret", "new_password2": "a brand new secret"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new secret")


def test_apply_as_an_official_waits_for_staff(client, home_page, countries, users):
    user = UserFactory()
    sign_in(client, user)
    response = client.post(
        "/account/apply/",
        {
            "country": countries["VN"].pk,
            "agency": "Border Guard Command",
            "position": "Analyst",
            "justification": "I compile SOM cases for the national report.",
        },
    )
    assert response.status_code == 302
    profile = AccessProfile.objects.get(user=user)
    assert profile.role == AccessProfile.Role.OFFICIAL and not profile.is_verified
    assert AuditEvent.objects.filter(action="official_applied", user=user).exists()
    assert mail.outbox and "staff@example.org" in mail.outbox[-1].to  # unit staff are told


def test_reapplying_with_new_details_needs_verifying_again(client, users, countries, home_page):
    official = users["official_vn"]
    sign_in(client, official)
    client.post(
        "/account/apply/",
        {"country": countries["KH"].pk, "agency": "Other", "position": "X", "justification": "Moved."},
    )
    official.access_profile.refresh_from_db()
    assert not official.access_profile.is_verified


@pytest.fixture
def restricted_page(home_page, countries):
    return StandardPageFactory(
        parent=home_page, title="Route analysis", slug="route", record_tier=Tier.RESTRICTED, file_tier=Tier.RESTRICTED
    )


def test_official_without_second_factor_sees_only_what_registered_users_see(client, users, restricted_page):
    sign_in(client, users["official_th"], second_factor=False)
    assert client.get("/route/").status_code == 404
    sign_in(client, users["official_th"])
    assert client.get("/route/").status_code == 200


def test_staff_without_second_factor_are_sent_to_it_from_the_admin(client, users, home_page):
    sign_in(client, users["staff"], second_factor=False)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    sign_in(client, users["staff"])
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # a wrong code otherwise makes the next one wait two seconds
def test_login_then_totp_code_gives_the_official_audience(client, users, restricted_page):
    official = users["official_th"]
    device = confirmed_device(official)
    response = client.post("/account/login/", {"username": official.username, "password": PASSWORD, "next": "/route/"})
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    assert client.get("/route/").status_code == 404  # password alone is not enough

    response = client.post("/account/two-factor/", {"token": "000000" if totp_now(device) != "000000" else "111111"})
    assert response.status_code == 200 and "not valid" in response.content.decode()
    response = client.post("/account/two-factor/", {"token": totp_now(device), "next": "/route/"})
    assert response.status_code == 302 and response["Location"] == "/route/"
    assert client.get("/route/").status_code == 200


def test_first_login_of_an_official_enrols_an_authenticator_with_an_inline_qr_code(client, users, home_page):
    official = users["official_vn"]
    response = client.post("/account/login/", {"username": official.username, "password": PASSWORD})
    assert response["Location"].startswith("/account/two-factor/setup/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    response = client.post("/account/two-factor/setup/", {"token": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_plain_registered_users_sign_in_without_a_second_factor(client, home_page):
    user = UserFactory()
    response = client.post("/account/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and not response["Location"].startswith("/account/two-factor")


def test_next_cannot_send_the_user_to_another_site(client, users, home_page):
    official = users["official_th"]
    device = confirmed_device(official)
    client.force_login(official)
    response = client.post("/account/two-factor/", {"token": totp_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
@pytest.mark.parametrize("login_url", ["/account/login/", "/admin/login/"])
def test_repeated_failures_lock_the_account_out(client, users, home_page, login_url):
    user = users["registered"]
    for _ in range(3):
        client.post(login_url, {"username": user.username, "password": "wrong"})
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
