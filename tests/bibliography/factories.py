"""Factories for bibliography entries."""

import factory

from bibliography.models import BibliographyEntry, EntryCreator


class BibliographyEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BibliographyEntry
        skip_postgeneration_save = True

    entry_type = "report"
    citation_key = factory.Sequence(lambda n: f"entry{n}")
    title = factory.Sequence(lambda n: f"Smuggling of migrants along route {n}")
    year = 2020
    container_title = "Journal of Migration Studies"
    abstract = "Findings on smuggling networks."

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for n, name in enumerate(extracted or [("Nguyen", "An")]):
            family, given = name
            EntryCreator.objects.create(entry=self, family=family, given=given, sort_order=n)

    @factory.post_generation
    def scope(self, create, extracted, **kwargs):
        if extracted:
            self.countries.set(extracted)
            self.save()  # parental many-to-many relations are written on save
