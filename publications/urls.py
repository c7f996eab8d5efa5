"""Feeds and the contribution pages (under /publications-feeds/); the root-level /oai/ and /sitemap.xml are in
`root_urlpatterns`, added by portal/urls.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from . import contributions, oai
from .feeds import PublicationsAtomFeed, PublicationsFeed
from .sitemap import sitemaps

app_name = "publications"

urlpatterns = [
    path("rss/", PublicationsFeed(), name="rss"),
    path("atom/", PublicationsAtomFeed(), name="atom"),
    path("kind/<slug:kind>/rss/", PublicationsFeed(), name="rss_kind"),
    path("kind/<slug:kind>/atom/", PublicationsAtomFeed(), name="atom_kind"),
    path("country/<str:country>/rss/", PublicationsFeed(), name="rss_country"),
    path("country/<str:country>/atom/", PublicationsAtomFeed(), name="atom_country"),
    path("contribute/", contributions.contribute, name="contribute"),
    path("my-contributions/", contributions.my_contributions, name="my_contributions"),
]

root_urlpatterns = [
    path("oai/", oai.endpoint, name="oai"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
]
