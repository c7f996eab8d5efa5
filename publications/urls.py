"""Feeds and the contribution pages (under /publications-feeds/); the root-level /oai/ and /sitemap.xml are in
`root_urlpatterns`, added by portal/urls.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from . import contributions, oai
from .caching import anonymous_cache
from .feeds import PublicationsAtomFeed, PublicationsFeed
from .sitemap import sitemaps

app_name = "publications"

urlpatterns = [
    path("rss/", anonymous_cache(PublicationsFeed()), name="rss"),
    path("atom/", anonymous_cache(PublicationsAtomFeed()), name="atom"),
    path("kind/<slug:kind>/rss/", anonymous_cache(PublicationsFeed()), name="rss_kind"),
    path("kind/<slug:kind>/atom/", anonymous_cache(PublicationsAtomFeed()), name="atom_kind"),
    path("country/<str:country>/rss/", anonymous_cache(PublicationsFeed()), name="rss_country"),
    path("country/<str:country>/atom/", anonymous_cache(PublicationsAtomFeed()), name="atom_country"),
    path("contribute/", contributions.contribute, name="contribute"),
    path("my-contributions/", contributions.my_contributions, name="my_contributions"),
    path("my-contributions/<int:page_id>/revise/", contributions.resubmit, name="resubmit"),
]

root_urlpatterns = [
    path("oai/", anonymous_cache(oai.endpoint), name="oai"),
    path("sitemap.xml", anonymous_cache(sitemap), {"sitemaps": sitemaps()}, name="sitemap"),
]
