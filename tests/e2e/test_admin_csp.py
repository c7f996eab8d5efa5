"""The Wagtail admin works under its Content-Security-Policy: staff pass the second factor, then the dashboard
and a page editor load without the browser reporting a blocked script, style or image."""

import pytest

from tests.access.helpers import confirmed_device, totp_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_reach_the_admin_through_the_second_factor_and_nothing_is_blocked(live_server, page, users, home_page):
    staff = users["staff"]
    staff.is_superuser = True  # every admin screen, including the page editor
    staff.save()
    device = confirmed_device(staff)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "a-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-factor/**")
    page.get_by_label("Code from your authenticator app").fill(totp_now(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/pages/{home_page.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form#page-edit-form").count() == 1
    assert violations == []
