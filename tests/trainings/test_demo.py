"""The demo trainings load once, in their tiers, with the demo trainee enrolled."""

import io

import pytest

from portal.access.tiers import Tier
from tests.access.helpers import sign_in
from tests.factories import UserFactory
from trainings import demo
from trainings.models import CoursePage, Enrolment, ModuleMaterial, ModulePage

pytestmark = pytest.mark.django_db


def test_demo_trainings_load_idempotently(home_page, client):
    trainee = UserFactory(username="trainee")
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert CoursePage.objects.count() == 2 and ModulePage.objects.count() == 4
    assert ModuleMaterial.objects.count() == 8
    public = CoursePage.objects.get(slug=demo.PUBLIC_COURSE)
    assert public.title == "Data collection on migrant smuggling for officials"
    assert (public.record_tier, public.file_tier) == (Tier.PUBLIC, Tier.REGISTERED)
    assert list(Enrolment.objects.values_list("user", "course")) == [(trainee.pk, public.pk)]
    restricted = CoursePage.objects.get(slug="investigating-smuggling-networks")
    for material in ModuleMaterial.objects.filter(page__in=ModulePage.objects.child_of(restricted)):
        assert material.document.file_tier == Tier.RESTRICTED
    for material in ModuleMaterial.objects.filter(page__in=ModulePage.objects.child_of(public)).exclude(document=None):
        assert material.document.file_tier == Tier.REGISTERED

    assert client.get(restricted.url).status_code == 404
    html = sign_in(client, trainee).get("/trainings/my/").content.decode()
    assert public.title in html and f"/trainings/{public.pk}/pack.zip" in html
    home = client.get("/").content.decode()
    assert "Training courses" in home and public.title in home and restricted.title not in home
