"""Images follow the guidelines: private storage, a guarded view for every rendition, closed to the pages showing
them, and a row in the access matrix for the view and for a picture in a page's body."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from portal.access.models import AuditEvent
from portal.access.tiers import Tier
from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.helpers import sign_in
from tests.access.matrix import Channel, run_matrix, set_countries
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def png_bytes(colour=(200, 30, 30), size=(48, 32)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title="A picture", **tiers):
    image = get_image_model()(title=title, **tiers)
    image.file = ImageFile(io.BytesIO(png_bytes()), name="picture.png")
    image.save()
    return image


def figure_body(image, alt="The figure's description"):
    return [{"type": "figure", "value": {"image": image.pk, "caption": "Figure 1", "alt_text": alt}}]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# ---- storage and addresses -----------------------------------------------------------------------------------


def test_images_and_renditions_live_outside_public_media(client):
    image = make_image()
    rendition = image.get_rendition("width-20")
    for name in (image.file.name, rendition.file.name):
        assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()
        assert not (Path(settings.MEDIA_ROOT) / name).exists()
        assert client.get(f"/media/{name}").status_code == 404
    assert rendition.url == f"/images/{rendition.pk}/{Path(rendition.file.name).name}"
    response = client.get(rendition.url)
    assert response.status_code == 200 and body(response).startswith(b"\x89PNG")
    assert response["Cache-Control"].startswith("public")


def test_a_guessed_or_stale_address_is_not_found(client):
    rendition = make_image().get_rendition("width-20")
    assert client.get(f"/images/{rendition.pk}/other-name.png").status_code == 404
    assert client.get(f"/images/{rendition.pk + 1000}/{Path(rendition.file.name).name}").status_code == 404


def test_the_original_is_served_through_the_view_too(client):
    image = make_image(record_tier=Tier.RESTRICTED)
    original = image.get_rendition("original")
    assert original.url.startswith("/images/")
    assert client.get(original.url).status_code == 404


# ---- the matrix: the image view, and a picture shown in a public page's body ---------------------------------


def make_matrix_image(spec, env):
    image = make_image(
        title=spec.title, record_tier=spec.record_tier, file_tier=spec.file_tier, embargo_until=spec.embargo_until
    )
    return set_countries(image, spec, env)


def probe_image_view(client, image, env):
    rendition = image.get_rendition("width-20")
    response = client.get(rendition.url)
    if response.status_code == 404:
        assert image.title.encode() not in response.content
        return False, False
    if response.status_code == 403:
        assert b"restricted-panel" in response.content and response["Cache-Control"] == "private, no-store"
        return True, False
    assert response.status_code == 200, response.status_code
    assert body(response).startswith(b"\x89PNG")
    return True, True


def make_page_with_figure(spec, env):
    image = make_matrix_image(spec, env)
    page = StandardPageFactory(parent=env.home_page, slug=spec.slug, title=f"Figure page {spec.slug}")
    page.body = figure_body(image, alt=f"Figure alt {spec.slug}")
    page.save()
    image.page = page
    return image


def probe_figure_in_page(client, image, env):
    """The page is public; its picture shows only to those who may open the image (record: the view's answer)."""
    html = client.get(image.page.url).content.decode()
    rendition = image.get_rendition("width-960")
    shown = rendition.url in html
    assert shown == (f"Figure alt {image.page.slug}" in html)  # no alt text or caption of a hidden picture
    record, files = probe_image_view(client, image, env)
    assert not shown or files
    return record, shown


IMAGE_VIEW = Channel("image view", make_matrix_image, probe_image_view)
FIGURE_IN_PAGE = Channel("picture in a page body", make_page_with_figure, probe_figure_in_page)


@pytest.mark.parametrize("channel", [IMAGE_VIEW, FIGURE_IN_PAGE], ids=lambda c: c.name)
def test_access_matrix_for_images(channel, matrix_env):  # noqa: F811
    mismatches = run_matrix(channel, matrix_env)
    assert mismatches == [], "\n".join(mismatches[:40])


# ---- audit, closing to the page, the admin --------------------------------------------------------------------


def test_opening_a_restricted_image_is_logged_once_per_window(client, users, countries):
    image = make_image(record_tier=Tier.RESTRICTED, file_tier=Tier.RESTRICTED)
    image.countries.set([countries["TH"]])
    image.save()
    rendition = image.get_rendition("width-20")
    sign_in(client, users["official_th"])
    for _ in range(3):
        response = client.get(rendition.url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    events = AuditEvent.objects.filter(action=AuditEvent.Action.FILE_OPENED, object_id=image.pk)
    assert events.count() == 1 and events.get().username == users["official_th"].username
    public = make_image(title="Public picture")
    client.get(public.get_rendition("width-20").url)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.FILE_OPENED, object_id=public.pk).exists()


def test_publishing_a_restricted_page_closes_the_images_it_shows(client, home_page, countries):
    image = make_image(title="Map of the border crossings")
    page = StandardPageFactory(parent=home_page, slug="restricted-map", title="Restricted map page")
    page.body = figure_body(image)
    page.record_tier = page.file_tier = Tier.RESTRICTED
    page.embargo_until = None
    page.save()
    page.countries.set([countries["VN"]])
    page.save_revision().publish()
    image.refresh_from_db()
    assert (image.record_tier, image.file_tier) == (Tier.RESTRICTED, Tier.RESTRICTED)
    assert {c.code for c in image.countries.all()} == {"VN"}
    assert client.get(image.get_rendition("width-20").url).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TIER_CHANGED, object_id=image.pk).exists()


