"""What a page holds is never more open than the page: its documents and the images it shows."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published

from . import policy
from .models import AccessControlled


@receiver(page_published)
def close_attached_items(sender, instance, revision=None, **kwargs):
    page = instance.specific
    if not isinstance(page, AccessControlled):
        return
    for document in referenced(page, get_document_model()):
        if policy.close_to_container(document, page):
            document.save()  # the tier change goes to the audit log through the signals
    for image in referenced(page, get_image_model()):
        if policy.close_to_container(image, page, shown_in_record=True):
            image.save()


def referenced(page, model):
    """The objects of `model` the page refers to: chooser blocks, foreign keys, inline children."""
    content_type = ContentType.objects.get_for_model(model)
    ids = {
        int(object_id)
        for content_type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(page)
        if content_type_id == content_type.pk
    }
    return model.objects.filter(pk__in=ids) if ids else model.objects.none()
