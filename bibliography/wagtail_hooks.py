from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import BibliographyEntry


class BibliographyEntryViewSet(SnippetViewSet):
    model = BibliographyEntry
    icon = "list-ul"
    menu_label = "Bibliography"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "citation_key", "year", "entry_type", "record_tier", "updated_at"]
    list_filter = ["entry_type", "language", "record_tier", "file_tier", "themes", "countries_covered", "year"]
    list_per_page = 50
    search_fields = ["title", "original_title", "citation_key", "doi", "abstract", "container_title"]
    search_backend_name = None  # the database's own LIKE: finds words inside Thai and CJK titles too
    ordering = ["-updated_at"]
    copy_view_enabled = False


register_snippet(BibliographyEntryViewSet)

admin_urls = (
    [
        path("import/", admin_views.import_view, name="import"),
        path("duplicates/", admin_views.duplicates_view, name="duplicates"),
        path("duplicates/merge/", admin_views.merge_view, name="merge"),
    ],
    "bibliography_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("bibliography-tools/", include(admin_urls))]


class _PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return _PermittedMenuItem("Import bibliography", reverse("bibliography_admin:import"), icon_name="upload",
                              order=211, permission="bibliography.add_bibliographyentry")  # fmt: skip


@hooks.register("register_admin_menu_item")
def duplicates_menu_item():
    return _PermittedMenuItem("Possible duplicates", reverse("bibliography_admin:duplicates"), icon_name="resubmit",
                              order=212, permission="bibliography.change_bibliographyentry")  # fmt: skip
