"""An attacker's walk over every route the portal exposes: can someone learn anything about an item they may not see
(its title, a snippet, a count, a file) through any of them?

The attackers are the audiences that must not reach a Thailand-only restricted item: anonymous, a registered user,
an official of Viet Nam, and a member of staff and an official of Thailand who have not passed the second factor
(both only "registered" until then). Each route is fetched by each of them; the hidden item's marker ("Hidden Thai
…") must be absent and, so that every check can fail, a public control item's title must be present in the same
response where the route shows anything at all. Routes that answer 404 must answer exactly as for an address that
never existed.
"""

from __future__ import annotations

import difflib
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from portal.access.tiers import Tier
from publications.models import Kind
from tests.access.helpers import sign_in
from tests.bibliography.factories import BibliographyEntryFactory
from tests.factories import UserFactory
from tests.images.test_images import make_image
from tests.publications.factories import (
    DocumentFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
    attach,
)
from tests.trainings.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, add_material

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden Thai"  # every hidden item's title, summary and file name carries it
CONTROL = "Open Control"  # the public control items'
WITHOUT_SECOND_FACTOR = ("staff_without_second_factor", "official_th_without_second_factor")
ATTACKERS = ("anonymous", "registered", "official_vn", *WITHOUT_SECOND_FACTOR)
TH_ONLY = {"record_tier": Tier.RESTRICTED, "file_tier": Tier.RESTRICTED}


def _scoped(item, *countries):
    item.countries.set(list(countries))
    item.save()
    return item


@pytest.fixture
def world(home_page, countries, users):
    """A public control and a Thailand-only twin of each kind of item, and one client per attacker."""
    th = countries["TH"]
    index = PublicationIndexPageFactory(parent=home_page)
    control = PublicationPageFactory(
        parent=index, title=f"{CONTROL} Report", kind=Kind.ANNUAL_REPORT, summary=f"{CONTROL} summary smuggling"
    )
    control.covered_countries.set([th])
    control.save()
    attach(control, title=f"{CONTROL} Annex")
    hidden = PublicationPageFactory(
        parent=index,
        title=f"{HIDDEN} Report",
        kind=Kind.ANNUAL_REPORT,
        summary=f"{HIDDEN} summary smuggling",
        slug="hidden-thai-report",
        **TH_ONLY,
    )
    hidden.covered_countries.set([th])
    _scoped(hidden, th)
    attach(hidden, title=f"{HIDDEN} Annex")
    hidden.save()  # as publishing does: the attached document is closed to the page
    entry_control = BibliographyEntryFactory(title=f"{CONTROL} Entry smuggling")
    entry_control.countries_covered.set([th])
    entry_control.save()
    entry_hidden = _scoped(BibliographyEntryFactory(title=f"{HIDDEN} Entry smuggling", **TH_ONLY), th)
    courses = CourseIndexPageFactory(parent=home_page)
    course_control = CoursePageFactory(parent=courses, title=f"{CONTROL} Course smuggling")
    module_control = ModulePageFactory(parent=course_control, title=f"{CONTROL} Module")
    course_hidden = _scoped(CoursePageFactory(parent=courses, title=f"{HIDDEN} Course smuggling", **TH_ONLY), th)
    module_hidden = ModulePageFactory(parent=course_hidden, title=f"{HIDDEN} Module")
    add_material(module_hidden, title=f"{HIDDEN} Slides")
    document_hidden = _scoped(DocumentFactory(title=f"{HIDDEN} Standalone smuggling", **TH_ONLY), th)
    image_hidden = _scoped(make_image(f"{HIDDEN} Picture", **TH_ONLY), th)
    # The hidden items are linked from the public ones: related lists, featured pages, an entry's pages.
    control.related_publications.set([hidden])
    control.related_entries.set([entry_hidden])
    control.save()
    entry_control.related_pages.set([hidden])
    entry_control.document = document_hidden
    entry_control.save()
    home_page.featured = [("page", control), ("page", hidden)]
    home_page.save()
    staff = UserFactory(username="staff-no-otp", is_staff=True)
    staff.groups.add(Group.objects.get(name="Unit staff"))
    people = {**users, "staff_without_second_factor": staff, "official_th_without_second_factor": users["official_th"]}
    clients = {
        name: sign_in(Client(), people[name], second_factor=name not in WITHOUT_SECOND_FACTOR) for name in ATTACKERS
    }
    return {
        "index": index,
        "control": control,
        "hidden": hidden,
        "entry_control": entry_control,
        "entry_hidden": entry_hidden,
        "courses": courses,
        "course_control": course_control,
        "module_control": module_control,
        "course_hidden": course_hidden,
        "module_hidden": module_hidden,
        "document_hidden": document_hidden,
        "image_hidden": image_hidden,
        "clients": clients,
        "users": people,
    }


