"""RIS (and Web of Science) reading and writing against tests/fixtures/ris."""

from pathlib import Path

import pytest

from bibliography.formats import read_file
from bibliography.formats.ris import parse_ris, write_ris

RIS = Path(__file__).parents[1] / "fixtures" / "ris"

# file: (records, failures, format, encoding): what each file holds.
CORPUS = {
    "extraneous-data.ris": (2, 0, "ris", "utf-8"),
    "full-tag-set.ris": (2, 0, "ris", "utf-8"),
    "multiline-fields.ris": (3, 0, "ris", "utf-8"),
    "utf8-bom.ris": (1, 0, "ris", "utf-8-sig"),
    "utf8-characters.ris": (1, 0, "ris", "utf-8-sig"),
    "web-of-science-export.ris": (2, 0, "wos", "utf-8"),
}


def read(name):
    return read_file((RIS / name).read_bytes(), name)


def test_every_corpus_file_is_listed():
    assert sorted(p.name for p in RIS.glob("*.ris")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_reads_with_expected_counts(name):
    records, failures, fmt, encoding = CORPUS[name]
    result = read(name)
    assert result.ok, result.error
    assert (len(result.records), len(result.failures), result.format, result.encoding) == (
        records,
        failures,
        fmt,
        encoding,
    )


def test_junk_between_records_is_ignored_and_records_keep_their_lines():
    result = read("extraneous-data.ris")
    first, second = result.records
    assert (first.line, second.line) == (5, 33)
    assert first.title == "Title of reference"
    assert [c.display() for c in first.creators] == ["Marx, Karl", "Lindgren, Astrid", "Glattauer, Daniel"]
    assert first.creators[2].role == "editor"
    assert first.keywords == ["Pippi", "Nordwind", "Piraten"]
    assert "outside records" in result.warnings[0]


def test_multiline_values_and_an_er_inside_text_do_not_end_the_record():
    records = read("multiline-fields.ris").records
    assert [r.abstract for r in records] == ["first line, ER then second line and at the end the last line"] * 3


def test_bom_is_stripped_before_the_first_tag():
    [record] = read("utf8-bom.ris").records
    assert record.doi == "10.1186/s40981-020-0316-0"
    assert record.warnings == ["no title"]


def test_non_ascii_and_named_type():
    [record] = read("utf8-characters.ris").records
    assert record.entry_type == "article"  # 'TY  - Journal Article', not a code
    assert record.title.startswith("Состояние рецепторного аппарата")
    assert record.pages == "52\u201357"
    assert record.note == "Ä,Ö,Ü,ä,ö,ü,ß"


def test_web_of_science_export():
    first, second = read("web-of-science-export.ris").records
    assert first.title.startswith("Interactions stabilizing the structure of the core light-harvesting")
    assert first.creators[0].display() == "Parkes-Loach, Pamela S." or first.creators[0].family == "Parkes-Loach"
    assert first.doi == "10.1021/bi049798f"
    assert first.date == "2004-06"
    assert second.citation_key == "WOS:000221807500020"


def test_unterminated_record_fails_with_its_line_and_the_next_one_is_read():
    text = "TY  - JOUR\nTI  - Cut short\nTY  - BOOK\nTI  - Whole\nER  - \n"
    result = parse_ris(text)
    [failure] = result.failures
    assert failure.line == 1 and "no end tag" in failure.reason
    assert [r.title for r in result.records] == ["Whole"]


def test_not_ris_at_all_is_refused():
    result = parse_ris(b"hello world\nnothing here\n")
    assert not result.ok and "No RIS records" in result.error


def test_ris_export_reads_back():
    records = read("full-tag-set.ris").records
    again = parse_ris(write_ris(records)).records
    keep = (
        "entry_type",
        "citation_key",
        "title",
        "year",
        "container_title",
        "volume",
        "issue",
        "pages",
        "issn",
    )
    assert [[getattr(r, k) for k in keep] for r in again] == [[getattr(r, k) for k in keep] for r in records]
    assert [[c.display() for c in r.creators] for r in again] == [[c.display() for c in r.creators] for r in records]
