"""Reading and writing bibliographic formats. Pure Python: no Django in this package.

``read_file`` picks the reader from the file name and content; ``EXPORTERS`` maps a format name to
its writer, its media type and its file extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .bibtex import parse_bibtex, write_bibtex
from .csljson import write_csljson
from .records import BibRecord, ParseResult
from .ris import parse_ris, write_ris


@dataclass(frozen=True)
class Exporter:
    name: str
    label: str
    write: Callable[[list[BibRecord]], str]
    content_type: str
    extension: str


EXPORTERS = {
    e.name: e
    for e in (
        Exporter("bibtex", "BibTeX", write_bibtex, "application/x-bibtex; charset=utf-8", "bib"),
        Exporter("ris", "RIS", write_ris, "application/x-research-info-systems; charset=utf-8", "ris"),
        Exporter("csljson", "CSL-JSON", write_csljson, "application/vnd.citationstyles.csl+json", "json"),
    )
}

RIS_SUFFIXES = (".ris", ".txt", ".enw", ".ciw", ".nbib")


def sniff_format(data: bytes, filename: str = "") -> str:
    """'bibtex' or 'ris', from the extension, else from the first meaningful characters."""
    lowered = filename.lower()
    if lowered.endswith((".bib", ".bibtex")):
        return "bibtex"
    if lowered.endswith(RIS_SUFFIXES):
        return "ris"
    head = data[:4096].decode("latin-1")
    at = head.find("@")
    ty = min((i for i in (head.find("TY  -"), head.find("PT J"), head.find("FN ")) if i >= 0), default=-1)
    if ty >= 0 and (at < 0 or ty < at):
        return "ris"
    return "bibtex"


def read_file(data: bytes, filename: str = "") -> ParseResult:
    """Parse an uploaded bibliography file of either format; never raises on bad input."""
    if not data.strip():
        return ParseResult(error="The file is empty.")
    if sniff_format(data, filename) == "ris":
        return parse_ris(data)
    return parse_bibtex(data)
