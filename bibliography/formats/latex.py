"""LaTeX to Unicode for field values, with a fast path for the plain text most fields are."""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares import LatexDecodingMiddleware

from .records import squash

_NEEDS_DECODER = re.compile(r"[\\$~%]")
# What only pylatexenc reads right: commands and accents, math, alignment '&', and the ligatures it turns into
# dashes and quotes.
_NEEDS_PYLATEXENC = re.compile(r"\\[^&%$#_]|\\$|(?<!\\)[$&]|--|``|''|!`|\?`")
_ESCAPED_SPECIAL = re.compile(r"\\([&%$#_])")
_BRACES = str.maketrans("", "", "{}")
_decoder = LatexDecodingMiddleware()

# Paths, identifiers and links are not LaTeX: decoding would eat their backslashes and underscores.
VERBATIM_FIELDS = frozenset(
    {"url", "doi", "file", "pdf", "eprint", "isbn", "issn", "urldate", "mendeley-tags", "groups"}
)


def latex_to_text(value: str) -> str:
    """Decode accents and commands (``{\\'e}`` -> é), drop ``{{protecting}}`` braces, squash spaces."""
    if not value:
        return ""
    if not _NEEDS_DECODER.search(value):
        return squash(value.translate(_BRACES))
    if not _NEEDS_PYLATEXENC.search(value):
        # Percent signs in abstracts, ties and escaped specials ("Taylor \\& Francis"): the decoder takes
        # milliseconds for a long abstract and gives the same text.
        return squash(_ESCAPED_SPECIAL.sub(r"\1", value).replace("~", " ").translate(_BRACES))
    return _decode(value)


@lru_cache(maxsize=4096)
def _decode(value: str) -> str:
    # Literal percent signs are escaped first: pylatexenc would read them as comments.
    escaped = re.sub(r"(?<!\\)%", r"\\%", value)
    text, error = _decoder._transform_python_value_string(escaped)
    if error:
        return squash(value.translate(_BRACES))
    return squash(text.translate(_BRACES).replace("\xad", ""))


class FastLatexDecodingMiddleware(LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding middleware, skipping the decoder for plain values.

    The stock middleware sends every value through pylatexenc, which dominates import time on
    large libraries; values without a backslash, dollar, tilde or percent only need braces removed.
    A value the decoder cannot read is kept as it is rather than failing the whole entry.
    """

    @classmethod
    def metadata_key(cls) -> str:
        return "fast_latex_decoding"

    def transform_entry(self, entry, library):
        for field in entry.fields:
            # Names are decoded one by one after splitting: braces there mark organisations.
            if isinstance(field.value, str) and field.key.lower() not in ("author", "editor"):
                decode = squash if field.key.lower() in VERBATIM_FIELDS else latex_to_text
                field.value = decode(field.value)
        return entry

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        return latex_to_text(python_string), ""
