"""The official's path in a real browser: password, then the code from the authenticator app, then a restricted
report's PDF, which arrives stamped with their name and is logged; the anonymous visitor gets 404 for the same
address."""

import io
from pathlib import Path

import pypdf
import pytest
from django.core.files import File
from wagtail.documents import get_document_model

from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import confirmed_device, totp_now
from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PDF = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "latex-minimal-1p.pdf"


@pytest.fixture
def restricted_report(home_page, countries):
    with open(PDF, "rb") as fh:
        document = get_document_model()(
            title="Smuggling routes through Thailand, 2025",
            file=File(fh, name="routes-th-2025.pdf"),
            record_tier=Tier.RESTRICTED,
            file_tier=Tier.RESTRICTED,
        )
        document.save()
    document.countries.set([countries["TH"]])
    document.save()
    return document


def test_official_signs_in_with_second_factor_and_gets_a_stamped_logged_pdf(
    live_server, page, users, restricted_report
):
    official = users["official_th"]
    official.first_name, official.last_name = "Malee", "Srisuk"
    official.save()
    device = confirmed_device(official)
    report_url = live_server.url + restricted_report.url

    page.goto(f"{live_server.url}/account/login/?next={restricted_report.url}")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Username").fill(official.username)
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-factor/**")
    assert_no_serious_axe_violations(page)

    page.get_by_label("Code from your authenticator app").fill(totp_now(device))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Verify").click()  # the next address is the report itself
    pdf_bytes = Path(download_info.value.path()).read_bytes()

    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text().split())
    assert "Malee Srisuk" in text and "Immigration Bureau" in text and "Thailand" in text
    assert f"CAU-DOC-{restricted_report.pk}" in text and "UTC" in text
    assert AuditEvent.objects.filter(action="file_opened", user=official, object_id=restricted_report.pk).exists()

    anonymous = page.context.browser.new_context()
    try:
        response = anonymous.new_page().goto(report_url)
        assert response.status == 404
    finally:
        anonymous.close()
