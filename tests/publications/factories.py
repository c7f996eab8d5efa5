"""Factories for publications' tests: pages under an index, documents with a real PDF."""

from pathlib import Path

import factory
import wagtail_factories
from django.core.files.base import ContentFile
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


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortalDocument

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyFunction(lambda: ContentFile(DEMO_PDF.read_bytes(), name="report.pdf"))
    collection = factory.LazyFunction(Collection.get_first_root_node)


def attach(page, document=None, role="full_report", **document_kwargs):
    document = document or DocumentFactory(**document_kwargs)
    PublicationFile.objects.create(page=page, document=document, role=role)
    return document


def add_author(page, family, given="", kind=PublicationAuthor.PERSON):
    return PublicationAuthor.objects.create(page=page, family=family, given=given, kind=kind)
