"""The query parser: the syntax people know, and plain text for everything else."""

import sqlite3
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from modelsearch.query import And, Not, Or, Phrase, PlainText

from search.query import MAX_QUERY_CHARS, AnyOf, Words, parse, to_fts5, to_search_query, to_tsquery


def words(*items, exact=False, typed=None):
    return Words(tuple(items), typed or " ".join(items), exact=exact)


def test_words_are_all_required():
    parsed = parse("debt bondage")
    assert parsed.required == (words("debt"), words("bondage"))
    assert parsed.excluded == ()


def test_exact_phrase_and_exclusion():
    parsed = parse('"debt bondage" -trafficking')
    assert parsed.required == (words("debt", "bondage", exact=True),)
    assert parsed.excluded == (words("trafficking"),)
    query = to_search_query(parsed)
    assert isinstance(query, And)
    assert isinstance(query.subqueries[0], Phrase)
    assert isinstance(query.subqueries[1], Not)


def test_or_joins_the_words_on_either_side():
    parsed = parse("boat OR vessel crossing")
    assert parsed.required == (AnyOf((words("boat"), words("vessel"))), words("crossing"))
    assert to_fts5(parsed) == '("boat" OR "vessel") AND "crossing"'
    assert to_tsquery(parsed) == "('boat' | 'vessel') & 'crossing'"
    assert isinstance(to_search_query(parsed).subqueries[0], Or)


def test_dangling_or_and_explicit_and_are_dropped():
    assert parse("OR boat OR").required == (words("boat"),)
    assert parse("boat AND vessel").required == (words("boat"), words("vessel"))
    assert parse("boat -car OR vessel").required == (words("boat"), words("vessel"))


def test_unspaced_word_becomes_a_phrase_of_its_words():
    parsed = parse("การลักลอบขน")
    assert parsed.required[0].words == ("การ", "ลักลอบ", "ขน")
    assert to_search_query(parsed) == Phrase("การ ลักลอบ ขน") or isinstance(to_search_query(parsed), Phrase)


def test_vietnamese_is_folded_like_the_index():
    assert parse("Người").required == parse("nguoi").required[:0] + (words("nguoi", typed="Người"),)
    assert to_fts5(parse("Người")) == '"nguoi"'


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"unbalanced quote', ["unbalanced", "quote"]),
        ("title:smuggling AND body:boat*", ["title smuggling", "body boat"]),
        ("NEAR(boat migrant, 5)", ["near boat", "migrant", "5"]),
        ("'; DROP TABLE search_indexentry; --", ["drop", "table", "search indexentry"]),
        ("boat & !migrant | (x <-> y)", ["boat", "migrant", "x", "y"]),
        ("smuggling\x00\x07 route", ["smuggling", "route"]),
        ("😀 boat 🚢", ["boat"]),
    ],
)
def test_operators_and_junk_are_plain_words(typed, expected):
    parsed = parse(typed)
    assert [" ".join(term.words) for term in parsed.highlight_terms] == expected


def test_very_long_input_is_cut_with_a_notice():
    parsed = parse("boat " * 2000)
    assert parsed.required == (words("boat"),)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert parsed.notices


def test_many_words_are_capped_with_a_notice():
    parsed = parse(" ".join(f"w{i}" for i in range(100)))
    assert len(parsed.required) == 16
    assert parsed.notices


@pytest.mark.parametrize("typed", ["", "   ", "😀", "-boat", '""', "OR", "AND", "-", "\x00"])
def test_nothing_to_look_for(typed):
    parsed = parse(typed)
    assert parsed.is_empty
    assert to_search_query(parsed) is None
    assert to_fts5(parsed) == ""


def test_non_string_input():
    assert parse(None).is_empty
    assert parse(12345).required == (words("12345"),)


# Property-based: any text parses, and every rendering is valid for the engine ------------------------

_fts = sqlite3.connect(":memory:")
_fts.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
_fts.execute("INSERT INTO t VALUES ('boat migrant การ ลักลอบ ขน nguoi')")

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
query_like = st.lists(
    st.sampled_from(['"', "-", "OR", "AND", "NOT", "*", "(", ")", ":", "^", "'", "\\", "NEAR", "boat", " "])
    | st.sampled_from(["ลักลอบขน", "Người", "偷运"])
    | any_text,
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, query_like))
def test_any_input_parses_and_renders_safely(typed):
    parsed = parse(typed)
    for term in (*parsed.highlight_terms, *parsed.excluded):
        for word in term.words:
            assert word
            assert all(unicodedata.category(char)[0] in "LMN" for char in word)
    fts = to_fts5(parsed)
    if fts:
        _fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts,)).fetchone()
    query = to_search_query(parsed)
    assert query is None or isinstance(query, And | Or | Phrase | PlainText | Not)
    to_tsquery(parsed)


@given(st.text(max_size=100))
def test_parsing_is_deterministic(typed):
    assert parse(typed) == parse(typed)
