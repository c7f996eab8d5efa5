"""Bibliography import speed against bibtexparser's bare parse of the same file, in the same run.

For each large corpus file: bibtexparser.parse_string with its default stack (the bare parse), our reading
(middlewares, LaTeX decoding, crossref, names), and the full import into a fresh database (including the
search index). Then the SQL queries of the browse page with 50 and with 500 entries (they must be equal).
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


def best_of(n, fn):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


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
    import bibtexparser
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bibliography.formats import read_file
    from bibliography.importer import import_file
    from bibliography.models import BibliographyEntry

    for name in FILES:
        data = (CORPUS / name).read_bytes()
        text = data.decode("utf-8-sig")
        entries = len(bibtexparser.parse_string(text).entries)
        bare = best_of(3, lambda text=text: bibtexparser.parse_string(text))
        ours = best_of(3, lambda data=data, name=name: read_file(data, name))
        BibliographyEntry.objects.all().delete()
        start = time.perf_counter()
        with transaction.atomic():  # the search indexing task runs on commit: timed apart
            report = import_file(data, name)
            full = time.perf_counter() - start
        indexing = time.perf_counter() - start - full
        print(f"{name}: {entries} entries; report {report.counts()}")
        print(f"  bibtexparser bare parse {entries / bare:8.0f} entries/s  ({bare * 1000:7.1f} ms)")
        print(
            f"  our parse (normalised)  {entries / ours:8.0f} entries/s  ({ours * 1000:7.1f} ms, x{ours / bare:4.1f})"
        )
        print(
            f"  full import into the DB {entries / full:8.0f} entries/s  ({full * 1000:7.1f} ms, x{full / bare:4.1f})"
        )
        print(f"  + search indexing task  {entries / indexing:8.0f} entries/s  ({indexing * 1000:7.1f} ms, on commit)")

    client = Client(HTTP_HOST="localhost")
    counts = {}
    for total in (50, 500):
        BibliographyEntry.objects.filter(pk__in=BibliographyEntry.objects.order_by("pk").values("pk")[total:]).delete()
        client.get("/bibliography/")
        with CaptureQueriesContext(connection) as ctx:
            client.get("/bibliography/?sort=author")
        counts[total] = len(ctx.captured_queries)
        if BibliographyEntry.objects.count() < 500:
            import_file((CORPUS / FILES[0]).read_bytes(), FILES[0])
    print(f"browse page SQL queries: {counts} (entries -> queries; equal means independent of size)")


if __name__ == "__main__":
    main()
