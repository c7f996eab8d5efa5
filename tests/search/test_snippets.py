"""Snippets: escaped, the query's words marked, in every script."""

import json
from pathlib import Path

import pytest

from search.query import parse
from search.snippets import find_matches, highlight

TEXTS = json.loads((Path(__file__).parents[1] / "fixtures/pdf/lang-texts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("language", "typed", "marked"),
    [
        ("th", "ตำรวจ", "ตำรวจ"),
        ("th", "ลักลอบขน", "ลักลอบขน"),
        ("lo", "ຕຳຫຼວດ", "ຕຳຫຼວດ"),
        ("km", "ប្រទេស", "ប្រទេស"),
        ("my", "နိုင်ငံ", "နိုင်ငံ"),
        ("zh", "移民", "移民"),
        ("vi", "nguoi di cu", "người"),
        ("vi", '"biên phòng"', "biên phòng"),
        ("id", "penyelundupan", "Penyelundupan"),
    ],
)
def test_the_matching_word_is_marked(language, typed, marked):
    snippet = highlight(TEXTS[language], parse(typed), max_chars=120)
    assert f"<mark>{marked}</mark>" in snippet


def test_text_is_escaped_and_only_marks_are_html():
    snippet = highlight('<img src=x onerror="alert(1)"> smuggled <b>migrants</b>', parse("smuggling img"))
    assert "<img" not in snippet
    assert "&lt;<mark>img</mark> src=x onerror=&quot;alert(1)&quot;&gt;" in snippet
    assert "<mark>smuggled</mark> &lt;b&gt;migrants&lt;/b&gt;" in snippet


def test_a_phrase_is_marked_as_one_piece():
    snippet = highlight("the debt bondage of workers; debt is not bondage", parse('"debt bondage"'))
    assert snippet.count("<mark>") == 1
    assert "<mark>debt bondage</mark>" in snippet


def test_long_text_is_cut_around_the_matches():
    text = "filler words here. " * 100 + "the smuggling route through the border " + "more filler. " * 100
    snippet = highlight(text, parse("route border"), max_chars=120)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>route</mark>" in snippet and "<mark>border</mark>" in snippet
    assert len(snippet) < 200


def test_snippet_never_cuts_a_thai_word():
    snippet = highlight(TEXTS["th"] * 3, parse("ชายแดน"), max_chars=80)
    inner = snippet.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert inner in TEXTS["th"] * 3
    assert (TEXTS["th"] * 3).find(inner) in {0} | {start for start, _ in _thai_word_starts()}


def _thai_word_starts():
    from search.segmentation import iter_tokens

    return iter_tokens(TEXTS["th"] * 3)


def test_no_match_gives_the_start_of_the_text():
    assert highlight("alpha beta gamma", parse("delta")) == "alpha beta gamma"


def test_excluded_words_are_not_marked():
    assert "<mark>" not in highlight("boats and cars", parse("-boats cars"))[:13]


def test_matches_report_their_term():
    matches = find_matches("boat, vessel", parse("vessel OR boat").highlight_terms)
    assert [(m.start, m.end, m.term) for m in matches] == [(0, 4, 1), (6, 12, 0)]
