"""Stamping benchmark: the 400-page file stamped with a Latin line and with names in every script of the region.

    python bench/bench_stamping.py [--corpus ../shared/corpus/pdf] [--repeat 3]

The reference, timed in the same run and the same kind of isolated process, is a plain copy of the file through
pypdf (read, clone, write: what any stamped copy costs before the stamp). Prints the median seconds of each, the
ratio to the reference and the size of the output.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGE = "large-irs-manual-400p.pdf"
LATIN = ["Provided to Somchai Jaidee (somchai), Immigration Bureau, Thailand", "on 2026-11-29 12:00:00 UTC"]
SCRIPTS = [
    "Provided to ประยุทธ์ จันทร์โอชา, สำนักงานตรวจคนเข้าเมือง · ສົມສັກ ພົມມະວົງ, ກົມຕຳຫຼວດ",
    "ស្រីមុំ ចាន់ថា, ក្រសួងមហាផ្ទៃ · အောင်ဆန်းစုကြည် · 王小明, 公安部出入境管理局 · Nguyễn Thị Hoa, Cục Quản lý Xuất nhập cảnh",
]


def _copy_in_child(request: dict, send) -> None:
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(request["path"]))
    out = io.BytesIO()
    writer.write(out)
    send({"type": "end", "pdf": out.getvalue()})


def copy_pdf(path: Path) -> bytes:
    from portal.documents.extraction import run_isolated

    records, failure = run_isolated(_copy_in_child, {"path": str(path)}, timeout=300, max_memory=1024)
    assert not failure, failure
    return records[-1]["pdf"]


def timed(tasks: dict, repeat: int) -> dict[str, tuple[float, int]]:
    """Median seconds and output size of each task, the tasks taken in turn so that a busy moment hits all."""
    seconds: dict[str, list[float]] = {label: [] for label in tasks}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for label, task in tasks.items():
            started = time.perf_counter()
            sizes[label] = len(task())
            seconds[label].append(time.perf_counter() - started)
    return {label: (statistics.median(seconds[label]), sizes[label]) for label in tasks}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = args.corpus / LARGE
    if not path.is_file():
        print(f"{path} not found: nothing to measure")
        return 0
    sys.path.insert(0, str(ROOT))
    from portal.documents.pdftools import stamp_pdf

    copy_pdf(path)  # starts the fork server, which the first timed task would otherwise pay for
    rows = timed(
        {
            "pypdf copy (reference)": lambda: copy_pdf(path),
            "stamp, Latin": lambda: stamp_pdf(path, LATIN),
            "stamp, six scripts": lambda: stamp_pdf(path, SCRIPTS),
        },
        args.repeat,
    )
    reference = rows["pypdf copy (reference)"][0]
    print(f"{LARGE}, 400 pages, median of {args.repeat}; file {path.stat().st_size / 1e6:.2f} MB")
    print(f"{'':26} {'seconds':>8} {'x ref':>7} {'MB out':>7}")
    for label, (seconds, size) in rows.items():
        print(f"{label:26} {seconds:8.2f} {seconds / reference:7.2f} {size / 1e6:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
