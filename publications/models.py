"""The unit's publications: reports, studies, assessments, guidelines, and national contributions."""

from __future__ import annotations

from functools import cache as once

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.access import policy
from portal.access.tiers import Tier
from portal.home import page_cache
from portal.home.blocks import BodyBlock
from portal.home.models import ACCESS_PANELS, PortalPage
from search.index import segmented

from . import listing


class Kind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", "Annual regional analytical report"
    RESEARCH_STUDY = "research_study", "Research study"
    NATIONAL_ASSESSMENT = "national_assessment", "National assessment"
    BACKGROUND_PAPER = "background_paper", "Background paper"
    DATA_COLLECTION_MODEL = "data_collection_model", "Standardised data-collection model"
    GUIDELINES = "guidelines", "Guidelines"
    CONTRIBUTION = "contribution", "National contribution"
    OTHER = "other", "Other"


class FileRole(models.TextChoices):
    FULL_REPORT = "full_report", "Full report"
    SUMMARY = "summary", "Summary"
    ANNEX = "annex", "Annex"
    TRANSLATION = "translation", "Translation"


ATTACHED_FILES_HELP = (
    "A file attached here is never more open than this page's files: when the page is saved, each attached "
    "document's record and file tiers are raised to at least the page's, its country scope narrowed to the "
    "page's countries and the page's embargo copied. Lowering the page's tiers later does not open the documents "
    "again: change them in Documents if they should be more open."
)


