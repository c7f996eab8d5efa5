from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from portal.access import policy

from .models import CourseIndexPage, CoursePage, Enrolment

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


class EnrolmentViewSet(ModelViewSet):
    """Who follows which course: editors can enrol a trainee for them, or remove an enrolment."""

    model = Enrolment
    icon = "group"
    menu_label = "Enrolments"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at"]
    list_filter = ["course"]
    form_fields = ["user", "course"]
    ordering = ["-enrolled_at"]


@hooks.register("register_admin_viewset")
def register_enrolments():
    return EnrolmentViewSet("enrolments")
