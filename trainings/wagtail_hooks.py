from wagtail import hooks

from portal.access import policy

from .models import CourseIndexPage, CoursePage

SECTION_SIZE = 4


@hooks.register("home_page_sections")
def home_courses(page, request, audience):
    courses = policy.filter_records(CoursePage.objects.live().public(), audience).select_related("language")
    items = list(courses.order_by("-first_published_at", "path")[:SECTION_SIZE])
    if not items:
        return None
    return {
        "title": "Training courses",
        "template": "trainings/includes/section.html",
        "items": items,
        "index": CourseIndexPage.objects.live().public().first(),
        "order": 30,
    }
