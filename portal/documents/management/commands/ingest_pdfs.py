"""Store and read many files at once: `manage.py ingest_pdfs PATH [PATH ...]`."""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm
from wagtail.models import Collection

from portal.access.tiers import Tier
from portal.documents import extraction, ingestion
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


@dataclass
class Job:
    """A file on its way: checked, then read (in the pool), then stored."""

    path: Path
    digest: str = ""
    existing: PortalDocument | None = None
    error: str = ""
    reading: Future | None = None  # of its ExtractionResult; None when there is nothing to read


def _done(result) -> Future:
    future = Future()
    future.set_result(result)
    return future


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
            # One job: extraction in this thread too, so the database is only the caller's (and its transaction).
            for outcome in self._outcomes(paths, fields, options["language"], pool if jobs > 1 else None, jobs):
                outcomes.append(outcome)
                with bar.external_write_mode():
                    self.stdout.write(outcome.line())
                bar.update()
        self.stdout.write(self._summary(outcomes))
        if any(o.error for o in outcomes):
            raise SystemExit(1)

    def _outcomes(self, paths: list[Path], fields: dict, language: str, pool, jobs: int) -> Iterator[Outcome]:
        """The outcome of each path, in order. This thread checks and stores files; the pool's threads read the
        next ones meanwhile (each in its extraction process), at most 2 × jobs files ahead, since their text
        waits in memory until it is stored. Only this thread uses the database: SQLite has one writer anyway."""
        waiting: deque[Job] = deque()
        for path in paths:
            waiting.append(self._start(path, pool))
            while len(waiting) > 2 * jobs:
                yield self._finish(waiting.popleft(), fields, language)
        while waiting:
            yield self._finish(waiting.popleft(), fields, language)

    def _start(self, path: Path, pool) -> Job:
        """Check the file and whether its bytes are stored already; if not, set its reading going."""
        job = Job(path)
        try:
            if not path.is_file():
                raise OSError(f"no such file: {path}")
            with path.open("rb") as fh:
                validate_upload(File(fh, name=path.name))
            job.digest = ingestion.sha256_of(path)
            job.existing = PortalDocument.objects.filter(sha256=job.digest).first()
        except ValidationError as exc:
            job.error = " ".join(exc.messages)
        except OSError as exc:
            job.error = exc.strerror or str(exc)
        except Exception as exc:  # the batch goes on; the summary and the exit code say it
            job.error = f"{type(exc).__name__}: {exc}"
        if not (job.error or job.existing) and path.suffix.lower() == ".pdf":
            job.reading = pool.submit(extraction.extract_pdf, path) if pool else _done(extraction.extract_pdf(path))
        return job

    def _finish(self, job: Job, fields: dict, language: str) -> Outcome:
        if job.error:
            return Outcome(job.path, error=job.error)
        if job.existing:
            return Outcome(job.path, job.existing, created=False)
        try:
            return self._store(job, dict(fields), language)
        except ValidationError as exc:
            return Outcome(job.path, error=" ".join(exc.messages))
        except OSError as exc:
            return Outcome(job.path, error=exc.strerror or str(exc))
        except Exception as exc:  # the batch goes on; the summary and the exit code say it
            return Outcome(job.path, error=f"{type(exc).__name__}: {exc}")

    def _store(self, job: Job, fields: dict, language: str) -> Outcome:
        if job.reading is None:  # not a PDF: stored without text
            stored = ingestion.store_file(job.path, enqueue=False, **fields)
        else:
            result = job.reading.result()  # extract_pdf never raises
            if language:
                result.language = language
            stored = ingestion.store_read_file(job.path, result, digest=job.digest, **fields)
        return Outcome(job.path, stored.document, stored.created)

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
