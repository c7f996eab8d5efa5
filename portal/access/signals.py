"""Every change to an item's dissemination settings goes to the audit log."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import audit
from .models import DISSEMINATION_FIELDS as WATCHED
from .models import AccessControlled
from .models import touches_dissemination as _touches
from .tiers import Tier


@receiver(pre_save)
def remember_dissemination(sender, instance, update_fields=None, **kwargs):
    if not isinstance(instance, AccessControlled) or instance.pk is None or not _touches(update_fields):
        return
    previous = sender._base_manager.filter(pk=instance.pk).values("record_tier", "file_tier", "embargo_until").first()
    if previous is None:
        return
    through = sender._meta.get_field("countries").remote_field.through
    owner = _owner_field(sender, through)
    codes = through.objects.filter(**{owner: instance.pk}).values_list("country__code", flat=True)
    instance._dissemination_before = {**previous, "countries": frozenset(codes)}


@receiver(post_save)
def log_dissemination_change(sender, instance, created, update_fields=None, **kwargs):
    before = instance.__dict__.pop("_dissemination_before", None)
    if before is None or created or not _touches(update_fields):
        return
    after = _current(instance)
    changes = [_describe(name, before[name], after[name]) for name in WATCHED if before[name] != after[name]]
    if changes:
        audit.record(audit.Action.TIER_CHANGED, instance, detail="; ".join(changes))


def _current(instance) -> dict:
    # For clusterable models (pages) the countries are still in memory at post_save: read them from there.
    codes = frozenset(c.code for c in instance.countries.all())
    return {
        "record_tier": instance.record_tier,
        "file_tier": instance.file_tier,
        "embargo_until": instance.embargo_until,
        "countries": codes,
    }


def _owner_field(model, through) -> str:
    fields = through._meta.fields
    return next(f.name for f in fields if f.related_model is not None and issubclass(model, f.related_model))


def _describe(name: str, old, new) -> str:
    if name in ("record_tier", "file_tier"):
        old, new = Tier(old).label, Tier(new).label
    elif name == "countries":
        old, new = ", ".join(sorted(old)) or "all", ", ".join(sorted(new)) or "all"
    else:
        old = f"{old:%Y-%m-%d %H:%M %Z}" if old else "none"
        new = f"{new:%Y-%m-%d %H:%M %Z}" if new else "none"
    return f"{name.replace('_', ' ')}: {old} → {new}"
