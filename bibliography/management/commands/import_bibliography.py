"""import_bibliography FILE [FILE …] [--dry-run] [--record-tier T] [--theme SLUG] [--countries TH,VN]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bibliography.formats import read_file
from bibliography.importer import ImportDefaults, import_records
from portal.access.tiers import Tier
from portal.taxonomy.models import Country, Theme


def parse_tier(value: str) -> int:
    """A tier by name ('restricted') or number ('2')."""
    for tier in Tier:
        if value.lower() in (tier.name.lower(), str(tier.value), tier.label.lower()):
            return tier.value
    names = ", ".join(t.name.lower() for t in Tier)
    raise CommandError(f"Unknown tier '{value}': use one of {names}.")


class Command(BaseCommand):
    help = "Import BibTeX or RIS files into the bibliography and print each file's import report."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument("--record-tier", default="public", help="Tier of new entries (default public).")
        parser.add_argument("--file-tier", default=None, help="File tier of new entries (default: the record tier).")
        parser.add_argument("--theme", action="append", default=[], help="Theme slug for new entries (repeatable).")
        parser.add_argument("--countries", default="", help="Country codes the entries cover, e.g. TH,VN.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs).")

    def handle(self, *args, **options):
        defaults = self._defaults(options)
        refused = []
        for path in options["files"]:
            report = self._import(path, defaults, options)
            self._print(report, options["verbosity"])
            if report.error:
                refused.append(path.name)
        if refused:
            raise CommandError(f"Not imported: {', '.join(refused)} (see the messages above).")

    def _defaults(self, options) -> ImportDefaults:
        themes = list(Theme.objects.filter(slug__in=options["theme"]))
        if missing := set(options["theme"]) - {t.slug for t in themes}:
            raise CommandError(f"Unknown theme(s): {', '.join(sorted(missing))}.")
        codes = [c.strip().upper() for c in options["countries"].split(",") if c.strip()]
        countries = list(Country.objects.filter(code__in=codes))
        if missing := set(codes) - {c.code for c in countries}:
            raise CommandError(f"Unknown country code(s): {', '.join(sorted(missing))}.")
        file_tier = parse_tier(options["file_tier"]) if options["file_tier"] else None
        return ImportDefaults(parse_tier(options["record_tier"]), file_tier, themes, countries)

    def _import(self, path: Path, defaults, options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        parsed = read_file(data, path.name)
        total = len(parsed.records)
        with tqdm(total=total, desc=path.name, unit="entry", disable=options["no_progress"] or not total,
                  file=self.stderr._out) as bar:  # fmt: skip
            return import_records(parsed, filename=path.name, dry_run=options["dry_run"], defaults=defaults,
                                  progress=bar.update)  # fmt: skip

    def _print(self, report, verbosity: int) -> None:
        style = self.style.ERROR if report.error else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        for warning in report.warnings:
            self.stdout.write(f"  note: {warning}")
        for label, rows in (("failed", report.failed), ("duplicate", report.duplicates), ("skipped", report.skipped)):
            for row in rows if verbosity >= 1 else []:
                self.stdout.write(f"  {label} (line {row.line}) {row.key or row.title[:60]}: {row.reason}")
        if verbosity >= 2:
            for row in report.created + report.updated:
                self.stdout.write(f"  ok (line {row.line}) {row.key}{': ' + row.reason if row.reason else ''}")
