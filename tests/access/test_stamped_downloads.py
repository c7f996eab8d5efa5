"""Restricted and confidential PDFs are served stamped (who, agency, country, UTC time, document id), never the
unstamped original; if the stamp cannot be made nothing is served and the failure is logged."""

import hashlib
import io
from pathlib import Path

import pypdf
import pytest
from django.core.files import File
from wagtail.documents import get_document_model

from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import sign_in

pytestmark = pytest.mark.django_db
PDFS = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"


def _document(name, tier, title="Irregular migration routes 2025"):
    with open(PDFS / name, "rb") as fh:
        document = get_document_model()(title=title, file=File(fh, name=name), record_tier=Tier.PUBLIC, file_tier=tier)
        document.save()
    return document


def _sha(document):
    with document.file.open("rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_a_restricted_pdf_is_stamped_on_every_page_and_the_original_kept(client, users, home_page):
    document = _document("pdflatex-4-pages.pdf", Tier.RESTRICTED)
    before = _sha(document)
    official = users["official_th"]
    official.first_name, official.last_name = "Nguyen", "Anh"
    official.save()
    sign_in(client, official)

    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    texts = _pages_text(response.content)
    assert len(texts) == 4
    for text in texts:
        flat = " ".join(text.split())
        assert "Nguyen Anh" in flat and "Immigration Bureau" in flat and "Thailand" in flat
        assert "UTC" in flat and f"CAU-DOC-{document.pk}" in flat
    assert _sha(document) == before
    event = AuditEvent.objects.get(action="file_opened")
    assert event.user == official and event.detail == "stamped copy"


def test_a_confidential_pdf_opened_by_staff_is_stamped_too(client, users, home_page):
    document = _document("latex-minimal-1p.pdf", Tier.CONFIDENTIAL)
    sign_in(client, users["staff"])
    response = client.get(document.url)
    assert f"CAU-DOC-{document.pk}" in " ".join(_pages_text(response.content)[0].split())


def test_a_registered_pdf_is_served_as_stored(client, users, home_page):
    document = _document("latex-minimal-1p.pdf", Tier.REGISTERED)
    sign_in(client, users["registered"])
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and hashlib.sha256(body).hexdigest() == _sha(document)


def test_when_stamping_fails_nothing_is_served_and_the_failure_is_logged(client, users, home_page):
    document = _document("encrypted-aes256-r6-user-foo-owner-bar.pdf", Tier.RESTRICTED, title="Locked report")
    sign_in(client, users["official_th"])
    response = client.get(document.url)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    assert "could not be added" in response.content.decode()
    assert AuditEvent.objects.filter(action="stamp_failed", object_title="Locked report").exists()
    assert not AuditEvent.objects.filter(action="file_opened").exists()
