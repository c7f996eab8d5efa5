"""Demo publications: a national assessment per country, two annual reports, the data-collection model, two
research studies and one national contribution in review, with PDFs (publications/demo_files/) in every tier.

Idempotent: pages are found by slug, files by their sha256; nothing is duplicated or overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.access.tiers import Tier
from portal.documents.ingestion import store_file
from portal.home.models import HomePage
from portal.taxonomy.models import Country, Language, Theme

from .models import (
    ContributionIndexPage,
    FileRole,
    Kind,
    PublicationAuthor,
    PublicationFile,
    PublicationIndexPage,
    PublicationPage,
)
from .workflow import assign_review_workflow

FILES = Path(__file__).resolve().parent / "demo_files"
UNIT = "Coordination and Analysis Unit on the Smuggling of Migrants"


@dataclass
class Demo:
    slug: str
    title: str
    kind: str
    date: dt.date
    file: str
    summary: str
    covered: tuple[str, ...] = ()
    themes: tuple[str, ...] = ("data-and-statistics",)
    record_tier: int = Tier.PUBLIC
    file_tier: int = Tier.PUBLIC
    scope: tuple[str, ...] = ()
    embargo_days: int | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)


ASSESSMENT_TIERS = {
    # code: (record tier, file tier, scope, embargo days) — every tier is on show
    "KH": (Tier.PUBLIC, Tier.PUBLIC, (), None),
    "CN": (Tier.PUBLIC, Tier.RESTRICTED, ("CN",), None),
    "ID": (Tier.PUBLIC, Tier.PUBLIC, (), None),
    "LA": (Tier.PUBLIC, Tier.REGISTERED, (), None),
    "MM": (Tier.RESTRICTED, Tier.RESTRICTED, ("MM",), None),
    "TH": (Tier.PUBLIC, Tier.PUBLIC, ("TH",), 45),
    "VN": (Tier.REGISTERED, Tier.CONFIDENTIAL, ("VN",), None),
}


def demo_publications() -> list[Demo]:
    items = []
    for country in Country.objects.filter(participating=True):
        record, files, scope, embargo = ASSESSMENT_TIERS.get(country.code, (Tier.PUBLIC, Tier.PUBLIC, (), None))
        items.append(
            Demo(
                slug=f"national-assessment-{country.code.lower()}",
                title=f"National assessment of migrant smuggling information: {country.name}",
                kind=Kind.NATIONAL_ASSESSMENT,
                date=dt.date(2025, 3, 1),
                file=f"national-assessment-{country.code.lower()}.pdf",
                summary=(
                    f"What information on migrant smuggling exists in {country.name}, who holds it, its gaps, and the "
                    "capacity of national agencies to produce and share it."
                ),
                covered=(country.code,),
                record_tier=record,
                file_tier=files,
                scope=scope,
                embargo_days=embargo,
                authors=[(UNIT, "")],
            )
        )
    regional = ("KH", "CN", "ID", "LA", "MM", "TH", "VN")
    items += [
        Demo(
            "annual-report-2024",
            "Annual regional analytical report on the smuggling of migrants, 2024",
            Kind.ANNUAL_REPORT,
            dt.date(2024, 11, 15),
            "annual-report-2024.pdf",
            "Trends, routes and responses across the seven participating countries in 2024.",
            covered=regional,
            themes=("routes", "modus-operandi", "fees-and-finance"),
            authors=[(UNIT, "")],
        ),
        Demo(
            "annual-report-2025",
            "Annual regional analytical report on the smuggling of migrants, 2025",
            Kind.ANNUAL_REPORT,
            dt.date(2025, 11, 14),
            "annual-report-2025.pdf",
            "The 2025 regional analysis, compiled from the national contributions. Full text under embargo until "
            "its launch.",
            covered=regional,
            themes=("routes", "criminal-networks"),
            embargo_days=30,
            authors=[(UNIT, "")],
        ),
        Demo(
            "data-collection-model",
            "Standardised data-collection model on the smuggling of migrants",
            Kind.DATA_COLLECTION_MODEL,
            dt.date(2024, 6, 3),
            "data-collection-model.pdf",
            "The common case definition, variables and forms agencies use to record smuggling cases.",
            covered=regional,
            themes=("data-and-statistics",),
            authors=[(UNIT, ""), ("Sato", "Keiko")],
        ),
        Demo(
            "study-fees-and-debt",
            "Fees, debt and the financing of migrant smuggling in the Mekong sub-region",
            Kind.RESEARCH_STUDY,
            dt.date(2025, 6, 20),
            "study-fees-and-debt.pdf",
            "How fees are set and paid, how debts bind smuggled migrants, and where the money goes.",
            covered=("KH", "LA", "MM", "TH", "VN"),
            themes=("fees-and-finance", "vulnerabilities-and-harm"),
            file_tier=Tier.REGISTERED,
            authors=[("Nguyen", "Thi Mai"), ("Chanthavong", "Souk")],
        ),
        Demo(
            "study-sea-routes",
            "Maritime smuggling routes to Indonesia and Malaysia: a research study",
            Kind.RESEARCH_STUDY,
            dt.date(2025, 9, 2),
            "study-sea-routes.pdf",
            "Boats, departure points and the networks that organise sea crossings, from case files of 2022–2024.",
            covered=("ID", "MM"),
            themes=("routes", "border-management"),
            record_tier=Tier.RESTRICTED,
            file_tier=Tier.RESTRICTED,
            scope=("ID", "MM"),
            authors=[("Wijaya", "Putri"), ("Aung", "Kyaw")],
        ),
    ]
    return items


def load(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        stdout.write("publications: no home page; skipped.")
        return
    index = _index(home)
    contributions = _contributions_index(index)
    assign_review_workflow(index)
    _reviewers()
    created = sum(_publication(index, demo) for demo in demo_publications())
    stdout.write(f"publications: {created} demo publications created (index at {index.url}).")
    if _contribution(contributions):
        stdout.write("publications: a national contribution from focal.th is waiting for CAU review.")


def _reviewers() -> None:
    """The demo editor also reviews, so a newcomer can walk a contribution through CAU review."""
    from django.contrib.auth.models import Group

    from .workflow import REVIEWERS

    editor = get_user_model().objects.filter(username="editor").first()
    if editor is not None:
        editor.groups.add(Group.objects.get_or_create(name=REVIEWERS)[0])


def _index(home) -> PublicationIndexPage:
    index = PublicationIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=PublicationIndexPage(
                title="Publications",
                slug="publications",
                show_in_menus=True,
                intro="Reports, studies, national assessments and guidelines of the unit.",
            )
        )
        index.save_revision().publish()
    return index


def _contributions_index(index) -> ContributionIndexPage:
    page = ContributionIndexPage.objects.first()
    if page is None:
        page = index.add_child(
            instance=ContributionIndexPage(
                title="National contributions", slug="contributions", intro="Contributions sent by focal points."
            )
        )
        page.save_revision().publish()
    return page


def _publication(index, demo: Demo) -> bool:
    if PublicationPage.objects.filter(slug=demo.slug).exists():
        return False
    countries = list(Country.objects.filter(code__in=demo.scope))
    embargo = timezone.now() + dt.timedelta(days=demo.embargo_days) if demo.embargo_days else None
    document = store_file(
        FILES / demo.file,
        title=demo.title,
        record_tier=demo.record_tier,
        file_tier=demo.file_tier,
        embargo_until=embargo,
    ).document
    page = PublicationPage(
        title=demo.title,
        slug=demo.slug,
        kind=demo.kind,
        publication_date=demo.date,
        summary=demo.summary,
        record_tier=demo.record_tier,
        file_tier=demo.file_tier,
        embargo_until=embargo,
    )
    page.countries = countries
    page.covered_countries = list(Country.objects.filter(code__in=demo.covered))
    page.themes = list(Theme.objects.filter(slug__in=demo.themes))
    page.languages = list(Language.objects.filter(code="en"))
    page.authors = [
        PublicationAuthor(
            family=family, given=given, kind=PublicationAuthor.PERSON if given else PublicationAuthor.ORGANISATION
        )
        for family, given in demo.authors
    ]
    page.files = [
        PublicationFile(
            document=document, role=FileRole.FULL_REPORT, language=Language.objects.filter(code="en").first()
        )
    ]
    index.add_child(instance=page)
    page.save_revision().publish()
    return True


def _contribution(contributions_index) -> bool:
    from .contributions import submit_contribution

    user = get_user_model().objects.filter(username="focal.th").first()
    if user is None or PublicationPage.objects.filter(contributed_by=user).exists():
        return False
    thailand = Country.objects.get(code="TH")
    data = (FILES / "national-assessment-th.pdf").read_bytes() + b"\n% national contribution, demo\n"
    submit_contribution(
        {
            "title": "Thailand: smuggling cases detected at the southern border, first half of 2025",
            "description": "Aggregated case figures from the Immigration Bureau, with a short analysis.",
            "country": thailand,
            "kind": Kind.OTHER,
            "proposed_record_tier": Tier.RESTRICTED,
            "proposed_file_tier": Tier.RESTRICTED,
            "files": [ContentFile(data, name="southern-border-2025-h1.pdf")],
        },
        user,
        contributions_index,
    )
    return True
