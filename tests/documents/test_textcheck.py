"""Judging extracted text: garbled or not, and which language."""

import json
from pathlib import Path

import pytest

from portal.documents.textcheck import assess, clean_text, guess_language

LANG_TEXTS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "pdf" / "lang-texts.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("lang", sorted(LANG_TEXTS))
def test_real_text_in_the_regions_scripts_is_clean(lang):
    quality = assess(LANG_TEXTS[lang])
    assert not quality.garbled
    assert not quality.suspicious
    assert quality.letters > 0.8 * quality.visible


@pytest.mark.parametrize("lang", sorted(LANG_TEXTS))
def test_language_of_the_regions_texts(lang):
    assert guess_language(LANG_TEXTS[lang]) == lang


@pytest.mark.parametrize(
    "text",
    [
        "ɹɹং\nΘͨ͘͠ͱ͍;ݱ\u09c5\u0378၊ఆ͞Εͨ༗ަػྲྀి౯ͷͻͱͭͷ੨͍র໌Ͱ͢ớ͋ΒΏΔಁ໌ͳ༓ྶͷෳ߹ମỜ෩ܠ",  # pypdf on a dvipdfm CID font
        "3HQČåQt\x03SURVWĜHGN\\\x03QD\x03~þWHFK",  # non-Unicode ToUnicode map
        "การลักลอบขนผู้ย้ายถิ\x00นเป\x00นอาชญากรรมข้ามชาติที\x00ต้องอาศัย",  # NUL for unmapped glyphs
        "Department of Health\t\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd health.gov.au",
        "\ue000\ue001\ue002 private use \ue003\ue004\ue005",
    ],
)
def test_garbled_text_is_detected(text):
    assert assess(clean_text(text)).garbled


def test_a_latin_acronym_in_thai_is_not_garbled():
    assert not assess("ความร่วมมือ ASEAN และ UNODC ด้านการลักลอบขนผู้ย้ายถิ่น").garbled


def test_clean_text_normalises_presentation_forms_and_line_ends():
    assert clean_text("e\ufb03cient\r\nﬁle \u202bمرحبا\u202c ⼀") == "efficient\nfile مرحبا 一"


def test_empty_text_has_no_language():
    assert guess_language("   ") == ""
    assert guess_language("12 34 56") == ""


def test_mixed_english_document_with_some_japanese_is_japanese():
    assert guess_language("固有表現の発見 Computer Science Department New York University コンパラブル") == "ja"
