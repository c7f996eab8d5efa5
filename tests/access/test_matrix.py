"""The access matrix over the channels that exist: {anonymous, registered, official TH, official VN, focal point
TH, staff} × items {each record/file tier pair, with and without a country scope, no embargo / under embargo /
released} × channels. The expectation is the guidelines written out in tests/access/matrix.py, not the policy.

How to add a channel (every way content leaves the portal needs one; a channel without its row is unfinished)
---------------------------------------------------------------------------------------------------------------
In your app's tests, e.g. tests/bibliography/test_access_matrix.py::

    from tests.access.matrix import Channel, run_matrix, set_countries

    def make_entry(spec, env):
        entry = EntryFactory(title=spec.title, record_tier=spec.record_tier, file_tier=spec.file_tier,
                             embargo_until=spec.embargo_until)
        return set_countries(entry, spec, env)

    def probe_entry(client, entry, env):
        response = client.get(entry.url)
        if response.status_code == 404:
            return False, False
        return True, b"Download" in response.content      # or None when the channel shows no files

    ENTRY_PAGE = Channel("bibliography entry page", make_entry, probe_entry)

    def test_bibliography_entry_page(matrix_env):
        assert run_matrix(ENTRY_PAGE, matrix_env) == []

`matrix_env` (tests/access/conftest.py; import it into your conftest or test module with
`from tests.access.conftest import matrix_env  # noqa: F401`) gives the home page, the countries, the six users
and one client per audience, signed in with the second factor where the guidelines require it. Listings that
show many items at once can memoise their HTML per client in `env.scratch`. Keep probes cheap: the Django test
client, never the browser. The channels of this module are examples of each shape (one object, a listing, a
download).
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.access import policy
from portal.home.models import PortalPage
from tests.access.matrix import AUDIENCES, ITEM_SPECS, Channel, expected, run_matrix, set_countries
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


# ---- pages ------------------------------------------------------------------------------------------------


def _parent(env, slug, **kwargs):
    if slug not in env.scratch:
        env.scratch[slug] = StandardPageFactory(parent=env.home_page, title=slug.title(), slug=slug, **kwargs)
    return env.scratch[slug]


def _make_page(parent_slug, show_in_menus=False):
    def make(spec, env):
        parent = env.home_page if show_in_menus else _parent(env, parent_slug)
        page = StandardPageFactory(
            parent=parent,
            title=spec.title,
            slug=spec.slug,
            show_in_menus=show_in_menus,
            record_tier=spec.record_tier,
            file_tier=spec.file_tier,
            embargo_until=spec.embargo_until,
        )
        page.countries.set([env.countries[c] for c in spec.countries])
        page.save()
        return page

    return make


def probe_page(client, page, env):
    response = client.get(page.url)
    assert response.status_code in (200, 404), (page.url, response.status_code)
    if response.status_code == 404:
        assert page.title.encode() not in response.content
    return response.status_code == 200, None


def _probe_html(url):
    def probe(client, page, env):
        key = (url, id(client))
        if key not in env.scratch:
            env.scratch[key] = client.get(url).content.decode()
        return page.title in env.scratch[key], None

    return probe


PAGE = Channel("page serving", _make_page("matrix-pages"), probe_page)
CHILD_LISTING = Channel("child listing", _make_page("matrix-listing"), _probe_html("/matrix-listing/"))
MENU = Channel("header menu", _make_page("", show_in_menus=True), _probe_html("/"))


# ---- documents ----------------------------------------------------------------------------------------------


def make_document(spec, env):
    document = get_document_model()(
        title=spec.title,
        file=ContentFile(b"matrix file " + spec.slug.encode(), name=f"{spec.slug}.txt"),
        record_tier=spec.record_tier,
        file_tier=spec.file_tier,
        embargo_until=spec.embargo_until,
    )
    document.save()
    return set_countries(document, spec, env)


def probe_document_download(client, document, env):
    response = client.get(document.url)
    if response.status_code == 404:
        return False, False
    if response.status_code == 403:
        html = response.content.decode()
        assert document.title in html and "restricted-panel" in html
        return True, False
    assert response.status_code == 200, (document.url, response.status_code)
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"matrix file")
    return True, True


DOCUMENT_DOWNLOAD = Channel("document download", make_document, probe_document_download)


# ---- the policy and its querysets, with the audience a request gets -----------------------------------------


def probe_policy(client, item, env):
    audience = _request_audience(client, env)
    return policy.can_see_record(audience, item), policy.can_open_files(audience, item)


def probe_querysets(client, item, env):
    audience = _request_audience(client, env)
    model = PortalPage if isinstance(item, PortalPage) else type(item)
    one = model.objects.filter(pk=item.pk)
    return policy.filter_records(one, audience).exists(), policy.filter_files(one, audience).exists()


def _request_audience(client, env):
    """The audience the portal computes for this client's session, through a real request (once per client)."""
    key = ("audience", id(client))
    if key not in env.scratch:
        response = client.get("/account/") if client.session.get("_auth_user_id") else None
        env.scratch[key] = response.wsgi_request._portal_audience if response else policy.ANONYMOUS
    return env.scratch[key]


POLICY_ON_PAGES = Channel("policy (one page)", _make_page("matrix-policy"), probe_policy)
QUERYSETS_ON_PAGES = Channel("querysets (pages)", _make_page("matrix-qs"), probe_querysets)
QUERYSETS_ON_DOCUMENTS = Channel("querysets (documents)", make_document, probe_querysets)


# ---- access requests: the form exists only for items whose record the user may see -------------------------


def probe_request_form(client, document, env):
    from tests.access.helpers import request_access_url

    response = client.get(request_access_url(document))
    if not client.session.get("_auth_user_id"):
        assert response.status_code == 302  # sign in first; nothing said about the item
        return expected("anonymous", env.scratch["spec_of"][document.pk])[0], None
    if response.status_code == 404:
        return False, None
    assert response.status_code in (200, 302), response.status_code
    return True, None


def _make_document_remembering(spec, env):
    document = make_document(spec, env)
    env.scratch.setdefault("spec_of", {})[document.pk] = spec
    return document


REQUEST_FORM = Channel("request-access form", _make_document_remembering, probe_request_form)


CHANNELS = [
    PAGE,
    CHILD_LISTING,
    MENU,
    DOCUMENT_DOWNLOAD,
    POLICY_ON_PAGES,
    QUERYSETS_ON_PAGES,
    QUERYSETS_ON_DOCUMENTS,
    REQUEST_FORM,
]


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name)
def test_access_matrix(channel, matrix_env):
    mismatches = run_matrix(channel, matrix_env)
    assert mismatches == [], "\n".join(mismatches[:40])


def test_the_matrix_covers_every_audience_and_kind_of_item():
    assert set(AUDIENCES) == {"anonymous", "registered", "official_th", "official_vn", "focal_th", "staff"}
    assert {s.embargo for s in ITEM_SPECS} == {"none", "under embargo", "released"}
    assert {s.countries for s in ITEM_SPECS} == {(), ("TH",), ("VN",)}
    # The expectation is not trivial: every audience is refused something and allowed something.
    for audience in AUDIENCES[:-1]:
        outcomes = {expected(audience, s) for s in ITEM_SPECS}
        assert (True, True) in outcomes and (False, False) in outcomes
