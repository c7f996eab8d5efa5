"""RIS in and out, through rispy; Web of Science tagged exports too.

The file is cut into records here (so each one has its line number and one bad record cannot spoil
the others); rispy reads each record. Lines outside records (export headers, numbering) are ignored.
"""

from __future__ import annotations

import re

import rispy

from .bibtex import normalise_pages, split_keywords
from .dates import parse_year_and_date
from .encoding import UnreadableFile, decode_bytes
from .records import (
    ORGANISATION,
    BibRecord,
    Creator,
    ParseResult,
    RecordFailure,
    language_code,
    normalise_doi,
    squash,
)

TYPE_FROM_RIS = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article", "JFULL": "article",
    "INPR": "article", "ABST": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "ENCYC": "book", "DICT": "book",
    "CHAP": "chapter", "ECHAP": "chapter",
    "RPRT": "report", "GOVDOC": "report",
    "THES": "thesis",
    "CONF": "conference_paper", "CPAPER": "conference_paper",
    "ELEC": "web_page", "BLOG": "web_page", "ICOMM": "web_page", "WEB": "web_page",
    "LEGAL": "legal_document", "STAT": "legal_document", "BILL": "legal_document",
    "CASE": "legal_document", "HEAR": "legal_document",
    "UNPB": "grey_literature", "PAMP": "grey_literature", "MANSCPT": "grey_literature",
    "STAND": "grey_literature",
    "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset",
}  # fmt: skip

TYPE_TO_RIS = {
    "article": "JOUR", "book": "BOOK", "chapter": "CHAP", "report": "RPRT", "thesis": "THES",
    "conference_paper": "CPAPER", "web_page": "ELEC", "legal_document": "LEGAL",
    "grey_literature": "UNPB", "dataset": "DATA", "other": "GEN",
}  # fmt: skip

# Zotero and others sometimes write the type's name instead of its code.
TYPE_WORDS = [("journal", "article"), ("article", "article"), ("chapter", "chapter"),
              ("section", "chapter"), ("book", "book"), ("report", "report"), ("thesis", "thesis"),
              ("conference", "conference_paper"), ("web", "web_page"), ("statute", "legal_document"),
              ("bill", "legal_document"), ("case", "legal_document"), ("data", "dataset")]  # fmt: skip

WOS_TYPES = {"J": "article", "B": "book", "S": "book", "P": "other"}
WOS_DOCUMENT_TYPES = [("proceedings paper", "conference_paper"), ("book chapter", "chapter"),
                      ("article", "article"), ("review", "article")]  # fmt: skip

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_WOS_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: |$)")
_ISBN = re.compile(r"^(97[89])?[\d\- ]{9,16}[\dXx]$")


def parse_ris(data: bytes | str) -> ParseResult:
    """Read a RIS (or Web of Science) file into records and per-record failures; never raises."""
    try:
        decoded = decode_bytes(data) if isinstance(data, bytes) else None
    except UnreadableFile as exc:
        return ParseResult(format="ris", error=str(exc))
    text = (decoded.text if decoded else data).lstrip("\ufeff")
    encoding = decoded.encoding if decoded else "unicode"
    lines = text.splitlines()
    if _is_web_of_science(lines):
        result = ParseResult(format="wos", encoding=encoding)
        _read_chunks(_split(lines, _WOS_TAG, "PT", "ER", result), rispy.WokParser, _wos_record, result)
    else:
        result = ParseResult(format="ris", encoding=encoding)
        _read_chunks(_split(lines, _RIS_TAG, "TY", "ER", result), rispy.RisParser, _ris_record, result)
    if not result.records and not result.failures:
        result.error = "No RIS records found: the file has no 'TY  - ' line starting a record."
    return result


def _is_web_of_science(lines: list[str]) -> bool:
    for line in lines[:50]:
        if _RIS_TAG.match(line):
            return False
        if line.startswith(("FN ", "PT ")):
            return True
    return False


def _split(lines: list[str], tag: re.Pattern, start: str, end: str, result: ParseResult):
    """Yield (first line number, record lines); report records that never end."""
    current, first, outside = None, 0, 0
    for number, line in enumerate(lines, start=1):
        match = tag.match(line)
        name = match.group(1) if match else None
        if name == start:
            if current is not None:
                result.failures.append(_unterminated(first, end, f"a new record starts on line {number}"))
            current, first = [line], number
        elif current is None:
            outside += bool(line.strip())
        else:
            current.append(line)
            if name == end:
                yield first, current
                current = None
    if current is not None:
        result.failures.append(_unterminated(first, end, "the file ends first (is it truncated?)"))
    if outside:
        result.warnings.append(f"{outside} line(s) outside records were ignored")


