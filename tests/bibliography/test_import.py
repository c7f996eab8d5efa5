"""Importing files into the database: the report's counts, updates, duplicates, dry runs and defaults."""

from pathlib import Path

import pytest
from modelsearch.backends import get_search_backend

from bibliography.formats import read_file
from bibliography.importer import ImportDefaults, _Writer, import_file, import_records
from bibliography.models import BibliographyEntry
from portal.access.tiers import Tier
from portal.taxonomy.models import Theme

FIXTURES = Path(__file__).parents[1] / "fixtures"

pytestmark = pytest.mark.django_db


def load(name):
    kind = "bib" if name.endswith(".bib") else "ris"
    return (FIXTURES / kind / name).read_bytes()


# Every corpus file: (created, duplicates, failed, skipped) on an empty bibliography. With MANIFEST.md:
# Mendeley's 451 entries + 61 duplicate-key blocks = 507 works + 5 repeats of a DOI or title/year/author;
# biber's 117 entries + 1 duplicate key = 105 + 10 repeats (its test entries share "A title") + 3 @set;
# the malformed file's failed block; the GBK file read as GBK.
COUNTS = {
    "ads-mnras-preamble-macro.bib": (1, 0, 0, 0),
    "bibdesk-library-malformed.bib": (1, 0, 0, 0),
    "biber-examples.bib": (105, 10, 0, 3),
    "chinese-gbk-encoded.bib": (1, 0, 0, 0),
    "chinese-traditional-key.bib": (1, 0, 0, 0),
    "crossref-entries.bib": (14, 0, 0, 0),
    "jabref51-groups.bib": (20, 0, 0, 0),
    "malformed-empty-and-paren-entries.bib": (1, 0, 1, 0),
    "mendeley-export-large.bib": (507, 5, 0, 0),
    "preamble-latex-percent-signs.bib": (1, 0, 0, 0),
    "preamble-string-stray-text.bib": (1, 0, 0, 0),
    "russian-cyrillic-keys.bib": (1, 0, 0, 0),
    "string-macros-concat.bib": (1, 0, 0, 0),
    "unknown-entry-type.bib": (2, 0, 0, 0),
    "zotero-physics-library.bib": (505, 1, 0, 0),
    "extraneous-data.ris": (2, 0, 0, 0),
    "full-tag-set.ris": (2, 0, 0, 0),
    "multiline-fields.ris": (3, 0, 0, 0),
    "utf8-bom.ris": (1, 0, 0, 0),
    "utf8-characters.ris": (1, 0, 0, 0),
    "web-of-science-export.ris": (2, 0, 0, 0),
}


