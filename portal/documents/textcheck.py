"""Judging extracted text: is a page garbled, and which language is a document in.

Pure standard library, so that the extraction subprocess can use it without Django.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# A page is garbled when more than this share of its visible characters are replacement, private-use, control
# or unassigned characters, or when letters keep jumping between unrelated scripts (mojibake from a wrong font
# map).
GARBLED_SHARE = 0.05
# Below GARBLED_SHARE but above this, or when a page is mostly punctuation, another extractor is asked too and
# the better text kept.
SUSPICIOUS_SHARE = 0.01
PUNCTUATION_HEAVY = 0.45

# (first code point, last code point, script group). Groups only need to tell scripts apart; CJK ideographs,
# kana and CJK punctuation are one group because Japanese mixes them within a word.
_SCRIPT_RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x0041, 0x024F, "latin"),
        (0x1E00, 0x1EFF, "latin"),
        (0x2C60, 0x2C7F, "latin"),
        (0xA720, 0xA7FF, "latin"),
        (0xFF21, 0xFF5A, "latin"),
        (0x0370, 0x03FF, "greek"),
        (0x1F00, 0x1FFF, "greek"),
        (0x0400, 0x052F, "cyrillic"),
        (0x0530, 0x058F, "armenian"),
        (0x0590, 0x05FF, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x08A0, 0x08FF, "arabic"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFF, "arabic"),
        (0x0700, 0x074F, "syriac"),
        (0x0780, 0x07BF, "thaana"),
        (0x0900, 0x097F, "devanagari"),
        (0x0980, 0x09FF, "bengali"),
        (0x0A00, 0x0A7F, "gurmukhi"),
        (0x0A80, 0x0AFF, "gujarati"),
        (0x0B00, 0x0B7F, "oriya"),
        (0x0B80, 0x0BFF, "tamil"),
        (0x0C00, 0x0C7F, "telugu"),
        (0x0C80, 0x0CFF, "kannada"),
        (0x0D00, 0x0D7F, "malayalam"),
        (0x0D80, 0x0DFF, "sinhala"),
        (0x0E00, 0x0E7F, "thai"),
        (0x0E80, 0x0EFF, "lao"),
        (0x0F00, 0x0FFF, "tibetan"),
        (0x1000, 0x109F, "myanmar"),
        (0xA9E0, 0xA9FF, "myanmar"),
        (0xAA60, 0xAA7F, "myanmar"),
        (0x10A0, 0x10FF, "georgian"),
        (0x1100, 0x11FF, "hangul"),
        (0x3130, 0x318F, "hangul"),
        (0xAC00, 0xD7AF, "hangul"),
        (0x1200, 0x139F, "ethiopic"),
        (0x1780, 0x17FF, "khmer"),
        (0x19E0, 0x19FF, "khmer"),
        (0x2E80, 0x2FDF, "cjk"),
        (0x3000, 0x303F, "cjk"),
        (0x3040, 0x309F, "hiragana"),
        (0x30A0, 0x30FF, "katakana"),
        (0x31F0, 0x31FF, "katakana"),
        (0x3400, 0x4DBF, "cjk"),
        (0x4E00, 0x9FFF, "cjk"),
        (0xF900, 0xFAFF, "cjk"),
        (0xFF66, 0xFF9F, "katakana"),
        (0x20000, 0x3FFFF, "cjk"),
    ]
)
_STARTS = [r[0] for r in _SCRIPT_RANGES]
# Scripts that legitimately sit next to each other inside one word.
_FRIENDS = {"cjk", "hiragana", "katakana"}

# Radicals are never running text; a font map that produces them is wrong (pypdf on Chromium's CJK PDFs).
_RADICALS = (0x2E80, 0x2EFF)
_CJK_EXT_A = (0x3400, 0x4DBF)

# Presentation forms that NFKC maps to the ordinary character: ligatures (ﬁ), Kangxi radicals, vertical and
# half/full-width forms. Everything else is left as the PDF gave it.
_COMPAT_RE = re.compile("[\u2f00-\u2fdf\ufb00-\ufb4f\ufe10-\ufe1f\ufe30-\ufe4f]")
_BIDI_CONTROLS_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def script_of(char: str) -> str | None:
    cp = ord(char)
    i = bisect.bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _SCRIPT_RANGES[i][1]:
        return _SCRIPT_RANGES[i][2]
    return None


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Control characters are what a font map gave for a glyph it could not name; a space reads better."""
    return _CONTROL_RE.sub(" ", text)


