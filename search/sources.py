"""Every kind of thing the portal's search finds, registered in one place.

A source names a model by its label, so an app that is not installed (or not written yet) simply drops
out. Each source says which access-controlled item guards it and how (the record, or the files), where
its date, countries, themes and language live, and how much a match in it weighs against the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    model_label: str
    weight: float = 1.0
    # "record": hits are items whose record the audience may see; "files": hits are text from files the
    # audience may open (passages), guarded by the item at `item`.
    guard: Literal["record", "files"] = "record"
    item: str = ""  # path from this model to the access-controlled item; "" = the model itself
    date: str | None = None
    # facet name -> candidate field paths of its value; the first that exists on the model is used
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    summary_fields: tuple[str, ...] = ("search_summary", "summary", "abstract", "intro", "description")
    pages_only_live: bool = True

    def model(self):
        """The model class, or None when its app is not installed or the model does not exist yet."""
        try:
            return apps.get_model(self.model_label)
        except (LookupError, ValueError):
            return None

    def year_is_number(self) -> bool:
        """Whether the date path holds a year as a number (bibliography) rather than a date."""
        model = self.model()
        for part in (self.date or "").split("__"):
            field_ = model._meta.get_field(part)
            model = field_.related_model
        return field_.get_internal_type().endswith("IntegerField")

    def facet_path(self, name: str) -> str | None:
        """The field path for a facet, if this source's model has it."""
        candidates = (self.date,) if name == "year" and self.date else self.facets.get(name, ())
        return next((path for path in candidates if has_path(self.model(), path)), None)


def has_path(model, path: str) -> bool:
    for part in path.split("__"):
        if model is None:
            return False
        try:
            field_ = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        model = field_.related_model
    return True


def _record_facets(prefix: str = "", *, tier: str = "record_tier") -> dict[str, tuple[str, ...]]:
    # "country" is what the item is about where the model says so, else the countries it is scoped to.
    return {
        "country": (
            f"{prefix}covered_countries__code",
            f"{prefix}countries_covered__code",
            f"{prefix}countries__code",
        ),
        "theme": (f"{prefix}themes__slug",),
        "language": (f"{prefix}languages__code", f"{prefix}language__code", f"{prefix}language"),
        "tier": (f"{prefix}{tier}",),
    }


SOURCES: list[SearchSource] = [
    SearchSource(
        "publication",
        "Publication",
        "publications.PublicationPage",
        weight=1.6,
        date="publication_date",
        facets=_record_facets(),
    ),
    SearchSource(
        "entry",
        "Bibliography entry",
        "bibliography.BibliographyEntry",
        weight=1.4,
        date="year",
        facets=_record_facets(),
        summary_fields=("abstract", "annotation"),
    ),
    SearchSource(
        "course",
        "Training course",
        "trainings.CoursePage",
        weight=1.2,
        date="first_published_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "module",
        "Training module",
        "trainings.ModulePage",
        weight=1.1,
        date="first_published_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "workplan",
        "Workplan",
        "workplans.WorkplanPage",
        weight=1.1,
        date="first_published_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "page",
        "Page",
        "home.StandardPage",
        weight=1.0,
        date="first_published_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "country",
        "Country page",
        "home.CountryPage",
        weight=1.0,
        date="first_published_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "document",
        "Document",
        "documents.PortalDocument",
        weight=0.9,
        date="created_at",
        facets=_record_facets(),
    ),
    SearchSource(
        "passage",
        "PDF passage",
        "documents.DocumentPage",
        weight=0.7,
        guard="files",
        item="document",
        date="document__created_at",
        facets=_record_facets("document__", tier="file_tier"),
    ),
]

FACETS = ("kind", "country", "theme", "year", "language", "tier")


def available_sources() -> list[SearchSource]:
    return [source for source in SOURCES if source.model() is not None and _has_table(source.model())]


def _has_table(model) -> bool:
    """A model whose migration has not run yet (an app being written) is left out, with a warning."""
    tables = _existing_tables(connections[router.db_for_read(model)].alias)
    if model._meta.db_table in tables:
        return True
    logger.warning("search: %s has no table yet; its items are not searched", model._meta.label)
    return False


@lru_cache(maxsize=4)
def _existing_tables(alias: str) -> frozenset[str]:
    return frozenset(connections[alias].introspection.table_names())


def source_for_kind(kind: str) -> SearchSource | None:
    return next((source for source in available_sources() if source.kind == kind), None)
