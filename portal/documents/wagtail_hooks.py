from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.documents import views

ingestion_urls = (
    [
        path("", views.index, name="index"),
        path("<int:document_id>/", views.pages, name="pages"),
        path("<int:document_id>/reingest/", views.reingest, name="reingest"),
        path("<int:document_id>/password/", views.retry_with_password, name="password"),
        path("<int:document_id>/use-pdf-title/", views.use_pdf_title, name="use_pdf_title"),
        path("<int:document_id>/thumbnail.png", views.thumbnail, name="thumbnail"),
    ],
    "documents_ingestion",
)


def _permissions():
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(get_document_model())


@hooks.register("register_admin_urls")
def register_ingestion_urls():
    from wagtail.documents.views.chooser import viewset as chooser

    from portal.documents import admin_listing

    return [
        path("documents/ingestion/", include(ingestion_urls)),
        # Wagtail's listing and chooser with thumbnails and the ingestion columns (see admin_listing).
        path("documents/", admin_listing.DocumentIndexView.as_view(), name="portal_documents_index"),
        path(
            "documents/results/",
            admin_listing.DocumentIndexView.as_view(results_only=True),
            name="portal_documents_index_results",
        ),
        path(
            "documents/chooser/",
            chooser.construct_view(
                admin_listing.DocumentChooserView,
                icon=chooser.icon,
                page_title=chooser.page_title,
                search_tab_label=chooser.search_tab_label,
                creation_tab_label=chooser.creation_tab_label,
            ),
            name="portal_documents_choose",
        ),
        path(
            "documents/chooser/results/",
            chooser.construct_view(admin_listing.DocumentChooserResultsView),
            name="portal_documents_choose_results",
        ),
    ]


class IngestionMenuItem(MenuItem):
    def is_shown(self, request):
        return _permissions().user_has_any_permission(request.user, ["add", "change", "delete"])


@hooks.register("register_admin_menu_item")
def register_ingestion_menu_item():
    return IngestionMenuItem(
        "Document ingestion", reverse("documents_ingestion:index"), icon_name="doc-full-inverse", order=410
    )
