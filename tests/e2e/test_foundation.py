import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.access.helpers import confirmed_device, totp_now
from tests.e2e.conftest import assert_no_serious_axe_violations


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=io.StringIO())
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    return live_server


def test_home_content_page_and_admin_login(demo_site, page):
    page.goto(demo_site.url + "/")
    assert "Smuggling of migrants" in page.title()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="About the unit").first.click()
    page.wait_for_url("**/about/")
    assert page.get_by_role("heading", level=1).inner_text() == "About the unit"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"

    # Staff sign in with a second factor: the code an authenticator app would show for the editor's device.
    device = confirmed_device(get_user_model().objects.get(username="editor"))
    page.goto(demo_site.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "demo-editor-pass")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-factor/**")
    page.get_by_label("Code from your authenticator app").fill(totp_now(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", level=1).count() >= 1


def test_country_page_in_a_browser(demo_site, page):
    page.goto(demo_site.url + "/countries/th/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thailand")
    assert_no_serious_axe_violations(page)