def text_of(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    """Every trace of a hidden item in `text`: its titles, and its slug or file name (a URL is information too)."""
    return sorted(set(re.findall(r"Hidden[ _+%20-]*Thai[^<\"\n]{0,30}|hidden-thai[\w-]*", text, flags=re.I)))


# ---- listings, searches, feeds, harvesters, exports: the hidden item is nowhere, the control is there --------

OPEN_ROUTES = [
    "/",
    "/publications/",
    "/publications/?kind=annual_report",
    "/publications/?country=TH",
    "/publications/annual-reports/",
    "/trainings/",
    "/search/?q=smuggling",
    "/search/?q=smuggling&kind=publication&country=TH",
    "/api/search/?q=smuggling&per_page=100",
    "/search/api/?q=smuggling&per_page=100",
    "/search/suggest/?q=Hid",
    "/search/suggest/?q=Ope",
    "/publications-feeds/rss/",
    "/publications-feeds/atom/",
    "/publications-feeds/country/TH/rss/",
    "/publications-feeds/kind/annual_report/atom/",
    "/sitemap.xml",
    "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc&set=country:TH",
    "/bibliography/",
    "/bibliography/?q=smuggling",
    "/bibliography/?country=TH",
    "/bibliography/export/bibtex/",
    "/bibliography/export/ris/",
    "/bibliography/export/csljson/",
    "/bibliography/compiled/",
    "{control}",
    "{entry_control}",
    "{course_control}",
    "{module_control}",
]


def _shows_control(world, route: str, text: str) -> bool:
    """Where the route shows titles, the control's title; where it shows addresses, the control's address."""
    if route == "/sitemap.xml":
        return world["control"].url in text
    if "ListIdentifiers" in route:
        return f"oai:som-cau-portal:publication/{world['control'].pk}<" in text
    return CONTROL in text


@pytest.mark.parametrize("route", OPEN_ROUTES)
def test_open_routes_show_the_control_and_nothing_of_the_hidden_items(world, route):
    route = route.format(
        control=world["control"].url,
        entry_control=f"/bibliography/{world['entry_control'].pk}/",
        course_control=world["course_control"].url,
        module_control=world["module_control"].url,
    )
    problems = []
    for name in ATTACKERS:
        response = world["clients"][name].get(route)
        text = text_of(response)
        if response.status_code != 200:
            problems.append(f"{name}: {route} answered {response.status_code}")
            continue
        if found := leaks(text):
            problems.append(f"{name}: {route} shows {found}")
        if route != "/search/suggest/?q=Hid" and not _shows_control(world, route, text):
            problems.append(f"{name}: {route} does not show the public control item")
    assert problems == [], "\n".join(problems)


def test_the_suggestions_answer_nothing_for_a_hidden_prefix_but_do_answer_staff(world, users):
    staff = sign_in(Client(), users["staff"])
    assert any(HIDDEN in s["title"] for s in staff.get("/search/suggest/?q=Hid").json()["suggestions"])
    for name in ATTACKERS:
        assert world["clients"][name].get("/search/suggest/?q=Hid").json() == {"suggestions": []}, name


# ---- counts: facets and totals are the same as if the hidden items did not exist -------------------------------


def test_search_totals_and_facets_do_not_count_hidden_items(world, users):
    staff = sign_in(Client(), users["staff"]).get("/api/search/?q=smuggling&per_page=100").json()
    for name in ATTACKERS:
        data = world["clients"][name].get("/api/search/?q=smuggling&per_page=100").json()
        titles = [hit["title"] for hit in data["results"]]
        assert data["total"] == len(titles), name
        assert not leaks(json.dumps(data)), name
        assert any(CONTROL in t for t in titles), name
    assert staff["total"] > data["total"]  # the hidden items match for someone who may see them


def test_publication_facet_counts_do_not_count_hidden_items(world, users):
    for name in ATTACKERS:
        html = text_of(world["clients"][name].get("/publications/"))
        # One visible annual report covering Thailand; the hidden one would make it two.
        assert re.search(r"Annual regional analytical report\D{0,80}1\b", html, flags=re.S), name
        assert re.search(r"Thailand\D{0,80}1\b", html, flags=re.S), name
    staff = text_of(sign_in(Client(), users["staff"]).get("/publications/"))
    assert re.search(r"Thailand\D{0,80}2\b", staff, flags=re.S)


# ---- one item: its own addresses answer 404, exactly as an address that never existed --------------------------


def _normalised(html: str, url: str) -> str:
    """The page with its own address and the per-request CSRF token taken out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(url.split("?")[0], "@")


def _not_found_like_nothing(client, url: str, nothing: str) -> list[str]:
    """`url` (a hidden item's) and `nothing` (never existed) must give the same answer, but for the address."""
    got, ref = client.get(url), client.get(nothing)
    problems = []
    if got.status_code != 404:
        problems.append(f"{url} answered {got.status_code}")
    body, ref_body = _normalised(text_of(got), url), _normalised(text_of(ref), nothing)
    if body != ref_body:
        diff = [d for d in difflib.ndiff(body.splitlines(), ref_body.splitlines()) if d[:1] in "+-"]
        problems.append(f"{url}: its 404 differs from that of an address that never existed: {diff[:6]}")
    headers = {k: v for k, v in got.items() if k.lower() not in ("content-length",)}
    ref_headers = {k: v for k, v in ref.items() if k.lower() not in ("content-length",)}
    if headers != ref_headers:
        problems.append(f"{url}: headers {headers} differ from {ref_headers}")
    return problems


def _item_addresses(world) -> list[tuple[str, str]]:
    hidden, entry = world["hidden"], world["entry_hidden"]
    document, course = world["document_hidden"], world["course_hidden"]
    annex = hidden.files.first().document
    rendition = world["image_hidden"].get_rendition("width-100")
    document_ct = ContentType.objects.get_for_model(document).pk
    return [
        (hidden.url, "/publications/no-such-report/"),
        (hidden.url + "?format=bibtex", "/publications/no-such-report/?format=bibtex"),
        (world["module_hidden"].url, "/trainings/no-such-course/no-such-module/"),
        (course.url, "/trainings/no-such-course/"),
        (f"/trainings/{course.pk}/pack.zip", "/trainings/999999/pack.zip"),
        (document.url, f"/documents/999999/{document.filename}"),
        (annex.url, f"/documents/999998/{annex.filename}"),
        (rendition.url, f"/images/999999/{rendition.filename}"),
        (f"/bibliography/{entry.pk}/", "/bibliography/999999/"),
        (f"/bibliography/{entry.pk}/export/bibtex/", "/bibliography/999999/export/bibtex/"),
        (f"/bibliography/{entry.pk}/cite/apa/", "/bibliography/999999/cite/apa/"),
        (f"/account/request/{document_ct}/{document.pk}/", f"/account/request/{document_ct}/999999/"),
    ]


def test_a_hidden_items_addresses_answer_as_if_it_did_not_exist(world):
    problems = []
    for name in ATTACKERS:
        client = world["clients"][name]
        for url, nothing in _item_addresses(world):
            if name == "anonymous" and url.startswith("/account/request/"):
                continue  # signing in comes first, for any address: checked below
            problems += [f"{name}: {p}" for p in _not_found_like_nothing(client, url, nothing)]
    assert problems == [], "\n".join(problems)


def test_the_control_items_addresses_do_answer(world):
    """The other half of the test above: the same kinds of address, for the public control, are found."""
    control = world["control"]
    client = world["clients"]["anonymous"]
    for url in (control.url, control.url + "?format=bibtex", f"/bibliography/{world['entry_control'].pk}/"):
        assert client.get(url).status_code == 200, url


def test_the_request_form_sends_anonymous_users_to_sign_in_for_any_address(world):
    document = world["document_hidden"]
    ct = ContentType.objects.get_for_model(document).pk
    client = world["clients"]["anonymous"]
    hidden = client.get(f"/account/request/{ct}/{document.pk}/")
    nothing = client.get(f"/account/request/{ct}/999999/")
    assert hidden.status_code == nothing.status_code == 302
    assert hidden["Location"].split("?")[0] == nothing["Location"].split("?")[0]


# ---- OAI-PMH: a hidden record is not there, whatever the verb --------------------------------------------------


def test_oai_get_record_of_a_hidden_item_is_id_does_not_exist(world):
    for name in ATTACKERS:
        client = world["clients"][name]
        for pk in (world["hidden"].pk, world["entry_hidden"].pk):
            prefix = "publication" if pk == world["hidden"].pk else "bibliography"
            identifier = f"oai:som-cau-portal:{prefix}/{pk}"
            params = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
            text = text_of(client.get("/oai/", params))
            assert 'code="idDoesNotExist"' in text and not leaks(text), (name, prefix)
        control = {"verb": "GetRecord", "metadataPrefix": "oai_dc"}
        control["identifier"] = f"oai:som-cau-portal:publication/{world['control'].pk}"
        assert CONTROL in text_of(client.get("/oai/", control)), name


# ---- leaks the audit found (each test failed before its fix) ----------------------------------------------------


def test_a_file_whose_record_is_more_closed_than_its_page_is_not_listed_on_the_page(world, users, countries):
    """A public report may hold an annex kept for Thai officials: the annex's title is not the public's to read."""
    control = world["control"]
    annex = _scoped(DocumentFactory(title=f"{HIDDEN} Closed Annex", **TH_ONLY), countries["TH"])
    attach(control, annex, role="annex")
    control.save()
    for name in ATTACKERS:
        html = text_of(world["clients"][name].get(control.url))
        assert f"{CONTROL} Annex" in html, name
        assert not leaks(html), (name, leaks(html))
    official_th = sign_in(Client(), users["official_th"])
    assert f"{HIDDEN} Closed Annex" in text_of(official_th.get(control.url))


def test_a_draft_page_is_unknown_to_the_request_access_form(world):
    """A page that is not live is known to no reader, whatever its tiers say; its form must not name it."""
    draft = PublicationPageFactory(
        parent=world["index"], title=f"{HIDDEN} Draft", record_tier=Tier.PUBLIC, file_tier=Tier.CONFIDENTIAL, live=False
    )
    live = PublicationPageFactory(
        parent=world["index"], title=f"{CONTROL} Live", record_tier=Tier.PUBLIC, file_tier=Tier.CONFIDENTIAL
    )

    from wagtail.models import Page

    page_ct = ContentType.objects.get_for_model(Page).pk
    for name in ("registered", "official_vn", "staff_without_second_factor"):
        client = world["clients"][name]
        response = client.get(f"/account/request/{page_ct}/{draft.pk}/")
        assert response.status_code == 404 and not leaks(text_of(response)), (name, response.status_code)
        assert CONTROL in text_of(client.get(f"/account/request/{page_ct}/{live.pk}/")), name


def test_country_pages_count_only_the_contributions_the_reader_may_know_about(world, home_page, countries, users):
    from tests.factories import CountryIndexPageFactory, CountryPageFactory

    th = countries["TH"]
    country_page = CountryPageFactory(parent=CountryIndexPageFactory(parent=home_page), country=th)
    contributions = world["index"]
    common = {"parent": contributions, "kind": Kind.CONTRIBUTION, "contribution_country": th}
    PublicationPageFactory(title=f"{CONTROL} Contribution", **common)  # published, public
    confidential = {"record_tier": Tier.CONFIDENTIAL, "file_tier": Tier.CONFIDENTIAL}
    _scoped(PublicationPageFactory(title=f"{HIDDEN} Kept internal", **common, **confidential), th)
    _scoped(PublicationPageFactory(title=f"{HIDDEN} In review", live=False, **common, **confidential), th)
    for name in ATTACKERS:
        html = text_of(world["clients"][name].get(country_page.url))
        assert "National contributions from Thailand: 1 sent, 1 published." in html, name
    staff = text_of(sign_in(Client(), users["staff"]).get(country_page.url))
    assert "National contributions from Thailand: 3 sent, 2 published." in staff
    focal = text_of(sign_in(Client(), users["focal_th"]).get(country_page.url))
    assert "National contributions from Thailand: 3 sent, 2 published." in focal


def test_an_old_address_of_a_hidden_page_does_not_redirect_to_its_new_one(world, django_capture_on_commit_callbacks):
    """Renaming a page leaves a redirect from its old address; following it would say the page exists and
    where it now is. For those who may not see the page, the old address is as unknown as any other."""
    hidden, control = world["hidden"], world["control"]
    old_hidden, old_control = hidden.url, control.url
    with django_capture_on_commit_callbacks(execute=True):
        hidden.slug = "hidden-thai-report-renamed"
        hidden.save()
        control.slug = "open-control-report-renamed"
        control.save()
    for name in ATTACKERS:
        client = world["clients"][name]
        assert client.get(old_control).status_code == 301, name  # redirects themselves still work
        problems = _not_found_like_nothing(client, old_hidden, "/publications/never-was/")
        assert problems == [], (name, problems)
    official_th = sign_in(Client(), world["users"]["official_th"])
    assert official_th.get(old_hidden)["Location"] == hidden.url  # who may see it is still sent on


# ---- the admin: nothing before the second factor, nothing for non-staff ---------------------------------------

ADMIN_ROUTES = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/search/?q=Hidden",
    "/admin/api/main/pages/?search=Hidden",
    "/admin/documents/?q=Hidden",
    "/admin/documents/chooser/?q=Hidden",
    "/admin/images/chooser/?q=Hidden",
    "/admin/choose-page/search/?q=Hidden",
    "/admin/reports/site-history/",
]


def test_the_admin_says_nothing_before_the_second_factor_nor_to_readers(world, users):
    hidden = world["hidden"]
    routes = [*ADMIN_ROUTES, f"/admin/pages/{hidden.pk}/edit/", f"/admin/pages/{hidden.pk}/edit/preview/"]
    for name in ATTACKERS[1:]:
        client = world["clients"][name]
        for route in routes:
            response = client.get(route)
            assert response.status_code == 302, (name, route, response.status_code)
            assert not leaks(text_of(response) + response["Location"].replace(route, "")), (name, route)
            where = response["Location"].split("?")[0]
            want = "/account/two-factor/" if name in WITHOUT_SECOND_FACTOR else "/admin/login/"
            assert where == want, (name, route, where)
    # The same routes do answer staff who passed it: the choosers there find the hidden items.
    staff = sign_in(Client(), users["staff"])
    for route in ("/admin/documents/chooser/?q=Hidden", "/admin/choose-page/search/?q=Hidden"):
        assert HIDDEN in text_of(staff.get(route)), route


# ---- headers: what depends on the reader is never kept by a shared cache ---------------------------------------


def test_what_an_official_may_see_is_private_and_varies_by_cookie(world, users):
    official_th = sign_in(Client(), users["official_th"])
    hidden = world["hidden"]
    annex = hidden.files.first().document
    for url in (hidden.url, "/publications/", "/search/?q=smuggling", f"/bibliography/{world['entry_hidden'].pk}/"):
        response = official_th.get(url)
        assert response.status_code == 200 and HIDDEN in text_of(response), url
        assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"], (url, dict(response.items()))
    download = official_th.get(annex.url)
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    text_of(download)
    # The files-closed answer to a reader who may see the record only is not cached either.
    registered = sign_in(Client(), users["registered"])
    closed_files = DocumentFactory(title="Files closed", record_tier=Tier.REGISTERED, file_tier=Tier.RESTRICTED)
    closed = registered.get(closed_files.url)
    assert closed.status_code == 403 and "no-store" in closed["Cache-Control"]


def test_an_anonymous_copy_of_a_page_never_holds_what_a_signed_in_reader_saw(world, users):
    """The anonymous page cache is filled only by anonymous requests: an official's view is never served later."""
    official_th = sign_in(Client(), users["official_th"])
    assert HIDDEN in text_of(official_th.get("/publications/"))
    assert HIDDEN in text_of(official_th.get("/"))
    anonymous = Client()
    for url in ("/publications/", "/"):
        html = text_of(anonymous.get(url))
        assert CONTROL in html and not leaks(html), url


# ---- bad input: never a 500, never a trace -----------------------------------------------------------------------

BAD_INPUT = [
    "/search/?q=%00&page=abc&per_page=-5&year=x&tier=9&document=abc",
    "/api/search/?q=smuggling&per_page=abc&page=999999&sort=%27",
    "/search/suggest/?q=%00%00",
    "/publications/?page=-1&year=abcd&country=%00",
    "/publications/?kind=../../etc",
    "/bibliography/?year_from=x&year_to=%00&page=zz&sort=%00",
    "/bibliography/compiled/?group=%00",
    "/bibliography/?q=%00&country=%00&theme=%00&type=%00&language=%00&keyword=%00",
    "/bibliography/export/bibtex/?q=a%00b&country=%00",
    "/oai/?verb=ListRecords&resumptionToken=garbage",
    "/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:som-cau-portal:publication/%00",
    "/publications-feeds/country/%00/rss/",
    "/documents/1/%00",
    "/images/1/%00",
]


@pytest.mark.parametrize("route", BAD_INPUT)
def test_bad_input_is_answered_without_a_server_error(world, route):
    for name in ("anonymous", "official_vn"):
        response = world["clients"][name].get(route)
        assert response.status_code in (200, 400, 404), (name, route, response.status_code)
        assert not leaks(text_of(response)) and "Traceback" not in text_of(response), (name, route)


# ---- a page under a hidden one is closed to it (portal.home.models.PortalPage.close_to_parent) ---------------------


def test_a_public_page_under_a_hidden_one_does_not_reveal_its_parents_address(world, home_page, countries):
    from tests.factories import StandardPageFactory

    parent = _scoped(
        StandardPageFactory(parent=home_page, title=f"{HIDDEN} Section", slug="hidden-thai-section", **TH_ONLY),
        countries["TH"],
    )
    StandardPageFactory(parent=parent, title=f"{CONTROL} Child", slug="open-control-child")
    sitemap = text_of(world["clients"]["anonymous"].get("/sitemap.xml"))
    assert "open-control-child" not in sitemap or not leaks(sitemap)
