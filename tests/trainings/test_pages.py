"""Course index, course and module pages: what each audience sees, and modules and documents closed to their
course."""

import pytest

from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.trainings.factories import CoursePageFactory, ModulePageFactory, PdfDocumentFactory, add_material
from trainings.models import CoursePage, ModulePage

pytestmark = pytest.mark.django_db


def test_new_courses_and_modules_default_to_public_records_and_registered_files():
    assert (CoursePage().record_tier, CoursePage().file_tier) == (Tier.PUBLIC, Tier.REGISTERED)
    assert (ModulePage().record_tier, ModulePage().file_tier) == (Tier.PUBLIC, Tier.REGISTERED)


def test_index_lists_visible_courses_only(client, course_index, course, users):
    CoursePageFactory(parent=course_index, title="Officials-only course", record_tier=Tier.RESTRICTED)
    html = client.get(course_index.url).content.decode()
    assert course.title in html
    assert "Officials-only course" not in html
    html = sign_in(client, users["official_th"]).get(course_index.url).content.decode()
    assert "Officials-only course" in html


def test_course_page_shows_objectives_and_modules_in_order(client, course):
    html = client.get(course.url).content.decode()
    assert "Record a smuggling case with the standardised model." in html
    assert html.index("Defining migrant smuggling") < html.index("Recording a case")
    assert "Sign in to enrol" in html


def test_anonymous_reader_sees_materials_but_no_download(client, course):
    module = course.get_children().live().first().specific
    html = client.get(module.url).content.decode()
    assert "Definitions slides" in html and "Definitions handbook" in html
    assert html.count('class="restricted-panel"') == 1  # one panel for the module, not one per material
    assert "sign in, or request access" in html
    for material in module.materials.all():
        assert material.document.url not in html
        assert client.get(material.document.url).status_code == 403


def test_registered_trainee_downloads_materials(client, course, users):
    sign_in(client, users["registered"])
    module = course.get_children().live().first().specific
    html = client.get(module.url).content.decode()
    assert "restricted-panel" not in html
    for material in module.materials.all():
        assert f'href="{material.document.url}"' in html
        assert client.get(material.document.url).status_code == 200
    assert "Next: Recording a case" in html


def test_a_restricted_material_shows_the_panel_to_those_who_may_not_open_it(client, course, users, countries):
    module = ModulePageFactory(parent=course, title="Case studies", order=3)
    secret = PdfDocumentFactory(title="Case file", record_tier=Tier.PUBLIC, file_tier=Tier.RESTRICTED)
    secret.countries.set([countries["TH"]])
    secret.save()
    add_material(module, secret, kind="reading", title="Case file from Thailand")
    html = sign_in(client, users["registered"]).get(module.url).content.decode()
    assert "Case file from Thailand" in html and secret.url not in html
    assert html.count('class="restricted-panel"') == 1 and "verified officials of Thailand" in html
    html = sign_in(client, users["official_th"]).get(module.url).content.decode()
    assert f'href="{secret.url}"' in html


def test_a_material_whose_record_is_hidden_is_not_listed(client, course, users):
    module = course.get_children().live().first().specific
    add_material(module, PdfDocumentFactory(title="Staff notes", record_tier=Tier.CONFIDENTIAL), title="Staff notes")
    html = sign_in(client, users["registered"]).get(module.url).content.decode()
    assert "Staff notes" not in html


def test_modules_and_documents_are_closed_to_their_course(course_index, countries):
    course = CoursePageFactory(parent=course_index, record_tier=Tier.RESTRICTED, file_tier=Tier.RESTRICTED)
    course.countries.set([countries["VN"]])
    course.save()
    module = ModulePageFactory(parent=course, record_tier=Tier.PUBLIC, file_tier=Tier.PUBLIC)
    document = add_material(module, record_tier=Tier.PUBLIC, file_tier=Tier.PUBLIC).document
    module.refresh_from_db()
    for item in (module, document):
        assert (item.record_tier, item.file_tier) == (Tier.RESTRICTED, Tier.RESTRICTED)
        assert item.country_codes == {"VN"}
    # Raising the course later closes what is already under it.
    course.record_tier = course.file_tier = Tier.CONFIDENTIAL
    course.save()
    module.refresh_from_db()
    document.refresh_from_db()
    assert module.record_tier == document.file_tier == Tier.CONFIDENTIAL


def test_anonymous_gets_404_for_a_restricted_course_its_modules_and_its_pack(client, course_index):
    course = CoursePageFactory(
        parent=course_index, title="Investigating smuggling networks", record_tier=Tier.RESTRICTED
    )
    module = ModulePageFactory(parent=course, title="Financial investigation techniques")
    add_material(module)
    for url in (course.url, module.url, f"/trainings/{course.pk}/pack.zip"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Investigating smuggling networks" not in response.content


def test_module_of_a_hidden_course_is_404_even_if_its_own_tiers_were_lowered(client, course_index):
    course = CoursePageFactory(parent=course_index, record_tier=Tier.RESTRICTED)
    module = ModulePageFactory(parent=course, title="Lowered module")
    ModulePage.objects.filter(pk=module.pk).update(record_tier=Tier.PUBLIC, file_tier=Tier.PUBLIC)  # no signals
    assert client.get(module.url).status_code == 404


def test_public_course_listing_never_names_a_restricted_module(client, course, users):
    ModulePageFactory(parent=course, title="Undercover operations at sea", record_tier=Tier.RESTRICTED, order=9)
    for audience in ("anonymous", "registered", "official_th"):
        sign_in(client, users[audience])
        pages = [course.url, "/", course.get_parent().url, "/trainings/my/"]
        for url in pages:
            html = client.get(url).content.decode()
            shown = "Undercover operations at sea" in html
            assert shown == (audience == "official_th" and url == course.url), (audience, url)


def test_home_page_section_lists_visible_courses(client, course, course_index):
    CoursePageFactory(parent=course_index, title="Focal points' course", record_tier=Tier.CONFIDENTIAL)
    html = client.get("/").content.decode()
    assert "Training courses" in html
    assert course.title in html
    assert "Focal points' course" not in html


def test_a_course_cannot_take_the_address_of_my_courses(course_index):
    from django.core.exceptions import ValidationError

    course = CoursePageFactory(parent=course_index, title="My course", slug="my-course")
    course.slug = "my"
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    assert "slug" in raised.value.message_dict
