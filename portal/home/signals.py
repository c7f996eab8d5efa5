from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import page_cache


@receiver(page_published)
@receiver(page_unpublished)
def clear_page_cache(sender, **kwargs):
    page_cache.clear()


def clear_on_change(sender, **kwargs):
    # Any access-controlled item can appear in a page's listings or sections; a change to one may change them.
    from portal.access.models import AccessControlled

    if isinstance(kwargs.get("instance"), AccessControlled):
        page_cache.clear()


post_save.connect(clear_on_change, dispatch_uid="pagecache_post_save")
post_delete.connect(clear_on_change, dispatch_uid="pagecache_post_delete")
m2m_changed.connect(clear_on_change, dispatch_uid="pagecache_m2m")
