"""What an editor sets in Wagtail's document and image forms is what is stored, countries included."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from portal.access.tiers import Tier
from tests.access.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_an_editor_uploads_a_document_scoped_to_countries(client, users, countries):
    editor = users["staff"]
    editor.groups.add(Group.objects.get(name="Editors"))  # unit staff who edit
    sign_in(client, editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Border post statistics",
            "file": SimpleUploadedFile("statistics.csv", b"post,cases\nA,3\n", content_type="text/csv"),
            "collection": 1,
            "record_tier": Tier.REGISTERED,
            "file_tier": Tier.RESTRICTED,
            "countries": [countries["LA"].pk, countries["MM"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get(title="Border post statistics")
    assert (document.record_tier, document.file_tier) == (Tier.REGISTERED, Tier.RESTRICTED)
    assert {c.code for c in document.countries.all()} == {"LA", "MM"}

    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "collection": 1,
            "record_tier": Tier.REGISTERED,
            "file_tier": Tier.RESTRICTED,
            "countries": [countries["KH"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert {c.code for c in document.countries.all()} == {"KH"}
