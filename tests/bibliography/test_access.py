"""What a hidden bibliography entry leaves behind: nothing in titles, counts, keyword facets, exports or the
compiled bibliography. The full matrix over every tier pair and scope is in test_access_matrix.py.

An audience that may not know an entry exists gets nothing of it: not the title, not a count, not a
keyword; its URLs answer 404.
"""

import json

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access.tiers import Tier

from .factories import BibliographyEntryFactory

pytestmark = pytest.mark.django_db

AUDIENCES = ["anonymous", "registered", "official_th", "official_vn", "focal_th", "staff"]

# item: (record tier, scope countries) -> audiences that may know the entry exists (hand-written).
ITEMS = {
    "public": (Tier.PUBLIC, [], set(AUDIENCES)),
    "registered": (Tier.REGISTERED, [], set(AUDIENCES) - {"anonymous"}),
    "restricted-all": (Tier.RESTRICTED, [], {"official_th", "official_vn", "focal_th", "staff"}),
    "restricted-th": (Tier.RESTRICTED, ["TH"], {"official_th", "focal_th", "staff"}),
    "restricted-vn": (Tier.RESTRICTED, ["VN"], {"official_vn", "staff"}),
    "confidential-th": (Tier.CONFIDENTIAL, ["TH"], {"focal_th", "staff"}),
}


@pytest.fixture
def entries(db, countries):
    made = {}
    for name, (tier, scope, _) in ITEMS.items():
        entry = BibliographyEntryFactory(
            citation_key=f"key-{name}",
            title=f"Secret-title-{name}",
            record_tier=tier,
            scope=[countries[c] for c in scope],
        )
        entry.keywords.add(f"kw-{name}")
        entry.save()
        made[name] = entry
    return made


def client_for(users, audience):
    """A client signed in as the audience, second factor passed (as the guidelines require of officials)."""
    client = Client()
    user = users[audience]
    if user is not None:
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def channels(client):
    return {
        "browse": client.get("/bibliography/?sort=title").content.decode(),
        "search": client.get("/bibliography/?q=Secret-title").content.decode(),
        "bibtex": client.get("/bibliography/export/bibtex/").content.decode(),
        "ris": client.get("/bibliography/export/ris/").content.decode(),
        "csljson": client.get("/bibliography/export/csljson/").content.decode(),
        "compiled": client.get("/bibliography/compiled/").content.decode(),
    }


@pytest.mark.parametrize("audience", AUDIENCES)
def test_lists_exports_counts_and_facets_show_only_what_the_audience_may_know(users, entries, audience):
    seen = channels(client_for(users, audience))
    for item, (_, _, allowed) in ITEMS.items():
        visible = audience in allowed
        for channel, body in seen.items():
            assert (f"Secret-title-{item}" in body) is visible, (item, channel)
        assert (f"kw-{item}" in seen["browse"]) is visible, (item, "keyword facet")
        keys = [i["citation-key"] for i in json.loads(seen["csljson"])]
        assert (f"key-{item}" in keys) is visible, item
    expected = sum(audience in allowed for _, _, allowed in ITEMS.values())
    assert f"{expected} entr" in seen["browse"]
    assert f"{expected} entr" in seen["compiled"]


@pytest.mark.parametrize("audience", ["anonymous", "official_vn"])
def test_every_export_format_of_a_hidden_entry_answers_404(users, entries, audience):
    client = client_for(users, audience)
    pk = entries["restricted-th"].pk
    for url in [f"/bibliography/{pk}/export/{fmt}/" for fmt in ("bibtex", "ris", "csljson")] + [
        f"/bibliography/{pk}/cite/{style}/" for style in ("apa", "chicago", "harvard")
    ]:
        response = client.get(url)
        assert response.status_code == 404 and b"Secret-title" not in response.content, url
