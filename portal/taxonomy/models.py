from django.db import models


class Country(models.Model):
    """A country the unit works with; the participating ones are seeded by a data migration."""

    code = models.CharField("ISO code", max_length=2, unique=True, help_text="ISO 3166-1 alpha-2, e.g. TH.")
    name = models.CharField("English name", max_length=100)
    local_name = models.CharField("local name", max_length=100, blank=True)
    language_code = models.CharField(
        "language of the local name", max_length=10, blank=True, help_text="BCP 47, e.g. th, km, zh."
    )
    participating = models.BooleanField(default=True, help_text="A participating country of the unit.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(models.Model):
    code = models.CharField("language code", max_length=10, unique=True, help_text="ISO 639-1, e.g. th.")
    name = models.CharField(max_length=100)
    local_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