def test_every_corpus_file_has_its_counts():
    on_disk = {p.name for kind in ("bib", "ris") for p in (FIXTURES / kind).iterdir()}
    assert on_disk == set(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_report_counts(name):
    report = import_file(load(name), name)
    counts = report.counts()
    assert (counts["created"], counts["duplicates"], counts["failed"], counts["skipped"]) == COUNTS[name]
    assert counts["updated"] == 0
    assert BibliographyEntry.objects.count() == counts["created"]


def test_failed_row_has_line_and_reason_and_the_rest_is_imported():
    report = import_file(load("malformed-empty-and-paren-entries.bib"), "m.bib")
    [failed] = report.failed
    assert failed.line == 2 and "Expected comma" in failed.reason
    assert BibliographyEntry.objects.count() == 1  # the empty @foo{} block, under a made-up key


def test_reimport_updates_and_keeps_the_units_work():
    import_file(load("crossref-entries.bib"), "c.bib")
    entry = BibliographyEntry.objects.get(citation_key="cr1")
    entry.annotation = "<p>Our note</p>"
    entry.record_tier = Tier.RESTRICTED
    entry.title = "Typo"
    entry.save()
    saved_at = entry.updated_at
    report = import_file(load("crossref-entries.bib"), "c.bib")
    assert report.counts()["updated"] == 14 and report.counts()["created"] == 0
    entry.refresh_from_db()
    assert entry.title == "Great and Good Graphs"
    assert entry.updated_at > saved_at  # cached citations are keyed by it
    assert entry.annotation == "<p>Our note</p>" and entry.record_tier == Tier.RESTRICTED


def test_same_work_under_another_key_is_a_duplicate():
    import_file(load("full-tag-set.ris"), "a.ris")
    text = load("full-tag-set.ris").replace(b"ID  - 12345", b"ID  - other")
    report = import_file(text, "b.ris")
    assert report.counts()["duplicates"] == 2
    assert "already in the bibliography" in report.duplicates[0].reason


def test_dry_run_reports_but_writes_nothing():
    report = import_file(load("zotero-physics-library.bib"), "z.bib", dry_run=True)
    assert report.counts()["created"] == 505 and report.counts()["duplicates"] == 1
    assert BibliographyEntry.objects.count() == 0


def test_unreadable_file_reports_the_problem():
    report = import_file(b"%PDF-1.5 binary", "x.bib")
    assert report.error and "PDF" in report.error
    assert report.total == 0


def test_defaults_apply_to_new_entries(countries):
    theme, _ = Theme.objects.get_or_create(slug="routes", defaults={"name": "Routes"})
    defaults = ImportDefaults(record_tier=Tier.RESTRICTED, themes=[theme], countries=[countries["TH"]])
    import_file(load("utf8-characters.ris"), "u.ris", defaults=defaults)
    entry = BibliographyEntry.objects.get()
    assert entry.record_tier == Tier.RESTRICTED and entry.file_tier == Tier.RESTRICTED
    assert list(entry.themes.all()) == [theme]
    assert [c.code for c in entry.countries_covered.all()] == ["TH"]
    assert [c.code for c in entry.countries.all()] == ["TH"]


def test_creators_keywords_and_raw_record_are_stored():
    import_file(load("extraneous-data.ris"), "e.ris")
    entry = BibliographyEntry.objects.get(title="Title of reference")
    assert [c.display() for c in entry.creators.all()] == ["Marx, Karl", "Lindgren, Astrid", "Glattauer, Daniel"]
    assert sorted(t.name for t in entry.keywords.all()) == ["Nordwind", "Pippi", "Piraten"]
    assert entry.raw_record["text"].startswith("TY  - JOUR")
    assert entry.raw_record["line"] == 5


def test_bibtex_round_trip_through_the_database():
    from bibliography.formats.bibtex import write_bibtex

    import_file(load("jabref51-groups.bib"), "j.bib")
    before = [e.to_record() for e in BibliographyEntry.objects.order_by("citation_key")]
    BibliographyEntry.objects.all().delete()
    report = import_file(write_bibtex(before).encode(), "again.bib")
    assert report.counts()["created"] == 20
    assert [e.to_record() for e in BibliographyEntry.objects.order_by("citation_key")] == before


def test_imported_entries_reach_the_search_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file(load("full-tag-set.ris"), "f.ris")
    assert len(callbacks) == 1
    found = list(get_search_backend().search("Nordwind", BibliographyEntry))
    assert sorted(e.title for e in found) == ["The title of the reference", "Title of reference"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file(load("utf8-characters.ris"), "u.ris", dry_run=True)
    assert callbacks == []


def _ris(key, title, author="Nguyen, An"):
    return f"TY  - JOUR\nID  - {key}\nTI  - {title}\nAU  - {author}\nPY  - 2020\nER  - \n\n"


def _search(words):
    return sorted(e.title for e in get_search_backend().search(words, BibliographyEntry))


def test_authors_keywords_and_updated_titles_reach_the_search_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(load("full-tag-set.ris"), "f.ris")
    assert _search("Marxus") == ["The title of the reference"]  # an author of the second record only
    assert _search("Langstrumpf") == ["The title of the reference"]  # a keyword of the second record only
    with django_capture_on_commit_callbacks(execute=True):
        import_file(_ris("upd1", "Original wording on boats").encode(), "a.ris")
        report = import_file(_ris("upd1", "Revised wording on boats", "Phan, Binh").encode(), "a.ris")
    assert report.counts()["updated"] == 1
    assert _search("Revised") == ["Revised wording on boats"] and _search("Original") == []
    assert _search("Binh") == ["Revised wording on boats"]


def test_a_record_the_database_refuses_fails_alone(monkeypatch):
    # Records are written in batches; a refused batch is retried record by record, so the report names the line.
    monkeypatch.setattr(_Writer, "BATCH_SIZE", 2)
    parsed = read_file(b"".join(_ris(f"k{n}", f"Route study {n}").encode() for n in range(5)), "b.ris")
    parsed.records[2].year = -1  # a year the database's check constraint refuses
    report = import_records(parsed, filename="b.ris")
    assert report.counts()["created"] == 4
    [failed] = report.failed
    assert failed.line == parsed.records[2].line and failed.key == "k2" and "could not be stored" in failed.reason
    assert sorted(BibliographyEntry.objects.values_list("citation_key", flat=True)) == ["k0", "k1", "k3", "k4"]
    retried = BibliographyEntry.objects.get(citation_key="k3")  # written alone, after its batch was refused
    assert [c.display() for c in retried.creators.all()] == ["Nguyen, An"]
