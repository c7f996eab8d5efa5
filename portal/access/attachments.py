"""What a page holds is never more open than the page: its documents, the images it shows, the pages below it."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published, post_page_move

from . import policy
from .models import AccessControlled
from .tiers import Tier


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
    close_pages_below(page)


@receiver(post_page_move)
def close_moved_page(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, AccessControlled):
        page.refresh_from_db()
        if page.close_to_parent():
            page.save()
        close_pages_below(page)


def close_pages_below(page) -> None:
    """Each page below `page`, parents first, closed to its parent (nothing to do below a public, unscoped page)."""
    if page.record_tier == Tier.PUBLIC and not list(page.countries.all()):
        return
    from portal.home.models import PortalPage

    for child in PortalPage.objects.descendant_of(page).order_by("path").specific():
        if child.close_to_parent():
            child.save()  # the tier change goes to the audit log through the signals


def referenced(page, model):
    """The objects of `model` the page refers to: chooser blocks, foreign keys, inline children."""
    content_type = ContentType.objects.get_for_model(model)
    ids = {
        int(object_id)
        for content_type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(page)
        if content_type_id == content_type.pk
    }
    return model.objects.filter(pk__in=ids) if ids else model.objects.none()
