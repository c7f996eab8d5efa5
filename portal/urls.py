from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.home import views as home_views
from publications.urls import root_urlpatterns as publications_root_urls
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("portal.access.urls")),
    path("files/", include("portal.documents.urls")),
    path("images/", include("portal.images.urls")),
    path("bibliography/", include("bibliography.urls")),
    path("publications-feeds/", include("publications.urls")),
    path("search/", include("search.urls")),
    path("api/search/", search_views.search_api, name="search_api"),
    path("", include("trainings.urls")),
    path("", include("workplans.urls")),
    path("healthz", home_views.healthz, name="healthz"),
    *publications_root_urls,  # /oai/ and /sitemap.xml
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.home.views.page_not_found"
handler500 = "portal.home.views.server_error"
