"""The regional annotated bibliography: one entry per study, report or article, with the unit's annotation."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelsearch import index
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from portal.access.models import AccessControlled
from search.index import segmented

from .formats.citations import format_all
from .formats.records import ENTRY_TYPES, ORGANISATION, PERSON, BibRecord, Creator, dedupe_key

CITATION_CACHE_SECONDS = 30 * 24 * 3600


class BibliographyEntry(index.Indexed, AccessControlled):
    """A study, report or article on migrant smuggling in the region, as the unit catalogues it."""

    entry_type = models.CharField("type", max_length=30, choices=list(ENTRY_TYPES.items()), default="article")
    citation_key = models.CharField(
        max_length=250, unique=True, help_text="Unique key used in BibTeX exports, e.g. unodc2018global."
    )
    title = models.TextField()
    original_title = models.TextField("title in the original language", blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    date = models.CharField("full date", max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD.")
    container_title = models.CharField(
        "journal, book or website", max_length=500, blank=True, help_text="Where the work appeared."
    )
    publisher = models.CharField(max_length=300, blank=True)
    place = models.CharField("place of publication", max_length=200, blank=True)
    series = models.CharField(max_length=300, blank=True)
    institution = models.CharField(max_length=300, blank=True, help_text="Institution, school or organisation.")
    edition = models.CharField(max_length=50, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    isbn = models.CharField("ISBN", max_length=100, blank=True)
    issn = models.CharField("ISSN", max_length=100, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    language = models.CharField(max_length=20, blank=True, db_index=True, help_text="ISO 639-1 code, e.g. th.")
    abstract = models.TextField(blank=True)
    annotation = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="The unit's own annotation: what the work contributes and how reliable it is.",
    )
    note = models.TextField(blank=True)
    keywords = ClusterTaggableManager(through="bibliography.BibliographyEntryTag", blank=True)
    themes = ParentalManyToManyField("taxonomy.Theme", blank=True, related_name="bibliography_entries")
    countries_covered = ParentalManyToManyField(
        "taxonomy.Country",
        blank=True,
        related_name="bibliography_entries",
        help_text="The countries the work is about (not who may see it: that is 'countries' below).",
    )
    document = models.ForeignKey(
        "documents.PortalDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The full text, if the unit holds it; its own tiers guard the file.",
    )
    related_pages = ParentalManyToManyField(
        "wagtailcore.Page", blank=True, related_name="+", help_text="Related publications of the portal."
    )
    raw_record = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The record as imported, kept whole."
    )
    duplicate_key = models.CharField(max_length=600, db_index=True, editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    default_record_tier = 0

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("entry_type"), FieldPanel("citation_key")]),
                FieldPanel("title"),
                FieldPanel("original_title"),
            ],
            heading="Work",
        ),
        InlinePanel("creators", heading="Authors and editors", label="person or organisation"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("year"), FieldPanel("date"), FieldPanel("language")]),
                FieldPanel("container_title"),
                FieldRowPanel([FieldPanel("volume"), FieldPanel("issue"), FieldPanel("pages")]),
                FieldRowPanel([FieldPanel("publisher"), FieldPanel("place"), FieldPanel("edition")]),
                FieldRowPanel([FieldPanel("series"), FieldPanel("institution")]),
            ],
            heading="Publication",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("doi"), FieldPanel("isbn"), FieldPanel("issn")]), FieldPanel("url")],
            heading="Identifiers",
        ),
        FieldPanel("abstract"),
        FieldPanel("annotation"),
        FieldPanel("note"),
        MultiFieldPanel(
            [FieldPanel("keywords"), FieldPanel("themes"), FieldPanel("countries_covered")],
            heading="Subjects",
        ),
        FieldPanel("document"),
        FieldPanel("related_pages"),
        MultiFieldPanel(
            [FieldPanel("record_tier"), FieldPanel("file_tier"), FieldPanel("countries"), FieldPanel("embargo_until")],
            heading="Dissemination (who may see this entry and open its full text)",
        ),
    ]

    search_fields = segmented(
        [
            index.SearchField("title", boost=3),
            index.AutocompleteField("title"),
            index.SearchField("original_title", boost=2),
            index.SearchField("abstract"),
            index.SearchField("annotation"),
            index.SearchField("container_title"),
            index.SearchField("authors_text", boost=2),
            index.SearchField("keywords_text", boost=2),
            index.FilterField("id"),
            index.FilterField("record_tier"),
            index.FilterField("file_tier"),
            index.FilterField("embargo_until"),
            index.FilterField("year"),
            index.FilterField("language"),
            index.FilterField("entry_type"),
            index.FilterField("citation_key"),
        ]
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "bibliography entry"
        verbose_name_plural = "bibliography entries"

    def __str__(self):
        return self.title or self.doi or self.citation_key

    def save(self, *args, **kwargs):
        self.duplicate_key = dedupe_key(self.to_record())[:600]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bibliography:entry", args=[self.pk])

    @property
    def authors_text(self) -> str:
        return "; ".join(c.display() for c in self.creators.all())

    @property
    def keywords_text(self) -> str:
        # Read through tagged_items so a prefetch ("tagged_items__tag") serves bulk indexing.
        return "; ".join(item.tag.name for item in self.tagged_items.all())

    def author_line(self, limit: int = 3) -> str:
        """'Smith, J.; Nguyen, V. et al.' for listings."""
        names = [c.display() for c in self.creators.all() if c.role == "author"]
        if len(names) > limit:
            return "; ".join(names[:limit]) + " et al."
        return "; ".join(names)

    def citations(self) -> dict[str, dict[str, str]]:
        """Formatted citations in every style (citeproc takes ~20 ms each: cached until the entry changes)."""
        key = self.citation_cache_key()
        result = cache.get(key)
        if result is None:
            result = format_all(self.to_record())
            cache.set(key, result, CITATION_CACHE_SECONDS)
        return result

    def citation_cache_key(self) -> str:
        # Only reached after the access policy let the reader see the entry; the text is the same for all.
        return f"bibliography-citations:{self.pk}:{self.updated_at.timestamp() if self.updated_at else 0}"

    def to_record(self) -> BibRecord:
        """The normalised record, for exports and citations."""
        return BibRecord(
            entry_type=self.entry_type,
            citation_key=self.citation_key,
            title=self.title,
            original_title=self.original_title,
            creators=[c.to_creator() for c in self.creators.all()],
            year=self.year,
            date=self.date,
            container_title=self.container_title,
            publisher=self.publisher,
            place=self.place,
            series=self.series,
            institution=self.institution,
            edition=self.edition,
            volume=self.volume,
            issue=self.issue,
            pages=self.pages,
            doi=self.doi,
            isbn=self.isbn,
            issn=self.issn,
            url=self.url,
            language=self.language,
            abstract=self.abstract,
            keywords=sorted(item.tag.name for item in self.tagged_items.all()) if self.pk else [],
            note=self.note,
        )


class EntryCreator(Orderable):
    """An author or editor of an entry, in the order the work names them."""

    entry = ParentalKey(BibliographyEntry, on_delete=models.CASCADE, related_name="creators")
    kind = models.CharField(max_length=20, choices=[(PERSON, "Person"), (ORGANISATION, "Organisation")], default=PERSON)
    family = models.CharField(
        "family name or organisation", max_length=300, help_text="For an organisation, its full name."
    )
    given = models.CharField("given names", max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=[("author", "Author"), ("editor", "Editor")], default="author")

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("family"), FieldPanel("given")]),
    ]

    def __str__(self):
        return self.display()

    def display(self) -> str:
        return self.to_creator().display()

    def to_creator(self) -> Creator:
        return Creator(family=self.family, given=self.given, kind=self.kind, role=self.role)


class BibliographyEntryTag(TaggedItemBase):
    content_object = ParentalKey(BibliographyEntry, on_delete=models.CASCADE, related_name="tagged_items")
