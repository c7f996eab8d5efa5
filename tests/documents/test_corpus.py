"""Every PDF of the shared corpus gets the outcome its MANIFEST.md row says it deserves.

The corpus lives next to the repository (../shared/corpus); a fresh clone without it skips these tests, and
tests/documents/test_extraction.py covers the same cases on the copies in tests/fixtures/pdf.
"""

import re
import shutil
from pathlib import Path

import pytest

from portal.documents import extraction
from portal.documents.extraction import extract_pdf

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.md"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MANIFEST.exists(), reason=f"the shared corpus is not at {CORPUS}"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"),
]

# Where the manifest's pypdf column does not say what the portal should do, because another extractor does
# better than pypdf (the issue: "PDFium and poppler read both"), or the file's fonts cannot be read by any.
READ_BY_OTHER_EXTRACTORS = {"broken-no-xref-handwritten.pdf", "broken-evil-xobjects-fuzz.pdf"}
UNMAPPABLE_FONTS = {"font-non-unicode-cmap-czech.pdf", "font-type0-no-tounicode-cairo.pdf"}
# Text that must come out of files in scripts pypdf garbles or that need care.
EXPECTED_TEXT = {
    "japanese-miyazawa-dvipdfm.pdf": "わたくしといふ現象は",
    "japanese-slides-31p.pdf": "固有表現",
    "japanese-official-gazette-kampo.pdf": "金曜日",
    "chinese-contract-1p.pdf": "中国饮料有限公司",
    "korean-text-with-tables.pdf": "빅포인트",
    "multilang-thai-cjk-arabic-cyrillic.pdf": "สวัสดีชาวโลก",
    "us-gov-dmca-18p.pdf": "DIGITAL MILLENNIUM COPYRIGHT ACT",
    "font-identity-cmap-polish-invoice.pdf": "Łódź",
}
EXPECTED_LANGUAGE = {
    "japanese-miyazawa-dvipdfm.pdf": "ja",
    "japanese-slides-31p.pdf": "ja",
    "chinese-contract-1p.pdf": "zh",
    "korean-text-with-tables.pdf": "ko",
    "large-geotopo-117p-de.pdf": "de",
    "large-irs-manual-400p.pdf": "en",
}


def manifest_rows() -> list[dict]:
    if not MANIFEST.exists():
        return []
    rows = []
    text = MANIFEST.read_text(encoding="utf-8")
    section = text.split("## PDF", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].startswith("`") and cells[0].endswith(".pdf`"):
            rows.append({"file": cells[0].strip("`"), "pages": cells[2], "pypdf": cells[3], "exercises": cells[4]})
    return rows


def expected_status(row: dict) -> str:
    name, pypdf = row["file"], row["pypdf"]
    if name in READ_BY_OTHER_EXTRACTORS:
        return extraction.INGESTED
    if name in UNMAPPABLE_FONTS:
        return extraction.GARBLED
    if "empty pw rejected" in pypdf:
        return extraction.NEEDS_PASSWORD
    if pypdf.startswith("error"):
        return extraction.UNREADABLE
    if "empty (no text on any page)" in pypdf:
        return extraction.NO_TEXT_PAGES
    return extraction.INGESTED


def documented_password(row: dict) -> str | None:
    found = re.search(r"decrypts with `([^`]+)`", row["pypdf"])
    return found.group(1) if found else None


ROWS = manifest_rows()


def test_the_manifest_lists_the_corpus():
    assert len(ROWS) >= 50
    assert {r["file"] for r in ROWS} == {p.name for p in (CORPUS / "pdf").glob("*.pdf")}


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_file_gets_its_outcome(row):
    path = CORPUS / "pdf" / row["file"]
    result = extract_pdf(path)
    expected = expected_status(row)
    assert result.status == expected, result.message
    assert result.message
    if expected in (extraction.INGESTED, extraction.NO_TEXT_PAGES, extraction.GARBLED):
        if row["pages"].isdigit():
            assert result.page_count == int(row["pages"])
        assert len(result.pages) == result.page_count
    if expected == extraction.INGESTED and row["pypdf"].startswith("OK"):
        assert result.text_pages >= 1
    if row["file"] in EXPECTED_TEXT:
        assert EXPECTED_TEXT[row["file"]] in "\n".join(p.text for p in result.pages)
    if row["file"] in EXPECTED_LANGUAGE:
        assert result.language == EXPECTED_LANGUAGE[row["file"]]
    assert path.exists()  # the file is never lost


@pytest.mark.parametrize(
    "row", [r for r in ROWS if documented_password(r)], ids=lambda r: r["file"] if isinstance(r, dict) else r
)
def test_password_files_open_with_their_documented_password(row):
    result = extract_pdf(CORPUS / "pdf" / row["file"], password=documented_password(row))
    assert result.status == extraction.INGESTED, result.message
    assert result.text_pages == result.page_count


def test_scanned_files_count_their_pages_without_text():
    result = extract_pdf(CORPUS / "pdf" / "scanned-jpeg-2p-no-text.pdf")
    assert result.status == extraction.NO_TEXT_PAGES
    assert result.scanned_pages == 2
    assert "2 pages" in result.message


def test_400_pages_stay_under_300_mb():
    result = extract_pdf(CORPUS / "pdf" / "large-irs-manual-400p.pdf")
    assert result.page_count == 400
    assert result.text_pages == 398 and result.blank_pages == 2
    assert 0 < result.peak_memory_mb < 300
