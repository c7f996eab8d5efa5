"""The one place that decides who may see a record and who may open its files.

Callers ask `can_see_record` / `can_open_files` for one object, `filter_records` / `filter_files` for a
queryset, and `explain` for the sentence shown to the user. Nothing outside this module compares tiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from .tiers import Tier

STAFF_PERMISSION = "access.view_all_tiers"


@dataclass(frozen=True)
class Audience:
    """Who is asking, reduced to what the guidelines look at."""

    user_id: int | None = None
    is_staff: bool = False
    official_countries: frozenset[str] = field(default_factory=frozenset)
    focal_countries: frozenset[str] = field(default_factory=frozenset)
    name: str = ""
    # What this audience's grants open, worked out once: an audience lives as long as its request.
    _grants: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def key(self) -> str:
        """A cache key part: audiences with the same key see exactly the same things.

        Signed-in users without a grant share the key of their kind (registered; official or focal point of their
        country), which changes once they pass the second factor, so nothing cached before it is served after it
        or the other way round. A user with a grant in force sees what the grant opens: their key is their own.
        """
        if self.is_staff:
            return "staff"
        if not self.is_authenticated:
            return "anonymous"
        kind = f"o{''.join(sorted(self.official_countries))}-f{''.join(sorted(self.focal_countries))}"
        return f"u{self.user_id}-{kind}" if _has_any_grant(self) else f"signed-in-{kind}"

    def max_tier_everywhere(self) -> Tier:
        if self.is_staff:
            return Tier.CONFIDENTIAL
        return Tier.REGISTERED if self.is_authenticated else Tier.PUBLIC


ANONYMOUS = Audience()


def audience_for(request_or_user) -> Audience:
    """The audience of a request (cached on it) or of a user.

    Through a request, staff, officials and focal points reach beyond "registered" only once they have passed the
    second factor in this session (django-otp's `user.is_verified()`); a bare user is judged on its profile alone.
    """
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_portal_audience"):
        return request._portal_audience
    user = request.user if request is not None else request_or_user
    audience = _audience_of_user(user)
    if request is not None and _beyond_registered(audience) and not _passed_second_factor(user):
        audience = Audience(user_id=audience.user_id, name=audience.name)
    if request is not None:
        request._portal_audience = audience
    return audience


def needs_second_factor(user) -> bool:
    """Staff, superusers and verified officials and focal points must sign in with a second factor."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.has_perm("wagtailadmin.access_admin"):
        return True
    return _beyond_registered(_audience_of_user(user))


def audience_is_complete(request) -> bool:
    """False while a staff member, official or focal point has not yet passed the second factor."""
    return _passed_second_factor(request.user) or not needs_second_factor(request.user)


def _beyond_registered(audience: Audience) -> bool:
    return audience.is_staff or bool(audience.official_countries or audience.focal_countries)


def _passed_second_factor(user) -> bool:
    # Without django-otp's middleware on the request there is no proof of a second factor.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def _audience_of_user(user) -> Audience:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    name = user.get_full_name() or user.get_username()
    if user.is_superuser or user.has_perm(STAFF_PERMISSION):
        return Audience(user_id=user.pk, is_staff=True, name=name)
    profile = getattr(user, "access_profile", None)
    officials, focals = frozenset(), frozenset()
    if profile is not None and profile.is_verified:
        code = frozenset({profile.country.code})
        if profile.role in ("official", "focal_point"):
            officials = code
        if profile.role == "focal_point":
            focals = code
    return Audience(user_id=user.pk, official_countries=officials, focal_countries=focals, name=name)


# ---- one object -------------------------------------------------------------------------------------------


def effective_file_tier(obj, now=None) -> int:
    """The tier that guards the files right now: embargoes make them confidential until they lift."""
    now = now or timezone.now()
    tier = max(obj.file_tier, obj.record_tier)
    if obj.embargo_until and obj.embargo_until > now:
        tier = Tier.CONFIDENTIAL
    return tier


def files_are_public(obj) -> bool:
    """Anyone may open the files right now (no audit, no stamp, may be cached)."""
    return effective_file_tier(obj) == Tier.PUBLIC


def files_are_stamped(obj) -> bool:
    """Restricted and confidential files (embargoed ones included) are served stamped with who opened them."""
    return effective_file_tier(obj) >= Tier.RESTRICTED


def can_see_record(audience: Audience, obj) -> bool:
    return _tier_allows(audience, obj.record_tier, obj) or _has_grant(audience, obj)


def can_open_files(audience: Audience, obj) -> bool:
    return _tier_allows(audience, effective_file_tier(obj), obj) or _has_grant(audience, obj)


def _tier_allows(audience: Audience, tier: int, obj) -> bool:
    if audience.is_staff or tier <= audience.max_tier_everywhere():
        return True
    scope = _scope_of(obj)
    if tier == Tier.RESTRICTED:
        return _in_scope(audience.official_countries, scope)
    return _in_scope(audience.focal_countries, scope)


def _scope_of(obj) -> frozenset[str]:
    if obj.pk is None:
        return frozenset()
    return frozenset(c.code for c in obj.countries.all())


def _in_scope(codes: frozenset[str], scope: frozenset[str]) -> bool:
    # An empty scope means every participating country.
    return bool(codes) and (not scope or bool(codes & scope))


def _grant_content_type(model) -> ContentType:
    # Pages are granted by their Page id, whatever their specific type, so listings of any page type match.
    base = Page if issubclass(model, Page) else model
    return ContentType.objects.get_for_model(base, for_concrete_model=True)


def _has_grant(audience: Audience, obj) -> bool:
    if not audience.is_authenticated or obj.pk is None:
        return False
    return obj.pk in _granted_ids(audience, type(obj))


def _has_any_grant(audience: Audience) -> bool:
    return bool(_direct_grants(audience))


def _direct_grants(audience: Audience) -> dict[int, set[int]]:
    """The ids granted to this audience's user, by content type, read once per audience."""
    from .models import AccessGrant

    if "direct" not in audience._grants:
        grants = AccessGrant.objects.filter(user_id=audience.user_id, valid_until__gt=timezone.now())
        direct: dict[int, set[int]] = {}
        for content_type_id, object_id in grants.values_list("content_type_id", "object_id"):
            direct.setdefault(content_type_id, set()).add(object_id)
        audience._grants["direct"] = direct
    return audience._grants["direct"]


def _granted_ids(audience: Audience, model) -> frozenset[int]:
    """The ids of `model` that this audience's grants open.

    A grant is on one item, and that item's contents come with it: a grant on a page also opens the documents and
    images it holds (attached files, course materials, pictures in the body, as Wagtail's reference index records
    them), and for page types whose subpages are parts of them (`grant_covers_subpages`: a course and its
    modules) the subpages and what they hold.
    """
    if not audience.is_authenticated:
        return frozenset()
    content_type = _grant_content_type(model)
    if content_type.pk not in audience._grants:
        audience._grants[content_type.pk] = frozenset(_work_out_granted_ids(audience, model, content_type))
    return audience._grants[content_type.pk]


def _work_out_granted_ids(audience: Audience, model, content_type) -> set[int]:
    direct = _direct_grants(audience)
    ids = direct.get(content_type.pk, set())
    granted_pages = direct.get(_grant_content_type(Page).pk)
    if not granted_pages:
        return ids
    pages = _pages_within(granted_pages)
    if issubclass(model, Page):
        return ids | pages
    return ids | _held_by_pages(pages, content_type)


def _pages_within(page_ids: set[int]) -> set[int]:
    """The granted pages, and the pages below those whose type says its subpages are part of it (a course)."""
    within = Q(pk__in=page_ids)
    for path, content_type_id in Page.objects.filter(pk__in=page_ids).values_list("path", "content_type_id"):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if getattr(model, "grant_covers_subpages", False):
            within |= Q(path__startswith=path)
    return set(Page.objects.filter(within).values_list("pk", flat=True))


def _held_by_pages(page_ids: set[int], content_type) -> set[int]:
    from wagtail.models import ReferenceIndex

    rows = ReferenceIndex.objects.filter(
        base_content_type=_grant_content_type(Page),
        object_id__in=[str(pk) for pk in page_ids],
        to_content_type=content_type,
    ).values_list("to_object_id", flat=True)
    return {int(pk) for pk in rows if pk.isdigit()}


def stricter(*tiers: int) -> int:
    """The most closed of several tiers (merging items, or defaults and a floor)."""
    return max(tiers)


def is_country_scoped(*tiers: int) -> bool:
    """Whether an item with these tiers is for officials of particular countries (restricted or closer)."""
    return max(tiers) >= Tier.RESTRICTED


# ---- many objects -----------------------------------------------------------------------------------------


def filter_records(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Only the items whose existence the audience may know."""
    if audience.is_staff:
        return queryset
    return queryset.filter(records_q(queryset.model, audience))


def filter_files(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Only the items whose files and full text the audience may open."""
    if audience.is_staff:
        return queryset
    return queryset.filter(files_q(queryset.model, audience))


def records_q(model, audience: Audience, prefix: str = "") -> Q:
    """The record filter as a Q, for models that reach an access-controlled item through `prefix`."""
    if audience.is_staff:
        return Q()
    return _tier_q(model, audience, f"{prefix}record_tier", prefix) | _grants_q(model, audience, prefix)


def files_q(model, audience: Audience, prefix: str = "") -> Q:
    if audience.is_staff:
        return Q()
    now = timezone.now()
    released = Q(**{f"{prefix}embargo_until__isnull": True}) | Q(**{f"{prefix}embargo_until__lte": now})
    open_now = _tier_q(model, audience, f"{prefix}file_tier", prefix) & released
    # Under embargo the files are confidential: only focal points of the item's countries (and staff) open them.
    during_embargo = _confidential_scope_q(model, audience, prefix)
    record_visible = _tier_q(model, audience, f"{prefix}record_tier", prefix)
    return ((open_now | during_embargo) & record_visible) | _grants_q(model, audience, prefix)


def _tier_q(model, audience: Audience, field_name: str, prefix: str) -> Q:
    """Items whose tier, read from `field_name`, the audience reaches."""
    q = Q(**{f"{field_name}__lte": audience.max_tier_everywhere()})
    if audience.official_countries:
        q |= Q(**{field_name: Tier.RESTRICTED}) & _scope_q(model, audience.official_countries, prefix)
    if audience.focal_countries:
        q |= Q(**{field_name: Tier.CONFIDENTIAL}) & _scope_q(model, audience.focal_countries, prefix)
    return q


def _confidential_scope_q(model, audience: Audience, prefix: str) -> Q:
    if not audience.focal_countries:
        return Q(pk__in=[])
    return _scope_q(model, audience.focal_countries, prefix)


def _scope_q(model, codes: frozenset[str], prefix: str) -> Q:
    target = _related_model(model, prefix)
    through = target._meta.get_field("countries").remote_field.through
    owner = next(
        f.name for f in through._meta.fields if f.related_model is not None and issubclass(target, f.related_model)
    )
    outer = OuterRef(f"{prefix}pk")
    any_country = Exists(through.objects.filter(**{owner: outer}))
    matching = Exists(through.objects.filter(**{owner: outer, "country__code__in": sorted(codes)}))
    return ~any_country | matching


def _grants_q(model, audience: Audience, prefix: str) -> Q:
    ids = _granted_ids(audience, _related_model(model, prefix))
    return Q(**{f"{prefix}pk__in": sorted(ids)}) if ids else Q(pk__in=[])


def _related_model(model, prefix: str):
    for part in filter(None, prefix.split("__")):
        model = model._meta.get_field(part).related_model
    return model


# ---- items inside other items ---------------------------------------------------------------------------


def close_to_container(item, container, *, shown_in_record: bool = False) -> bool:
    """Make `item` (a document attached to a page, an image shown on it) no more open than `container` says.

    A document is one of the container's files: its record tier rises to the container's record tier, its file
    tier to the container's file tier, and it keeps the later embargo. An image shown in the container's body
    (`shown_in_record`) is part of what the record shows: both its tiers rise to the container's record tier,
    and embargoes (which guard files) do not apply. Either way the countries narrow to the container's (their
    intersection when both are scoped, the container's when they do not overlap). Returns whether anything
    changed; the caller saves.
    """
    files_tier = container.record_tier if shown_in_record else container.file_tier
    changed = False
    for name, floor in (("record_tier", container.record_tier), ("file_tier", files_tier)):
        if floor > getattr(item, name):
            setattr(item, name, floor)
            changed = True
    embargo = None if shown_in_record else container.embargo_until
    if embargo and (not item.embargo_until or item.embargo_until < embargo):
        item.embargo_until = embargo
        changed = True
    outer, inner = _scope_of(container), _scope_of(item)
    narrowed = ((outer & inner) or outer) if outer else inner
    if narrowed != inner:
        item.countries.set(list(container.countries.filter(code__in=narrowed)))
        changed = True
    return changed


# ---- what to tell the user --------------------------------------------------------------------------------


def explain(audience: Audience, obj) -> str:
    """One sentence on who may open the files of `obj` and what this user can do about it."""
    if can_open_files(audience, obj):
        return "You may open these files."
    tier = effective_file_tier(obj)
    names = _country_names(obj)
    action = "request access" if audience.is_authenticated else "sign in, or request access"
    if obj.embargo_until and obj.embargo_until > timezone.now() and max(obj.file_tier, obj.record_tier) < tier:
        when = timezone.localtime(obj.embargo_until).strftime("%-d %B %Y")
        return (
            f"Under embargo until {when}; until then only unit staff and national focal points of {names} "
            f"can open the files — {action}."
        )
    if tier == Tier.REGISTERED:
        who = "registered users"
    elif tier == Tier.RESTRICTED:
        who = f"verified officials of {names}"
    else:
        who = f"unit staff and national focal points of {names}"
    return f"Restricted to {who} — {action}."


def _country_names(obj) -> str:
    names = [c.name for c in obj.countries.all()]
    if not names:
        return "the participating countries"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
