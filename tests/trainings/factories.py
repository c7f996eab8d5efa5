"""Factories for the trainings' tests: an index, courses, modules and materials with small real PDFs."""

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Collection

from portal.documents.models import PortalDocument
from trainings.models import CourseIndexPage, CoursePage, MaterialKind, ModuleMaterial, ModulePage
from trainings.pdfs import text_pdf


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Training courses"
    slug = "trainings"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "What officials need to know to record smuggling cases."
    audience = "Immigration and border officials"
    duration = "2 days"


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    order = factory.Sequence(lambda n: n + 1)
    summary = "A module."


class PdfDocumentFactory(factory.django.DjangoModelFactory):
    """A small text PDF; each one's bytes differ (documents are stored once per sha256)."""

    class Meta:
        model = PortalDocument

    title = factory.Sequence(lambda n: f"Material document {n}")
    file = factory.LazyAttribute(lambda d: ContentFile(text_pdf([d.title]), name="material.pdf"))
    collection = factory.LazyFunction(Collection.get_first_root_node)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document.enqueue_on_save = False
        document.save()
        return document


def add_material(module, document=None, kind=MaterialKind.SLIDES, title="", **document_kwargs):
    """Attach a material to a module and save the module, as publishing it does (its documents are closed)."""
    document = document or PdfDocumentFactory(**document_kwargs)
    material = ModuleMaterial.objects.create(page=module, document=document, kind=kind, title=title)
    module.save()
    document.refresh_from_db()
    return material
