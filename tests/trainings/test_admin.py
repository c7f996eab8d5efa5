"""Editors see and manage enrolments in the admin."""

import pytest

from tests.access.helpers import sign_in
from tests.factories import UserFactory
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


def test_enrolments_are_listed_and_added_in_the_admin(client, course, users):
    admin = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    Enrolment.objects.create(user=users["registered"], course=course)
    sign_in(client, admin)
    html = client.get("/admin/enrolments/").content.decode()
    assert course.title in html and "registered" in html
    response = client.post("/admin/enrolments/new/", {"user": users["official_th"].pk, "course": course.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrolment.objects.filter(user=users["official_th"], course=course).exists()
