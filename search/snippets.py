"""Snippets: a short, HTML-escaped extract of a text with the words of the query marked.

Matching works on the same words the index sees (segmented, folded, lower case), so a search for
"nguoi" marks "người" and a search for "ลักลอบ" marks it inside an unspaced Thai sentence. English
endings are ignored when comparing ("smuggling" marks "smuggled"), roughly as the engines' stemmers do.

Callers pass only text the user may read: this module knows nothing about access.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import ParsedQuery, Words
from .segmentation import fold, iter_tokens

DEFAULT_SNIPPET_CHARS = 240
_CONTEXT_BEFORE = 60
_ENDINGS = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ies", "ied", "es", "ed", "s", "ly")
_WHITESPACE = re.compile(r"\s+")


def _stem(word: str) -> str:
    if len(word) > 4 and word.isascii() and word.isalpha():
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class Match:
    start: int  # character offsets in the original text
    end: int
    term: int  # index of the query term that matched


Spans = list[tuple[int, int]]


def find_matches(text: str, terms: tuple[Words, ...], spans: Spans | None = None) -> list[Match]:
    """Every place in ``text`` where one of ``terms`` (a word or a phrase) occurs."""
    if not text or not terms:
        return []
    spans = list(iter_tokens(text)) if spans is None else spans
    stems = [_stem(fold(text[start:end]).lower()) for start, end in spans]
    wanted = [tuple(_stem(word) for word in term.words) for term in terms]
    firsts = {words[0] for words in wanted}
    matches = []
    for index, stem in enumerate(stems):
        if stem not in firsts:
            continue
        for term_number, words in enumerate(wanted):
            if tuple(stems[index : index + len(words)]) == words:
                last = index + len(words) - 1
                matches.append(Match(spans[index][0], spans[last][1], term_number))
                break
    return matches


def highlight(text: str, query: ParsedQuery, max_chars: int | None = DEFAULT_SNIPPET_CHARS) -> SafeString:
    """An escaped extract of ``text`` around the best cluster of matches, matches in <mark>.

    With ``max_chars=None`` the whole text is returned (titles). Without matches, the start of the text.
    """
    text = text or ""
    spans = list(iter_tokens(text))
    matches = find_matches(text, query.highlight_terms, spans)
    if max_chars is None or len(text) <= max_chars:
        start, end = 0, len(text)
    else:
        start, end = _window(spans, matches, max_chars)
    return _render(text, start, end, [m for m in matches if m.start >= start and m.end <= end])


def _window(spans: list[tuple[int, int]], matches: list[Match], max_chars: int) -> tuple[int, int]:
    if not matches:
        return 0, _snap_end(spans, max_chars)
    context = min(_CONTEXT_BEFORE, max_chars // 4)
    best = max(range(len(matches)), key=lambda i: (_terms_within(matches, i, max_chars - context), -i))
    start = _snap_start(spans, max(0, matches[best].start - context))
    return start, _snap_end(spans, start + max_chars)


def _terms_within(matches: list[Match], first: int, width: int) -> int:
    limit = matches[first].start + width
    return len({m.term for m in matches[first:] if m.end <= limit})


def _snap_start(spans: list[tuple[int, int]], position: int) -> int:
    """The start of the first word at or after ``position``, so a snippet never starts mid-word."""
    starts = [start for start, _ in spans]
    index = bisect_left(starts, position)
    return starts[index] if index < len(starts) else position


def _snap_end(spans: list[tuple[int, int]], position: int) -> int:
    """The end of the last word that fits before ``position``."""
    ends = [end for _, end in spans]
    index = bisect_right(ends, position)
    return ends[index - 1] if index > 0 else position


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
    return str(escape(_WHITESPACE.sub(" ", text)))