def clean_text(text: str) -> str:
    """Normalise what every extractor returns: line ends, bidi controls, compatibility presentation forms."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BIDI_CONTROLS_RE.sub("", text)
    text = _COMPAT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text.strip()


@dataclass(frozen=True)
class Quality:
    visible: int  # characters that are not whitespace
    letters: int
    bad: int  # replacement, private-use, control, unassigned, radicals
    rare: int  # CJK extension A: legitimate but rare; mojibake often lands there
    punctuation: int
    script_jumps: int  # adjacent letters inside one word from unrelated scripts

    @property
    def badness(self) -> float:
        if not self.visible:
            return 0.0
        return (self.bad + self.script_jumps + self.rare / 2) / self.visible

    @property
    def garbled(self) -> bool:
        return self.visible > 0 and self.badness > GARBLED_SHARE

    @property
    def suspicious(self) -> bool:
        if not self.visible:
            return True
        return self.badness > SUSPICIOUS_SHARE or self.punctuation / self.visible > PUNCTUATION_HEAVY

    @property
    def score(self) -> float:
        """Higher is better: share of visible characters that are letters, less the bad ones."""
        if not self.visible:
            return -1.0
        return (self.letters - 3 * (self.bad + self.script_jumps) - self.rare) / self.visible


def assess(text: str) -> Quality:
    # Count each distinct character once and weigh it by its frequency: a page has thousands of characters but
    # rarely more than a few hundred distinct ones.
    visible = letters = bad = rare = punctuation = 0
    for char, n in Counter(text).items():
        if char.isspace():
            continue
        visible += n
        kind = _kind(char)
        if kind == "nul":
            bad += 2 * n  # a glyph without any mapping at all
        elif kind in ("control", "bad"):
            bad += n
        elif kind == "letter":
            letters += n
        elif kind == "rare":
            letters += n
            rare += n
        elif kind == "punctuation":
            punctuation += n
    jumps = _script_jumps(text) if not text.isascii() else 0
    # A jump between Latin and one other script is normal in mixed text (a Thai word next to "ASEAN"); count
    # only the excess over one jump in ten letters, which mojibake exceeds by far.
    jumps = max(0, jumps - letters // 10)
    return Quality(visible, letters, bad, rare, punctuation, jumps)


@functools.lru_cache(maxsize=8192)
def _kind(char: str) -> str:
    cp = ord(char)
    category = unicodedata.category(char)
    if cp == 0:
        return "nul"
    if category == "Cc":
        return "control"
    if category in ("Co", "Cs", "Cn") or cp == 0xFFFD or _RADICALS[0] <= cp <= _RADICALS[1]:
        return "bad"
    if _CJK_EXT_A[0] <= cp <= _CJK_EXT_A[1]:
        return "rare"
    if category[0] in "LM":  # vowel signs and tone marks of Thai, Khmer, Burmese... are part of words
        return "letter"
    if category[0] in "PS":
        return "punctuation"
    return "other"


_NON_ASCII_WORD_RE = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")
# Characters of a script group other than Latin: a word (or a page) without any has no jumps, since every
# other character is Latin or of no group (most of the words of a French or Vietnamese page).
_NON_LATIN_RE = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi, group in _SCRIPT_RANGES if group != "latin") + "]"
)


def _script_jumps(text: str) -> int:
    """Adjacent letters of one word from unrelated scripts (only words with a non-ASCII letter have any)."""
    if not _NON_LATIN_RE.search(text):
        return 0
    jumps = 0
    for word in _NON_ASCII_WORD_RE.findall(text):
        if not _NON_LATIN_RE.search(word):
            continue
        previous = None
        for char in word:
            script = script_of(char)
            if script is None:
                continue
            if previous and script != previous and not {script, previous} <= _FRIENDS:
                jumps += 1
            previous = script
    return jumps


# --- language ------------------------------------------------------------------------------------------

_SCRIPT_LANGUAGE = {
    "thai": "th",
    "lao": "lo",
    "khmer": "km",
    "myanmar": "my",
    "hangul": "ko",
    "arabic": "ar",
    "cyrillic": "ru",
    "greek": "el",
    "hebrew": "he",
    "devanagari": "hi",
    "bengali": "bn",
    "tamil": "ta",
    "georgian": "ka",
}

_STOPWORDS_TEXT = {
    "en": "the and of to in is that for are with as on be by this it from or was which an",
    "id": "yang dan di dari dengan untuk dalam ini itu tidak akan pada oleh adalah ke juga atau para",
    "de": "der die und das ist nicht mit den von zu ein eine des sich auf für im dem auch",
    "fr": "le la les et des est une pour que dans du en sur pas par qui au avec",
    "es": "el la los las y de que en un una por con para es del se al como",
    "pt": "o a os as e de que em um uma para com não do da dos das por",
    "nl": "de het een en van is dat op te in met voor niet zijn",
    "it": "il la le di che e un una per non con del della sono gli",
    "pl": "i w na z się nie do to że jest o jak po co",
    "cs": "a v se na je že to s z do o pro jako by",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS_TEXT.items()}
# Letters only Vietnamese uses among the Latin-script languages of the region.
_VIETNAMESE = set("ơờớởỡợưừứửữựđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộụủỳỵỷỹ")
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str, sample: int = 50_000) -> str:
    """A script-based guess (ISO 639-1), refined by stop words for Latin script. "" when there is no text."""
    text = text[:sample]
    scripts: Counter[str] = Counter()
    vietnamese = 0
    for char, n in Counter(text).items():  # each distinct character once, weighed by its frequency
        if char.isalpha():
            script = script_of(char)
            if script:
                scripts[script] += n
            if char.lower() in _VIETNAMESE:
                vietnamese += n
    total = sum(scripts.values())
    if not total:
        return ""
    kana = scripts["hiragana"] + scripts["katakana"]
    han = scripts["cjk"] + kana
    # One ideograph carries a word: a document that is a fifth CJK by letters is CJK with some Latin in it.
    if han >= 0.2 * total:
        return "ja" if kana > 0.05 * han else "zh"
    others = [(n, s) for s, n in scripts.items() if s not in ("latin", "cjk", "hiragana", "katakana")]
    if others:
        count, script = max(others)
        if count >= 0.2 * total and script in _SCRIPT_LANGUAGE:
            return _SCRIPT_LANGUAGE[script]
    if vietnamese > 0.03 * scripts["latin"]:
        return "vi"
    return _latin_language(text)


def _latin_language(text: str) -> str:
    words = Counter(map(str.lower, _WORD_RE.findall(text)))
    scores = {lang: sum(words[w] for w in stop if len(w) > 1) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    # Stop words make up a third of running prose; a few hits in a list of names prove nothing.
    return best if scores[best] >= max(3, 0.05 * sum(words.values())) else ""
