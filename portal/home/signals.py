from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import page_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def clear_page_cache(sender, **kwargs):
    page_cache.clear()


def clear_on_change(sender, **kwargs):
    # Any access-controlled item can appear in a page's listings or sections; a change to one may change them.
    # Grants change what a signed-in reader's cached parts (portal.home.fragments) show, and country, theme and
    # language names are shown in listings and facets; the site settings in every footer; sites in routes.
    from portal.access.models import AccessControlled, AccessGrant

    from .models import SiteSettings

    watched = (AccessControlled, AccessGrant, SiteSettings, Site)
    if isinstance(kwargs.get("instance"), watched) or sender._meta.app_label == "taxonomy":
        page_cache.clear()


post_save.connect(clear_on_change, dispatch_uid="pagecache_post_save")
post_delete.connect(clear_on_change, dispatch_uid="pagecache_post_delete")
m2m_changed.connect(clear_on_change, dispatch_uid="pagecache_m2m")