def _unterminated(line: int, end: str, why: str) -> RecordFailure:
    return RecordFailure(line, f"record has no end tag ({end}): {why}")


def _read_chunks(chunks, parser, to_record, result: ParseResult) -> None:
    for first, chunk in chunks:
        raw = "\n".join(chunk)
        try:
            parsed = rispy.loads(raw, implementation=parser)
            result.records.append(to_record(parsed[0], raw, first))
        except Exception as exc:  # noqa: BLE001 - one odd record must not stop the file
            result.failures.append(RecordFailure(first, f"could not be read: {exc}", raw=raw))


def _text(value) -> str:
    if isinstance(value, list):
        return squash(" ".join(str(v) for v in value))
    return squash(str(value or ""))


def _first(entry: dict, *names: str) -> str:
    for name in names:
        if value := _text(entry.get(name)):
            return value
    return ""


def _list(entry: dict, *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        value = entry.get(name) or []
        out += value if isinstance(value, list) else [value]
    return [squash(str(v)) for v in out if squash(str(v))]


def _people(names: list[str], role: str) -> list[Creator]:
    people = []
    for name in names:
        parts = [p.strip() for p in name.split(",")]
        if len(parts) > 1 and parts[1]:
            # RIS writes 'Last, First, Suffix'; we keep the suffix with the family name.
            family = ", ".join([parts[0], *parts[2:]])
            people.append(Creator(family=family, given=parts[1], role=role))
        else:
            kind = ORGANISATION if " " in name.strip() else "person"
            people.append(Creator(family=name.strip(), kind=kind, role=role))
    return people


def _ris_type(code: str) -> str:
    code = squash(code)
    if code.upper() in TYPE_FROM_RIS:
        return TYPE_FROM_RIS[code.upper()]
    lowered = code.casefold()
    return next((ours for word, ours in TYPE_WORDS if word in lowered), "other")


def _unknown(entry: dict, tag: str) -> str:
    return _text((entry.get("unknown_tag") or {}).get(tag))


def _ris_record(entry: dict, raw: str, line: int) -> BibRecord:
    entry_type = _ris_type(entry.get("type_of_reference", ""))
    year, date = parse_year_and_date(
        _first(entry, "date") if "/" in _first(entry, "date") or "-" in _first(entry, "date") else "",
        _first(entry, "year", "publication_year", "date"),
    )
    if not date:
        year, date = parse_year_and_date(_first(entry, "year", "publication_year"))
    title = _first(entry, "title", "primary_title", "short_title")
    translated = _first(entry, "translated_title")
    identifier = _first(entry, "issn")
    is_isbn = entry_type in ("book", "chapter") or bool(_ISBN.match(identifier.replace("-", "")))
    return BibRecord(
        entry_type=entry_type,
        citation_key=_first(entry, "id", "label"),
        title=translated or title,
        original_title=title if translated else "",
        creators=_people(_list(entry, "authors", "first_authors"), "author")
        + _people(_list(entry, "secondary_authors", "editor") + _list_unknown(entry, "ED"), "editor"),
        year=year,
        date=date,
        container_title=_first(
            entry,
            "secondary_title",
            "journal_name",
            "alternate_title3",
            "alternate_title1",
            "alternate_title2",
        )
        or _unknown(entry, "BT"),
        publisher=_first(entry, "publisher"),
        place=_first(entry, "place_published"),
        series=_first(entry, "tertiary_title"),
        institution=_unknown(entry, "IN"),
        edition=_first(entry, "edition"),
        volume=_first(entry, "volume"),
        issue=_first(entry, "number"),
        pages=_pages(_first(entry, "start_page"), _first(entry, "end_page")),
        doi=normalise_doi(_first(entry, "doi")) or _first(entry, "doi"),
        isbn=identifier if is_isbn else "",
        issn="" if is_isbn else identifier,
        url=(_list(entry, "urls") or [""])[0],
        language=language_code(_first(entry, "language")),
        abstract=_first(entry, "abstract", "notes_abstract"),
        keywords=_dedupe(_list(entry, "keywords")),
        note=" ".join(_list(entry, "notes")),
        source_format="ris",
        source_type=_text(entry.get("type_of_reference")),
        raw=raw,
        fields=_jsonable(entry),
        line=line,
        warnings=[] if (translated or title) else ["no title"],
    )


def _list_unknown(entry: dict, tag: str) -> list[str]:
    return list((entry.get("unknown_tag") or {}).get(tag, []))


def _pages(start: str, end: str) -> str:
    if start and end and end != start:
        return f"{start}\u2013{end}"
    return normalise_pages(start)


def _dedupe(words: list[str]) -> list[str]:
    return split_keywords(";".join(words))


def _jsonable(entry: dict) -> dict:
    out = {}
    for key, value in entry.items():
        if isinstance(value, dict):
            value = {k: list(v) for k, v in value.items()}
        out[key] = value
    return out


def _wos_type(entry: dict) -> str:
    document_type = _first(entry, "document_type").casefold()
    for word, ours in WOS_DOCUMENT_TYPES:
        if word in document_type:
            return ours
    return WOS_TYPES.get(_first(entry, "publication_type"), "other")


def _wos_record(entry: dict, raw: str, line: int) -> BibRecord:
    year, date = parse_year_and_date("", _first(entry, "publication_year"), _first(entry, "publication_date")[:3])
    names = _list(entry, "author_full_name") or _list(entry, "authors")
    return BibRecord(
        entry_type=_wos_type(entry),
        citation_key=_first(entry, "accession_number"),
        title=_first(entry, "document_title"),
        creators=_people(names, "author") + _people(_list(entry, "group_authors"), "author"),
        year=year,
        date=date,
        container_title=_first(entry, "publication_name"),
        publisher=_first(entry, "publisher"),
        place=_first(entry, "publisher_city"),
        series=_first(entry, "book_series_title"),
        volume=_first(entry, "volume"),
        issue=_first(entry, "issue"),
        pages=_pages(_first(entry, "beginning_page"), _first(entry, "ending_page")) or _first(entry, "article_number"),
        doi=normalise_doi(_first(entry, "doi")),
        isbn=_first(entry, "isbn"),
        issn=_first(entry, "issn", "eissn"),
        language=language_code(_first(entry, "language")),
        abstract=_first(entry, "abstract"),
        keywords=split_keywords(";".join([_first(entry, "author_keywords"), _first(entry, "keywords_plus")])),
        source_format="wos",
        source_type=_first(entry, "publication_type"),
        raw=raw,
        fields=_jsonable(entry),
        line=line,
    )


# ---- writing ---------------------------------------------------------------------------------


def record_to_ris(record: BibRecord) -> dict:
    """The rispy dict for a record (rispy's key names)."""
    start, _, end = record.pages.partition("\u2013")
    people = [_ris_name(c) for c in record.creators if c.role == "author"]
    editors = [_ris_name(c) for c in record.creators if c.role == "editor"]
    entry = {
        "type_of_reference": TYPE_TO_RIS.get(record.entry_type, "GEN"),
        "id": record.citation_key,
        "authors": people,
        "secondary_authors": editors,
        "title": record.original_title or record.title,
        "translated_title": record.title if record.original_title else "",
        "secondary_title": record.container_title,
        "year": str(record.year or ""),
        "date": record.date.replace("-", "/") if len(record.date) > 4 else "",
        "volume": record.volume,
        "number": record.issue,
        "start_page": start,
        "end_page": end,
        # RIS has no institution tag; Zotero writes a report's institution as its publisher.
        "publisher": record.publisher or record.institution,
        "place_published": record.place,
        "tertiary_title": record.series,
        "edition": record.edition,
        "issn": record.isbn or record.issn,
        "doi": record.doi,
        "urls": [record.url] if record.url else [],
        "language": record.language,
        "abstract": record.abstract,
        "keywords": record.keywords,
        "notes": [record.note] if record.note else [],
    }
    return {key: value for key, value in entry.items() if value}


def _ris_name(creator: Creator) -> str:
    if creator.is_organisation or not creator.given:
        return creator.family
    family, _, suffix = creator.family.partition(", ")
    return ", ".join(part for part in (family, creator.given, suffix) if part)


def write_ris(records: list[BibRecord]) -> str:
    """A RIS file of the records (UTF-8), as Zotero, EndNote and Mendeley read it."""
    return rispy.dumps([record_to_ris(r) for r in records])
