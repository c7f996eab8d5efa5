"""What people type into the search box, parsed into a small query tree.

The syntax is the one people know from search engines: words (all must match), "exact phrases",
``-excluded`` words or phrases, and ``OR`` between two words or phrases. Everything else — unbalanced
quotes, FTS5 / Lucene / tsquery operators, SQL, control characters, emoji, very long input — is read as
plain words: the parser never raises, and every word it keeps is made of letters, marks and digits
only, so no renderer can produce an engine syntax error or an injection.

Words are normalised like the index (``search.segmentation.index_text``): a typed word that ICU splits
into several words (Thai "ลักลอบขน", or "e-mail") becomes a phrase of those words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from modelsearch.query import And, Not, Or, Phrase, PlainText, SearchQuery

from .segmentation import fold, iter_tokens

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 16
MAX_PHRASE_WORDS = 24

_LEXER = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)|"')
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class Words:
    """One typed word, or an "exact phrase": the normalised words it matches, in order."""

    words: tuple[str, ...]
    typed: str
    exact: bool = False

    @property
    def is_phrase(self) -> bool:
        return self.exact or len(self.words) > 1


@dataclass(frozen=True)
class AnyOf:
    """``a OR b``: at least one of the options."""

    options: tuple[Words, ...]


Clause = Words | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    required: tuple[Clause, ...] = ()
    excluded: tuple[Words, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.required

    @property
    def highlight_terms(self) -> tuple[Words, ...]:
        """The positive terms, for marking matches in snippets."""
        terms: list[Words] = []
        for clause in self.required:
            terms.extend(clause.options if isinstance(clause, AnyOf) else (clause,))
        return tuple(terms)

    @property
    def normalised_text(self) -> str:
        """The words to look for, as one plain string (autocomplete, logs)."""
        return " ".join(" ".join(term.words) for term in self.highlight_terms)


def clean(text: object) -> str:
    """Replace control, format and unassigned characters by spaces, and cap the length."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: MAX_QUERY_CHARS * 4]
    text = "".join(" " if unicodedata.category(char) in _UNSAFE_CATEGORIES else char for char in text)
    return " ".join(text.split())


def normalise_words(text: str) -> tuple[str, ...]:
    """The index form of the words in ``text``: segmented, without accents, lower case."""
    words = (fold(text[start:end]).lower() for start, end in iter_tokens(text))
    return tuple(word for word in words if word)  # a lone accent folds to nothing


def parse(text: object) -> ParsedQuery:
    """Parse a query string; any input gives a ParsedQuery, never an exception."""
    cleaned = clean(text)
    notices: list[str] = []
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS]
        notices.append(f"Your search was long; only its first {MAX_QUERY_CHARS} characters were used.")
    items = list(_lex(cleaned))
    required, excluded = _combine(items)
    if len(required) + len(excluded) > MAX_CLAUSES:
        notices.append(f"Only the first {MAX_CLAUSES} words of your search were used.")
        required = required[:MAX_CLAUSES]
        excluded = excluded[: max(0, MAX_CLAUSES - len(required))]
    return ParsedQuery(cleaned, tuple(required), tuple(excluded), tuple(notices))


@dataclass
class _Item:
    kind: str  # "words", "or"
    words: Words | None = None
    negated: bool = False


def _lex(text: str):
    for match in _LEXER.finditer(text):
        phrase, word = match.group("phrase"), match.group("word")
        if phrase is not None:
            yield from _words_item(phrase, negated=bool(match.group("neg")), exact=True)
        elif word == "OR":
            yield _Item("or")
        elif word is not None and word != "AND":
            negated = word.startswith("-") and len(word) > 1
            yield from _words_item(word[1:] if negated else word, negated=negated, exact=False)


def _words_item(typed: str, *, negated: bool, exact: bool):
    words = normalise_words(typed)[:MAX_PHRASE_WORDS]
    if words:
        yield _Item("words", Words(words, typed, exact=exact), negated=negated)


def _combine(items: list[_Item]) -> tuple[list[Clause], list[Words]]:
    required: list[Clause] = []
    excluded: list[Words] = []
    # OR joins the positive clauses on either side of it; anywhere else it is dropped.
    pending_or = last_was_positive = False
    for item in items:
        if item.kind == "or":
            pending_or = last_was_positive
            continue
        if item.negated:
            if item.words not in excluded:
                excluded.append(item.words)
        elif pending_or:
            required[-1] = _either(required[-1], item.words)
        elif item.words not in required:
            required.append(item.words)
        pending_or, last_was_positive = False, not item.negated
    return required, excluded


def _either(previous: Clause, words: Words) -> AnyOf:
    options = previous.options if isinstance(previous, AnyOf) else (previous,)
    return AnyOf(options if words in options else (*options, words))


# Renderers -------------------------------------------------------------------------------------------


def to_search_query(parsed: ParsedQuery) -> SearchQuery | None:
    """The modelsearch query object for a parsed query (None when there is nothing to look for)."""
    if parsed.is_empty:
        return None
    parts: list[SearchQuery] = [_clause_query(clause) for clause in parsed.required]
    parts.extend(Not(_words_query(words)) for words in parsed.excluded)
    return parts[0] if len(parts) == 1 else And(parts)


def _clause_query(clause: Clause) -> SearchQuery:
    if isinstance(clause, AnyOf):
        return Or([_words_query(option) for option in clause.options])
    return _words_query(clause)


def _words_query(words: Words) -> SearchQuery:
    if words.is_phrase:
        return Phrase(" ".join(words.words))
    return PlainText(words.words[0])


def to_fts5(parsed: ParsedQuery) -> str:
    """A raw SQLite FTS5 MATCH expression for the same query (benchmark reference)."""
    if parsed.is_empty:
        return ""
    positive = " AND ".join(_fts5_clause(clause) for clause in parsed.required)
    if not parsed.excluded:
        return positive
    negative = " OR ".join(_fts5_words(words) for words in parsed.excluded)
    return f"({positive}) NOT ({negative})"


def _fts5_clause(clause: Clause) -> str:
    if isinstance(clause, AnyOf):
        return "(" + " OR ".join(_fts5_words(option) for option in clause.options) + ")"
    return _fts5_words(clause)


def _fts5_words(words: Words) -> str:
    return '"' + " ".join(words.words).replace('"', '""') + '"'


def to_tsquery(parsed: ParsedQuery) -> str:
    """A PostgreSQL ``to_tsquery`` string for the same query (benchmark reference)."""
    if parsed.is_empty:
        return ""
    parts = [_tsquery_clause(clause) for clause in parsed.required]
    parts.extend("!" + _tsquery_words(words) for words in parsed.excluded)
    return " & ".join(parts)


def _tsquery_clause(clause: Clause) -> str:
    if isinstance(clause, AnyOf):
        return "(" + " | ".join(_tsquery_words(option) for option in clause.options) + ")"
    return _tsquery_words(clause)


def _tsquery_words(words: Words) -> str:
    quoted = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words.words]
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"
