"""What is not a page: enrolling, 'My courses' and the course pack."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from portal.access import policy
from portal.access.wagtail_hooks import NO_STORE, files_restricted_response

from . import packs
from .models import CoursePage, Enrolment, enrolled_courses, pack_url


def visible_course(request, course_id) -> CoursePage:
    """The live course with this id, if the request may know it exists; otherwise 404."""
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None or not policy.can_see_record(policy.audience_for(request), course):
        raise Http404
    return course


@require_POST
@login_required
def enrol(request, course_id):
    course = visible_course(request, course_id)
    # The course page itself then says "You are enrolled" (no flash message: base.html's message list fails axe).
    Enrolment.objects.get_or_create(user=request.user, course=course)
    return redirect(course.url)


@require_POST
@login_required
def leave(request, course_id):
    course = visible_course(request, course_id)
    Enrolment.objects.filter(user=request.user, course=course).delete()
    return redirect("trainings:my_courses")


@require_GET
@login_required
def my_courses(request):
    audience = policy.audience_for(request)
    rows = [
        {"course": course, "pack_url": pack_url(course) if policy.can_open_files(audience, course) else ""}
        for course in enrolled_courses(request)
    ]
    response = TemplateResponse(request, "trainings/my_courses.html", {"rows": rows})
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
def course_pack(request, course_id):
    course = visible_course(request, course_id)
    audience = policy.audience_for(request)
    if not policy.can_open_files(audience, course):
        return files_restricted_response(request, course, audience)
    plan = packs.plan_pack(course, audience)
    response = StreamingHttpResponse(packs.stream_pack(plan, request), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{packs.pack_filename(course)}"'
    response["Cache-Control"] = NO_STORE
    return response
