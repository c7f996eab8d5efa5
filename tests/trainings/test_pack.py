"""The course pack: a ZIP of every material the reader may open, stamped where a direct download is, audited as a
direct download is, with a README naming only what the reader may know exists."""

import io
import zipfile

import pypdf
import pytest
from django.core.files.base import ContentFile

from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.trainings.factories import ModulePageFactory, PdfDocumentFactory, add_material

pytestmark = pytest.mark.django_db


def _pack_url(course):
    return f"/trainings/{course.pk}/pack.zip"


def _get_pack(client, course):
    response = client.get(_pack_url(course))
    assert response.status_code == 200, response.status_code
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def restricted_module(course, countries):
    """A visible module of the public course with a Thailand-only restricted reading and a staff-only note."""
    module = ModulePageFactory(parent=course, title="Case studies", order=3)
    reading = PdfDocumentFactory(title="Southern border case file", file_tier=Tier.RESTRICTED)
    reading.countries.set([countries["TH"]])
    reading.save()
    add_material(module, reading, kind="reading", title="Southern border case file")
    add_material(module, PdfDocumentFactory(title="Trainers' private notes", record_tier=Tier.CONFIDENTIAL))
    return module


def test_trainee_gets_every_material_of_the_course(client, course, users):
    pack = _get_pack(sign_in(client, users["registered"]), course)
    names = pack.namelist()
    assert names[-1] == "README.txt"
    assert names[:-1] == [
        "01-defining-migrant-smuggling/01-definitions-slides.pdf",
        "01-defining-migrant-smuggling/02-definitions-handbook.pdf",
        "02-recording-a-case/01-case-form-exercise.pdf",
    ]
    assert pack.testzip() is None
    for module in course.get_children().specific():
        for material in module.materials.all():
            with material.document.file.open("rb") as fh:
                assert fh.read() in [pack.read(n) for n in names]  # registered files go in as they are
    readme = pack.read("README.txt").decode()
    assert course.title in readme and "In this pack (3 files)" in readme and "Left out" not in readme
    # Registered files are not public: each one in the pack is logged as a direct download is.
    events = AuditEvent.objects.filter(action="file_opened")
    assert events.count() == 3 and all("course pack" in e.detail for e in events)


def test_anonymous_reader_is_told_to_sign_in(client, course):
    response = client.get(_pack_url(course))
    assert response.status_code == 403
    assert b"restricted-panel" in response.content and b"Sign in" in response.content


def test_a_restricted_pdf_goes_in_stamped_for_the_official_and_is_named_as_left_out_for_others(
    client, course, restricted_module, users
):
    official = users["official_th"]
    pack = _get_pack(sign_in(client, official), course)
    name = "03-case-studies/01-southern-border-case-file.pdf"
    assert name in pack.namelist()
    text = _text(pack.read(name))
    assert "Provided to" in text and official.get_username() in text and "Immigration Bureau" in text
    reading = restricted_module.materials.get(kind="reading").document
    with reading.file.open("rb") as fh:
        assert pack.read(name) != fh.read()
    assert AuditEvent.objects.filter(action="file_opened", object_id=reading.pk, detail__startswith="stamped copy")
    readme = pack.read("README.txt").decode()
    assert "carry your name" in readme
    assert "private notes" not in readme.lower()  # confidential record: not even named

    client.logout()
    pack = _get_pack(sign_in(client, users["registered"]), course)
    assert name not in pack.namelist()
    readme = pack.read("README.txt").decode()
    assert "Left out" in readme and "Southern border case file" in readme
    assert "verified officials of Thailand" in readme
    assert "private notes" not in readme.lower()
    assert len(pack.namelist()) == 4


def test_a_hidden_module_is_neither_packed_nor_named(client, course, users):
    hidden = ModulePageFactory(parent=course, title="Undercover operations at sea", record_tier=Tier.RESTRICTED)
    add_material(hidden, title="Boarding procedures handbook", kind="handbook")
    pack = _get_pack(sign_in(client, users["registered"]), course)
    everything = " ".join(pack.namelist()) + pack.read("README.txt").decode()
    assert "undercover" not in everything.lower() and "boarding" not in everything.lower()
    pack = _get_pack(sign_in(client, users["official_vn"]), course)
    assert any(n.startswith("03-undercover-operations-at-sea/") for n in pack.namelist())


def test_a_pdf_that_cannot_be_stamped_is_left_out_never_sent_unstamped(client, course, users):
    module = ModulePageFactory(parent=course, title="Damaged", order=5)
    broken = PdfDocumentFactory(
        title="Damaged handbook",
        file=ContentFile(b"%PDF-1.4\nnot really a PDF\n", name="damaged.pdf"),
        file_tier=Tier.RESTRICTED,
    )
    add_material(module, broken, kind="handbook", title="Damaged handbook")
    pack = _get_pack(sign_in(client, users["official_th"]), course)
    assert not any(n.startswith("03-damaged/") for n in pack.namelist())
    assert all(b"not really a PDF" not in pack.read(n) for n in pack.namelist())
    readme = pack.read("README.txt").decode()
    assert "Damaged handbook" in readme and "could not be made" in readme
    assert AuditEvent.objects.filter(action="stamp_failed", object_id=broken.pk).exists()


def test_a_video_link_is_listed_in_the_readme(client, course, users):
    from trainings.models import ModuleMaterial

    module = course.get_children().first().specific
    ModuleMaterial.objects.create(
        page=module, kind="video_link", title="Lecture recording", link_url="https://video.example.org/lecture-1"
    )
    readme = _get_pack(sign_in(client, users["registered"]), course).read("README.txt").decode()
    assert "Lecture recording: https://video.example.org/lecture-1" in readme


def test_a_public_course_with_public_files_is_packed_for_anyone_without_audit(client, course_index):
    from tests.trainings.factories import CoursePageFactory

    course = CoursePageFactory(parent=course_index, file_tier=Tier.PUBLIC)
    module = ModulePageFactory(parent=course, file_tier=Tier.PUBLIC, title="Open module")
    add_material(module, title="Open slides")
    assert _get_pack(client, course).namelist() == ["01-open-module/01-open-slides.pdf", "README.txt"]
    assert not AuditEvent.objects.filter(action="file_opened").exists()


def test_an_unknown_or_unpublished_course_is_404(client, course, users):
    sign_in(client, users["staff"])
    assert client.get("/trainings/999999/pack.zip").status_code == 404
    course.unpublish()
    assert client.get(_pack_url(course)).status_code == 404
