"""Segmentation and folding on real sentences in the region's seven languages."""

import json
from pathlib import Path

import pytest

from search.segmentation import fold, index_text, segment, tokens

TEXTS = json.loads((Path(__file__).parents[1] / "fixtures/pdf/lang-texts.json").read_text(encoding="utf-8"))

# A word a reader would search for in each text, as ICU finds it inside the unspaced sentence.
WORDS = {
    "th": ["ลักลอบ", "ตำรวจ", "ชายแดน", "ประเทศ"],
    "lo": ["ຕຳຫຼວດ", "ຊາຍແດນ", "ປະເທດ"],
    "km": ["ប្រទេស", "ជន", "ចំណាកស្រុក"],
    "my": ["နိုင်ငံ", "ရွှေ့ပြောင်း", "သတင်း"],
    "zh": ["移民", "犯罪", "合作", "边境"],
}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_unspaced_scripts_are_split_into_words(language):
    text = TEXTS[language]
    assert text.split()[0] not in WORDS[language]  # the raw sentence is one long "word"
    words = tokens(text)
    for word in WORDS[language]:
        assert word in words, (language, word)


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_segmenting_twice_changes_nothing(language):
    once = segment(TEXTS[language])
    assert segment(once) == once


@pytest.mark.parametrize("language", ["vi", "id"])
def test_spaced_languages_are_left_alone(language):
    assert segment(TEXTS[language]) == TEXTS[language]


def test_japanese_is_split():
    assert segment("移民の密入国に関する研究").split()[:3] == ["移民", "の", "密入国"]


def test_only_runs_of_unspaced_script_get_spaces():
    assert segment("UNODC report: การลักลอบขน 2024, see p. 3") == "UNODC report: การ ลักลอบ ขน 2024, see p. 3"


def test_vietnamese_folds_to_plain_letters():
    assert fold("Người di cư ở Đà Nẵng") == "Nguoi di cu o Da Nang"
    assert "nguoi" in index_text(TEXTS["vi"]).lower().split()


def test_folding_keeps_marks_of_other_scripts():
    for language in ("th", "lo", "km", "my"):
        assert fold(TEXTS[language]) == TEXTS[language]


def test_indonesian_words_are_tokens():
    assert {"penyelundupan", "migran", "perbatasan"} <= set(tokens(TEXTS["id"]))


def test_tokens_ignore_punctuation_and_emoji():
    assert tokens("«Người» — e-mail 😀 ลักลอบขน!") == ["nguoi", "e", "mail", "ลักลอบ", "ขน"]


def test_empty_and_odd_text():
    assert segment("") == ""
    assert fold("") == ""
    assert tokens("\x00\x01 😀 ;;") == []
