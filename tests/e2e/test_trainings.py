"""The trainee's path in a real browser (DESIGN.md): sign in → my courses → course → module → download a file, and
the whole course pack; enrolling on the way. Debian's Chromium, axe."""

import io
import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import assert_no_serious_axe_violations
from tests.trainings.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, add_material
from trainings.models import Enrolment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(home_page):
    index = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=index, title="Data collection on migrant smuggling for officials")
    module = ModulePageFactory(parent=course, title="The standardised data-collection model", order=1)
    add_material(module, title="Data-collection model slides")
    add_material(ModulePageFactory(parent=course, title="Recording a case", order=2), title="Case form exercise")
    return course


def test_trainee_signs_in_enrols_and_downloads_a_material_and_the_pack(live_server, page, users, course):
    trainee = users["registered"]
    page.goto(f"{live_server.url}/account/login/?next=/trainings/")
    page.get_by_label("Username").fill(trainee.username)
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/trainings/")

    page.get_by_role("link", name=course.title).click()
    page.get_by_role("button", name="Enrol in this course").click()
    page.get_by_text("You are enrolled in this course").wait_for()
    assert Enrolment.objects.filter(user=trainee, course=course).exists()
    assert_no_serious_axe_violations(page)

    page.goto(f"{live_server.url}/trainings/my/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("link", name="The standardised data-collection model").click()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Data-collection model slides").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name=course.title).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the course pack (ZIP)").click()
    pack = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert len(pack.namelist()) == 3 and "README.txt" in pack.namelist()


def test_anonymous_visitor_is_asked_to_sign_in_for_materials(live_server, page, course):
    module = course.get_children().first()
    page.goto(live_server.url + module.url)
    page.get_by_text("You cannot open these files").wait_for()
    assert page.get_by_role("link", name="Data-collection model slides").count() == 0
    assert_no_serious_axe_violations(page)
