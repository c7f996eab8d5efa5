"""Wagtail's own document listing and chooser, with a thumbnail of the first page and the ingestion columns.

Registered (in wagtail_hooks) on the same paths as Wagtail's views, before them: portal.documents comes before
wagtail.documents in INSTALLED_APPS, so its admin URLs are matched first, and reversing Wagtail's URL names
still gives these paths.
"""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column
from wagtail.documents.views.chooser import DocumentChooseResultsView, DocumentChooseView
from wagtail.documents.views.documents import IndexView


class ThumbnailColumn(Column):
    cell_template_name = "documents/thumbnail_cell.html"

    def get_value(self, instance):
        if not instance.is_pdf or instance.status in ("needs_password", "unreadable"):
            return ""
        return format_html(
            '<img src="{}" alt="" width="48" loading="lazy">',
            reverse("documents_ingestion:thumbnail", args=[instance.pk]),
        )


def ingestion_columns() -> list[Column]:
    return [
        Column("status", label="Status", accessor="get_status_display"),
        Column("page_count", label="Pages"),
        Column("language", label="Language"),
    ]


class DocumentIndexView(IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        columns.insert(1, ThumbnailColumn("thumbnail", label="", width="60px"))
        return columns[:3] + ingestion_columns() + columns[3:]


class ThumbnailChooserMixin:
    @property
    def columns(self):
        columns = super().columns
        return [ThumbnailColumn("thumbnail", label="", width="60px"), *columns, *ingestion_columns()[:2]]


class DocumentChooserView(ThumbnailChooserMixin, DocumentChooseView):
    pass


class DocumentChooserResultsView(ThumbnailChooserMixin, DocumentChooseResultsView):
    pass