class PublicationIndexPage(RoutablePageMixin, PortalPage):
    """The publications, with filters and counts; the annual-report series is a route of it."""

    intro = models.TextField(blank=True)
    per_page = 20

    max_count = 1
    subpage_types = ["publications.PublicationPage", "publications.ContributionIndexPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def publications(self, request):
        """Every publication under this index the request may know about, newest first."""
        pages = PublicationPage.objects.descendant_of(self).live().public()
        return listing.for_cards(policy.filter_records(pages, policy.audience_for(request)))

    @path("")
    def index_route(self, request):
        return self.cached(request, lambda: self.render(request, context_overrides=self.listing_context(request)))

    def cached(self, request, build):
        """Anonymous readers share the portal's page cache (routes bypass PortalPage.serve, which fills it)."""
        response = build()
        if page_cache.is_cacheable(request):
            response.render()
            page_cache.store(request, response)
        return response

    def annual_reports(self, request):
        reports = self.publications(request).filter(kind=Kind.ANNUAL_REPORT)
        by_year = {}
        for report in reports:
            by_year.setdefault(report.year, report)  # newest first: the first of a year is its report
        context = {"series": sorted(by_year.items(), reverse=True), "title": "Annual regional analytical reports"}
        return self.render(request, context_overrides=context, template="publications/annual_reports.html")

    @path("annual-reports/", name="annual_reports")
    def annual_reports_route(self, request):
        return self.cached(request, lambda: self.annual_reports(request))

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            urls.append({"location": urls[0]["location"] + "annual-reports/", "lastmod": urls[0].get("lastmod")})
        return urls

    def listing_context(self, request):
        # Results and facets are lazy: the template asks for them only when its cached part is missing.
        chosen = listing.chosen_filters(request.GET)
        base = once(lambda: self.publications(request))
        number = request.GET.get("page", "")[:10]
        return {
            "results": once(lambda: Paginator(listing.apply_filters(base(), chosen), self.per_page).get_page(number)),
            "facets": once(lambda: listing.facets(base(), chosen)),
            "chosen": chosen,
            "listing_key": listing.cache_parts(chosen, number),
            "query_without_page": listing.query_without_page(chosen),
        }


class ContributionIndexPage(PortalPage):
    """Where national contributions land, as draft publications in the review workflow."""

    intro = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types = ["publications.PublicationPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def serve(self, request, *args, **kwargs):
        # The listing lives on the publications index; this page only holds the contributions.
        return redirect(self.get_parent().url)

    def get_sitemap_urls(self, request=None):
        return []


class PublicationPage(PortalPage):
    """One publication of the unit, or a national contribution sent in by a focal point."""

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.RESEARCH_STUDY, db_index=True)
    publication_date = models.DateField("date", default=timezone.localdate, db_index=True)
    covered_countries = ParentalManyToManyField(
        "taxonomy.Country",
        blank=True,
        related_name="publications",
        verbose_name="countries covered",
        help_text="The countries the publication is about. Not who may see it: that is 'Countries' in Settings.",
    )
    themes = ParentalManyToManyField("taxonomy.Theme", blank=True, related_name="publications")
    languages = ParentalManyToManyField("taxonomy.Language", blank=True, related_name="publications")
    summary = models.TextField(blank=True, help_text="A paragraph shown in listings, feeds and to harvesters.")
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text="Bare DOI, e.g. 10.1234/abcd.")
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    publisher = models.CharField(
        max_length=300, blank=True, default="Coordination and Analysis Unit on the Smuggling of Migrants"
    )
    cover_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to use the first page of the main PDF (shown only to those who may open that file).",
    )
    generated_cover = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    related_publications = ParentalManyToManyField("self", blank=True, symmetrical=False, related_name="+")
    related_entries = ParentalManyToManyField(
        "bibliography.BibliographyEntry", blank=True, related_name="publications", verbose_name="related literature"
    )
    # National contributions only.
    contributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    contribution_country = models.ForeignKey(
        "taxonomy.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    proposed_kind = models.CharField(max_length=30, choices=Kind.choices, blank=True, editable=False)
    proposed_record_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True, editable=False)
    proposed_file_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True, editable=False)
    kept_internal = models.BooleanField(
        default=False,
        help_text=(
            "Reviewed and kept for the unit's internal use: leave the tiers at Confidential and approve. The "
            "contributor sees 'Kept internal by the unit'."
        ),
    )

    parent_page_types = ["publications.PublicationIndexPage", "publications.ContributionIndexPage"]
    subpage_types: list = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("kind"), FieldPanel("publication_date")]), FieldPanel("summary")],
            heading="Publication",
        ),
        InlinePanel("authors", heading="Authors", label="author"),
        FieldPanel("body"),
        InlinePanel("files", heading="Files", label="file", help_text=ATTACHED_FILES_HELP),
        MultiFieldPanel(
            [FieldPanel("covered_countries"), FieldPanel("themes"), FieldPanel("languages")], heading="Subjects"
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("doi"), FieldPanel("isbn")]), FieldPanel("publisher")], heading="Identifiers"
        ),
        FieldPanel("cover_image"),
        MultiFieldPanel([FieldPanel("related_publications"), FieldPanel("related_entries")], heading="Related"),
        MultiFieldPanel(
            [
                FieldPanel("contributed_by", read_only=True),
                FieldPanel("contribution_country"),
                FieldPanel("proposed_kind", read_only=True),
                FieldRowPanel(
                    [
                        FieldPanel("proposed_record_tier", read_only=True),
                        FieldPanel("proposed_file_tier", read_only=True),
                    ]
                ),
                FieldPanel("kept_internal"),
            ],
            heading="National contribution",
            classname="collapsed",
        ),
    ]
    settings_panels = [*Page.settings_panels, ACCESS_PANELS]
    search_fields = segmented(
        [
            *PortalPage.search_fields,
            index.SearchField("summary"),
            index.SearchField("body"),
            index.FilterField("kind"),
            index.FilterField("publication_date"),
        ]
    )

    class Meta:
        verbose_name = "publication"

    @property
    def year(self) -> int:
        return self.publication_date.year

    @property
    def cover(self):
        return self.cover_image or self.generated_cover

    @cached_property
    def ordered_files(self) -> list:
        return list(self.files.select_related("document", "language").order_by("sort_order"))

    @property
    def main_file(self):
        files = self.ordered_files
        full = [f for f in files if f.role == FileRole.FULL_REPORT]
        return (full or files or [None])[0]

    def author_names(self) -> list[str]:
        return [a.display() for a in self.authors.all()]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .documents import tighten_attached_documents

        tighten_attached_documents(self)

    def get_context(self, request, *args, **kwargs):
        from .presentation import publication_context

        context = super().get_context(request, *args, **kwargs)
        context.update(publication_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt:
            from .presentation import citation_download

            response = citation_download(self, fmt)
            if response is None:
                raise Http404
            return response
        return super().serve(request, *args, **kwargs)


class PublicationAuthor(Orderable):
    """A person or organisation who wrote the publication, in the order the cover gives them."""

    PERSON, ORGANISATION = "person", "organisation"

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
    kind = models.CharField(max_length=20, choices=[(PERSON, "Person"), (ORGANISATION, "Organisation")], default=PERSON)
    family = models.CharField("family name or organisation", max_length=300)
    given = models.CharField("given names", max_length=200, blank=True)
    affiliation = models.CharField(max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("family"), FieldPanel("given")]),
        FieldPanel("affiliation"),
    ]

    def display(self) -> str:
        if self.kind == self.ORGANISATION or not self.given:
            return self.family
        return f"{self.given} {self.family}"

    def citation_name(self) -> str:
        """'Family, Given' as Google Scholar and library catalogues want it."""
        if self.kind == self.ORGANISATION or not self.given:
            return self.family
        return f"{self.family}, {self.given}"


class PublicationFile(Orderable):
    """One file of the publication, with what it is and its language."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey("documents.PortalDocument", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=FileRole.choices, default=FileRole.FULL_REPORT)
    language = models.ForeignKey("taxonomy.Language", null=True, blank=True, on_delete=models.SET_NULL)

    panels = [FieldPanel("document"), FieldRowPanel([FieldPanel("role"), FieldPanel("language")])]

    @property
    def file_size(self):
        size = getattr(self.document, "file_size", None)
        return size if size else None

    @property
    def page_count(self):
        return getattr(self.document, "page_count", None) or None
