"""Word segmentation and accent folding for the region's scripts.

Thai, Lao, Khmer and Burmese are written without spaces between words, Chinese and Japanese without
spaces at all. The database engines' tokenizers (SQLite FTS5 ``unicode61``, PostgreSQL's default parser)
split on spaces and punctuation, so they would see a whole Thai sentence as one "word". ICU's word break
rules (the ones Elasticsearch's ``icu_tokenizer`` uses) find the words; we insert a space between them,
only inside runs of those scripts, the same way when indexing and when querying.

Vietnamese uses spaces, but people often type it without its diacritics: ``fold`` removes combining
marks from Latin letters (and maps đ to d) so that "nguoi" and "người" are the same word to the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from icu4py.breakers import WordBreaker

# Blocks whose text is written without spaces between words.
_UNSPACED_RANGES = (
    ("\u0e00", "\u0e7f"),  # Thai
    ("\u0e80", "\u0eff"),  # Lao
    ("\u1000", "\u109f"),  # Myanmar
    ("\ua9e0", "\ua9ff"),  # Myanmar Extended-B
    ("\uaa60", "\uaa7f"),  # Myanmar Extended-A
    ("\u1780", "\u17ff"),  # Khmer
    ("\u19e0", "\u19ff"),  # Khmer symbols
    ("\u3040", "\u30ff"),  # Hiragana, Katakana
    ("\u31f0", "\u31ff"),  # Katakana phonetic extensions
    ("\u3400", "\u4dbf"),  # CJK extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\uff66", "\uff9f"),  # Half-width katakana
    ("\U00020000", "\U0003134f"),  # CJK extensions B-G
)
_UNSPACED_CLASS = "".join(f"{lo}-{hi}" for lo, hi in _UNSPACED_RANGES)
UNSPACED_RUN = re.compile(f"[{_UNSPACED_CLASS}]+")

# ICU picks its dictionaries by script, not by locale; "root" keeps the rules neutral.
_ICU_LOCALE = "root"

# Letters without a decomposition that Vietnamese (and a few neighbours) still expect to fold.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"})
_EXTRA_FOLD_CHARS = re.compile("[đĐðÐłŁøØ]")  # str.translate costs more than looking for them first
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_unspaced_script(text: str) -> bool:
    return UNSPACED_RUN.search(text) is not None


@lru_cache(maxsize=4096)
def _break_run(run: str) -> tuple[str, ...]:
    return tuple(word for word in WordBreaker(run, _ICU_LOCALE) if not word.isspace())


def words_of_run(run: str) -> tuple[str, ...]:
    """The words ICU finds in a run of unspaced script (cached: queries repeat)."""
    if len(run) > 256:
        return tuple(word for word in WordBreaker(run, _ICU_LOCALE) if not word.isspace())
    return _break_run(run)


def segment(text: str) -> str:
    """Insert spaces between words inside runs of Thai, Lao, Khmer, Burmese, Chinese and Japanese.

    Text in other scripts is returned unchanged, so the function is safe on any text and
    ``segment(segment(text))`` gives the same words.
    """
    if not text or not has_unspaced_script(text):
        return text
    return UNSPACED_RUN.sub(lambda match: " ".join(words_of_run(match.group())), text)


def _is_latin_base(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


@lru_cache(maxsize=2)
def _combining_marks(astral: bool) -> re.Pattern:
    """Runs of combining marks. The class is written as ranges, and without the marks beyond U+FFFF unless
    asked for: with those, the regex engine checks a character against the ranges one by one. (No combining
    mark lies beyond U+1FFFF: the planes above hold ideographs, tags, variation selectors and private use.)"""
    limit = 0x20000 if astral else 0x10000
    ranges: list[list[int]] = []
    for code_point in range(limit):
        if unicodedata.combining(chr(code_point)):
            if ranges and ranges[-1][1] == code_point - 1:
                ranges[-1][1] = code_point
            else:
                ranges.append([code_point, code_point])
    return re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges) + "]+")


def _without_latin_marks(run: re.Match) -> str:
    """A run of combining marks goes when its base letter is Latin (or when there is none before it)."""
    start = run.start()
    return "" if start == 0 or _is_latin_base(run.string[start - 1]) else run.group()


def fold(text: str) -> str:
    """Remove diacritics from Latin letters: "Người" -> "Nguoi", "Đà Nẵng" -> "Da Nang".

    Combining marks of other scripts (Thai vowels, Khmer and Burmese signs) are kept: they are
    part of the letters there, not accents.
    """
    if not text or text.isascii():
        return text
    if _EXTRA_FOLD_CHARS.search(text):
        text = text.translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFD", text)
    marks = _combining_marks(astral=_ASTRAL.search(decomposed) is not None)
    return unicodedata.normalize("NFC", marks.sub(_without_latin_marks, decomposed))


def index_text(text: str) -> str:
    """The form of a text that goes into the search index, and of a query that searches it."""
    return fold(segment(text))


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern:
    """Runs of letters, marks and digits. ``\\w`` alone misses combining marks (Thai vowels)."""
    marks = []
    for code_point in [*range(0x20000), *range(0xE0100, 0xE01F0)]:
        char = chr(code_point)
        if unicodedata.category(char)[0] == "M" and not char.isalnum():
            marks.append(re.escape(char))
    return re.compile(r"(?:[^\W_]|[" + "".join(marks) + "])+")


def iter_tokens(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the words of ``text``, in the original string.

    Words are maximal runs of letters, marks and digits, further split by ICU inside runs of unspaced
    scripts. This mirrors what the engines' tokenizers see after ``index_text``.
    """
    for match in _word_pattern().finditer(text):
        yield from _split_word(text, match.start(), match.end())


def _split_word(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    word = text[start:end]
    if not has_unspaced_script(word):
        yield start, end
        return
    position = start
    for piece in _pieces(word):
        yield position, position + len(piece)
        position += len(piece)


def _pieces(word: str) -> Iterator[str]:
    last = 0
    for match in UNSPACED_RUN.finditer(word):
        if match.start() > last:
            yield word[last : match.start()]
        yield from words_of_run(match.group())
        last = match.end()
    if last < len(word):
        yield word[last:]


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``: segmented, folded and in lower case."""
    return [word for start, end in iter_tokens(text) if (word := fold(text[start:end]).lower())]
