"""Demo trainings: a public course on data collection for officials (three modules, slides, handbook, exercise,
reading and a video link), a restricted course for officials, and the demo trainee enrolled in the first.

Idempotent: pages are found by slug, files by their sha256 (trainings/demo_files/); nothing is duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model

from portal.access.tiers import Tier
from portal.documents.ingestion import store_file
from portal.home.models import HomePage
from portal.taxonomy.models import Language

from .models import CourseIndexPage, CoursePage, Enrolment, MaterialKind, ModuleMaterial, ModulePage

FILES = Path(__file__).resolve().parent / "demo_files"
PUBLIC_COURSE = "data-collection-for-officials"


@dataclass
class DemoModule:
    slug: str
    title: str
    summary: str
    materials: list[tuple[str, str, str]] = field(default_factory=list)  # kind, title, file name or video address


@dataclass
class DemoCourse:
    slug: str
    title: str
    summary: str
    audience: str
    duration: str
    objectives: str
    modules: list[DemoModule]
    record_tier: int = Tier.PUBLIC
    file_tier: int = Tier.REGISTERED


COURSES = [
    DemoCourse(
        PUBLIC_COURSE,
        "Data collection on migrant smuggling for officials",
        "How to recognise a migrant smuggling case, record it with the unit's standardised data-collection model and "
        "share the figures safely.",
        "immigration, border, police and prosecution officials who record smuggling cases",
        "2 days",
        "<ul><li>Tell migrant smuggling from trafficking in persons and irregular migration.</li>"
        "<li>Record a case with the standardised data-collection model.</li>"
        "<li>Share aggregated case data under data-protection rules.</li></ul>",
        [
            DemoModule(
                "definitions-and-legal-framework",
                "Migrant smuggling: definitions and the legal framework",
                "The Protocol's definition, how it differs from trafficking, and national laws in the region.",
                [
                    (MaterialKind.SLIDES, "Definitions", "m1-definitions-slides.pdf"),
                    (MaterialKind.HANDBOOK, "National legal frameworks", "m1-legal-framework-handbook.pdf"),
                ],
            ),
            DemoModule(
                "standardised-data-collection-model",
                "The standardised data-collection model",
                "Cases, persons, routes and outcomes: the variables every agency records.",
                [
                    (MaterialKind.SLIDES, "The data-collection model", "m2-data-model-slides.pdf"),
                    (MaterialKind.EXERCISE, "Filling in the case form", "m2-case-form-exercise.pdf"),
                ],
            ),
            DemoModule(
                "recording-and-sharing-case-data",
                "Recording and sharing case data",
                "Data protection, aggregation and quality checks before figures leave the agency.",
                [
                    (MaterialKind.SLIDES, "Recording and sharing", "m3-sharing-slides.pdf"),
                    (MaterialKind.READING, "Data protection principles", "m3-data-protection-reading.pdf"),
                    (MaterialKind.VIDEO_LINK, "Recorded lecture", "https://www.unodc.org/"),
                ],
            ),
        ],
    ),
    DemoCourse(
        "investigating-smuggling-networks",
        "Investigating migrant smuggling networks (officials only)",
        "Financial investigation and international cooperation against the networks that organise smuggling.",
        "verified investigators and prosecutors of the participating countries",
        "3 days",
        "<ul><li>Follow the money of a smuggling network.</li><li>Request evidence from another country.</li></ul>",
        [
            DemoModule(
                "financial-investigation",
                "Financial investigation of smuggling networks",
                "Fee collection, informal transfers and asset recovery.",
                [(MaterialKind.HANDBOOK, "Financial investigation handbook", "r1-investigation-handbook.pdf")],
            )
        ],
        record_tier=Tier.RESTRICTED,
        file_tier=Tier.RESTRICTED,
    ),
]


def load(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        stdout.write("trainings: no home page; skipped.")
        return
    index = _index(home)
    created = sum(_course(index, demo) for demo in COURSES)
    stdout.write(f"trainings: {created} demo courses created (index at {index.url}).")
    if _enrol_trainee():
        stdout.write("trainings: the demo trainee is enrolled in the data-collection course (see /trainings/my/).")


def _index(home) -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(
                title="Training courses",
                slug="trainings",
                show_in_menus=True,
                intro="Courses for officials on migrant smuggling and on collecting data about it.",
            )
        )
        index.save_revision().publish()
    return index


def _course(index, demo: DemoCourse) -> bool:
    if CoursePage.objects.filter(slug=demo.slug).exists():
        return False
    course = CoursePage(
        title=demo.title,
        slug=demo.slug,
        summary=demo.summary,
        audience=demo.audience,
        duration=demo.duration,
        learning_objectives=demo.objectives,
        language=Language.objects.filter(code="en").first(),
        record_tier=demo.record_tier,
        file_tier=demo.file_tier,
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    for order, module in enumerate(demo.modules, start=1):
        _module(course, module, order)
    return True


def _module(course, demo: DemoModule, order: int) -> None:
    module = ModulePage(
        title=demo.title,
        slug=demo.slug,
        order=order,
        summary=demo.summary,
        record_tier=course.record_tier,
        file_tier=course.file_tier,
    )
    module.materials = [_material(kind, title, source) for kind, title, source in demo.materials]
    course.add_child(instance=module)
    module.save_revision().publish()


def _material(kind, title, source) -> ModuleMaterial:
    if kind == MaterialKind.VIDEO_LINK:
        return ModuleMaterial(kind=kind, title=title, link_url=source)
    document = store_file(FILES / source, title=title).document
    return ModuleMaterial(kind=kind, title=title, document=document)


def _enrol_trainee() -> bool:
    trainee = get_user_model().objects.filter(username="trainee").first()
    course = CoursePage.objects.filter(slug=PUBLIC_COURSE).first()
    if trainee is None or course is None:
        return False
    return Enrolment.objects.get_or_create(user=trainee, course=course)[1]
