import pytest
from django.core.cache import cache

from portal.access.tiers import Tier
from tests.trainings.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, add_material


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Anonymous responses are cached by address; each test starts without another test's copies."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course_index(home_page):
    return CourseIndexPageFactory(parent=home_page)


@pytest.fixture
def course(course_index):
    """A public course (files for registered users, the default) with two modules of materials."""
    course = CoursePageFactory(
        parent=course_index,
        title="Data collection on migrant smuggling for officials",
        learning_objectives="<p>Record a smuggling case with the standardised model.</p>",
    )
    first = ModulePageFactory(parent=course, title="Defining migrant smuggling", order=1)
    second = ModulePageFactory(parent=course, title="Recording a case", order=2)
    add_material(first, title="Definitions slides")
    add_material(first, title="Definitions handbook", kind="handbook")
    add_material(second, title="Case form exercise", kind="exercise")
    course.refresh_from_db()
    assert course.file_tier == Tier.REGISTERED
    return course
