"""Training courses for officials: a course index, courses, their modules and the modules' materials, enrolment.

A course's record is public by default and its files registered: anyone may read what a course teaches, trainees
sign in to download its materials. A module is never more open than its course, and a material's document never
more open than its module (both closed with the access policy's `close_to_container` when saved).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.access import policy
from portal.access.tiers import Tier
from portal.home.blocks import BodyBlock
from portal.home.models import PortalPage
from search.index import segmented

MATERIALS_HELP = (
    "A document attached here is never more open than this module's files (nor the course's): when the module is "
    "saved, each document's tiers are raised to at least the module's, its countries narrowed and any embargo "
    "copied. Lowering the module's tiers later does not open the documents again: change them in Documents."
)


# Addresses under /trainings/ that trainings/urls.py answers before Wagtail's pages.
RESERVED_SLUGS = {"my"}


class CourseIndexPage(PortalPage):
    """The list of courses (one, under the home page, at /trainings/)."""

    intro = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["trainings.CoursePage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "course index"

    def courses(self, request):
        """The live courses under this index the request may know about."""
        pages = CoursePage.objects.child_of(self).live().public()
        return policy.filter_records(pages, policy.audience_for(request)).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = self.courses(request)
        if request.user.is_authenticated:
            context["my_courses"] = enrolled_courses(request)
        return context


class CoursePage(PortalPage):
    """One course: what it teaches and to whom, its modules, and the pack of all its materials."""

    default_record_tier = Tier.PUBLIC
    default_file_tier = Tier.REGISTERED  # trainees sign in to download course materials
    grant_covers_subpages = True  # an access request on a course opens its modules and their materials

    summary = models.TextField(blank=True, help_text="A paragraph shown in listings and at the top of the page.")
    audience = models.CharField(
        max_length=300, blank=True, help_text="Who the course is for, e.g. 'Immigration and border officials'."
    )
    language = models.ForeignKey(
        "taxonomy.Language", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration = models.CharField(max_length=100, blank=True, help_text="e.g. '2 days' or '6 hours, self-paced'.")
    learning_objectives = RichTextField(features=["bold", "italic", "ol", "ul", "link"], blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    parent_page_types = ["trainings.CourseIndexPage"]
    subpage_types = ["trainings.ModulePage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldRowPanel([FieldPanel("language"), FieldPanel("duration")])],
            heading="Course",
        ),
        FieldPanel("learning_objectives"),
        FieldPanel("body"),
    ]
    search_fields = segmented(
        [
            *PortalPage.search_fields,
            index.SearchField("summary"),
            index.SearchField("audience"),
            index.SearchField("learning_objectives"),
            index.SearchField("body"),
        ]
    )

    class Meta:
        verbose_name = "course"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is taken by the portal (/trainings/{self.slug}/)."})

    def modules(self, audience):
        """The live modules of this course the audience may know about, in course order."""
        pages = ModulePage.objects.child_of(self).live().public()
        return policy.filter_records(pages, audience).order_by("order", "path")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.pk:
            close_modules_to_course(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        audience = policy.audience_for(request)
        files_open = policy.can_open_files(audience, self)
        context.update(
            modules=self.modules(audience),
            files_open=files_open,
            pack_url=pack_url(self) if files_open else "",
            is_enrolled=request.user.is_authenticated
            and Enrolment.objects.filter(user=request.user, course=self).exists(),
        )
        return context


class ModulePage(PortalPage):
    """One module of a course, with its materials (slides, handbook, exercises, readings, video links)."""

    default_record_tier = Tier.PUBLIC
    default_file_tier = Tier.REGISTERED

    order = models.PositiveSmallIntegerField(default=1, help_text="Modules are listed in this order (1 first).")
    summary = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    parent_page_types = ["trainings.CoursePage"]
    subpage_types: list = []
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("order")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("materials", heading="Materials", label="material", help_text=MATERIALS_HELP),
    ]
    search_fields = segmented([*PortalPage.search_fields, index.SearchField("summary"), index.SearchField("body")])

    class Meta:
        verbose_name = "module"

    @property
    def course(self) -> CoursePage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None and isinstance(parent.specific, CoursePage) else None

    def save(self, *args, **kwargs):
        course = self.course if self.path and (self.depth or 0) > 1 else None
        if course is not None:
            policy.close_to_container(self, course)
        super().save(*args, **kwargs)
        if self.pk:
            close_materials_to_module(self)

    def serve(self, request, *args, **kwargs):
        # A module of a course the reader may not know about does not exist for them either.
        course = self.course
        if course is not None and not policy.can_see_record(policy.audience_for(request), course):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def materials_for(self, audience) -> list[dict]:
        """Each material whose record the audience may know about, whether it may open it, and which item's
        restricted panel explains a closed one (its own, unless the whole module is closed: one panel then)."""
        entries = []
        module_files_open = policy.can_open_files(audience, self)
        for material in self.materials.select_related("document").order_by("sort_order"):
            document = material.document
            if document is not None and not policy.can_see_record(audience, document):
                continue
            can_open = policy.can_open_files(audience, document) if document else module_files_open
            panel_item = None if can_open or not module_files_open else (document or self)
            entries.append({"material": material, "can_open": can_open, "panel_item": panel_item})
        return entries

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        audience = policy.audience_for(request)
        course = self.course
        materials = self.materials_for(audience)
        module_files_open = policy.can_open_files(audience, self)
        context.update(
            course=course,
            materials=materials,
            module_panel=not module_files_open and any(not entry["can_open"] for entry in materials),
        )
        if course is not None:
            siblings = list(course.modules(audience))
            position = next((i for i, m in enumerate(siblings) if m.pk == self.pk), None)
            if position is not None:
                context["previous_module"] = siblings[position - 1] if position > 0 else None
                context["next_module"] = siblings[position + 1] if position + 1 < len(siblings) else None
        return context


class MaterialKind(models.TextChoices):
    SLIDES = "slides", "Slides"
    HANDBOOK = "handbook", "Handbook"
    EXERCISE = "exercise", "Exercise"
    READING = "reading", "Reading"
    VIDEO_LINK = "video_link", "Video link"


class ModuleMaterial(Orderable):
    """One material of a module: a document (slides, handbook, exercise, reading) or a link to a video."""

    page = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=20, choices=MaterialKind.choices, default=MaterialKind.SLIDES)
    title = models.CharField(max_length=300, blank=True, help_text="Leave empty to use the document's title.")
    document = models.ForeignKey(
        "documents.PortalDocument", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    link_url = models.URLField(
        "video address",
        blank=True,
        help_text="For a video link only: where the video is (shown to those who may open this module's files).",
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]), FieldPanel("document"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        verbose_name = "material"

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or (self.document.title if self.document_id else "") or self.get_kind_display()

    def clean(self):
        super().clean()
        if self.kind == MaterialKind.VIDEO_LINK and not self.link_url:
            raise ValidationError({"link_url": "A video link needs the video's address."})
        if self.kind != MaterialKind.VIDEO_LINK and not self.document_id:
            raise ValidationError({"document": "Choose the document of this material."})


class Enrolment(models.Model):
    """A signed-in user follows a course: it is listed under their 'My courses'."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment")]

    def __str__(self):
        return f"{self.user} in {self.course}"


# ---- helpers ------------------------------------------------------------------------------------------------


def pack_url(course) -> str:
    from django.urls import reverse

    return reverse("trainings:pack", args=[course.pk])


def enrolled_courses(request) -> list[CoursePage]:
    """The live courses the request's user is enrolled in and may still know about, latest enrolment first."""
    if not request.user.is_authenticated:
        return []
    ids = list(Enrolment.objects.filter(user=request.user).values_list("course_id", flat=True))
    pages = CoursePage.objects.live().public().filter(pk__in=ids).select_related("language")
    visible = {course.pk: course for course in policy.filter_records(pages, policy.audience_for(request))}
    return [visible[pk] for pk in ids if pk in visible]


def close_modules_to_course(course: CoursePage) -> None:
    for module in ModulePage.objects.child_of(course):
        if policy.close_to_container(module, course):
            module.save()  # closes its materials too


def close_materials_to_module(module: ModulePage) -> None:
    course = module.course
    for material in module.materials.select_related("document"):
        document = material.document
        if document is None:
            continue
        changed = policy.close_to_container(document, module)
        changed = (course is not None and policy.close_to_container(document, course)) or changed
        if changed:
            document.save()
