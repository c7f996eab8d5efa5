"""Import bibliography files into the database and say exactly what happened (an ImportReport).

A record is matched by its citation key (then it is *updated*: bibliographic fields refreshed, the unit's
annotation, subjects and tiers left alone), else by the same work already being catalogued (same DOI,
else same title, year and first author: a *duplicate*, nothing written), else *created* with the
defaults chosen for the import. A dry run does all of it inside a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from portal.access import policy
from portal.access.tiers import Tier
from portal.taxonomy.models import Country, Theme

from .formats import read_file
from .formats.records import (
    BibRecord,
    ImportReport,
    ParseResult,
    ReportRow,
    dedupe_key,
    make_citation_key,
    normalise_doi,
    split_duplicates,
    squash,
)
from .models import BibliographyEntry, BibliographyEntryTag, EntryCreator
from .tasks import index_entries

BIBLIOGRAPHIC_FIELDS = (
    "entry_type", "title", "original_title", "year", "date", "container_title", "publisher", "place",
    "series", "institution", "edition", "volume", "issue", "pages", "doi", "isbn", "issn", "url",
    "language", "abstract", "note",
)  # fmt: skip
UPDATED_FIELDS = [*BIBLIOGRAPHIC_FIELDS, "raw_record", "duplicate_key", "updated_at"]
LIMITS = {f.name: f.max_length for f in BibliographyEntry._meta.fields if getattr(f, "max_length", None)}


@dataclass
class ImportDefaults:
    """What the editor chose for the new entries of this import."""

    record_tier: int = Tier.PUBLIC
    file_tier: int | None = None
    themes: list[Theme] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)


def import_file(
    data: bytes,
    filename: str = "",
    *,
    dry_run: bool = False,
    defaults: ImportDefaults | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read one uploaded file and import it; never raises on bad input."""
    return import_records(read_file(data, filename), filename=filename, dry_run=dry_run,
                          defaults=defaults, progress=progress)  # fmt: skip


