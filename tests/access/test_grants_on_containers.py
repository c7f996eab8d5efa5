"""A grant on an item opens what the item holds: a publication's attached files, a course's modules and materials,
the pictures of a page. Nothing else: other items stay as closed as before."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from portal.access import policy
from portal.access.models import AccessGrant
from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.images.test_images import figure_body, make_image
from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory, attach
from tests.trainings.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, add_material

pytestmark = pytest.mark.django_db


def grant(user, page, days=7):
    return AccessGrant.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=page.pk,
        valid_until=timezone.now() + timedelta(days=days),
    )


def restricted_to(page, country):
    page.record_tier, page.file_tier = Tier.PUBLIC, Tier.RESTRICTED
    page.save()
    page.countries.set([country])
    page.save()
    return page


@pytest.fixture
def report(home_page, countries):
    """A publication anyone may know about whose files are for officials of Thailand."""
    index = PublicationIndexPageFactory(parent=home_page)
    page = restricted_to(PublicationPageFactory(parent=index, title="Fees and debt"), countries["TH"])
    attach(page)
    page.save()  # closes the attached document to the page
    return page


def test_a_grant_on_a_publication_opens_its_attached_files_and_nothing_else(client, users, report):
    document = report.files.get().document
    assert document.file_tier == Tier.RESTRICTED
    other = get_document_model()(
        title="Another restricted file", file=ContentFile(b"other", name="other.txt"), file_tier=Tier.RESTRICTED
    )
    other.save()
    reader = users["registered"]
    sign_in(client, reader)
    assert client.get(document.url).status_code == 403
    grant(reader, report)
    response = client.get(document.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(other.url).status_code == 403
    audience = policy.audience_for(reader)
    one = type(document).objects.filter(pk=document.pk)
    assert policy.filter_files(one, audience).exists()
    assert not policy.can_open_files(policy.audience_for(users["official_vn"]), document)  # grants are personal


def test_an_ended_grant_opens_nothing_held(client, users, report):
    document = report.files.get().document
    grant(users["registered"], report, days=-1)
    sign_in(client, users["registered"])
    assert client.get(document.url).status_code == 403


def test_a_grant_on_a_course_opens_its_modules_materials_and_pack(client, users, home_page, countries):
    index = CourseIndexPageFactory(parent=home_page)
    course = restricted_to(CoursePageFactory(parent=index, title="Investigating smuggling networks"), countries["TH"])
    module = ModulePageFactory(parent=course, title="Financial investigations")
    material = add_material(module, title="Tracing payments handbook", kind="handbook")
    assert material.document.file_tier == Tier.RESTRICTED
    trainee = users["registered"]
    sign_in(client, trainee)
    assert b"Tracing payments handbook" in client.get(module.url).content
    assert client.get(material.document.url).status_code == 403
    pack = client.get(reverse("trainings:pack", args=[course.pk]))
    assert pack.status_code == 403

    grant(trainee, course)
    assert client.get(material.document.url).status_code == 200
    pack = client.get(reverse("trainings:pack", args=[course.pk]))
    assert pack.status_code == 200
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(b"".join(pack.streaming_content))).namelist()
    assert any("tracing-payments-handbook" in name for name in names), names


def test_a_grant_on_a_page_opens_the_pictures_it_shows(client, users, home_page, countries):
    from tests.factories import StandardPageFactory

    image = make_image(title="Map of crossings")
    page = StandardPageFactory(parent=home_page, slug="briefing", title="Briefing for officials")
    page.body = figure_body(image)
    page.record_tier = page.file_tier = Tier.RESTRICTED
    page.save()
    page.countries.set([countries["VN"]])
    page.save_revision().publish()
    url = image.get_rendition("width-20").url
    reader = users["registered"]
    sign_in(client, reader)
    assert client.get(page.url).status_code == 404 and client.get(url).status_code == 404
    grant(reader, page)
    assert client.get(page.url).status_code == 200
    assert client.get(url).status_code == 200


def test_a_grant_on_an_ordinary_page_does_not_open_the_pages_below_it(client, users, home_page):
    from tests.factories import StandardPageFactory

    parent = StandardPageFactory(parent=home_page, slug="briefings", title="Briefings", file_tier=Tier.RESTRICTED)
    child = StandardPageFactory(parent=parent, slug="one-briefing", title="One briefing", record_tier=Tier.RESTRICTED)
    reader = users["registered"]
    sign_in(client, reader)
    grant(reader, parent)
    assert client.get(parent.url).status_code == 200
    assert client.get(child.url).status_code == 404  # a separate item, with its own settings
