"""`manage.py ingest_pdfs`: a line per file, a summary, and an exit code that says whether every file was stored."""

import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.access.tiers import Tier
from portal.documents.models import PortalDocument
from tests.documents.test_corpus import CORPUS, ROWS, expected_status

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
Status = PortalDocument.Status

pytestmark = pytest.mark.django_db


def ingest(*args, jobs: int = 1) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("ingest_pdfs", *map(str, args), "--jobs", str(jobs), verbosity=0, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().strip().splitlines()


@pytest.fixture
def folder(tmp_path):
    for name in ("pdflatex-4-pages.pdf", "scanned-xerox-jbig2-no-text.pdf", "truncated-derived-dmca-60pct.pdf"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES / "lang-vi.pdf", tmp_path / "sub" / "lang-vi.pdf")
    return tmp_path


def test_a_folder_is_stored_with_a_line_per_file_and_a_summary(folder, countries):
    code, lines = ingest(folder, "--record-tier", "restricted", "--countries", "TH,VN", "--collection", "Imports")
    assert code == 0
    assert len(lines) == 4
    assert any(line.startswith("stored #") and "truncated" in line and "could not be read" in line for line in lines)
    assert lines[-1] == (
        "3 files: 3 stored (1 ingested, 1 with scanned pages, 1 could not be read; 5 pages), "
        "0 already stored, 0 not stored."
    )
    document = PortalDocument.objects.get(title="pdflatex-4-pages")
    assert document.record_tier == Tier.RESTRICTED and document.file_tier == Tier.RESTRICTED
    assert sorted(document.country_codes) == ["TH", "VN"]
    assert document.collection.name == "Imports"


def test_several_jobs_read_at_once_and_report_in_the_order_given(folder):
    names = ["truncated-derived-dmca-60pct.pdf", "pdflatex-4-pages.pdf", "scanned-xerox-jbig2-no-text.pdf"]
    shutil.copy(folder / "pdflatex-4-pages.pdf", folder / "copy.pdf")
    paths = [folder / name for name in names] + [folder / "copy.pdf", folder / "missing.pdf"]
    code, lines = ingest(*paths, jobs=3)
    assert code == 1
    assert [line.rsplit(".pdf", 1)[0].rsplit("/", 1)[1] for line in lines[:5]] == [
        "truncated-derived-dmca-60pct",
        "pdflatex-4-pages",
        "scanned-xerox-jbig2-no-text",
        "copy",
        "missing",
    ]
    first = PortalDocument.objects.get(title="pdflatex-4-pages")
    assert lines[3].startswith(f"already stored as #{first.pk}")  # the same bytes, read twice, stored once
    assert lines[4].startswith("NOT STORED")
    assert lines[-1] == (
        "5 files: 3 stored (1 could not be read, 1 ingested, 1 with scanned pages; 5 pages), "
        "1 already stored, 1 not stored."
    )
    assert first.pages.count() == 4
    assert not PortalDocument.objects.filter(status__in=[Status.PENDING, Status.PROCESSING]).exists()


def test_recursive_finds_sub_folders(folder):
    code, lines = ingest(folder, "--recursive")
    assert code == 0
    assert lines[-1].startswith("4 files: 4 stored")
    assert PortalDocument.objects.get(title="lang-vi").language == "vi"


def test_the_same_files_again_are_already_stored(folder):
    ingest(folder)
    first = PortalDocument.objects.get(title="pdflatex-4-pages")
    code, lines = ingest(folder / "pdflatex-4-pages.pdf")
    assert code == 0
    assert lines[0] == f"already stored as #{first.pk}  {folder / 'pdflatex-4-pages.pdf'}"
    assert PortalDocument.objects.count() == 3


def test_a_file_that_cannot_be_stored_makes_the_exit_code_non_zero_and_the_rest_goes_on(folder):
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code, lines = ingest(
        folder / "empty.pdf", folder / "photo.pdf", folder / "missing.pdf", folder / "pdflatex-4-pages.pdf"
    )
    assert code == 1
    assert sum(line.startswith("NOT STORED") for line in lines) == 3
    assert lines[-1] == "4 files: 1 stored (1 ingested; 4 pages), 0 already stored, 3 not stored."
    assert PortalDocument.objects.filter(title="pdflatex-4-pages", status=Status.INGESTED).exists()


def test_language_can_be_given(folder):
    ingest(folder / "pdflatex-4-pages.pdf", "--language", "id")
    assert PortalDocument.objects.get().language == "id"


def test_unknown_tier_or_country_is_refused_before_anything_is_stored(folder):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ingest_pdfs", str(folder), "--countries", "XX", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("ingest_pdfs", str(folder), "--record-tier", "secret", stdout=io.StringIO())
    assert PortalDocument.objects.count() == 0


@pytest.mark.slow
@pytest.mark.skipif(not ROWS, reason=f"the shared corpus is not at {CORPUS}")
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_the_whole_corpus_is_ingested_with_a_correct_summary():
    code, lines = ingest(CORPUS / "pdf")
    assert code == 0
    expected = Counter(expected_status(row) for row in ROWS)
    stored = Counter(PortalDocument.objects.values_list("status", flat=True))
    assert stored == expected
    assert lines[-1].startswith(f"{len(ROWS)} files: {len(ROWS)} stored (")
    assert lines[-1].endswith("0 already stored, 0 not stored.")
    assert PortalDocument.objects.filter(status=Status.PROCESSING).count() == 0
