"""The search service on the configured database (SQLite by default, PostgreSQL with DATABASE_URL)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.access.policy import ANONYMOUS
from search.service import search, suggest
from tests.factories import StandardPageFactory

TEXTS = json.loads((Path(__file__).parents[1] / "fixtures/pdf/lang-texts.json").read_text(encoding="utf-8"))

# A word of each text as a reader types it: in Thai, Lao, Khmer, Burmese and Chinese it sits inside an
# unspaced sentence; the Vietnamese one is typed without its diacritics.
FOUND_BY = {
    "th": "ตำรวจ",
    "lo": "ຕຳຫຼວດ",
    "km": "ប្រទេស",
    "my": "နိုင်ငံ",
    "zh": "移民",
    "vi": "nguoi di cu",
    "id": "penyelundupan",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def language_pages(home_page):
    return {
        code: StandardPageFactory(parent=home_page, title=f"Page in {code}", intro=text) for code, text in TEXTS.items()
    }


@pytest.mark.parametrize("language", sorted(FOUND_BY))
def test_each_language_is_found_by_its_words(language_pages, language):
    results = search(FOUND_BY[language], ANONYMOUS)
    assert [hit.obj.pk for hit in results.hits] == [language_pages[language].pk]
    assert "<mark>" in results.hits[0].snippet


def test_vietnamese_with_diacritics_too(language_pages):
    assert [hit.obj.pk for hit in search("người", ANONYMOUS).hits] == [language_pages["vi"].pk]


def test_phrase_exclusion_and_or(home_page):
    a = StandardPageFactory(parent=home_page, title="Boats", intro="debt bondage on fishing boats")
    b = StandardPageFactory(parent=home_page, title="Roads", intro="bondage and debt on land routes")
    assert [h.obj.pk for h in search('"debt bondage"', ANONYMOUS).hits] == [a.pk]
    assert [h.obj.pk for h in search("debt -boats", ANONYMOUS).hits] == [b.pk]
    assert {h.obj.pk for h in search("fishing OR land", ANONYMOUS).hits} == {a.pk, b.pk}


@pytest.mark.parametrize(
    "typed",
    ['"unbalanced', "title:x AND body:y*", "NEAR(a b)", "'; DROP TABLE wagtailcore_page; --", "\x00\x1f", "😀" * 50,
     "a" * 10_000, "-only", 'x" OR "y', "(((", "\\"],
)  # fmt: skip
def test_anything_typed_gives_results_or_a_message(home_page, typed):
    results = search(typed, ANONYMOUS)
    assert results.total == 0
    assert results.hits == []


def test_empty_query_explains(home_page):
    assert search("", ANONYMOUS).message == ""
    assert "Type some words" in search("😀", ANONYMOUS).message
    assert "Add at least one word" in search("-boats", ANONYMOUS).message


def test_title_match_ranks_first(home_page):
    body = StandardPageFactory(
        parent=home_page, title="Annual report", intro="a passage about the smuggling of migrants"
    )
    title = StandardPageFactory(parent=home_page, title="Smuggling of migrants", intro="an overview")
    assert [h.obj.pk for h in search("smuggling migrants", ANONYMOUS).hits] == [title.pk, body.pk]


def test_pagination_and_total(home_page):
    for number in range(25):
        StandardPageFactory(parent=home_page, title=f"Report {number}", intro="border crossing")
    first = search("border crossing", ANONYMOUS, page=1)
    second = search("border crossing", ANONYMOUS, page=2)
    assert first.total == second.total == 25
    assert (len(first.hits), len(second.hits), first.pages) == (20, 5, 2)
    assert not {h.obj.pk for h in first.hits} & {h.obj.pk for h in second.hits}
    assert search("border crossing", ANONYMOUS, page="999").page == 2
    assert search("border crossing", ANONYMOUS, page="x").page == 1


def test_facets_count_and_filter(home_page, countries):
    th = StandardPageFactory(parent=home_page, title="Thai route", intro="maritime route")
    th.countries.set([countries["TH"]])
    th.save()
    vn = StandardPageFactory(parent=home_page, title="Viet route", intro="maritime route")
    vn.countries.set([countries["VN"]])
    vn.save()
    results = search("maritime", ANONYMOUS)
    country_counts = {v.value: v.count for v in results.facets["country"]}
    assert country_counts == {"TH": 1, "VN": 1}
    assert {v.value: v.count for v in results.facets["kind"]} == {"page": 2}
    filtered = search("maritime", ANONYMOUS, filters={"country": ["TH"]})
    assert [h.obj.pk for h in filtered.hits] == [th.pk]
    assert filtered.total == 1
    assert search("maritime", ANONYMOUS, filters={"kind": ["publication-that-does-not-exist"]}).total == 0


def _counts(results, name):
    return {v.value: v.count for v in results.facets.get(name, [])}


def test_each_facet_is_counted_without_its_own_filter(home_page, countries):
    def page(title, code, year):
        made = StandardPageFactory(
            parent=home_page, title=title, intro="maritime", first_published_at=datetime(year, 5, 1, tzinfo=UTC)
        )
        made.countries.set([countries[code]])
        made.save()
        return made

    th_new, th_old = page("Thai 2024", "TH", 2024), page("Thai 2020", "TH", 2020)
    vn_new = page("Viet 2024", "VN", 2024)
    thai = search("maritime", ANONYMOUS, filters={"country": ["TH"]})
    assert {h.obj.pk for h in thai.hits} == {th_new.pk, th_old.pk} and thai.total == 2
    # The country facet still offers Viet Nam with its count; the other facets count the Thai results only.
    assert _counts(thai, "country") == {"TH": 2, "VN": 1}
    assert [v.value for v in thai.facets["country"] if v.selected] == ["TH"]
    assert _counts(thai, "year") == {"2024": 1, "2020": 1}
    assert _counts(thai, "kind") == {"page": 2}
    both = search("maritime", ANONYMOUS, filters={"country": ["TH"], "year": ["2024"]})
    assert [h.obj.pk for h in both.hits] == [th_new.pk]
    assert _counts(both, "country") == {"TH": 1, "VN": 1}  # under the year filter, not its own
    assert _counts(both, "year") == {"2024": 1, "2020": 1}  # under the country filter, not its own
    either = search("maritime", ANONYMOUS, filters={"country": ["TH", "VN"], "year": ["2024"]})
    assert {h.obj.pk for h in either.hits} == {th_new.pk, vn_new.pk} and either.total == 2


def test_year_is_the_sites_year(home_page, settings):
    # 20:00 UTC on New Year's Eve is already the new year in Bangkok: the year facet and filter say so.
    settings.TIME_ZONE = "Asia/Bangkok"
    page = StandardPageFactory(
        parent=home_page, title="Year end", intro="lantern", first_published_at=datetime(2023, 12, 31, 20, tzinfo=UTC)
    )
    assert _counts(search("lantern", ANONYMOUS), "year") == {"2024": 1}
    assert [h.obj.pk for h in search("lantern", ANONYMOUS, filters={"year": ["2024"]}).hits] == [page.pk]
    assert search("lantern", ANONYMOUS, filters={"year": ["2023"]}).total == 0


def test_sort_by_date(home_page):
    older = StandardPageFactory(
        parent=home_page, title="Older trafficking note", intro="", first_published_at=datetime(2020, 5, 1, tzinfo=UTC)
    )
    newer = StandardPageFactory(
        parent=home_page, title="Newer note", intro="trafficking", first_published_at=datetime(2024, 5, 1, tzinfo=UTC)
    )
    assert [h.obj.pk for h in search("trafficking", ANONYMOUS).hits] == [older.pk, newer.pk]  # title first
    assert [h.obj.pk for h in search("trafficking", ANONYMOUS, sort="date").hits] == [newer.pk, older.pk]


def test_suggestions_complete_titles(home_page):
    StandardPageFactory(parent=home_page, title="Migrant smuggling routes")
    assert [s["title"] for s in suggest("migr", ANONYMOUS)] == ["Migrant smuggling routes"]
    assert suggest("m", ANONYMOUS) == []


def test_every_searchable_model_indexes_segmented_text():
    """The region's unspaced scripts are found only if every model's text fields segment what they index."""
    from django.apps import apps
    from modelsearch import index
    from wagtail.models import Page

    from search.index import SegmentedAutocompleteField, SegmentedSearchField

    portal_apps = {"home", "documents", "publications", "bibliography", "trainings", "workplans"}
    for model in apps.get_models():
        if not issubclass(model, index.Indexed) or model._meta.app_label not in portal_apps:
            continue
        fields = model.get_search_fields()
        text = [f for f in fields if isinstance(f, index.SearchField | index.AutocompleteField)]
        plain = [f.field_name for f in text if not isinstance(f, SegmentedSearchField | SegmentedAutocompleteField)]
        assert not plain, f"{model.__name__} indexes {plain} without segmentation"
        if issubclass(model, Page):
            assert "title" in {f.field_name for f in text}, f"{model.__name__} does not index its title"
