"""Properties of the policy itself, over random items and audiences (hypothesis, no database)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.access import policy
from portal.access.policy import Audience
from portal.access.tiers import Tier

CODES = ["KH", "CN", "ID", "LA", "MM", "TH", "VN"]
NOW = datetime(2026, 6, 1, tzinfo=UTC)


class FakeCountries:
    def __init__(self, codes):
        self._items = [type("Country", (), {"code": c, "name": c})() for c in codes]

    def all(self):
        return self._items

    def filter(self, code__in):
        return [c for c in self._items if c.code in code__in]

    def set(self, countries):
        self._items = list(countries)


class Item:
    """Just the fields the policy reads, so thousands of cases run without a database."""

    def __init__(self, record_tier, file_tier, codes, embargo_until):
        self.pk = 1
        self.record_tier = record_tier
        self.file_tier = max(file_tier, record_tier)  # as AccessControlled.save does
        self.countries = FakeCountries(codes)
        self.embargo_until = embargo_until


tiers = st.sampled_from(list(Tier))
scopes = st.sets(st.sampled_from(CODES), max_size=3)
embargoes = st.one_of(st.none(), st.integers(-400, 400).map(lambda d: NOW + timedelta(days=d)))


@st.composite
def items(draw):
    return Item(draw(tiers), draw(tiers), draw(scopes), draw(embargoes))


@st.composite
def audiences(draw):
    kind = draw(st.sampled_from(["anonymous", "registered", "official", "focal", "staff"]))
    if kind == "anonymous":
        return Audience()
    if kind == "staff":
        return Audience(user_id=1, is_staff=True)
    code = frozenset({draw(st.sampled_from(CODES))})
    if kind == "official":
        return Audience(user_id=2, official_countries=code)
    if kind == "focal":
        return Audience(user_id=3, official_countries=code, focal_countries=code)
    return Audience(user_id=4)


def at(moment, fn, *args):
    """Call the policy as if the clock showed `moment` (time travel without sleeping)."""
    from unittest import mock

    with mock.patch("portal.access.policy.timezone.now", return_value=moment):
        return fn(*args)


def no_grants(monkeypatch):
    monkeypatch.setattr(policy, "_has_grant", lambda audience, obj: False)


@settings(max_examples=300, deadline=None)
@given(audience=audiences(), item=items())
def test_opening_files_implies_seeing_the_record(monkeypatch_module, audience, item):
    if at(NOW, policy.can_open_files, audience, item):
        assert at(NOW, policy.can_see_record, audience, item)


@settings(max_examples=200, deadline=None)
@given(item=items())
def test_staff_see_and_open_everything(monkeypatch_module, item):
    staff = Audience(user_id=1, is_staff=True)
    assert at(NOW, policy.can_see_record, staff, item)
    assert at(NOW, policy.can_open_files, staff, item)


@settings(max_examples=300, deadline=None)
@given(audience=audiences(), item=items(), raise_record=st.booleans(), new_tier=tiers)
def test_raising_a_tier_never_widens_the_audience(monkeypatch_module, audience, item, raise_record, new_tier):
    before_record = at(NOW, policy.can_see_record, audience, item)
    before_files = at(NOW, policy.can_open_files, audience, item)
    if raise_record:
        higher = Item(max(item.record_tier, new_tier), item.file_tier, [c.code for c in item.countries.all()], None)
        higher.embargo_until = item.embargo_until
    else:
        higher = Item(item.record_tier, max(item.file_tier, new_tier), [c.code for c in item.countries.all()], None)
        higher.embargo_until = item.embargo_until
    assert at(NOW, policy.can_see_record, audience, higher) <= before_record
    assert at(NOW, policy.can_open_files, audience, higher) <= before_files


@settings(max_examples=300, deadline=None)
@given(audience=audiences(), item=items(), more=st.sets(st.sampled_from(CODES), max_size=3))
def test_narrowing_the_country_scope_never_widens_the_audience(monkeypatch_module, audience, item, more):
    codes = {c.code for c in item.countries.all()}
    if not codes:
        return  # empty already means every country: nothing wider to narrow from
    wider = Item(item.record_tier, item.file_tier, codes | more, item.embargo_until)
    assert at(NOW, policy.can_see_record, audience, item) <= at(NOW, policy.can_see_record, audience, wider)
    assert at(NOW, policy.can_open_files, audience, item) <= at(NOW, policy.can_open_files, audience, wider)


@settings(max_examples=300, deadline=None)
@given(audience=audiences(), item=items(), days=st.integers(1, 300))
def test_embargo_makes_files_confidential_and_lifts_by_itself(monkeypatch_module, audience, item, days):
    item.embargo_until = NOW + timedelta(days=days)
    during = at(NOW, policy.can_open_files, audience, item)
    confidential = Item(item.record_tier, Tier.CONFIDENTIAL, [c.code for c in item.countries.all()], None)
    assert during == at(NOW, policy.can_open_files, audience, confidential)
    after = at(item.embargo_until + timedelta(seconds=1), policy.can_open_files, audience, item)
    released = Item(item.record_tier, item.file_tier, [c.code for c in item.countries.all()], None)
    assert after == at(NOW, policy.can_open_files, audience, released)
    # The embargo never hides the record itself.
    assert at(NOW, policy.can_see_record, audience, item) == at(NOW, policy.can_see_record, audience, released)


@settings(max_examples=200, deadline=None)
@given(tier=st.sampled_from([Tier.RESTRICTED, Tier.CONFIDENTIAL]), code=st.sampled_from(CODES))
def test_empty_scope_means_every_participating_country(monkeypatch_module, tier, code):
    item = Item(tier, tier, [], None)
    official = Audience(user_id=2, official_countries=frozenset({code}))
    focal = Audience(user_id=3, official_countries=frozenset({code}), focal_countries=frozenset({code}))
    assert at(NOW, policy.can_see_record, official, item) == (tier == Tier.RESTRICTED)
    assert at(NOW, policy.can_see_record, focal, item)


@settings(max_examples=200, deadline=None)
@given(
    tier=st.sampled_from([Tier.RESTRICTED, Tier.CONFIDENTIAL]),
    scope=scopes.filter(bool),
    code=st.sampled_from(CODES),
)
def test_scoped_items_are_only_for_their_countries(monkeypatch_module, tier, scope, code):
    item = Item(tier, tier, scope, None)
    focal = Audience(user_id=3, official_countries=frozenset({code}), focal_countries=frozenset({code}))
    assert at(NOW, policy.can_see_record, focal, item) == (code in scope)
    assert not at(NOW, policy.can_see_record, Audience(user_id=4), item)
    assert not at(NOW, policy.can_see_record, Audience(), item)


@settings(max_examples=100, deadline=None)
@given(audience=audiences(), item=items())
def test_files_are_stamped_whenever_they_are_not_open_to_registered_users(monkeypatch_module, audience, item):
    registered = Audience(user_id=4)
    stamped = at(NOW, policy.files_are_stamped, item)
    assert stamped == (not at(NOW, policy.can_open_files, registered, item))


@settings(max_examples=400, deadline=None)
@given(audience=audiences(), item=items(), container=items(), shown_in_record=st.booleans())
def test_an_item_closed_to_its_container_is_never_more_open(
    monkeypatch_module, audience, item, container, shown_in_record
):
    """A document never opens to someone the page's files are closed to; an image shown in a page never shows to
    someone who may not see the page."""
    policy.close_to_container(item, container, shown_in_record=shown_in_record)
    if shown_in_record:
        assert not at(NOW, policy.can_see_record, audience, item) or at(NOW, policy.can_see_record, audience, container)
        assert not at(NOW, policy.can_open_files, audience, item) or at(NOW, policy.can_see_record, audience, container)
    else:
        assert not at(NOW, policy.can_see_record, audience, item) or at(NOW, policy.can_see_record, audience, container)
        assert not at(NOW, policy.can_open_files, audience, item) or at(NOW, policy.can_open_files, audience, container)
