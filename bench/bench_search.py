"""Search latency through the service against the raw engine query, at two corpus sizes.

Generates documents × pages of text (drawn from the corpus PDFs and the region's seven languages) into a
throwaway SQLite database (or BENCH_DATABASE_URL), then times a fixed set of varied queries:

- the search service (audience filter, facets, counts, grouping and snippets included), as anonymous and as a
  verified official of Thailand;
- the raw engine query for the same words on the same index: FTS5 ``MATCH`` on SQLite, ``to_tsquery`` on
  PostgreSQL, top 20 passages by rank (the reference of the ratios);
- on SQLite also the floor of any FTS5 query: the top 20 rows by rank of the FTS5 table alone, with no join
  to the index entries (the service's own match is written this way, so it can beat the reference above).

Defaults follow issue 5 (200 then 2,000 documents × 50 pages); ``--docs 50 500`` runs a smaller pair in a
few minutes. Prints median and 95th percentile per size, wall-clock and process CPU time, and the ratios of
the 95th percentiles to the raw query's.

``--keep PATH`` keeps the generated SQLite database at PATH and, when it already holds the documents of a
size, measures it again without generating anything (for comparing two versions of the code on one corpus,
or profiling). Sizes smaller than what the database already holds are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW_LIMIT = 20


def setup_django(database: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{database}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# ---- text ---------------------------------------------------------------------------------------------------


def text_pool() -> list[str]:
    """Paragraphs from the corpus PDFs and the seven languages' texts."""
    import pypdfium2

    pool: list[str] = []
    corpus = Path(os.environ.get("BENCH_CORPUS", ROOT.parent / "shared" / "corpus" / "pdf"))
    for folder in (corpus, ROOT / "tests" / "fixtures" / "pdf"):
        for path in sorted(folder.glob("*.pdf")):
            try:
                pdf = pypdfium2.PdfDocument(str(path))
                for index in range(min(len(pdf), 60)):
                    text = pdf[index].get_textpage().get_text_range()
                    pool.extend(p.strip() for p in text.split("\n\n") if len(p.strip()) > 80)
            except Exception:  # noqa: S112 - unreadable corpus files are the point of the corpus
                continue
        if pool:
            break
    languages = json.loads((ROOT / "tests" / "fixtures" / "pdf" / "lang-texts.json").read_text(encoding="utf-8"))
    # About one paragraph in six is in one of the region's languages.
    pool.extend(list(languages.values()) * max(1, len(pool) // 35))
    return pool


def make_page_text(rng: random.Random, pool: list[str]) -> str:
    return "\n\n".join(rng.choice(pool) for _ in range(rng.randint(3, 8)))[:4000]


QUERIES = [
    "smuggling",
    "migrants",
    "border",
    "the",
    "report",
    "information",
    "tax return",
    '"income tax"',
    "copyright office",
    "digital millennium",
    "page",
    "form instructions",
    "section -tax",
    "vessel OR boat",
    "police",
    "data collection",
    "penyelundupan",
    "migran perbatasan",
    "nguoi di cu",
    "người",
    "biên phòng",
    "ตำรวจ",
    "ลักลอบขน",
    "ชายแดน",
    "ຕຳຫຼວດ",
    "ເມືອງ",
    "ប្រទេស",
    "ចំណាកស្រុក",
    "နိုင်ငံ",
    "ရွှေ့ပြောင်း",
    "移民",
    "犯罪 合作",
    '"the united states"',
    "law enforcement",
    "network",
    "annual",
    "analysis",
    "theorem",
    "zebra",
    "xylophone quantum",
    "title:smuggling",
    '"unbalanced',
    "a OR the",
    "rights protect",
    "international cooperation",
    "exchange",
    "Python",
    "error",
    "publication 2024",
    "convention",
]


# ---- corpus -------------------------------------------------------------------------------------------------


def generate(first: int, count: int, pages: int, pool: list[str], rng: random.Random) -> float:
    """Create documents [first, first+count) with their pages, and index them in bulk. Returns seconds."""
    from django.db import connection, transaction
    from modelsearch.backends import get_search_backend

    from portal.access.tiers import Tier
    from portal.documents.models import DocumentPage, PortalDocument
    from portal.taxonomy.models import Country

    if connection.vendor == "sqlite":  # a throwaway database: no need to wait for the disk
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    countries = {c.code: c for c in Country.objects.all()}
    tiers = [Tier.PUBLIC] * 14 + [Tier.REGISTERED] * 3 + [Tier.RESTRICTED] * 2 + [Tier.CONFIDENTIAL]
    backend = get_search_backend()
    started = time.perf_counter()
    for batch_start in range(first, first + count, 50):
        numbers = range(batch_start, min(first + count, batch_start + 50))
        with transaction.atomic():
            documents = PortalDocument.objects.bulk_create(
                [_bench_document(number, rng.choice(tiers), pages) for number in numbers]
            )
            through = PortalDocument.countries.through
            through.objects.bulk_create(
                through(portaldocument_id=d.pk, country_id=countries[rng.choice(["TH", "VN", "KH"])].pk)
                for d in documents
                if d.file_tier >= Tier.RESTRICTED
            )
            created = DocumentPage.objects.bulk_create(
                DocumentPage(document=d, number=n, text=make_page_text(rng, pool))
                for d in documents
                for n in range(1, pages + 1)
            )
            backend.add_bulk(DocumentPage, created)
            backend.add_bulk(PortalDocument, documents)
    return time.perf_counter() - started


def _bench_document(number: int, file_tier, pages: int):
    from portal.access.tiers import Tier
    from portal.documents.models import PortalDocument

    return PortalDocument(
        title=f"Bench document {number}",
        file=f"documents/bench-{number}.pdf",
        record_tier=min(file_tier, Tier.REGISTERED),
        file_tier=file_tier,
        status="ingested",
        page_count=pages,
    )


# ---- timing -------------------------------------------------------------------------------------------------


class Timer:
    """Wall-clock and process CPU time of one query, in ms.

    On SQLite the engine runs inside this process, so CPU time covers the engine and the service alike and
    is far less disturbed than wall time by other programs on a shared machine. On PostgreSQL it leaves out
    the server's work: only wall time compares there.
    """

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info):
        self.timing = ((time.perf_counter() - self.wall) * 1000, (time.process_time() - self.cpu) * 1000)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def time_service(audience, queries: list[str]) -> list[float]:
    from search.service import search

    timings = []
    for query in queries:
        with Timer() as timer:
            results = search(query, audience)
            [hit.as_json() for hit in results.hits]  # snippets and passages are rendered
        timings.append(timer.timing)
    return timings


def time_raw(queries: list[str]) -> list[tuple[float, float]]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from portal.documents.models import DocumentPage
    from search.query import parse, to_fts5, to_tsquery

    content_type = ContentType.objects.get_for_model(DocumentPage).pk
    timings = []
    with connection.cursor() as cursor:
        for query in queries:
            parsed = parse(query)
            with Timer() as timer:
                if parsed.is_empty:
                    pass
                elif connection.vendor == "sqlite":
                    cursor.execute(
                        "SELECT e.object_id, bm25(wagtailsearch_indexentry_fts) AS rank"  # noqa: S608 - fixed table
                        " FROM wagtailsearch_indexentry_fts JOIN wagtailsearch_indexentry e"
                        " ON e.id = wagtailsearch_indexentry_fts.rowid"
                        " WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id = %s"
                        " ORDER BY rank LIMIT %s",
                        ["{title body} : (" + to_fts5(parsed) + ")", content_type, RAW_LIMIT],
                    )
                    cursor.fetchall()
                else:
                    cursor.execute(
                        "SELECT object_id, ts_rank(body, q) AS rank FROM wagtailsearch_indexentry,"
                        " to_tsquery(%s) q WHERE body @@ q AND content_type_id = %s ORDER BY rank DESC LIMIT %s",
                        [to_tsquery(parsed), content_type, RAW_LIMIT],
                    )
                    cursor.fetchall()
            timings.append(timer.timing)
    return timings


def time_floor(queries: list[str]) -> list[tuple[float, float]]:
    from django.db import connection

    from search.query import parse, to_fts5

    timings = []
    with connection.cursor() as cursor:
        for query in queries:
            parsed = parse(query)
            with Timer() as timer:
                if not parsed.is_empty:
                    cursor.execute(
                        "SELECT rowid, bm25(wagtailsearch_indexentry_fts) AS rank FROM wagtailsearch_indexentry_fts"
                        " WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY rank LIMIT %s",
                        ["{title body} : (" + to_fts5(parsed) + ")", RAW_LIMIT],
                    )
                    cursor.fetchall()
            timings.append(timer.timing)
    return timings


FIGURES = ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms")


def _figures(timings: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    wall, cpu = [timing[0] for timing in timings], [timing[1] for timing in timings]
    return statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu), percentile(cpu, 0.95)


def measure(label: str, queries: list[str]) -> dict:
    from django.db import connection

    from portal.access.policy import ANONYMOUS, Audience

    official = Audience(user_id=-1, official_countries=frozenset({"TH"}), name="bench official")
    time_service(ANONYMOUS, queries[:5])  # warm caches (ICU dictionaries, statement cache)
    rows = {"raw engine query": time_raw(queries)}
    if connection.vendor == "sqlite":
        rows["raw FTS5, no join"] = time_floor(queries)
    rows["service, anonymous"] = time_service(ANONYMOUS, queries)
    rows["service, official TH"] = time_service(official, queries)
    print(f"\n{label}")
    print(f"  {'':24} {'p50 ms':>8} {'p95 ms':>8} {'p95/raw':>8} {'cpu p50':>8} {'cpu p95':>8} {'p95/raw':>8}")
    summary, reference = {}, None
    for name, timings in rows.items():
        figures = _figures(timings)
        reference = reference or figures
        ratios = (figures[1] / (reference[1] or 1), figures[3] / (reference[3] or 1))
        wall, cpu = f"{figures[0]:8.1f} {figures[1]:8.1f} {ratios[0]:8.1f}", f"{figures[2]:8.1f} {figures[3]:8.1f}"
        # A database server's work is not in this process's CPU time: no CPU ratio but on SQLite.
        cpu_ratio = f"{ratios[1]:8.1f}" if connection.vendor == "sqlite" else f"{'-':>8}"
        print(f"  {name:24} {wall} {cpu} {cpu_ratio}")
        summary[name] = dict(zip(FIGURES, (round(f, 1) for f in figures), strict=True))
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, nargs="+", default=[200, 2000], help="corpus sizes, ascending")
    parser.add_argument("--pages", type=int, default=50, help="pages per document")
    parser.add_argument("--queries", type=int, default=50, help="how many of the varied queries to run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--max-hits", type=int, help="override search.engines.MAX_HITS (SQLite hit cap)")
    parser.add_argument("--keep", type=Path, help="SQLite file to keep the corpus in (reused when it exists)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cau-bench-search-") as tmp:
        setup_django(args.keep.resolve() if args.keep else Path(tmp) / "bench.sqlite3")
        from django.db import connection

        from portal.documents.models import DocumentPage, PortalDocument
        from search.index import segmented

        # The bench measures the segmented index whether or not the models declare it yet.
        for model in (DocumentPage, PortalDocument):
            model.search_fields = segmented(model.search_fields)

        if args.max_hits:
            from search import engines

            engines.MAX_HITS = args.max_hits
        rng = random.Random(5)
        pool = text_pool()
        queries = QUERIES[: args.queries]
        print(f"engine: {connection.vendor}; {len(pool)} paragraphs of source text; {len(queries)} queries")
        figures, made = {}, PortalDocument.objects.filter(title__startswith="Bench document").count()
        for size in sorted(args.docs):
            if size < made:
                print(f"\n{size} documents: skipped, the database already holds {made}")
                continue
            seconds = generate(made, size - made, args.pages, pool, rng)
            made = size
            passages = DocumentPage.objects.count()
            print(f"\ngenerated and indexed {size} documents, {passages} passages ({seconds:.0f} s)")
            figures[f"{size} documents, {passages} passages"] = measure(
                f"{size} documents × {args.pages} pages", queries
            )
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
