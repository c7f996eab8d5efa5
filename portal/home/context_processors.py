from wagtail.models import Site

from .models import PortalPage


def navigation(request):
    """The header menu, computed only when a template shows it (the admin never does)."""

    def items():
        site = Site.find_for_request(request)
        root = site.root_page.specific if site else None
        if not isinstance(root, PortalPage):
            return []
        return list(root.visible_children(request).filter(show_in_menus=True))

    return {"nav_items": items}
