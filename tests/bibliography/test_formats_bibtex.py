"""BibTeX reading and writing against the real files of tests/fixtures/bib (see MANIFEST.md)."""

import dataclasses
from pathlib import Path

import pytest

from bibliography.formats import read_file
from bibliography.formats.bibtex import parse_bibtex, write_bibtex
from bibliography.formats.records import split_duplicates

BIB = Path(__file__).parents[1] / "fixtures" / "bib"

# file: (entries, duplicate-key blocks, failed blocks) as MANIFEST.md counts them with bare bibtexparser,
#       then what we read: records, skipped (@set), repeats of a work inside the file, encoding.
CORPUS = {
    "ads-mnras-preamble-macro.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "bibdesk-library-malformed.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "biber-examples.bib": ((117, 1, 0), (115, 3, 10, "utf-8")),
    "chinese-gbk-encoded.bib": ((1, 0, 0), (1, 0, 0, "gbk")),
    "chinese-traditional-key.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "crossref-entries.bib": ((14, 0, 0), (14, 0, 0, "utf-8")),
    "jabref51-groups.bib": ((20, 0, 0), (20, 0, 0, "utf-8")),
    "malformed-empty-and-paren-entries.bib": ((1, 0, 1), (1, 0, 0, "utf-8")),
    "mendeley-export-large.bib": ((451, 61, 0), (512, 0, 5, "utf-8")),
    "preamble-latex-percent-signs.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "preamble-string-stray-text.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "russian-cyrillic-keys.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "string-macros-concat.bib": ((1, 0, 0), (1, 0, 0, "utf-8")),
    "unknown-entry-type.bib": ((2, 0, 0), (2, 0, 0, "utf-8")),
    "zotero-physics-library.bib": ((506, 0, 0), (506, 0, 1, "utf-8")),
}


def read(name):
    return read_file((BIB / name).read_bytes(), name)