def test_an_image_shown_in_a_page_takes_the_record_tier_not_the_files_tier(home_page):
    """A page anyone may read whose files are for officials still shows its pictures to anyone."""
    image = make_image()
    page = StandardPageFactory(parent=home_page, slug="open-page-closed-files", title="Open page")
    page.body = figure_body(image)
    page.file_tier = Tier.RESTRICTED
    page.save()
    page.save_revision().publish()
    image.refresh_from_db()
    assert (image.record_tier, image.file_tier, image.embargo_until) == (Tier.PUBLIC, Tier.PUBLIC, None)


def test_an_editor_uploads_an_image_with_its_dissemination_settings(client, users, countries):
    from django.urls import reverse

    editor = users["staff"]
    editor.groups.add(Group.objects.get(name="Editors"))  # unit staff who edit
    sign_in(client, editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Checkpoint photograph",
            "file": ImageFile(io.BytesIO(png_bytes()), name="checkpoint.png"),
            "collection": 1,
            "record_tier": Tier.RESTRICTED,
            "file_tier": Tier.RESTRICTED,
            "countries": [countries["TH"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="Checkpoint photograph")
    assert image.record_tier == Tier.RESTRICTED and {c.code for c in image.countries.all()} == {"TH"}
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / image.file.name).exists()
    listing = client.get(reverse("wagtailimages:index"))
    assert listing.status_code == 200 and b"/images/" in listing.content  # thumbnails through the guarded view


# ---- generated covers ----------------------------------------------------------------------------------------


def test_a_generated_cover_shows_only_to_those_who_may_open_the_report(client, users, home_page, countries):
    from publications.covers import ensure_cover
    from tests.publications.factories import PublicationIndexPageFactory, PublicationPageFactory, attach

    index = PublicationIndexPageFactory(parent=home_page)
    report = PublicationPageFactory(parent=index, title="Sea routes to Indonesia", file_tier=Tier.RESTRICTED)
    report.countries.set([countries["TH"]])
    report.save()
    attach(report)
    report.save()  # closes the attached document to the page
    assert ensure_cover(report)
    cover = report.generated_cover
    assert (cover.record_tier, cover.file_tier) == (Tier.PUBLIC, Tier.RESTRICTED)  # the report's own settings
    assert {c.code for c in cover.countries.all()} == {"TH"}
    url = cover.get_rendition("width-320").url
    anonymous_page = client.get(report.url).content.decode()
    assert "Sea routes to Indonesia" in anonymous_page and url not in anonymous_page
    assert "og:image" not in anonymous_page
    assert "/images/" not in client.get(index.url).content.decode()  # no cover in the listing either
    assert client.get(url).status_code == 403
    sign_in(client, users["official_th"])
    assert url in client.get(report.url).content.decode()
    assert client.get(url).status_code == 200
