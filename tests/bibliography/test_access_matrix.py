"""The bibliography's rows of the access matrix (tests/access/matrix.py): every audience × every kind of item
× the bibliography's channels. The expectation is the guidelines written out there, not the policy.

Entries carry no full-text document here, so the channels report the record only (files=None); the full-text
link is covered in test_browse.py, counts and keyword facets in test_access.py.
"""

import json

import pytest

from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.matrix import ITEM_SPECS, Channel, run_matrix, set_countries

from .factories import BibliographyEntryFactory

pytestmark = pytest.mark.django_db


def make_entry(spec, env):
    entry = BibliographyEntryFactory(
        title=spec.title,
        citation_key=spec.slug,
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
    )
    return set_countries(entry, spec, env)


# Embargoes guard files only, and these channels show records: the specs without an embargo are the ones that
# differ (every tier pair × every scope).
RECORD_SPECS = [spec for spec in ITEM_SPECS if spec.embargo == "none"]
PER_ENTRY = ["/bibliography/{pk}/", "/bibliography/{pk}/cite/apa/", "/bibliography/{pk}/export/bibtex/"]


def probe_entry_urls(client, entry, env):
    """The entry page, its citation and its export must agree: all 200 with the title, or all 404 without."""
    seen = set()
    for path in PER_ENTRY:
        response = client.get(path.format(pk=entry.pk))
        assert response.status_code in (200, 404), (path, response.status_code)
        visible = response.status_code == 200
        assert (entry.title.encode() in response.content) is visible, path
        seen.add(visible)
    assert len(seen) == 1, f"channels disagree on {entry.title}"
    return seen.pop(), None


def _all_pages(client, url):
    """Every page of a paginated listing, joined."""
    html, page = "", 1
    while True:
        body = client.get(f"{url}&page={page}").content.decode()
        html += body
        if 'rel="next"' not in body:
            return html
        page += 1


def _listings(client):
    return {
        "browse": _all_pages(client, "/bibliography/?sort=title"),
        "list export": " ".join(i["title"] for i in json.loads(client.get("/bibliography/export/csljson/").content)),
        "compiled": client.get("/bibliography/compiled/").content.decode(),
    }


def probe_listings(client, entry, env):
    """Browse (every page), the list export and the compiled bibliography must agree on every entry."""
    key = ("bibliography listings", id(client))
    if key not in env.scratch:
        env.scratch[key] = _listings(client)
    seen = {name: entry.title in html for name, html in env.scratch[key].items()}
    assert len(set(seen.values())) == 1, f"listings disagree on {entry.title}: {seen}"
    return seen["browse"], None


ENTRY_URLS = Channel("bibliography entry page, citation and export", make_entry, probe_entry_urls)
LISTINGS = Channel("bibliography browse, list export and compiled page", make_entry, probe_listings)


@pytest.mark.parametrize("channel", [ENTRY_URLS, LISTINGS], ids=lambda c: c.name)
def test_access_matrix(channel, matrix_env):  # noqa: F811
    mismatches = run_matrix(channel, matrix_env, specs=RECORD_SPECS)
    assert mismatches == [], "\n".join(mismatches[:40])
