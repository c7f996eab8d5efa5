"""RSS and Atom feeds of new public publications: overall, per kind, per country.

Feed readers never sign in, and feeds are cached by readers and proxies: they always list what anyone may see.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from portal.access import policy
from portal.taxonomy.models import Country

from .models import Kind, PublicationPage

FEED_SIZE = 30


def public_publications():
    pages = PublicationPage.objects.live().public()
    return (
        policy.filter_records(pages, policy.ANONYMOUS)
        .prefetch_related("authors", "covered_countries", "themes")
        .order_by("-first_published_at", "-pk")
    )


class PublicationsFeed(Feed):
    description = "New public publications of the Coordination and Analysis Unit on the Smuggling of Migrants."

    def get_object(self, request, kind=None, country=None):
        self.request = request
        if kind is not None and kind not in Kind.values:
            raise Http404
        found = None
        if country is not None:
            found = Country.objects.filter(code=country.upper()).first() if country.isalnum() else None
            if found is None:
                raise Http404
        return {"kind": kind, "country": found}

    def title(self, obj):
        parts = ["CAU publications"]
        if obj["kind"]:
            parts.append(Kind(obj["kind"]).label)
        if obj["country"]:
            parts.append(obj["country"].name)
        return " — ".join(parts)

    def link(self, obj):
        from .models import PublicationIndexPage

        index = PublicationIndexPage.objects.live().first()
        return index.get_url(self.request) if index else "/"

    def items(self, obj):
        items = public_publications()
        if obj["kind"]:
            items = items.filter(kind=obj["kind"])
        if obj["country"]:
            items = items.filter(covered_countries=obj["country"])
        return items[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(item.author_names()) or item.publisher

    def item_categories(self, item):
        return [Kind(item.kind).label, *(c.name for c in item.covered_countries.all())]


class PublicationsAtomFeed(PublicationsFeed):
    feed_type = Atom1Feed
    subtitle = PublicationsFeed.description
