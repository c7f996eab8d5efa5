"""BibTeX in and out, through bibtexparser 2.

Reading applies bibtexparser's middlewares (``@string`` macros and ``#`` concatenation, enclosing
braces removed, field keys lower-cased), then ours: ``@preamble`` macro definitions substituted,
LaTeX decoded to Unicode, ``crossref``/``xdata`` inherited. Every block that fails is reported with
its line; every good entry is still read.
"""

from __future__ import annotations

import re
from functools import lru_cache

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)

from .dates import parse_year_and_date
from .encoding import UnreadableFile, decode_bytes
from .latex import FastLatexDecodingMiddleware, latex_to_text
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

NAME_FIELDS = ("author", "editor")
SKIPPED_TYPES = {"set": "a biblatex @set only groups other entries, which are imported one by one",
                 "xdata": "a biblatex @xdata block only holds fields for other entries"}  # fmt: skip

TYPE_FROM_BIBTEX = {
    "article": "article", "magazine": "article", "newspaper": "article", "periodical": "article",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book",
    "proceedings": "book", "mvproceedings": "book", "reference": "book",
    "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "suppcollection": "chapter", "inreference": "chapter",
    "inproceedings": "conference_paper", "conference": "conference_paper",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report",
    "booklet": "grey_literature", "unpublished": "grey_literature", "manual": "grey_literature",
    "online": "web_page", "www": "web_page", "web": "web_page", "electronic": "web_page",
    "webpage": "web_page",
    "legislation": "legal_document", "legal": "legal_document", "jurisdiction": "legal_document",
    "law": "legal_document", "dataset": "dataset",
}  # fmt: skip

TYPE_TO_BIBTEX = {
    "article": "article", "book": "book", "chapter": "incollection", "thesis": "phdthesis",
    "conference_paper": "inproceedings", "report": "techreport", "grey_literature": "booklet",
    "web_page": "online", "legal_document": "legislation", "dataset": "dataset", "other": "misc",
}  # fmt: skip

_NEWCOMMAND = re.compile(r"\\(?:newcommand|renewcommand|providecommand)\s*\{?\\(\w+)\}?\s*\{(.*)\}")
_DEF = re.compile(r"\\def\s*\\(\w+)\s*\{(.*)\}")
_URL_MACRO = re.compile(r"\\url\{([^}]*)\}")


def parse_bibtex(data: bytes | str) -> ParseResult:
    """Read a BibTeX file into records and per-record failures. Never raises on bad input."""
    try:
        decoded = decode_bytes(data) if isinstance(data, bytes) else None
    except UnreadableFile as exc:
        return ParseResult(format="bibtex", error=str(exc))
    text = decoded.text if decoded else data.lstrip("\ufeff")
    result = ParseResult(format="bibtex", encoding=decoded.encoding if decoded else "unicode")
    library = bibtexparser.parse_string(text, parse_stack=_parse_stack())
    for block in library.blocks:
        _collect(block, result)
    if not result.records and not result.failures and "@" not in text:
        result.error = "No BibTeX entries found: the file has no '@type{key, ...}' blocks."
    return result


def _parse_stack() -> list:
    return [
        UnwrapDuplicateKeysMiddleware(),
        StringMacrosMiddleware(),
        mw.RemoveEnclosingMiddleware(True),
        mw.NormalizeFieldKeys(True),
        PreambleMacrosMiddleware(),
        FastLatexDecodingMiddleware(),
        ResolveCrossrefMiddleware(),
    ]


class UnwrapDuplicateKeysMiddleware(mw.LibraryMiddleware):
    """Turn duplicate-key blocks back into entries so later middlewares process them too.

    Reference managers export entries without keys or with clashing ones (Mendeley does both);
    they are separate works unless their content says otherwise, which the importer decides.
    """

    def transform(self, library: Library) -> Library:
        blocks = []
        for n, block in enumerate(library.blocks):
            if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
                entry = block.ignore_error_block
                entry.set_parser_metadata("original_key", entry.key)
                entry.set_parser_metadata("duplicate_of_line", block.previous_block.start_line)
                entry.key = f"{entry.key}\u0000{n}"
                block = entry
            blocks.append(block)
        return Library(blocks)


