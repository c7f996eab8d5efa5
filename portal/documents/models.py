from django.core.files.storage import storages
from django.db import models
from wagtail.documents.models import AbstractDocument, Document

from portal.access.models import AccessControlled


def private_storage():
    """Documents never live under the public media URL; the serve view is the only way to them."""
    return storages["private"]


class PortalDocument(AccessControlled, AbstractDocument):
    file = models.FileField(upload_to="documents", storage=private_storage, verbose_name="file")

    admin_form_fields = (
        *Document.admin_form_fields,
        "record_tier",
        "file_tier",
        "countries",
        "embargo_until",
    )

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
