import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from portal.home.models import CountryPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_keeps_edits(client):
    call_command("load_demo", stdout=io.StringIO())
    about = StandardPage.objects.get(slug="about")
    about.title = "About us (edited)"
    about.save_revision().publish()
    counts = (Page.objects.count(), HomePage.objects.count(), CountryPage.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    assert (Page.objects.count(), HomePage.objects.count(), CountryPage.objects.count()) == counts
    assert StandardPage.objects.get(slug="about").title == "About us (edited)"
    assert CountryPage.objects.count() == 7
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert client.get("/countries/th/").status_code == 200
