"""The access matrix: every audience × every kind of item × every channel, checked against the guidelines.

The expectation is written out from the dissemination guidelines here, independently of portal.access.policy,
so that a mistake in the policy shows up as a mismatch rather than being copied into the expectation.

A channel is a way content leaves the portal. It is described by a `Channel`:

- `make(spec, env) -> item`: create one item of that channel's kind with the dissemination settings of `spec`
  (`spec.record_tier`, `spec.file_tier`, `spec.countries` — a tuple of codes —, `spec.embargo_until`) and a title
  containing `spec.title` (unique, safe to search for in HTML);
- `probe(client, item, env) -> (record_visible, files_open)`: what the user behind `client` gets through that
  channel. Return `files_open=None` when the channel does not expose files (a listing, a menu).

`run_matrix(channel, env)` makes every item, probes it as every audience and returns the mismatches; the test
asserts there are none. See tests/access/test_matrix.py for how to add a channel.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from portal.access.tiers import Tier
from tests.access.helpers import sign_in

AUDIENCES = ("anonymous", "registered", "official_th", "official_vn", "focal_th", "staff")

# What each audience is, in the guidelines' words: the countries whose restricted items its officials see, the
# countries whose confidential items its focal points see.
OFFICIAL_OF = {"official_th": "TH", "official_vn": "VN", "focal_th": "TH"}
FOCAL_POINT_OF = {"focal_th": "TH"}

EMBARGO_STATES = ("none", "under embargo", "released")
SCOPES = ((), ("TH",), ("VN",))
# Record tier, file tier (never below the record): each tier alone, and files closer than their record.
TIER_PAIRS = [(t, t) for t in Tier] + [
    (Tier.PUBLIC, Tier.REGISTERED),
    (Tier.PUBLIC, Tier.RESTRICTED),
    (Tier.REGISTERED, Tier.CONFIDENTIAL),
    (Tier.RESTRICTED, Tier.CONFIDENTIAL),
]


@dataclass(frozen=True)
class ItemSpec:
    record_tier: Tier
    file_tier: Tier
    countries: tuple[str, ...]
    embargo: str  # one of EMBARGO_STATES

    @property
    def title(self) -> str:
        scope = "+".join(self.countries) or "all"
        return f"Matrix [{self.record_tier.name}/{self.file_tier.name}/{scope}/{self.embargo}]"

    @property
    def slug(self) -> str:
        parts = [self.record_tier.name, self.file_tier.name, "".join(self.countries) or "all", self.embargo]
        return "m-" + "-".join(parts).lower().replace(" ", "")

    @property
    def embargo_until(self):
        if self.embargo == "under embargo":
            return timezone.now() + timedelta(days=30)
        if self.embargo == "released":
            return timezone.now() - timedelta(days=1)  # an embargo that has lifted by itself
        return None


ITEM_SPECS = [
    ItemSpec(record, files, scope, embargo)
    for (record, files), scope, embargo in itertools.product(TIER_PAIRS, SCOPES, EMBARGO_STATES)
]


# ---- the guidelines, written out ----------------------------------------------------------------------------


def reaches(audience: str, tier: Tier, countries: tuple[str, ...]) -> bool:
    """May `audience` reach something guarded by `tier` for `countries` (empty = all participating)?"""
    in_scope = not countries
    if audience == "staff" or tier == Tier.PUBLIC:
        return True
    if tier == Tier.REGISTERED:
        return audience != "anonymous"
    if tier == Tier.RESTRICTED:
        code = OFFICIAL_OF.get(audience)
        return code is not None and (in_scope or code in countries)
    code = FOCAL_POINT_OF.get(audience)
    return code is not None and (in_scope or code in countries)


def expected(audience: str, spec: ItemSpec) -> tuple[bool, bool]:
    file_tier = Tier.CONFIDENTIAL if spec.embargo == "under embargo" else spec.file_tier
    return reaches(audience, spec.record_tier, spec.countries), reaches(audience, file_tier, spec.countries)


# ---- running a channel ------------------------------------------------------------------------------------


@dataclass
class Channel:
    name: str
    make: Callable[[ItemSpec, Any], Any]
    probe: Callable[[Client, Any, Any], tuple[bool, bool | None]]


@dataclass
class MatrixEnv:
    """What channels get: the home page, countries, the users and one signed-in client per audience."""

    home_page: Any
    countries: dict
    users: dict
    clients: dict = field(default_factory=dict)
    scratch: dict = field(default_factory=dict)  # per-channel memo (e.g. a listing fetched once per client)

    def client(self, audience: str) -> Client:
        if audience not in self.clients:
            self.clients[audience] = sign_in(Client(), self.users[audience])
        return self.clients[audience]


def set_countries(item, spec: ItemSpec, env: MatrixEnv):
    """Scope an item; the countries are a ParentalManyToManyField, written to the database only on save()."""
    item.countries.set([env.countries[c] for c in spec.countries])
    item.save()
    return item


def run_matrix(channel: Channel, env: MatrixEnv, specs=ITEM_SPECS, audiences=AUDIENCES) -> list[str]:
    items = [(spec, channel.make(spec, env)) for spec in specs]
    mismatches = []
    for audience in audiences:
        client = env.client(audience)
        for spec, item in items:
            want_record, want_files = expected(audience, spec)
            got_record, got_files = channel.probe(client, item, env)
            if got_files is None:
                want_files = None
            if (got_record, got_files) != (want_record, want_files):
                mismatches.append(
                    f"{channel.name}: {audience} on {spec.title}: expected record={want_record} files={want_files}, "
                    f"got record={got_record} files={got_files}"
                )
    return mismatches