def test_every_corpus_file_is_listed():
    assert sorted(p.name for p in BIB.glob("*.bib")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_reads_with_manifest_counts(name):
    (entries, duplicate_keys, failed), (records, skipped, repeats, encoding) = CORPUS[name]
    result = read(name)
    assert result.ok, result.error
    assert result.encoding == encoding
    # Every block the manifest counts is accounted for: read, skipped with a reason, or failed.
    assert len(result.records) + len(result.skipped) == entries + duplicate_keys
    assert len(result.failures) == failed
    assert len(result.records) == records
    assert len(split_duplicates(result.records)[1]) == repeats
    assert all(r.raw.lstrip().startswith("@") for r in result.records)


def test_duplicate_keys_are_kept_as_records_with_a_warning():
    result = read("mendeley-export-large.bib")
    flagged = [r for r in result.records if any("already used on line" in w for w in r.warnings)]
    assert len(flagged) == 61
    repeated = [r for r in flagged if r.citation_key == "Milazzo2017"]
    assert repeated and repeated[0].line == 499


def test_failed_block_has_line_and_reason_and_good_entries_survive():
    result = read("malformed-empty-and-paren-entries.bib")
    [failure] = result.failures
    assert failure.line == 2
    assert "Expected comma after entry key" in failure.reason
    assert failure.raw.startswith("@article(")
    assert len(result.records) == 1


def test_string_macros_concatenation_and_macro_of_macro():
    [record] = read("string-macros-concat.bib").records
    assert record.title == "Cool Stuff"
    assert record.container_title == "My International Conference"
    assert record.pages == "1\u201310"
    assert record.note == "Email: John.Doe@example.com"
    assert [c.display() for c in record.creators] == ["Doe, John"]


def test_crossref_children_inherit_from_their_parent():
    records = {r.citation_key: r for r in read("crossref-entries.bib").records}
    child = records["cr1"]
    assert child.title == "Great and Good Graphs"
    assert child.container_title == "Graphs of the Continent"
    assert child.publisher == "Grimble"
    assert child.year == 1974
    assert [(c.family, c.role) for c in child.creators] == [("Gullam", "author"), ("Erbriss", "editor")]


def test_latex_accents_and_protected_braces_become_plain_unicode():
    records = {r.citation_key: r for r in read("zotero-physics-library.bib").records}
    assert records["akamatsu1989"].title.startswith("Caractérisation Des Dispositifs Opto-Électroniques")
    ajay = records["Ajay_2017a"]
    assert "{" not in ajay.title and "Si- and Ge-Doped GaN/AlN" in ajay.title
    assert [c.family for c in ajay.creators][4:6] == ["Bellet-Amalric", "den Hertog"]
    assert ajay.date == "2017-03"


def _values_for_the_decoder():
    import bibtexparser

    from bibliography.formats.latex import _NEEDS_DECODER

    for path in sorted(BIB.iterdir()):
        text = read_file(path.read_bytes(), path.name).encoding  # the encoding the file is read in
        library = bibtexparser.parse_string(path.read_bytes().decode(text, errors="replace").lstrip("\ufeff"))
        yield from (f.value for e in library.entries for f in e.fields if _NEEDS_DECODER.search(str(f.value)))


SIMPLE_LATEX = ["45% of 200~people", "Taylor \\& Francis, 10\\% \\$5 \\#1 a\\_b", "{Protected} 5%~x"]
DECODER_LATEX = ["pages 1--2, 50%", "``quoted'' 5%", "{\\'e}t{\\'e} 5%", "$x^2$ and 5%", "a \\textendash{} b"]


def test_latex_fast_path_gives_what_pylatexenc_gives():
    from bibliography.formats.latex import _decode, latex_to_text

    values = [*_values_for_the_decoder(), *SIMPLE_LATEX, *DECODER_LATEX]
    assert len(values) > 300
    assert [latex_to_text(v) for v in values] == [_decode(v) for v in values]
    assert [latex_to_text(v) for v in SIMPLE_LATEX] == ["45% of 200 people", "Taylor & Francis, 10% $5 #1 a_b",
                                                        "Protected 5% x"]  # fmt: skip


def test_preamble_macro_is_substituted():
    [record] = read("ads-mnras-preamble-macro.bib").records
    assert record.container_title == "Monthly Notices of the Royal Astronomical Society"
    assert record.creators[0].display() == "Howard, A. D. P."
    assert record.pages == "962\u2013976"


def test_gbk_file_is_detected_and_read():
    [record] = read("chinese-gbk-encoded.bib").records
    assert record.citation_key == "凯撒2013"
    assert record.container_title == "测试期刊"


def test_latin1_file_is_read_not_mistaken_for_gbk():
    data = "@article{m, author = {Müller, Jürgen}, title = {Über Grenzen}, year = 2001}".encode("latin-1")
    result = parse_bibtex(data)
    assert result.encoding == "windows-1252"
    assert result.records[0].creators[0].display() == "Müller, Jürgen"


def test_binary_file_is_refused_with_a_message():
    result = read_file(b"%PDF-1.7\n\x00\x01binary", "library.bib")
    assert not result.ok
    assert "PDF" in result.error
    assert result.records == []


def test_braced_organisation_author_is_an_organisation():
    result = parse_bibtex(
        "@report{u, author = {{United Nations Office on Drugs and Crime} and Smith, Jo}, title={T}, year=2018}"
    )
    unodc, smith = result.records[0].creators
    assert unodc.is_organisation and unodc.family == "United Nations Office on Drugs and Crime"
    assert not smith.is_organisation and smith.given == "Jo"


def comparable(record):
    skip = {"raw", "fields", "line", "warnings", "source_format", "source_type"}
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in skip}


@pytest.mark.parametrize(
    "name",
    ["zotero-physics-library.bib", "jabref51-groups.bib", "crossref-entries.bib", "chinese-gbk-encoded.bib"],
)
def test_bibtex_round_trips(name):
    first = read(name).records
    again = parse_bibtex(write_bibtex(first))
    assert not again.failures
    assert [comparable(r) for r in again.records] == [comparable(r) for r in first]


def test_export_escapes_latex_specials_and_makes_keys_unique():
    records = parse_bibtex("@misc{k, title = {50\\% of R\\&D}, year = 2020}\n@misc{k2, title={x}}").records
    records[1].citation_key = "k"
    text = write_bibtex(records)
    assert "50\\% of R\\&D" in text
    assert "@misc{k," in text and "@misc{ka," in text
    assert parse_bibtex(text).records[0].title == "50% of R&D"
