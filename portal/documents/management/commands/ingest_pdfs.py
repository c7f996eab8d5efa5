"""Store and read many files at once: `manage.py ingest_pdfs PATH [PATH ...]`."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from tqdm import tqdm
from wagtail.models import Collection

from portal.access.tiers import Tier
from portal.documents import ingestion
from portal.documents.models import PortalDocument, validate_upload
from portal.taxonomy.models import Country

Status = PortalDocument.Status
SUMMARY_WORDS = {
    Status.INGESTED: "ingested",
    Status.NO_TEXT_PAGES: "with scanned pages",
    Status.GARBLED: "garbled",
    Status.NEEDS_PASSWORD: "need a password",
    Status.UNREADABLE: "could not be read",
    Status.STORED: "stored without text (not PDF)",
}


@dataclass
class Outcome:
    path: Path
    document: PortalDocument | None = None
    created: bool = False
    error: str = ""

    def line(self) -> str:
        if self.error:
            return f"NOT STORED  {self.path}: {self.error}"
        doc = self.document
        if not self.created:
            return f"already stored as #{doc.pk}  {self.path}"
        return f"stored #{doc.pk}  {self.path}: {doc.get_status_display().lower()}. {doc.message}"


def parse_tier(value: str) -> int:
    for tier in Tier:
        if value.strip().lower() in (str(tier.value), tier.name.lower()):
            return tier.value
    names = ", ".join(t.name.lower() for t in Tier)
    raise CommandError(f"Unknown tier {value!r}: use one of {names} (or 0-3).")


class Command(BaseCommand):
    help = (
        "Store PDFs (and other files) as documents, once each, and read them into pages. "
        "Exit code 0 when every file was stored, whatever could be read from it; 1 when a file could not be stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, or folders of PDFs.")
        parser.add_argument("--recursive", action="store_true", help="Look for PDFs in sub-folders too.")
        parser.add_argument("--collection", metavar="NAME", help="Collection to put them in (created if needed).")
        parser.add_argument("--record-tier", type=parse_tier, default=None, metavar="T")
        parser.add_argument("--file-tier", type=parse_tier, default=None, metavar="T")
        parser.add_argument("--countries", default="", metavar="TH,VN", help="ISO codes, comma-separated.")
        parser.add_argument("--language", default="", metavar="xx", help="Language to record (ISO 639-1).")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="Files read at the same time.")

    _write_lock = threading.Lock()

    def handle(self, *args, **options):
        paths = list(self._files(options["paths"], options["recursive"]))
        if not paths:
            raise CommandError("No files found.")
        fields = self._fields(options)
        outcomes: list[Outcome] = []
        jobs = max(1, options["jobs"])
        with (
            tqdm(total=len(paths), unit="file", disable=options["verbosity"] == 0) as bar,
            ThreadPoolExecutor(max_workers=jobs) as pool,
        ):
            if jobs == 1:  # in this thread: its database connection (and transaction) is the caller's
                results = (self._one(p, fields, options["language"]) for p in paths)
            else:
                results = pool.map(lambda p: self._in_thread(p, fields, options["language"]), paths)
            for outcome in results:
                outcomes.append(outcome)
                with bar.external_write_mode():
                    self.stdout.write(outcome.line())
                bar.update()
        self.stdout.write(self._summary(outcomes))
        if any(o.error for o in outcomes):
            raise SystemExit(1)

    def _files(self, paths: list[str], recursive: bool):
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                pattern = "**/*" if recursive else "*"
                yield from sorted(p for p in path.glob(pattern) if p.is_file() and p.suffix.lower() == ".pdf")
            else:
                yield path  # a missing file is reported as not stored

    def _fields(self, options) -> dict:
        fields = {}
        if options["collection"]:
            root = Collection.get_first_root_node()
            collection = root.get_children().filter(name=options["collection"]).first()
            fields["collection"] = collection or root.add_child(name=options["collection"])
        if options["record_tier"] is not None:
            fields["record_tier"] = options["record_tier"]
        if options["file_tier"] is not None:
            fields["file_tier"] = options["file_tier"]
        codes = [c.strip().upper() for c in options["countries"].split(",") if c.strip()]
        if codes:
            countries = list(Country.objects.filter(code__in=codes))
            unknown = set(codes) - {c.code for c in countries}
            if unknown:
                raise CommandError(f"Unknown country code(s): {', '.join(sorted(unknown))}.")
            fields["countries"] = countries
        return fields

    def _one(self, path: Path, fields: dict, language: str) -> Outcome:
        try:
            return self._store_and_read(path, dict(fields), language)
        except ValidationError as exc:
            return Outcome(path, error=" ".join(exc.messages))
        except OSError as exc:
            return Outcome(path, error=exc.strerror or str(exc))
        except Exception as exc:  # the batch goes on; the summary and the exit code say it
            return Outcome(path, error=f"{type(exc).__name__}: {exc}")

    def _in_thread(self, path: Path, fields: dict, language: str) -> Outcome:
        try:
            return self._one(path, fields, language)
        finally:
            connections.close_all()  # this worker thread's connections

    def _store_and_read(self, path: Path, fields: dict, language: str) -> Outcome:
        if not path.is_file():
            raise OSError(f"no such file: {path}")
        with path.open("rb") as fh:
            validate_upload(File(fh, name=path.name))
        with self._writing(), transaction.atomic():
            stored = ingestion.store_file(path, enqueue=False, **fields)
            claimed = ingestion.claim(stored.document.pk) if stored.created else None
        if claimed is not None:
            result = ingestion.read(claimed)  # in parallel with the other threads: no database here
            with self._writing():
                ingestion.save_result(claimed, result)
                if language:
                    PortalDocument.objects.filter(pk=claimed.pk).update(language=language)
        stored.document.refresh_from_db()
        return Outcome(path, stored.document, stored.created)

    def _writing(self):
        """SQLite takes one writer at a time and fails the others at once: take turns. Other databases wait."""
        return self._write_lock if connections["default"].vendor == "sqlite" else contextlib.nullcontext()

    def _summary(self, outcomes: list[Outcome]) -> str:
        new = [o for o in outcomes if o.created]
        already = sum(1 for o in outcomes if o.document and not o.created)
        failed = sum(1 for o in outcomes if o.error)
        statuses = Counter(o.document.status for o in new)
        details = ", ".join(f"{n} {SUMMARY_WORDS.get(s, s)}" for s, n in statuses.most_common())
        pages = sum(o.document.page_count or 0 for o in new)
        return (
            f"{len(outcomes)} files: {len(new)} stored ({details or 'none'}; {pages} pages), "
            f"{already} already stored, {failed} not stored."
        )
