from wagtail.models import Site

from portal.access import policy

from . import fragments
from .models import PortalPage


def navigation(request):
    """The header menu, computed only when a template shows it (the admin never does), cached per audience."""

    def items():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return fragments.cached(request, "menu", [site.pk], lambda: _menu(site, request))

    return {"nav_items": items}


def _menu(site, request) -> list[dict]:
    pages = PortalPage.objects.child_of(site.root_page).live().public().filter(show_in_menus=True)
    visible = policy.filter_records(pages, policy.audience_for(request))
    return [{"pk": page.pk, "title": page.title, "url": page.get_url(request)} for page in visible]
