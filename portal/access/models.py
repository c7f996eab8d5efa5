from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from .tiers import COUNTRIES_HELP, EMBARGO_HELP, FILE_TIER_HELP, RECORD_TIER_HELP, Tier


class AccessControlled(ClusterableModel):
    """The dissemination fields every item that can hold information carries."""

    default_record_tier = Tier.PUBLIC
    default_file_tier = Tier.PUBLIC

    record_tier = models.PositiveSmallIntegerField(
        choices=Tier.choices, default=Tier.PUBLIC, db_index=True, help_text=RECORD_TIER_HELP
    )
    file_tier = models.PositiveSmallIntegerField(
        choices=Tier.choices, default=Tier.PUBLIC, db_index=True, help_text=FILE_TIER_HELP
    )
    countries = ParentalManyToManyField("taxonomy.Country", blank=True, related_name="+", help_text=COUNTRIES_HELP)
    embargo_until = models.DateTimeField(null=True, blank=True, db_index=True, help_text=EMBARGO_HELP)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The guidelines never let the files be more open than the record.
        self.file_tier = max(self.file_tier, self.record_tier)
        super().save(*args, **kwargs)

    @property
    def country_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.countries.all())


class AccessProfile(models.Model):
    """What a signed-in user is to the unit: a plain user, an official or a focal point of one country."""

    class Role(models.TextChoices):
        REGISTERED = "registered", "Registered user"
        OFFICIAL = "official", "Official"
        FOCAL_POINT = "focal_point", "National focal point"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_profile")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REGISTERED)
    country = models.ForeignKey("taxonomy.Country", null=True, blank=True, on_delete=models.PROTECT)
    agency = models.CharField(max_length=200, blank=True)
    position = models.CharField(max_length=200, blank=True)
    justification = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [("view_all_tiers", "Unit staff: may see and open every item")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None and self.country_id is not None


class AccessGrant(models.Model):
    """One user may open one item until a date: what an approved access request leaves behind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    valid_until = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "object_id"])]

    def __str__(self):
        return f"{self.user} → {self.content_type.model} #{self.object_id} until {self.valid_until:%Y-%m-%d}"
