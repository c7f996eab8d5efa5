"""The trainings' channels in the access matrix (tests/access/matrix.py): the course page (and its pack link), the
module page listing its materials (download links), and the course pack itself.

Each course is made once per spec with one module and one material, and shared by the course-page and pack rows:
the same items seen through each channel. Module rows hang under one fully public course, so the module's own
settings are what is being checked. Materials are text files: what is checked is who gets them, not the stamp (the
pack's stamping has its own tests in test_pack.py).
"""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from portal.access.tiers import Tier
from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.matrix import Channel, run_matrix, set_countries
from tests.trainings.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ModulePageFactory,
    PdfDocumentFactory,
    add_material,
)

pytestmark = pytest.mark.django_db


def _index(env):
    if "index" not in env.scratch:
        env.scratch["index"] = CourseIndexPageFactory(parent=env.home_page)
    return env.scratch["index"]


def _text_document(spec, what):
    content = f"matrix {what} {spec.slug}".encode()
    return PdfDocumentFactory(title=f"Material of {what} {spec.slug}", file=ContentFile(content, name="m.txt"))


def make_course(spec, env):
    key = ("course", spec)
    if key not in env.scratch:
        course = CoursePageFactory(
            parent=_index(env),
            title=spec.title,
            slug=spec.slug,
            record_tier=spec.record_tier,
            file_tier=spec.file_tier,
            embargo_until=spec.embargo_until,
        )
        set_countries(course, spec, env)
        # The module and its document start public: the course closes them.
        module = ModulePageFactory(
            parent=course, title=f"Module of {spec.slug}", record_tier=Tier.PUBLIC, file_tier=Tier.PUBLIC
        )
        add_material(module, _text_document(spec, "course"))
        env.scratch[key] = course
    return env.scratch[key]


def _open_course(env):
    if "open course" not in env.scratch:
        env.scratch["open course"] = CoursePageFactory(
            parent=_index(env), title="Open course", slug="open-course", file_tier=Tier.PUBLIC
        )
    return env.scratch["open course"]


def make_module(spec, env):
    module = ModulePageFactory(
        parent=_open_course(env),
        title=spec.title,
        slug=spec.slug,
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
    )
    set_countries(module, spec, env)
    add_material(module, _text_document(spec, "module"))
    return module


def _pack_url(course):
    return f"/trainings/{course.pk}/pack.zip"


def probe_course_page(client, course, env):
    response = client.get(course.url)
    assert response.status_code in (200, 404), (course.url, response.status_code)
    if response.status_code == 404:
        assert course.title.encode() not in response.content
        return False, False
    offered = f'href="{_pack_url(course)}"' in response.content.decode()
    return True, offered


def probe_module_page(client, module, env):
    response = client.get(module.url)
    assert response.status_code in (200, 404), (module.url, response.status_code)
    if response.status_code == 404:
        assert module.title.encode() not in response.content
        return False, False
    document = module.materials.get().document
    html = response.content.decode()
    download = f'href="{document.url}"' in html
    assert download or "restricted-panel" in html
    # The link is offered exactly when the file itself is served.
    assert download == (client.get(document.url).status_code == 200), (module.title, download)
    return True, download


def probe_pack(client, course, env):
    response = client.get(_pack_url(course))
    if response.status_code == 404:
        assert course.title.encode() not in response.content
        return False, False
    if response.status_code == 403:
        assert b"restricted-panel" in response.content
        return True, False
    assert response.status_code == 200, response.status_code
    pack = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    contents = [pack.read(name) for name in pack.namelist() if name != "README.txt"]
    return True, f"matrix course {course.slug}".encode() in contents


COURSE_PAGE = Channel("course page (pack link)", make_course, probe_course_page)
MODULE_PAGE = Channel("module page (materials)", make_module, probe_module_page)
COURSE_PACK = Channel("course pack", make_course, probe_pack)


@pytest.mark.parametrize("channel", [COURSE_PAGE, MODULE_PAGE, COURSE_PACK], ids=lambda c: c.name)
def test_access_matrix_training_channels(channel, matrix_env):  # noqa: F811
    mismatches = run_matrix(channel, matrix_env)
    assert mismatches == [], "\n".join(mismatches[:40])
