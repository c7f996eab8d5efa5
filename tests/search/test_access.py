"""Search under the dissemination guidelines: the access matrix rows for results, snippets, counts, the JSON
API and suggestions. Expectations come from tests/access/matrix.py (the guidelines written out)."""

import json

import pytest

from tests.access.conftest import matrix_env  # noqa: F401
from tests.access.matrix import AUDIENCES, ITEM_SPECS, Channel, expected, run_matrix
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

# Every matrix item carries this word in its record text, and a marker only its files would reveal.
WORD = "matrixword"


def make_page(spec, env):
    page = StandardPageFactory(
        parent=env.home_page,
        title=spec.title,
        slug=spec.slug,
        intro=f"{WORD} summary of {spec.slug}",
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
    )
    page.countries.set([env.countries[c] for c in spec.countries])
    page.save()
    return page


def _api(client, env, **params):
    key = ("search-api", id(client), tuple(sorted(params.items())))
    if key not in env.scratch:
        response = client.get("/api/search/", {"q": WORD, "per_page": 100, **params})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        env.scratch[key] = response.json()
    return env.scratch[key]


def probe_api(client, page, env):
    hits = {hit["title"]: hit for hit in _api(client, env)["results"]}
    hit = hits.get(page.title)
    if hit is None:
        return False, False
    return True, hit["files_open"]


def probe_html(client, page, env):
    key = ("search-html", id(client))
    if key not in env.scratch:
        # 20 hits a page: the matrix subset fits on three pages; a hidden item must be on none of them.
        pages = [client.get("/search/", {"q": WORD, "page": n}) for n in (1, 2, 3)]
        assert all(response.status_code == 200 for response in pages)
        env.scratch[key] = "".join(response.content.decode() for response in pages)
    return page.slug in env.scratch[key], None


HTML_SPECS = [spec for spec in ITEM_SPECS if spec.embargo == "none"]


def test_search_api_matrix_and_counts(matrix_env):  # noqa: F811
    assert run_matrix(Channel("search JSON API", make_page, probe_api), matrix_env) == []
    for audience in AUDIENCES:
        client = matrix_env.client(audience)
        data = _api(client, matrix_env)
        visible = [spec for spec in ITEM_SPECS if expected(audience, spec)[0]]
        assert data["total"] == len(visible), audience
        assert sum(v["count"] for v in data["facets"]["kind"]) == len(visible), audience
        want_tiers = {}
        for spec in visible:
            want_tiers[str(int(spec.record_tier))] = want_tiers.get(str(int(spec.record_tier)), 0) + 1
        assert {v["value"]: v["count"] for v in data["facets"]["tier"]} == want_tiers, audience
        want_countries = {}
        for spec in visible:
            for code in spec.countries:
                want_countries[code] = want_countries.get(code, 0) + 1
        assert {v["value"]: v["count"] for v in data["facets"].get("country", [])} == want_countries, audience
        # Filtering on a tier the audience cannot reach finds nothing and says nothing.
        confidential = _api(client, matrix_env, tier="3")
        assert confidential["total"] == sum(1 for s in visible if s.record_tier == 3), audience
        assert _facet(confidential, "tier") == want_tiers, audience
        # Under a country filter the country facet still counts every country, but only what the audience sees.
        thai = [spec for spec in visible if "TH" in spec.countries]
        filtered = _api(client, matrix_env, country="TH")
        assert filtered["total"] == len(thai), audience
        assert _facet(filtered, "country") == want_countries, audience
        assert _facet(filtered, "tier") == _tally(str(int(spec.record_tier)) for spec in thai), audience


def _facet(data, name):
    return {v["value"]: v["count"] for v in data["facets"].get(name, [])}


def _tally(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def test_search_page_matrix(matrix_env):  # noqa: F811
    channel = Channel("search page", make_page, probe_html)
    assert run_matrix(channel, matrix_env, specs=HTML_SPECS) == []


def test_suggestions_follow_the_policy(matrix_env):  # noqa: F811
    for spec in HTML_SPECS:
        make_page(spec, matrix_env)
    for audience in AUDIENCES:
        response = matrix_env.client(audience).get("/search/suggest/", {"q": "Matrix"})
        titles = {s["title"] for s in json.loads(response.content)["suggestions"]}
        assert titles, audience
        for spec in HTML_SPECS:
            if not expected(audience, spec)[0]:
                assert spec.title not in titles, (audience, spec.title)
