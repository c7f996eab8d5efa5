"""Bibliography import speed against bibtexparser's bare parse of the same file, in the same run.

For each large corpus file, best of three runs each: bibtexparser.parse_string with its default stack (the bare
parse); our reading (middlewares, LaTeX decoding, crossref, names); the import into a fresh database (reading
included, committed); the search indexing task that runs on commit; and a second import of the same file (every
entry updated). The LaTeX decoding cache is emptied before each run: a real import reads its file once.
Wall-clock and, on SQLite, CPU times are both given (the machine may be shared: CPU time is the steadier ratio;
on PostgreSQL the server's work is not in this process's CPU time, so only wall-clock is given).
Then the SQL queries of the browse page with 50 and with 500 entries (they must be equal).
Target: import within 3x of the bare parse.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, bench_env, manage

FILES = ["mendeley-export-large.bib", "zotero-physics-library.bib"]
CORPUS = ROOT / "tests" / "fixtures" / "bib"


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


class Timing:
    """Best wall-clock and CPU seconds over the runs of one step."""

    def __init__(self):
        self.wall = self.cpu = float("inf")

    def add(self, since: tuple[float, float], until: tuple[float, float]) -> None:
        self.wall = min(self.wall, until[0] - since[0])
        self.cpu = min(self.cpu, until[1] - since[1])

    def line(self, label: str, entries: int, bare: "Timing | None" = None) -> str:
        if not bare:
            return f"  {label:31s} {entries / self.wall:6.0f} entries/s  ({self.wall * 1000:7.1f} ms)"
        ratio = f"  x{self.wall / bare.wall:4.1f}"
        if in_process_database():  # PostgreSQL's work is not in this process's CPU time
            ratio += f" (CPU x{self.cpu / bare.cpu:4.1f})"
        return f"  {label:31s} {entries / self.wall:6.0f} entries/s  ({self.wall * 1000:7.1f} ms){ratio}"


def in_process_database() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def main():
    with tempfile.TemporaryDirectory(prefix="cau-bench-bib-") as tmp:
        env = bench_env(Path(tmp))
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run()


def run():
    from django.test import Client

    from bibliography.importer import import_file
    from bibliography.models import BibliographyEntry

    for name in FILES:
        time_import(name)
    client, counts = Client(HTTP_HOST="localhost"), {}
    for total in (50, 500):
        if BibliographyEntry.objects.count() < total:
            import_file((CORPUS / FILES[0]).read_bytes(), FILES[0])
        BibliographyEntry.objects.filter(pk__in=BibliographyEntry.objects.order_by("pk").values("pk")[total:]).delete()
        counts[total] = browse_queries(client)
    print(f"browse page SQL queries: {counts} (entries -> queries; equal means independent of size)")


def time_import(name: str) -> None:
    import bibtexparser
    from django.db import transaction
    from taggit.models import Tag

    from bibliography.formats import latex, read_file
    from bibliography.importer import import_file
    from bibliography.models import BibliographyEntry

    data = (CORPUS / name).read_bytes()
    text = data.decode("utf-8-sig")
    entries = len(bibtexparser.parse_string(text).entries)
    bare, ours, full, indexing, again, again_indexing = (Timing() for _ in range(6))
    reports = []
    for _ in range(3):
        start = clocks()
        bibtexparser.parse_string(text)
        bare.add(start, clocks())
        latex._decode.cache_clear()
        start = clocks()
        read_file(data, name)
        ours.add(start, clocks())
        BibliographyEntry.objects.all().delete()
        Tag.objects.all().delete()
        for step, index_step in ((full, indexing), (again, again_indexing)):
            latex._decode.cache_clear()
            start = clocks()
            with transaction.atomic():  # the search indexing task runs on commit
                reports = [*reports[-1:], import_file(data, name)]
                written = clocks()
            step.add(start, written)
            index_step.add(written, clocks())
    print(f"{name}: {entries} entries; reports {reports[0].counts()}, then {reports[1].counts()}")
    print(bare.line("bibtexparser bare parse", entries))
    print(ours.line("our parse (normalised)", entries, bare))
    print(full.line("import into the database", entries, bare))
    print(indexing.line("+ search indexing (on commit)", entries, bare))
    print(again.line("import again (all updated)", entries, bare))
    print(again_indexing.line("+ search indexing (on commit)", entries, bare))


def browse_queries(client) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/bibliography/")
    cache.clear()  # a full render: pages and their parts are cached, and the first size warmed them for the second
    with CaptureQueriesContext(connection) as ctx:
        client.get("/bibliography/?sort=author")
    return len(ctx.captured_queries)


if __name__ == "__main__":
    main()
