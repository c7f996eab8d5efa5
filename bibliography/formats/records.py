"""The one normalised record every bibliography format is read into and written from.

Parsers (``bibtex``, ``ris``) produce :class:`BibRecord` objects; exporters and the citation
formatter consume them; the importer turns them into database entries. Nothing here needs Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

ENTRY_TYPES: dict[str, str] = {
    "article": "Journal article",
    "report": "Report",
    "book": "Book",
    "chapter": "Book chapter",
    "thesis": "Thesis",
    "conference_paper": "Conference paper",
    "grey_literature": "Grey literature",
    "web_page": "Web page",
    "legal_document": "Legal document",
    "dataset": "Dataset",
    "other": "Other",
}

PERSON = "person"
ORGANISATION = "organisation"

LANGUAGE_CODES = {
    "english": "en", "eng": "en", "en": "en", "chinese": "zh", "zh": "zh", "chi": "zh", "zho": "zh",
    "thai": "th", "th": "th", "tha": "th", "vietnamese": "vi", "vi": "vi", "vie": "vi",
    "indonesian": "id", "id": "id", "ind": "id", "bahasa indonesia": "id", "khmer": "km", "km": "km",
    "lao": "lo", "lo": "lo", "burmese": "my", "myanmar": "my", "my": "my", "russian": "ru", "ru": "ru",
    "rus": "ru", "french": "fr", "fr": "fr", "fre": "fr", "fra": "fr", "german": "de", "de": "de",
    "ger": "de", "deu": "de", "ngerman": "de", "spanish": "es", "es": "es", "spa": "es",
    "japanese": "ja", "ja": "ja", "jpn": "ja", "korean": "ko", "ko": "ko", "kor": "ko",
    "malay": "ms", "ms": "ms", "tagalog": "tl", "filipino": "tl", "portuguese": "pt", "pt": "pt",
    "italian": "it", "it": "it", "american": "en", "british": "en", "en-us": "en", "en-gb": "en",
}  # fmt: skip


@dataclass
class Creator:
    """An author or editor: a person (family, given) or an organisation (name in ``family``)."""

    family: str = ""
    given: str = ""
    kind: str = PERSON
    role: str = "author"

    @property
    def is_organisation(self) -> bool:
        return self.kind == ORGANISATION

    def display(self) -> str:
        """'Family, Given' for people, the name for organisations."""
        if self.given and not self.is_organisation:
            return f"{self.family}, {self.given}"
        return self.family


@dataclass
class BibRecord:
    """One bibliographic record, whatever format it came from."""

    entry_type: str = "other"
    citation_key: str = ""
    title: str = ""
    original_title: str = ""
    creators: list[Creator] = field(default_factory=list)
    year: int | None = None
    date: str = ""
    container_title: str = ""
    publisher: str = ""
    place: str = ""
    series: str = ""
    institution: str = ""
    edition: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    language: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    note: str = ""
    source_format: str = ""
    source_type: str = ""
    raw: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    line: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def authors(self) -> list[Creator]:
        return [c for c in self.creators if c.role == "author"]

    @property
    def editors(self) -> list[Creator]:
        return [c for c in self.creators if c.role == "editor"]

    @property
    def first_creator(self) -> Creator | None:
        return (self.authors or self.creators or [None])[0]

    def raw_record(self) -> dict:
        """The original record kept whole, with the format it came in (stored as JSON)."""
        return {
            "format": self.source_format,
            "type": self.source_type,
            "line": self.line,
            "text": self.raw,
            "fields": self.fields,
        }

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> BibRecord:
        data = dict(data)
        data["creators"] = [Creator(**c) for c in data.get("creators", [])]
        return cls(**data)


@dataclass
class RecordFailure:
    """A record of the file that could not be read, with where it starts and why."""

    line: int | None
    reason: str
    key: str = ""
    raw: str = ""


@dataclass
class ParseResult:
    """What a parser read from one file: good records, failed records and notes."""

    records: list[BibRecord] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)
    skipped: list[RecordFailure] = field(default_factory=list)
    encoding: str = "utf-8"
    format: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class ReportRow:
    line: int | None
    key: str
    title: str
    reason: str = ""
    entry_id: int | None = None


@dataclass
class ImportReport:
    """The outcome of importing one file: what was created, updated, duplicated, failed, skipped."""

    filename: str = ""
    format: str = ""
    encoding: str = ""
    dry_run: bool = False
    error: str = ""
    created: list[ReportRow] = field(default_factory=list)
    updated: list[ReportRow] = field(default_factory=list)
    duplicates: list[ReportRow] = field(default_factory=list)
    failed: list[ReportRow] = field(default_factory=list)
    skipped: list[ReportRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "duplicates": len(self.duplicates),
            "failed": len(self.failed),
            "skipped": len(self.skipped),
        }

    def summary(self) -> str:
        if self.error:
            return f"{self.filename}: not imported. {self.error}"
        counts = ", ".join(f"{n} {label}" for label, n in self.counts().items())
        prefix = "dry run, nothing written: " if self.dry_run else ""
        return f"{self.filename} ({self.format}, {self.encoding}): {prefix}{counts}"

    def to_dict(self) -> dict:
        return asdict(self)


_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space and strip."""
    return _SPACES.sub(" ", text or "").strip()


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation dropped: for comparing, never for display."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return squash(_NON_WORD.sub(" ", bare.casefold()))


def normalise_doi(value: str) -> str:
    """The bare DOI ('10.x/y') found in a DOI field or URL, or ''."""
    match = _DOI.search(value or "")
    return match.group(0).rstrip(".,;") if match else ""


def language_code(value: str) -> str:
    """ISO 639-1 code for a language name or code when known, else the value lower-cased."""
    cleaned = squash(value).casefold()
    return LANGUAGE_CODES.get(cleaned, cleaned[:20])


def dedupe_key(record: BibRecord) -> str:
    """Two records with the same key are the same work: same DOI, else same title, year and first author."""
    doi = normalise_doi(record.doi)
    if doi:
        return f"doi:{doi.casefold()}"
    first = record.first_creator
    author = fold(first.family) if first else ""
    return f"tya:{fold(record.title)}|{record.year or ''}|{author}"


_KEY_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "and", "for", "to", "la", "le", "les", "der", "die"}


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def make_citation_key(record: BibRecord) -> str:
    """A readable key for a record that has none: author + year + first title word."""
    first = record.first_creator
    author = "".join(_KEY_WORD.findall(ascii_fold(first.family if first else "")))[:20] or "anon"
    words = [w for w in _KEY_WORD.findall(ascii_fold(record.title)) if w.lower() not in _STOP_WORDS]
    return f"{author.lower()}{record.year or ''}{(words[0].lower() if words else '')[:15]}"


def split_duplicates(records: list[BibRecord]) -> tuple[list[BibRecord], list[tuple[BibRecord, BibRecord]]]:
    """The first record of each work, and (duplicate, first) pairs for the repeats in one file."""
    firsts: dict[str, BibRecord] = {}
    unique, repeats = [], []
    for record in records:
        key = dedupe_key(record)
        if key in firsts and _identifiable(record):
            repeats.append((record, firsts[key]))
        else:
            firsts.setdefault(key, record)
            unique.append(record)
    return unique, repeats


def _identifiable(record: BibRecord) -> bool:
    """A record with neither DOI nor title cannot be called a duplicate of anything."""
    return bool(normalise_doi(record.doi) or fold(record.title))