class StringMacrosMiddleware(mw.LibraryMiddleware):
    """Resolve ``@string`` macros and ``#`` concatenation, case-insensitively, macros of macros too.

    bibtexparser's own ResolveStringReferencesMiddleware only replaces a value that is a single
    macro name; real files concatenate (``"John " # lastname``).
    """

    def transform(self, library: Library) -> Library:
        macros: dict[str, str] = {}
        for string in library.strings:
            macros[string.key.casefold()] = _concatenate(string.value, macros)
        for entry in library.entries:
            for fld in entry.fields:
                if isinstance(fld.value, str) and not _is_enclosed(fld.value):
                    fld.value = "{" + _concatenate(fld.value, macros) + "}"
        return library


def _is_enclosed(value: str) -> bool:
    value = value.strip()
    if len(value) < 2 or value[0] + value[-1] not in ("{}", '""'):
        return False
    return "#" not in value or len(_split_concatenation(value)) == 1


def _split_concatenation(value: str) -> list[str]:
    """Split on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts]


def _concatenate(value: str, macros: dict[str, str]) -> str:
    out = []
    for part in _split_concatenation(value):
        if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
            out.append(part[1:-1])
        else:
            out.append(macros.get(part.casefold(), part))
    return "".join(out)


class PreambleMacrosMiddleware(mw.LibraryMiddleware):
    r"""Substitute macros an ``@preamble`` defines (``\newcommand{\mnras}{Monthly Notices…}``)."""

    def transform(self, library: Library) -> Library:
        macros = {}
        for preamble in library.preambles:
            for pattern in (_NEWCOMMAND, _DEF):
                macros.update(dict(pattern.findall(preamble.value)))
        if macros:
            command = re.compile(r"\\(" + "|".join(map(re.escape, macros)) + r")(?![A-Za-z])")
            for entry in library.entries:
                for fld in entry.fields:
                    if isinstance(fld.value, str) and "\\" in fld.value:
                        fld.value = command.sub(lambda m: macros[m.group(1)], fld.value)
        return library


class ResolveCrossrefMiddleware(mw.LibraryMiddleware):
    """Children inherit the fields they lack from their ``crossref`` and ``xdata`` parents."""

    CHILD_OF_BOOK = {"inbook", "incollection", "inproceedings", "bookinbook", "suppbook"}
    NOT_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "label", "sortkey", "keywords"}

    def transform(self, library: Library) -> Library:
        by_key = {e.key.casefold(): e for e in library.entries}
        for entry in library.entries:
            self._resolve(entry, by_key, seen=set())
        return library

    def _resolve(self, entry: Entry, by_key: dict, seen: set) -> None:
        if entry.get_parser_metadata("crossref_done") or entry.key in seen:
            return
        seen.add(entry.key)
        for parent_key in self._parent_keys(entry):
            parent = by_key.get(parent_key.casefold())
            if parent is None:
                entry.set_parser_metadata("crossref_missing", parent_key)
                continue
            self._resolve(parent, by_key, seen)
            self._inherit(entry, parent)
        entry.set_parser_metadata("crossref_done", True)

    @staticmethod
    def _parent_keys(entry: Entry) -> list[str]:
        keys = []
        for name in ("crossref", "xdata"):
            if name in entry:
                keys += [k.strip() for k in str(entry[name]).split(",") if k.strip()]
        return keys

    def _inherit(self, child: Entry, parent: Entry) -> None:
        for fld in parent.fields:
            target = fld.key
            if target == "title":
                if child.entry_type.lower() not in self.CHILD_OF_BOOK:
                    continue
                target = "booktitle"
            if target in self.NOT_INHERITED or target in child:
                continue
            child.set_field(Field(target, fld.value))


def _collect(block, result: ParseResult) -> None:
    if isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        result.failures.append(_failure(block, f"the field(s) {fields} appear more than once"))
    elif isinstance(block, MiddlewareErrorBlock):
        result.failures.append(_failure(block, f"could not be decoded: {block.error}"))
    elif isinstance(block, ParsingFailedBlock):
        result.failures.append(_failure(block, _syntax_reason(block)))
    elif isinstance(block, Entry):
        _collect_entry(block, result)


def _collect_entry(entry: Entry, result: ParseResult) -> None:
    entry_type = entry.entry_type.lower()
    if entry_type in SKIPPED_TYPES:
        key = entry.get_parser_metadata("original_key") or entry.key
        result.skipped.append(RecordFailure(entry.start_line, SKIPPED_TYPES[entry_type], key, entry.raw or ""))
        return
    try:
        result.records.append(entry_to_record(entry))
    except Exception as exc:  # noqa: BLE001 - one odd entry must not stop the file
        result.failures.append(_failure(entry, f"could not be read: {exc}"))


def _failure(block, reason: str) -> RecordFailure:
    key = getattr(block, "key", "") or ""
    return RecordFailure(block.start_line, reason, key, block.raw or "")


def _syntax_reason(block: ParsingFailedBlock) -> str:
    detail = getattr(block.error, "abort_reason", "") or str(block.error) or "unreadable block"
    return f"BibTeX syntax error: {squash(detail)}"


def entry_to_record(entry: Entry) -> BibRecord:
    """Map one decoded bibtexparser entry onto the normalised record."""
    f = {fld.key: squash(str(fld.value)) for fld in entry.fields}
    get = _getter(f)
    year, date = parse_year_and_date(get("date"), get("year"), get("month"), get("day"))
    record = BibRecord(
        entry_type=TYPE_FROM_BIBTEX.get(entry.entry_type.lower(), "other"),
        citation_key=_original_key(entry),
        title=get("title"),
        original_title=get("origtitle"),
        creators=_creators(f.get("author", ""), "author") + _creators(f.get("editor", ""), "editor"),
        year=year,
        date=date,
        container_title=get("journal", "journaltitle", "booktitle", "maintitle"),
        publisher=get("publisher"),
        place=get("address", "location"),
        series=get("series"),
        institution=get("institution", "school", "organization"),
        edition=get("edition"),
        volume=get("volume"),
        issue=get("number", "issue"),
        pages=normalise_pages(get("pages")),
        doi=normalise_doi(get("doi")) or get("doi"),
        isbn=get("isbn"),
        issn=get("issn"),
        url=_url(f),
        language=language_code(get("language", "langid")),
        abstract=get("abstract"),
        keywords=split_keywords(get("keywords")),
        note=get("note"),
        source_format="bibtex",
        source_type=entry.entry_type.lower(),
        raw=entry.raw or "",
        fields=f,
        line=entry.start_line,
    )
    _add_warnings(entry, record)
    return record


def _getter(fields: dict[str, str]):
    def get(*names: str) -> str:
        for name in names:
            value = fields.get(name, "")
            if name not in NAME_FIELDS and value:
                return value
        return ""

    return get


def _url(fields: dict[str, str]) -> str:
    if fields.get("url"):
        return fields["url"].split()[0]
    match = _URL_MACRO.search(fields.get("howpublished", ""))
    return match.group(1) if match else ""


def _original_key(entry: Entry) -> str:
    # A duplicate's key carries a NUL-separated suffix while parsing; an empty original key stays empty, so the
    # importer generates one (and no NUL reaches the database: PostgreSQL refuses it in text).
    original = entry.get_parser_metadata("original_key")
    return entry.key if original is None else original


def _add_warnings(entry: Entry, record: BibRecord) -> None:
    if not record.title:
        record.warnings.append("no title")
    if missing := entry.get_parser_metadata("crossref_missing"):
        record.warnings.append(f"crossref '{missing}' is not in this file")
    if (line := entry.get_parser_metadata("duplicate_of_line")) is not None:
        record.warnings.append(f"citation key '{record.citation_key}' already used on line {line}")


def _creators(value: str, role: str) -> list[Creator]:
    if not value.strip():
        return []
    return [_creator(name, role) for name in split_multiple_persons_names(value)]


def _creator(name: str, role: str) -> Creator:
    return Creator(**_name_parts(name), role=role)


@lru_cache(maxsize=8192)
def _name_parts(name: str) -> dict:
    """One BibTeX name; a name wholly in braces is kept as written (an organisation if it has spaces)."""
    stripped = name.strip()
    if stripped.startswith("{") and stripped.endswith("}") and _balanced(stripped[1:-1]):
        literal = latex_to_text(stripped[1:-1])
        return {"family": literal, "kind": ORGANISATION if " " in literal else "person"}
    try:
        parts = parse_single_name_into_parts(stripped, strict=False)
    except InvalidNameError:
        return {"family": latex_to_text(stripped)}
    family = " ".join(parts.von + parts.last + ([","] if parts.jr else []) + parts.jr)
    return {
        "family": latex_to_text(family.replace(" ,", ",")),
        "given": latex_to_text(" ".join(parts.first)),
    }


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_PAGE_RANGE = re.compile(r"\s*(?:-{1,3}|\u2013|\u2014)\s*")


def normalise_pages(value: str) -> str:
    """'12--34', '12-34' and '12 – 34' all read '12–34' (en dash)."""
    return _PAGE_RANGE.sub("\u2013", value.strip()).strip("\u2013 ") if value else ""


def split_keywords(value: str) -> list[str]:
    separator = ";" if ";" in value else ","
    seen: dict[str, str] = {}
    for word in value.split(separator):
        word = squash(word)
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


# ---- writing ---------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([&%#_$])")


def _escape(value: str) -> str:
    # Decoded values never hold braces (reading removes them), so only these need escaping.
    return _SPECIAL.sub(r"\\\1", value.replace("\\", r"\textbackslash{}"))


def _names(creators: list[Creator]) -> str:
    parts = []
    for c in creators:
        if c.is_organisation or not c.given:
            parts.append("{" + _escape(c.family) + "}")
        else:
            parts.append(f"{_escape(c.family)}, {_escape(c.given)}")
    return " and ".join(parts)


def record_to_entry(record: BibRecord) -> Entry:
    """The BibTeX entry for a record: standard fields only, values escaped for LaTeX."""
    fields = [(name, value) for name, value in _bibtex_fields(record) if value]
    entry_fields = [Field(name, value) for name, value in fields]
    return Entry(_bibtex_type(record), record.citation_key, entry_fields)


def _bibtex_type(record: BibRecord) -> str:
    if record.source_format == "bibtex" and TYPE_FROM_BIBTEX.get(record.source_type) == record.entry_type:
        return record.source_type
    return TYPE_TO_BIBTEX.get(record.entry_type, "misc")


def _container_field(record: BibRecord) -> str:
    return "journal" if record.entry_type == "article" else "booktitle"


def _institution_field(record: BibRecord) -> str:
    return {"report": "institution", "thesis": "school"}.get(record.entry_type, "organization")


def _bibtex_fields(record: BibRecord) -> list[tuple[str, str]]:
    e = _escape
    authors = [c for c in record.creators if c.role == "author"]
    editors = [c for c in record.creators if c.role == "editor"]
    return [
        ("author", _names(authors)),
        ("editor", _names(editors)),
        ("title", e(record.title)),
        ("origtitle", e(record.original_title)),
        (_container_field(record), e(record.container_title)),
        ("year", str(record.year or "")),
        ("date", record.date if len(record.date) > 4 else ""),
        ("volume", e(record.volume)),
        ("number", e(record.issue)),
        ("pages", e(record.pages).replace("\u2013", "--")),
        ("publisher", e(record.publisher)),
        ("address", e(record.place)),
        ("series", e(record.series)),
        (_institution_field(record), e(record.institution)),
        ("edition", e(record.edition)),
        ("doi", record.doi),
        ("isbn", record.isbn),
        ("issn", record.issn),
        ("url", record.url),
        ("language", record.language),
        ("abstract", e(record.abstract)),
        ("keywords", e(", ".join(record.keywords))),
        ("note", e(record.note)),
    ]


def write_bibtex(records: list[BibRecord]) -> str:
    """A UTF-8 BibTeX file of the records, readable by BibTeX, biber, Zotero and JabRef."""
    entries = [record_to_entry(r) for r in records]
    _make_keys_unique(entries)
    library = Library(entries, fail_on_duplicate_key=False)
    return bibtexparser.write_string(library)


def _make_keys_unique(entries: list[Entry]) -> None:
    """A file cannot hold two entries with one key: repeats get a, b, c… as reference managers do."""
    used: set[str] = set()
    for entry in entries:
        base = entry.key or "entry"
        key, n = base, 0
        while key in used:
            key = f"{base}{_suffix(n)}"
            n += 1
        entry.key = key
        used.add(key)


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(97 + rest) + letters
    return letters
