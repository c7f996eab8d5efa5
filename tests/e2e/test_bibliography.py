"""An editor imports a BibTeX file in the admin and reads the report; the public browses, searches, opens
an entry with its citations and exports it, in a real browser."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.access.helpers import sign_in
from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def signed_in_context(browser, live_server, user):
    client = sign_in(Client(), user)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_editor_imports_and_the_public_browses_and_cites(live_server, browser, page, users):
    staff = users["staff"]
    staff.is_staff = staff.is_superuser = True
    staff.save()
    editor = signed_in_context(browser, live_server, staff)
    try:
        admin = editor.new_page()
        admin.goto(f"{live_server.url}/admin/bibliography-tools/import/")
        admin.set_input_files("input[type=file]", str(FIXTURES / "bib" / "crossref-entries.bib"))
        admin.get_by_role("button", name="Import").click()
        report = admin.locator(".bib-report")
        report.wait_for()
        assert "14 created" in report.inner_text()
        assert "0 failed" in report.inner_text()
    finally:
        editor.close()

    page.goto(f"{live_server.url}/bibliography/")
    assert "14 entries" in page.locator("#bib-count").inner_text()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Search within the bibliography").fill("Fourier")
    page.get_by_role("button", name="Apply").click()
    assert "1 entry" in page.locator("#bib-count").inner_text()
    page.get_by_role("link", name="Fabulous Fourier Forms").click()
    page.wait_for_url("**/bibliography/*/")
    assert "Fumble, F. (1974). Fabulous Fourier Forms." in page.locator("#citation-apa").inner_text()
    assert page.get_by_role("button", name="Copy APA 7th edition citation").is_visible()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="BibTeX").click()
    assert "Fabulous Fourier Forms" in Path(download.value.path()).read_text(encoding="utf-8")
