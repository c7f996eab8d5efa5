"""The editor's path (create a report with two PDFs in the admin, submit it to CAU review, a reviewer approves it)
and the reader's path (index → publication → cite → download), in a real browser."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Site

from publications.models import PublicationPage
from publications.workflow import assign_review_workflow
from tests.access.helpers import sign_in
from tests.e2e.conftest import assert_no_serious_axe_violations
from tests.factories import UserFactory
from tests.publications.factories import DocumentFactory, PublicationIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def signed_in_context(browser, live_server, user):
    client = sign_in(Client(), user)
    context = browser.new_context(accept_downloads=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _choose_document(admin, title):
    admin.get_by_role("button", name="Add file").click()
    admin.get_by_role("button", name="Choose a document").last.click()
    modal = admin.locator(".modal-content")
    modal.get_by_role("link", name=title).click()
    modal.wait_for(state="hidden")


def test_editor_publishes_through_review_and_the_public_reads_and_downloads(live_server, browser, page, home_page):
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=live_server.thread.port)
    index = PublicationIndexPageFactory(parent=home_page)
    assign_review_workflow(index)
    DocumentFactory(title="Mekong report, full text")
    DocumentFactory(title="Mekong report, summary")
    editor = UserFactory(username="editor-e2e", is_staff=True, is_superuser=True)
    editor.groups.add(Group.objects.get(name="Moderators"))

    context = signed_in_context(browser, live_server, editor)
    try:
        admin = context.new_page()
        admin.set_default_timeout(20000)
        admin.goto(f"{live_server.url}/admin/pages/add/publications/publicationpage/{index.pk}/")
        admin.locator("input[name='title']").fill("Mekong smuggling report 2025")
        admin.locator("textarea[name='summary']").fill("Routes and fees across the Mekong sub-region.")
        _choose_document(admin, "Mekong report, full text")
        _choose_document(admin, "Mekong report, summary")
        admin.locator("select[name='files-1-role']").select_option("summary")
        admin.get_by_role("button", name="More actions").click()
        admin.get_by_role("button", name="Submit to Publications review").click()
        admin.wait_for_url("**/admin/pages/**")
        publication = PublicationPage.objects.get(title="Mekong smuggling report 2025")
        assert not publication.live
        assert publication.current_workflow_task.name == "CAU review"

        # The reviewer approves in the editor: the page goes live.
        admin.goto(f"{live_server.url}/admin/pages/{publication.pk}/edit/")
        admin.get_by_role("button", name="More actions").click()
        admin.get_by_role("button", name="Approve").first.click()
        dialog = admin.get_by_role("dialog")
        if dialog.count() and dialog.first.is_visible():
            dialog.get_by_role("button", name="Approve").last.click()
        admin.wait_for_url("**/admin/pages/**")
    finally:
        context.close()
    publication.refresh_from_db()
    assert publication.live
    assert publication.files.count() == 2

    page.goto(f"{live_server.url}{index.url}")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Mekong smuggling report 2025").click()
    page.wait_for_url(f"**{publication.url}")
    assert "Routes and fees" in page.locator(".lead").inner_text()
    assert page.locator('meta[name="citation_pdf_url"]').count() == 1
    assert "Mekong smuggling report 2025" in page.locator(".citation-apa").inner_text()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Mekong report, full text").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
