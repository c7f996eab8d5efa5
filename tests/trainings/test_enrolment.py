"""Enrolling from the course page and 'My courses'."""

import pytest
from django.test import Client

from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.trainings.factories import CoursePageFactory
from trainings.models import CoursePage, Enrolment

pytestmark = pytest.mark.django_db


def test_signed_in_user_enrols_from_the_course_page(client, course, users):
    user = users["registered"]
    sign_in(client, user)
    html = client.get(course.url).content.decode()
    assert f'action="/trainings/{course.pk}/enrol/"' in html and "csrfmiddlewaretoken" in html
    response = client.post(f"/trainings/{course.pk}/enrol/")
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    client.post(f"/trainings/{course.pk}/enrol/")  # twice: still one enrolment
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert "You are enrolled in this course" in client.get(course.url).content.decode()


def test_enrolling_requires_post_and_csrf(course, users):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, users["registered"])
    assert client.get(f"/trainings/{course.pk}/enrol/").status_code == 405
    assert client.post(f"/trainings/{course.pk}/enrol/").status_code == 403
    assert not Enrolment.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, course):
    response = client.post(f"/trainings/{course.pk}/enrol/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert client.get("/trainings/my/")["Location"].startswith("/account/login/?next=/trainings/my/")
    assert not Enrolment.objects.exists()


def test_no_enrolling_in_a_course_one_may_not_see(client, course_index, users):
    hidden = CoursePageFactory(parent=course_index, record_tier=Tier.RESTRICTED)
    sign_in(client, users["registered"])
    assert client.post(f"/trainings/{hidden.pk}/enrol/").status_code == 404
    assert client.post("/trainings/999999/enrol/").status_code == 404
    assert not Enrolment.objects.exists()


def test_my_courses_lists_enrolled_courses_with_their_pack(client, course, course_index, users):
    other = CoursePageFactory(parent=course_index, title="Interviewing smuggled migrants")
    user = users["registered"]
    Enrolment.objects.create(user=user, course=course)
    html = sign_in(client, user).get("/trainings/my/").content.decode()
    assert course.title in html
    assert f'href="/trainings/{course.pk}/pack.zip"' in html
    assert other.title not in html
    assert (
        "Interviewing smuggled migrants"
        not in sign_in(client, users["official_th"]).get("/trainings/my/").content.decode()
    )


def test_my_courses_drops_a_course_whose_record_is_now_hidden(client, course, users):
    user = users["registered"]
    Enrolment.objects.create(user=user, course=course)
    CoursePage.objects.filter(pk=course.pk).update(record_tier=Tier.RESTRICTED, file_tier=Tier.RESTRICTED)
    html = sign_in(client, user).get("/trainings/my/").content.decode()
    assert course.title not in html
    assert "You are not enrolled in any course" in html


def test_leaving_a_course(client, course, users):
    user = users["registered"]
    Enrolment.objects.create(user=user, course=course)
    sign_in(client, user).post(f"/trainings/{course.pk}/leave/")
    assert not Enrolment.objects.filter(user=user).exists()
