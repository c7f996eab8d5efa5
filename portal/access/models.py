from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from .tiers import COUNTRIES_HELP, EMBARGO_HELP, FILE_TIER_HELP, RECORD_TIER_HELP, Tier

DISSEMINATION_FIELDS = ("record_tier", "file_tier", "embargo_until", "countries")


def touches_dissemination(update_fields) -> bool:
    """Whether a save with these update_fields may change the dissemination settings (Wagtail saves drafts with
    update_fields that leave the live settings alone)."""
    return update_fields is None or bool(set(update_fields) & set(DISSEMINATION_FIELDS))


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

    def __init__(self, *args, **kwargs):
        # A new item (never one loaded from the database, which passes positional values) starts at its content
        # type's defaults: subclasses set default_record_tier / default_file_tier.
        if not args:
            kwargs.setdefault("record_tier", self.default_record_tier)
            kwargs.setdefault("file_tier", max(self.default_file_tier, kwargs["record_tier"]))
        super().__init__(*args, **kwargs)

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


class AccessRequest(models.Model):
    """A signed-in user asks to open the files of one item whose record they may see."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500, help_text="The item's title when the request was made.")
    reason = models.TextField(help_text="Why the requester needs the files, in their words.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    valid_until = models.DateTimeField(
        null=True, blank=True, help_text="For an approval: the requester may open the files until this moment."
    )
    refusal_reason = models.TextField(blank=True, help_text="For a refusal: sent to the requester.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    grant = models.OneToOneField(AccessGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="request")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.user} asks for “{self.title}” ({self.get_status_display()})"

    @property
    def item(self):
        try:
            return self.content_type.get_object_for_this_type(pk=self.object_id)
        except ObjectDoesNotExist:
            return None


class AuditQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the audit log: who did what to which item, when and from where. Never changed or deleted."""

    class Action(models.TextChoices):
        FILE_OPENED = "file_opened", "File opened"
        FILE_REFUSED = "file_refused", "File refused"
        STAMP_FAILED = "stamp_failed", "Stamping failed (nothing served)"
        GRANT_CREATED = "grant_created", "Access granted"
        GRANT_REFUSED = "grant_refused", "Access refused"
        ACCESS_REQUESTED = "access_requested", "Access requested"
        TIER_CHANGED = "tier_changed", "Dissemination settings changed"
        OFFICIAL_APPLIED = "official_applied", "Applied as an official"
        OFFICIAL_VERIFIED = "official_verified", "Official verified"

    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name="when")
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="who"
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is deleted.")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_title = models.CharField(max_length=500, blank=True, verbose_name="item")
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name="IP address")
    user_agent = models.CharField(max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "audit event"

    def __str__(self):
        who = self.username or "-"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.get_action_display()} {self.object_title}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")
