"""The portal's Wagtail image model: images carry the dissemination fields and live in private storage.

An image shown on a restricted page is as restricted as the page (`portal.access.attachments` closes it when the
page is published). Neither the original nor its renditions has a public media URL: a rendition's URL is the
guarded view in `portal.images.views`, which asks the access policy on every request.
"""

import posixpath

from django.db import models
from django.urls import reverse
from modelsearch import index
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Image,
    WagtailImageField,
    get_rendition_upload_to,
    get_upload_to,
)

from portal.access.models import AccessControlled
from portal.documents.models import private_storage
from search.index import segmented


class PortalImage(AccessControlled, AbstractImage):
    file = WagtailImageField(
        verbose_name="file",
        upload_to=get_upload_to,
        storage=private_storage,
        width_field="width",
        height_field="height",
    )

    admin_form_fields = (*Image.admin_form_fields, "record_tier", "file_tier", "countries", "embargo_until")

    search_fields = segmented(
        [*AbstractImage.search_fields, index.FilterField("record_tier"), index.FilterField("file_tier")]
    )

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")
    file = WagtailImageField(
        upload_to=get_rendition_upload_to, storage=private_storage, width_field="width", height_field="height"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    @property
    def url(self) -> str:
        """The guarded view, never the storage's URL (private storage has none worth giving out)."""
        return reverse("images:rendition", args=[self.pk, self.filename])

    @property
    def filename(self) -> str:
        return posixpath.basename(self.file.name)
