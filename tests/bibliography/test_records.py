"""Duplicate detection keys, in-file duplicates and encoding detection."""

import pytest

from bibliography.formats.encoding import UnreadableFile, decode_bytes
from bibliography.formats.records import (
    BibRecord,
    Creator,
    dedupe_key,
    make_citation_key,
    normalise_doi,
    split_duplicates,
)


def record(**kw):
    base = {"title": "Smuggling of migrants", "year": 2019, "creators": [Creator("Nguyễn", "An")]}
    return BibRecord(**(base | kw))


def test_doi_decides_when_present():
    a = record(doi="https://doi.org/10.1000/ABC.1")
    b = record(doi="doi:10.1000/abc.1", title="Something else entirely")
    assert dedupe_key(a) == dedupe_key(b) == "doi:10.1000/abc.1"


def test_title_year_first_author_otherwise_folding_case_accents_and_punctuation():
    a = record(title="Smuggling of Migrants!")
    b = record(title="smuggling  of migrants", creators=[Creator("Nguyen", "Bình")])
    assert dedupe_key(a) == dedupe_key(b)
    assert dedupe_key(a) != dedupe_key(record(year=2020))


def test_split_duplicates_keeps_the_first_and_never_matches_untitled_records():
    first, repeat, untitled_a, untitled_b = record(), record(), record(title=""), record(title="")
    unique, repeats = split_duplicates([first, repeat, untitled_a, untitled_b])
    assert unique == [first, untitled_a, untitled_b]
    assert repeats == [(repeat, first)]


def test_normalise_doi_and_generated_key():
    assert normalise_doi("see https://dx.doi.org/10.1093/mnras/stz2234.") == "10.1093/mnras/stz2234"
    assert make_citation_key(record(title="The smuggling of migrants")) == "nguyen2019smuggling"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("@a{k, title={Ünïcode}}".encode(), "utf-8"),
        (b"\xef\xbb\xbf@a{k}", "utf-8-sig"),
        ("@a{k, title={Grüße}}".encode("utf-16"), "utf-16"),
        ("@a{k, author={凯撒}}".encode("gbk"), "gbk"),
        ("@a{k, author={Müller and Gödel}}".encode("latin-1"), "windows-1252"),
    ],
)
def test_decode_bytes(data, encoding):
    assert decode_bytes(data).encoding == encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.4\n", "PDF"),
        (b"PK\x03\x04xx", "ZIP"),
        (b"@a{k,\x00\x00}", "NUL"),
        (b"\xef\xbb\xbf\xff\xfe", "UTF-8"),
    ],
)
def test_undecodable_files_are_refused_with_a_reason(data, words):
    with pytest.raises(UnreadableFile, match=words):
        decode_bytes(data)
