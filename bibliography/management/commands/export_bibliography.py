"""python manage.py export_bibliography --format bibtex|ris|csljson [filters] [--user NAME] [--output FILE]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from bibliography.browse import EntryFilter, visible_entries
from bibliography.formats import EXPORTERS


class Command(BaseCommand):
    help = (
        "Export the bibliography as one user may see it (by default an anonymous visitor: public entries only). "
        "Filters are those of the browse page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("--user", help="Export what this user may see (default: anonymous, public only).")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--country", action="append", default=[], help="Country code covered (repeatable).")
        parser.add_argument("--theme", action="append", default=[], help="Theme slug (repeatable).")
        parser.add_argument("--type", action="append", default=[], help="Entry type (repeatable).")
        parser.add_argument("--language", action="append", default=[], help="Language code (repeatable).")
        parser.add_argument("--keyword", action="append", default=[], help="Keyword (repeatable).")
        parser.add_argument("--year-from", type=int)
        parser.add_argument("--year-to", type=int)
        parser.add_argument("--q", default="", help="Words to search within the entries.")

    def handle(self, *args, **options):
        entries = EntryFilter.from_query(self._query(options)).apply(visible_entries(self._user(options["user"])))
        entries = entries.prefetch_related("creators", "tagged_items__tag").order_by("citation_key")
        text = EXPORTERS[options["format"]].write([e.to_record() for e in entries])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"Wrote {len(entries)} entries to {options['output']}.")
        else:
            self.stdout.write(text)

    @staticmethod
    def _user(username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        return user

    @staticmethod
    def _query(options) -> QueryDict:
        query = QueryDict(mutable=True)
        for name in ("country", "theme", "type", "language", "keyword"):
            query.setlist(name, options[name])
        for name in ("year_from", "year_to"):
            if options[name] is not None:
                query[name] = str(options[name])
        query["q"] = options["q"]
        return query
