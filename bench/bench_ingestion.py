"""Ingestion benchmark: pages per second against pdftotext, and peak memory on the 400-page file.

    python bench/bench_ingestion.py [--corpus ../shared/corpus/pdf] [--jobs 2] [--indexed-pages 20000]

Uses the production settings (SQLite in WAL, as deployed) on a throw-away database and media folder (or
BENCH_DATABASE_URL, e.g. a scratch PostgreSQL database), never the portal's own. pdftotext is timed before and
after the ingestion and the mean taken, since the machine may be shared; CPU seconds are printed beside the wall
clock (ingestion: this process, the extraction processes and the pdftotext they start). Writes
bench/out/ingestion.json as well as the table it prints.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGE = "large-irs-manual-400p.pdf"


def setup_django(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from _util import bench_env

    os.environ.update(bench_env(workdir))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def readable_pdfs(corpus: Path) -> dict[Path, int]:
    """The corpus files pdftotext reads without a password, with the pages it reads: its own "readable"."""
    files = {}
    for path in sorted(corpus.glob("*.pdf")):
        done = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True)
        pages = done.stdout.count(b"\f")
        if done.returncode == 0 and pages:
            files[path] = pages
    return files


def bench_pdftotext(files: list[Path]) -> tuple[float, float]:
    """One pdftotext process per file, one after another, as a shell loop would run it: (seconds, CPU seconds)."""
    cpu, started = _children_cpu(), time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), os.devnull], check=False)
    return time.perf_counter() - started, _children_cpu() - cpu


def bench_ingestion(files: list[Path], jobs: int) -> tuple[float, float, str]:
    """The whole ingestion (store, extract, write pages, index) through `manage.py ingest_pdfs`:
    (seconds, CPU seconds, the command's summary line)."""
    from django.core.management import call_command

    from portal.documents import extraction

    extraction.extract_pdf(ROOT / "tests" / "fixtures" / "pdf" / "latex-minimal-1p.pdf")  # start the fork server
    out = io.StringIO()
    cpu, started = _ingestion_cpu(), time.perf_counter()
    with contextlib.suppress(SystemExit):  # a file not stored is reported in the summary line
        call_command("ingest_pdfs", *map(str, files), jobs=jobs, verbosity=0, stdout=out)
    elapsed = time.perf_counter() - started
    return elapsed, _ingestion_cpu() - cpu, out.getvalue().strip().splitlines()[-1]


def fill_index(pages: int) -> None:
    """Index entries as N pages of other documents would leave them (rows only: no documents behind them)."""
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.backends import get_search_backend

    from portal.documents.models import DocumentPage

    index = get_search_backend().get_index_for_model(DocumentPage)
    if not pages or not hasattr(index, "entries"):
        return
    content_type = ContentType.objects.get_for_model(DocumentPage)
    body = ("cross-border cooperation on migration statistics " * 70)[:3000]
    entry = index.entries.model
    text = {"title": "", "autocomplete": "", "body": body}
    if any(f.name == "body_text" for f in entry._meta.get_fields()):  # PostgreSQL keeps the plain text too
        text["body_text"] = body
    rows = (entry(content_type=content_type, object_id=f"-{n}", **text) for n in range(pages))
    index.entries.bulk_create(rows, batch_size=2000)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ingestion_cpu() -> float:
    """This process's CPU time, and the fork server's finished children's (the extraction processes, with the
    pdftotext each waited for), read from /proc since the fork server outlives the run."""
    from multiprocessing import forkserver

    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    with contextlib.suppress(OSError, TypeError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return total


def bench_memory(corpus: Path) -> dict:
    """Peak resident memory while ingesting the 400-page file: the extraction process, and this process."""
    from portal.documents import extraction, ingestion

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stored = ingestion.store_file(corpus / LARGE, enqueue=False)
    document = ingestion.claim(stored.document.pk)
    result = ingestion.read(document)
    ingestion.save_result(document, result)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    small = extraction.extract_pdf(corpus / "pdflatex-4-pages.pdf")
    return {
        "file": LARGE,
        "pages": result.page_count,
        "status": result.status,
        "extraction_peak_mb": result.peak_memory_mb,
        "extraction_peak_mb_4_pages": small.peak_memory_mb,
        "portal_process_peak_mb": round(after, 1),
        "portal_process_growth_mb": round(after - before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--indexed-pages",
        type=int,
        default=0,
        metavar="N",
        help="Search index entries for N pages (3,000 characters each) already there, as in a grown repository.",
    )
    args = parser.parse_args()
    if not (args.corpus / LARGE).exists():
        sys.exit(f"The corpus is not at {args.corpus} (give --corpus).")
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext (Debian's poppler-utils) is needed for the baseline.")

    with tempfile.TemporaryDirectory(prefix="bench-ingestion-") as tmp:
        setup_django(Path(tmp))
        memory = bench_memory(args.corpus)
        readable = readable_pdfs(args.corpus)
        files, pages = list(readable), sum(readable.values())
        before = bench_pdftotext(files)
        from portal.documents.models import PortalDocument

        PortalDocument.objects.all().delete()  # the memory run stored the 400-page file; bytes are stored once
        fill_index(args.indexed_pages)
        elapsed, cpu, summary = bench_ingestion(files, args.jobs)
        after = bench_pdftotext(files)
    baseline, baseline_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2

    figures = {
        "files": len(files),
        "pages": pages,
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "pdftotext_seconds": round(baseline, 2),
        "pdftotext_seconds_before_after": [round(before[0], 2), round(after[0], 2)],
        "pdftotext_cpu_seconds": round(baseline_cpu, 2),
        "pdftotext_pages_per_second": round(pages / baseline, 1),
        "ingestion_seconds": round(elapsed, 2),
        "ingestion_cpu_seconds": round(cpu, 2),
        "ingestion_pages_per_second": round(pages / elapsed, 1),
        "ingestion_vs_pdftotext": round(baseline / elapsed, 2),
        "ingestion_summary": summary,
        "indexed_pages_before": args.indexed_pages,
        "memory": memory,
    }
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingestion.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"Readable corpus PDFs: {len(files)} files, {pages} pages, {os.cpu_count()} CPUs, {args.jobs} jobs, "
        f"{args.indexed_pages} pages indexed before"
    )
    print(
        f"  pdftotext, one process per file:   {baseline:7.2f} s  {pages / baseline:8.1f} pages/s"
        f"  (before {before[0]:.2f} s, after {after[0]:.2f} s; CPU {baseline_cpu:.2f} s)"
    )
    print(f"  ingestion (extract, store, index): {elapsed:7.2f} s  {pages / elapsed:8.1f} pages/s  (CPU {cpu:.2f} s)")
    print(f"  ingestion / pdftotext speed:       {baseline / elapsed:7.2f}x")
    print(f"  {summary}")
    print(f"Peak memory ingesting {LARGE} ({memory['pages']} pages):")
    print(
        f"  extraction process: {memory['extraction_peak_mb']} MB "
        f"(4-page file: {memory['extraction_peak_mb_4_pages']} MB)"
    )
    print(f"  portal process: {memory['portal_process_peak_mb']} MB (grew {memory['portal_process_growth_mb']} MB)")


if __name__ == "__main__":
    main()
