from django.db.models import Count, Q
from wagtail import hooks

from portal.access import policy

from . import listing
from .documents import tighten_attached_documents
from .models import Kind, PublicationIndexPage, PublicationPage

RECENT = 5


def _visible(audience):
    return policy.filter_records(PublicationPage.objects.live().public(), audience)


@hooks.register("home_page_sections")
def home_publications(page, request, audience):
    visible = _visible(audience)
    # The latest report shows its title and summary only: no card prefetches for it.
    latest_report = visible.filter(kind=Kind.ANNUAL_REPORT).order_by("-publication_date", "-pk").first()
    recent = list(listing.for_cards(visible.exclude(kind=Kind.CONTRIBUTION))[:RECENT])
    if not recent and latest_report is None:
        return None
    return {
        "title": "Publications",
        "template": "publications/includes/section.html",
        "latest_report": latest_report,
        "items": recent,
        "index": PublicationIndexPage.objects.live().first(),
        "order": 10,
    }


@hooks.register("country_page_sections")
def country_publications(page, request, audience):
    country = page.country
    items = list(listing.for_cards(_visible(audience).filter(covered_countries=country).distinct())[:RECENT])
    # Counted among the contributions this reader may know about: a count of hidden ones is information too.
    contributions = PublicationPage.objects.filter(kind=Kind.CONTRIBUTION, contribution_country=country)
    sent = policy.filter_records(contributions, audience).aggregate(
        sent=Count("pk"), published=Count("pk", filter=Q(live=True))
    )
    return {
        "title": f"Publications on {country.name}",
        "template": "publications/includes/country_section.html",
        "items": items,
        "country": country,
        "contributions": sent,
        "index": PublicationIndexPage.objects.live().first(),
        "order": 10,
    }


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def tighten_documents_of_draft(request, page):
    """A draft's attached documents are closed as soon as the editor saves, not only at publishing."""
    if isinstance(page.specific, PublicationPage):
        draft = page.specific.get_latest_revision_as_object()
        tighten_attached_documents(draft)
