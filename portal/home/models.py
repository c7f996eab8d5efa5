from functools import cache as once

from django.core.cache import cache
from django.db import models
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from portal.access import policy
from portal.access.models import AccessControlled, touches_dissemination
from search.index import segmented

from . import page_cache
from .blocks import BodyBlock

ACCESS_PANELS = MultiFieldPanel(
    [
        FieldPanel("record_tier"),
        FieldPanel("file_tier"),
        FieldPanel("countries"),
        FieldPanel("embargo_until"),
    ],
    heading="Dissemination",
    help_text="Who may see this page and open its files, under the unit's dissemination guidelines.",
)


class PortalPage(AccessControlled, Page):
    """Every page of the portal: a Page with the dissemination fields, so listings filter any page type."""

    is_creatable = False
    settings_panels = [*Page.settings_panels, ACCESS_PANELS]
    # Segmented and folded, so words of the region's unspaced scripts and unaccented Vietnamese are found.
    search_fields = segmented(
        [
            *Page.search_fields,
            index.FilterField("id"),
            index.FilterField("record_tier"),
            index.FilterField("file_tier"),
            index.FilterField("embargo_until"),
        ]
    )

    def save(self, *args, **kwargs):
        if touches_dissemination(kwargs.get("update_fields")):
            self.close_to_parent()
        super().save(*args, **kwargs)

    def close_to_parent(self) -> bool:
        """A page is never more open than the page above it, whose address and listings lead to it.

        Both tiers rise to the parent's record tier and the countries narrow to the parent's, as for a picture the
        parent shows. Returns whether anything changed; `save()` applies it, and publishing a page applies it to
        the pages below (portal.access.attachments).
        """
        if not self.path or (self.depth or 0) <= 1:
            return False
        parent = PortalPage.objects.filter(path=self.path[: -self.steplen]).first()
        return parent is not None and policy.close_to_container(self, parent, shown_in_record=True)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if page_cache.is_cacheable(request):
            # Only pages store into the cache; PageCacheMiddleware answers from it before routing.
            if hasattr(response, "render"):
                response.render()
            page_cache.store(request, response)
        return response

    def visible_children(self, request):
        """Live children this request may know about, as their specific pages."""
        children = PortalPage.objects.child_of(self).live().public()
        return policy.filter_records(children, policy.audience_for(request)).specific()


class HomePage(PortalPage):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    featured = StreamField(
        [("page", blocks.PageChooserBlock(page_type="home.PortalPage"))],
        blank=True,
        use_json_field=True,
        help_text="Pages to feature on the home page. Each reader sees only those the guidelines let them see.",
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured"), FieldPanel("body")]
    search_fields = segmented([*PortalPage.search_fields, index.SearchField("intro")])

    def get_context(self, request, *args, **kwargs):
        # Lazy: the template asks for them only when its cached part (portal.home.fragments) is missing.
        context = super().get_context(request, *args, **kwargs)
        audience = policy.audience_for(request)
        context["sections"] = once(lambda: collect_sections("home_page_sections", self, request))
        context["featured_pages"] = once(lambda: self.featured_pages(audience))
        context["countries"] = once(lambda: list(self.country_pages(audience)))
        return context

    def country_pages(self, audience):
        countries = CountryPage.objects.live().public().select_related("country")
        return policy.filter_records(countries, audience)

    def featured_pages(self, audience):
        """The featured pages this audience may know about, in the editor's order."""
        ids = [block.value.pk for block in self.featured if block.value is not None]
        visible = policy.filter_records(PortalPage.objects.live().public().filter(pk__in=ids), audience)
        by_id = {page.pk: page for page in visible.specific()}
        return [by_id[pk] for pk in ids if pk in by_id]


class StandardPage(PortalPage):
    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title and in listings.")
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = segmented([*PortalPage.search_fields, index.SearchField("intro"), index.SearchField("body")])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = once(lambda: list(self.visible_children(request)))
        return context


class CountryIndexPage(PortalPage):
    intro = models.TextField(blank=True)

    max_count = 1
    subpage_types = ["home.CountryPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = once(lambda: list(self.visible_children(request)))
        return context


class CountryPage(PortalPage):
    """One participating country: its assessments, workplan, bibliography and contributions."""

    country = models.OneToOneField("taxonomy.Country", on_delete=models.PROTECT, related_name="page")
    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    parent_page_types = ["home.CountryIndexPage"]
    subpage_types = ["home.StandardPage"]
    content_panels = [*Page.content_panels, FieldPanel("country"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = segmented([*PortalPage.search_fields, index.SearchField("intro"), index.SearchField("body")])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = once(lambda: collect_sections("country_page_sections", self, request))
        return context


def collect_sections(hook_name, page, request):
    """Sections other apps add to a page: each hook returns a dict (title, template, ...) or None.

    Every hook receives the request's audience and must filter what it lists through portal.access. Sections are
    rendered inside the page's part cached per audience (portal.home.fragments): a section shows nothing that
    depends on the reader beyond their audience, and holds no form.
    """
    audience = policy.audience_for(request)
    sections = (fn(page, request, audience) for fn in hooks.get_hooks(hook_name))
    return sorted((s for s in sections if s), key=lambda s: s.get("order", 100))


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    unit_name = models.CharField(max_length=200, default="Coordination and Analysis Unit on the Smuggling of Migrants")
    footer_text = models.TextField(
        blank=True,
        default="A regional unit for Cambodia, China, Indonesia, Lao PDR, Myanmar, Thailand and Viet Nam.",
    )
    contact_email = models.EmailField(blank=True)

    panels = [FieldPanel("unit_name"), FieldPanel("footer_text"), FieldPanel("contact_email")]

    @classmethod
    def load(cls, request_or_site=None):
        # Every page's footer reads them: a page's request gets the cached copy, which a change of the settings
        # retires (portal.home.signals starts a new generation). The admin reads them from the database.
        if request_or_site is None or isinstance(request_or_site, Site):
            return super().load(request_or_site)
        key = f"sitesettings:{page_cache.generation()}"
        settings = cache.get(key)
        if settings is None:
            settings = super().load(request_or_site)
            cache.set(key, settings, page_cache.DEFAULT_TIMEOUT)
        return settings
