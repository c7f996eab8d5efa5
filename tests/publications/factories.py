"""Factories for publications' tests: pages under an index, documents with a real PDF."""

from pathlib import Path

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection

from portal.documents.models import PortalDocument
from publications.models import (
    ContributionIndexPage,
    Kind,
    PublicationAuthor,
    PublicationFile,
    PublicationIndexPage,
    PublicationPage,
)

DEMO_PDF = Path(__file__).resolve().parents[2] / "publications" / "demo_files" / "study-sea-routes.pdf"


class PublicationIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PublicationIndexPage

    title = "Publications"
    slug = "publications"


class ContributionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContributionIndexPage

    title = "National contributions"
    slug = "contributions"


class PublicationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PublicationPage

    title = factory.Sequence(lambda n: f"Publication {n}")
    kind = Kind.RESEARCH_STUDY
    summary = "A study of smuggling routes."
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyFunction(timezone.now)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A PDF document; each one's bytes differ (documents are stored once per sha256)."""

    class Meta:
        model = PortalDocument

    class Params:
        ingest = False  # True: read the PDF into pages (page count), as an upload would

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.Sequence(
        lambda n: ContentFile(DEMO_PDF.read_bytes() + f"\n% copy {n}\n".encode(), name="report.pdf")
    )
    collection = factory.LazyFunction(Collection.get_first_root_node)

    @classmethod
    def _create(cls, model_class, *args, ingest=False, **kwargs):
        document = model_class(*args, **kwargs)
        document.enqueue_on_save = ingest
        document.save()
        return document


def attach(page, document=None, role="full_report", **document_kwargs):
    document = document or DocumentFactory(**document_kwargs)
    PublicationFile.objects.create(page=page, document=document, role=role)
    return document


def add_author(page, family, given="", kind=PublicationAuthor.PERSON):
    return PublicationAuthor.objects.create(page=page, family=family, given=given, kind=kind)