def import_records(
    parsed: ParseResult,
    *,
    filename: str = "",
    dry_run: bool = False,
    defaults: ImportDefaults | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    report = ImportReport(filename=filename, format=parsed.format, encoding=parsed.encoding,
                          dry_run=dry_run, error=parsed.error, warnings=list(parsed.warnings))  # fmt: skip
    if parsed.error:
        return report
    report.failed = [ReportRow(f.line, f.key, "", f.reason) for f in parsed.failures]
    report.skipped = [ReportRow(f.line, f.key, "", f.reason) for f in parsed.skipped]
    unique, repeats = split_duplicates(parsed.records)
    report.duplicates = [_repeat_row(r, first) for r, first in repeats]
    with transaction.atomic():
        _Writer(report, defaults or ImportDefaults(), progress).write(unique)
        if progress:
            progress(len(repeats))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _repeat_row(record: BibRecord, first: BibRecord) -> ReportRow:
    same = "DOI" if normalise_doi(record.doi) else "title, year and first author"
    reason = f"same {same} as '{first.citation_key}' on line {first.line} of this file"
    return ReportRow(record.line, record.citation_key, record.title, reason)


class _Writer:
    """Writes one file's unique records in batches: a few queries per batch, not per record.

    A batch the database refuses is retried record by record, so the report names the failing lines and
    every other record is still written.
    """

    BATCH_SIZE = 250

    def __init__(self, report: ImportReport, defaults: ImportDefaults, progress):
        self.report, self.defaults, self.progress = report, defaults, progress
        self.written: list[int] = []

    def write(self, records: list[BibRecord]) -> None:
        work_keys = [dedupe_key(r)[:600] for r in records]  # folding titles is costly: once per record
        by_key = self._existing_by_key(records)
        by_work = self._existing_by_work(work_keys)
        used_keys = set(BibliographyEntry.objects.values_list("citation_key", flat=True))
        to_create, to_update = [], []
        for record, work_key in zip(records, work_keys, strict=True):
            existing = self._same_entry(record, by_key)
            if existing is not None:
                to_update.append((record, existing, work_key))
            elif (match := by_work.get(work_key)) is not None:
                reason = f"already in the bibliography as '{match.citation_key}'"
                self.report.duplicates.append(ReportRow(record.line, record.citation_key, record.title,
                                                        reason, match.pk))  # fmt: skip
            else:
                to_create.append((record, self._new_key(record, used_keys), work_key))
        self.report.created += self._in_batches(to_create, self._create)
        self.report.updated += self._in_batches(to_update, self._update)
        self._index(self.written)

    def _in_batches(self, items: list[tuple], write: Callable[[list[tuple]], list[ReportRow]]) -> list[ReportRow]:
        rows = []
        for start in range(0, len(items), self.BATCH_SIZE):
            batch = items[start : start + self.BATCH_SIZE]
            try:
                with transaction.atomic():
                    rows += write(batch)
            except DatabaseError:
                rows += self._one_by_one(batch, write)
            self._tick(len(batch))
        return rows

    def _one_by_one(self, batch: list[tuple], write) -> list[ReportRow]:
        rows = []
        for item in batch:
            try:
                with transaction.atomic():
                    rows += write([item])
            except DatabaseError as exc:
                record = item[0]
                reason = f"could not be stored: {squash(str(exc))[:300]}"
                self.report.failed.append(ReportRow(record.line, record.citation_key, record.title, reason))
        return rows

    def _existing_by_key(self, records: list[BibRecord]) -> dict[str, BibliographyEntry]:
        keys = {r.citation_key for r in records if r.citation_key}
        entries = BibliographyEntry.objects.filter(citation_key__in=keys).only("citation_key", "doi")
        return {e.citation_key: e for e in entries}

    def _existing_by_work(self, work_keys: list[str]) -> dict[str, BibliographyEntry]:
        entries = BibliographyEntry.objects.filter(duplicate_key__in=set(work_keys)).only(
            "citation_key", "duplicate_key"
        )
        return {e.duplicate_key: e for e in entries}

    @staticmethod
    def _same_entry(record: BibRecord, by_key: dict) -> BibliographyEntry | None:
        if _reused_key(record) or not record.citation_key:
            return None
        existing = by_key.get(record.citation_key)
        if existing is None:
            return None
        # One key, two DOIs: two different works that happen to share a key.
        new_doi, old_doi = normalise_doi(record.doi).casefold(), normalise_doi(existing.doi).casefold()
        return None if new_doi and old_doi and new_doi != old_doi else existing

    @staticmethod
    def _new_key(record: BibRecord, used: set[str]) -> str:
        base = (record.citation_key or make_citation_key(record))[:240] or "entry"
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        return key

    def _create(self, items: list[tuple[BibRecord, str, str]]) -> list[ReportRow]:
        entries = [self._new_entry(record, key, work_key) for record, key, work_key in items]
        _insert_entries(entries)
        pairs = [(record, entry) for (record, _, _), entry in zip(items, entries, strict=True)]
        self._write_children(pairs, replace=False)
        self._apply_defaults(entries)
        return self._done(pairs)

    def _new_entry(self, record: BibRecord, key: str, work_key: str) -> BibliographyEntry:
        entry = BibliographyEntry(citation_key=key, raw_record=record.raw_record(), duplicate_key=work_key)
        _copy_fields(record, entry)
        entry.record_tier = self.defaults.record_tier
        entry.file_tier = policy.stricter(self.defaults.file_tier or 0, entry.record_tier)
        return entry

    def _update(self, items: list[tuple[BibRecord, BibliographyEntry, str]]) -> list[ReportRow]:
        # Only bibliographic fields: the tiers, the annotation and the subjects are the unit's, so an update
        # never changes who may see an entry (and needs no audit-log row).
        now = timezone.now()
        for record, entry, work_key in items:
            _copy_fields(record, entry)
            entry.raw_record = record.raw_record()
            entry.duplicate_key = work_key
            entry.updated_at = now  # cached citations are keyed by it
        pairs = [(record, entry) for record, entry, _ in items]
        _update_entries([e for _, e in pairs])
        self._write_children(pairs, replace=True)
        return self._done(pairs)

    def _done(self, pairs) -> list[ReportRow]:
        self.written += [entry.pk for _, entry in pairs]
        return [self._row(record, entry) for record, entry in pairs]

    def _write_children(self, pairs, replace: bool) -> None:
        if replace:
            EntryCreator.objects.filter(entry_id__in=[e.pk for _, e in pairs]).delete()
        rows = [
            (entry.pk, n, c.family[:300], c.given[:200], c.kind, c.role)
            for record, entry in pairs
            for n, c in enumerate(record.creators)
        ]
        _insert_rows(EntryCreator, ("entry", "sort_order", "family", "given", "kind", "role"), rows)
        self._write_tags(pairs, keep=replace)

    def _write_tags(self, pairs, keep: bool) -> None:
        """Link the records' keywords; on an update the entry's existing tags (an editor's too) are kept."""
        names = {k[:100] for record, _ in pairs for k in record.keywords}
        if not names:
            return
        tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        tags.update(_create_tags(sorted(names - set(tags))))
        links = {(entry.pk, tags[k[:100]]) for record, entry in pairs for k in record.keywords}
        if keep:
            links -= set(BibliographyEntryTag.objects.filter(content_object_id__in=[e.pk for _, e in pairs])
                         .values_list("content_object_id", "tag_id"))  # fmt: skip
        _insert_rows(BibliographyEntryTag, ("content_object", "tag"), sorted(links))

    def _apply_defaults(self, entries: list[BibliographyEntry]) -> None:
        d = self.defaults
        _insert_rows(
            _through("themes"), ("bibliographyentry", "theme"), [(e.pk, t.pk) for e in entries for t in d.themes]
        )
        covered = [(e.pk, c.pk) for e in entries for c in d.countries]
        _insert_rows(_through("countries_covered"), ("bibliographyentry", "country"), covered)
        if policy.is_country_scoped(d.record_tier, d.file_tier or 0):
            # Restricted material is for the officials of the countries it concerns.
            _insert_rows(_through("countries"), ("bibliographyentry", "country"), covered)

    @staticmethod
    def _row(record: BibRecord, entry: BibliographyEntry) -> ReportRow:
        notes = "; ".join(record.warnings)
        if entry.citation_key != record.citation_key:
            notes = "; ".join(filter(None, [notes, f"stored under key '{entry.citation_key}'"]))
        return ReportRow(record.line, entry.citation_key, record.title, notes, entry.pk)

    def _tick(self, n: int) -> None:
        if self.progress and n:
            self.progress(n)

    @staticmethod
    def _index(ids: list[int]) -> None:
        if ids:
            # After the commit, so a worker finds the rows; never for a dry run, which rolls back.
            transaction.on_commit(lambda: index_entries.enqueue(ids))


def _insert_entries(entries: list[BibliographyEntry]) -> None:
    """Insert new entries with one executemany and read their ids back by citation key.

    Each value is prepared by its field exactly as ``save()`` would; what is skipped is the ORM's
    per-value placeholder assembly for a multi-row INSERT, the largest cost of writing a file.
    """
    fields = [f for f in BibliographyEntry._meta.concrete_fields if not f.primary_key]
    rows = [tuple(f.get_db_prep_save(f.pre_save(e, add=True), connection) for f in fields) for e in entries]
    _insert_rows(BibliographyEntry, tuple(f.name for f in fields), rows)
    keys = [e.citation_key for e in entries]
    ids = dict(BibliographyEntry.objects.filter(citation_key__in=keys).values_list("citation_key", "pk"))
    for entry in entries:
        entry.pk = ids[entry.citation_key]
        entry._state.adding = False


def _update_entries(entries: list[BibliographyEntry]) -> None:
    """One UPDATE per entry, sent with executemany.

    bulk_update's CASE WHEN per field grows with the batch squared on SQLite: re-importing a 500-entry file took
    ten times as long as importing it.
    """
    fields = [BibliographyEntry._meta.get_field(name) for name in UPDATED_FIELDS]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(BibliographyEntry._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 - model names
    rows = [(*(f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields), e.pk) for e in entries]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows (ids, numbers, short strings) in one executemany: no model instance per row.

    Thousands of author and keyword links per file: the ORM's per-object work was about half the import time.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 - model names


def _create_tags(names: list[str]) -> dict[str, int]:
    """New tags in one insert, with slugs made unique the way taggit would (name_1, name_2…): name -> id."""
    if not names:
        return {}
    wanted = {name: slugify(name, allow_unicode=True)[:90] or "tag" for name in names}
    taken = set(Tag.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True))
    new = []
    for name, base in wanted.items():
        slug, n = base, 0
        while slug in taken:
            n += 1
            slug = f"{base}_{n}"
        taken.add(slug)
        new.append((name, slug))
    _insert_rows(Tag, ("name", "slug"), new)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


def _through(name: str):
    return BibliographyEntry._meta.get_field(name).remote_field.through


def _reused_key(record: BibRecord) -> bool:
    return any("already used on line" in w for w in record.warnings)


def _copy_fields(record: BibRecord, entry: BibliographyEntry) -> None:
    for name in BIBLIOGRAPHIC_FIELDS:
        value = getattr(record, name)
        if isinstance(value, str) and LIMITS.get(name):
            value = value[: LIMITS[name]]
        setattr(entry, name, value if value is not None else None)
    if entry.url and not entry.url.startswith(("http://", "https://", "ftp://")):
        entry.url = ""
