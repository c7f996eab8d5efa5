"""Snippets: a short, HTML-escaped extract of a text with the words of the query marked.

Matching follows the index: a search for "nguoi" marks "người", a search for "ลักลอบ" marks it inside an
unspaced Thai sentence, and English endings are ignored ("smuggling" marks "smuggled"), roughly as the
engines' stemmers do. Each query term becomes one regular expression (letters match their accented
forms), so a 4,000-character page is scanned in C, not word by word in Python.

Callers pass only text the user may read: this module knows nothing about access.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe
from icu4py.breakers import WordBreaker

from .query import ParsedQuery, Words
from .segmentation import fold, has_unspaced_script

DEFAULT_SNIPPET_CHARS = 240
MAX_MATCHES = 200  # enough to find the densest passage; a page full of "the" need not be marked to the end
_CONTEXT_BEFORE = 60
_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ies", "ied", "es", "ed", "s", "ly")
_WHITESPACE = re.compile(r"\s+")
_COMBINING = "[\u0300-\u036f]*"


def _stem(word: str) -> str:
    if len(word) > 4 and word.isascii() and word.isalpha():
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                return word[: -len(ending)]
    return word


@lru_cache(maxsize=1)
def _latin_variants() -> dict[str, str]:
    """For each plain letter, a character class of the letters that fold to it ("a" -> "[aàáâ…]")."""
    variants: dict[str, set[str]] = {}
    for code_point in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code_point)
        plain = fold(char).lower()
        if len(plain) == 1 and plain.isascii() and plain.isalpha():
            variants.setdefault(plain, set()).update({char, char.lower(), char.upper()})
    return {plain: "[" + "".join(sorted(chars)) + "]" for plain, chars in variants.items()}


def _word_pattern(word: str, *, last: bool, ascii_text: bool = False) -> str:
    if has_unspaced_script(word) or not word.isascii():
        return re.escape(word)
    variants = _latin_variants()
    stem = _stem(word)
    if ascii_text:  # no accents to allow for: a plain pattern is several times faster to scan
        letters = re.escape(stem)
    else:
        letters = "".join(variants.get(char, re.escape(char)) + _COMBINING for char in stem)
    if stem != word or len(word) > 4:
        return letters + r"\w{0,6}"
    return letters + ("(?:e?s)?" if last else "")


def _term_pattern(term: Words, ascii_text: bool) -> str:
    separator = r"[\W_]*" if any(has_unspaced_script(word) for word in term.words) else r"[\W_]+"
    last = len(term.words) - 1
    parts = [_word_pattern(word, last=i == last, ascii_text=ascii_text) for i, word in enumerate(term.words)]
    body = separator.join(parts)
    if has_unspaced_script(term.words[0]):
        return body
    return r"(?<!\w)" + body + r"(?!\w)"


@lru_cache(maxsize=256)
def _compiled(terms: tuple[Words, ...], ascii_text: bool) -> re.Pattern:
    alternatives = "|".join(f"(?P<t{i}>{_term_pattern(term, ascii_text)})" for i, term in enumerate(terms))
    return re.compile(alternatives, re.IGNORECASE)


class Match(NamedTuple):
    start: int  # character offsets in the original text
    end: int
    term: int  # index of the query term that matched


def find_matches(text: str, terms: tuple[Words, ...]) -> list[Match]:
    """Every place in ``text`` where one of ``terms`` (a word or a phrase) occurs."""
    if not text or not terms:
        return []
    matches = []
    for found in _compiled(tuple(terms), text.isascii()).finditer(text):
        matches.append(Match(found.start(), found.end(), int(found.lastgroup[1:])))
        if len(matches) >= MAX_MATCHES:
            break
    return matches


def term_counter(terms: tuple[Words, ...]) -> Callable[[str], int]:
    """A function counting how many of ``terms`` occur in a text: for many short texts (titles to rank),
    with the pattern compiled once."""
    patterns = {ascii_text: _compiled(tuple(terms), ascii_text) for ascii_text in (True, False)} if terms else {}

    def count(text: str) -> int:
        if not text or not patterns:
            return 0
        return len({found.lastgroup for found in patterns[text.isascii()].finditer(text)})

    return count


def highlight(text: str, query: ParsedQuery, max_chars: int | None = DEFAULT_SNIPPET_CHARS) -> SafeString:
    """An escaped extract of ``text`` around the best cluster of matches, matches in <mark>.

    With ``max_chars=None`` the whole text is returned (titles). Without matches, the start of the text.
    """
    text = text or ""
    matches = find_matches(text, query.highlight_terms)
    if max_chars is None or len(text) <= max_chars:
        start, end = 0, len(text)
    else:
        start, end = _window(text, matches, max_chars)
    return _render(text, start, end, [m for m in matches if m.start >= start and m.end <= end])


def _window(text: str, matches: list[Match], max_chars: int) -> tuple[int, int]:
    if not matches:
        return 0, _word_end(text, max_chars)
    context = min(_CONTEXT_BEFORE, max_chars // 4)
    best = _densest(matches, max_chars - context, len({m.term for m in matches}))
    start = min(_word_start(text, max(0, best.start - context)), best.start)
    return start, max(_word_end(text, start + max_chars), best.end)


def _densest(matches: list[Match], width: int, wanted: int) -> Match:
    """The match that starts the window holding the most distinct terms (first one on ties), in O(n)."""
    counts: dict[int, int] = {}
    best, best_terms, end = matches[0], 0, 0
    for first, match in enumerate(matches):
        while end < len(matches) and matches[end].end <= match.start + width:
            counts[matches[end].term] = counts.get(matches[end].term, 0) + 1
            end += 1
        if len(counts) > best_terms:
            best, best_terms = match, len(counts)
            if best_terms == wanted:
                break
        if end > first:
            counts[match.term] -= 1
            if not counts[match.term]:
                del counts[match.term]
        else:
            end = first + 1
    return best


def _boundaries(text: str, around: int) -> list[int]:
    """Word boundaries (ICU, any script) in a small slice of ``text`` around a position."""
    low = max(0, around - 40)
    chunk = text[low : around + 40]
    positions, offset = [low], low
    for piece in WordBreaker(chunk, "root"):
        offset += len(piece)
        positions.append(offset)
    return positions


def _word_start(text: str, position: int) -> int:
    """The first word boundary at or after ``position``, so a snippet never starts mid-word."""
    if position <= 0:
        return 0
    return next((b for b in _boundaries(text, position) if b >= position), position)


def _word_end(text: str, position: int) -> int:
    """The last word boundary at or before ``position``."""
    if position >= len(text):
        return len(text)
    return max((b for b in _boundaries(text, position) if b <= position), default=position)


def _render(text: str, start: int, end: int, matches: list[Match]) -> SafeString:
    pieces = ["…"] if start > 0 else []
    cursor = start
    for match in matches:
        if match.start < cursor:
            continue
        pieces.append(_plain(text[cursor : match.start]))
        pieces.append(f"<mark>{_plain(text[match.start : match.end])}</mark>")
        cursor = match.end
    pieces.append(_plain(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces).strip())  # noqa: S308 - every piece of text was escaped above


def _plain(text: str) -> str:
    return escape(_WHITESPACE.sub(" ", text))
