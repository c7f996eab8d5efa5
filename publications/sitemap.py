"""sitemap.xml: every page anyone may see, and nothing else (a listed address is itself information)."""

from wagtail.contrib.sitemaps import Sitemap

from portal.access import policy
from portal.home.models import PortalPage


class PublicSitemap(Sitemap):
    def items(self):
        public = policy.filter_records(PortalPage.objects.all(), policy.ANONYMOUS).values("pk")
        return super().items().filter(pk__in=public)


def sitemaps():
    return {"pages": PublicSitemap}
