"""A document attached to a page never ends up more open than the page says its files are."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published

from . import policy
from .models import AccessControlled


@receiver(page_published)
def close_attached_documents(sender, instance, revision=None, **kwargs):
    page = instance.specific
    if isinstance(page, AccessControlled):
        for document in attached_documents(page):
            if policy.close_to_container(document, page):
                document.save()  # the tier change goes to the audit log through the signals


def attached_documents(page):
    document_model = get_document_model()
    content_type = ContentType.objects.get_for_model(document_model)
    ids = {
        int(object_id)
        for content_type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(page)
        if content_type_id == content_type.pk
    }
    return document_model.objects.filter(pk__in=ids) if ids else document_model.objects.none()
