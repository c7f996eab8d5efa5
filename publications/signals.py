from wagtail.signals import page_published

from .covers import ensure_cover
from .models import PublicationPage


def cover_on_publish(sender, instance, **kwargs):
    """Whatever published it (editor, workflow approval, schedule), a public publication gets its cover."""
    ensure_cover(instance)


def connect():
    page_published.connect(cover_on_publish, sender=PublicationPage, dispatch_uid="publications-cover")
