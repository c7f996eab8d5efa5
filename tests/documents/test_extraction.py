"""PDF text extraction: every kind of file gets the outcome it deserves, and none raises, hangs or is lost."""

import json
import re
import shutil
import time
import zlib
from pathlib import Path

import pytest

from portal.documents import extraction
from portal.documents.extraction import extract_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
LANG_TEXTS = json.loads((FIXTURES / "lang-texts.json").read_text(encoding="utf-8"))

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")


def squeeze(text: str) -> str:
    """Text without whitespace: extractors break lines where the PDF does, and that is not an error."""
    return re.sub(r"\s+", "", text)


def test_normal_pdf_extracts_every_page_with_metadata():
    result = extract_pdf(FIXTURES / "pdflatex-4-pages.pdf")
    assert result.status == extraction.INGESTED
    assert result.page_count == 4
    assert [p.number for p in result.pages] == [1, 2, 3, 4]
    assert all(p.text for p in result.pages)
    assert result.language == "en"
    assert result.extractor in extraction.EXTRACTORS
    assert result.message == "Text extracted from all 4 pages."


def test_pdf_metadata_title_is_read():
    result = extract_pdf(FIXTURES / "google-docs-export.pdf")
    assert result.title == "PDF Example Document"


def test_page_labels_are_the_pdfs_own():
    result = extract_pdf(FIXTURES / "page-labels-roman.pdf")
    assert [p.label for p in result.pages] == ["iii", "iv", "1", "2", "1"]


def test_pdf_without_labels_has_empty_labels():
    result = extract_pdf(FIXTURES / "latex-minimal-1p.pdf")
    assert [p.label for p in result.pages] == [""]
    assert result.created is not None and result.created.year == 2022


@pytest.mark.parametrize("lang", sorted(LANG_TEXTS))
@needs_poppler
def test_region_scripts_come_out_as_printed(lang):
    result = extract_pdf(FIXTURES / f"lang-{lang}.pdf")
    assert result.status == extraction.INGESTED
    assert squeeze(result.pages[0].text) == squeeze(LANG_TEXTS[lang])
    assert result.language == lang


@pytest.mark.parametrize("lang", ["th", "km", "lo", "my"])
def test_pypdf_alone_is_detected_as_garbled_on_complex_scripts(lang):
    # pypdf returns NUL characters for Chromium's Thai, Khmer, Lao and Burmese: the check must notice.
    result = extract_pdf(FIXTURES / f"lang-{lang}.pdf", extractors=["pypdf"])
    assert result.status == extraction.GARBLED
    assert result.garbled_pages == 1


@pytest.mark.parametrize("lang", ["th", "km", "lo", "my"])
def test_a_garbled_page_is_taken_from_the_next_extractor(lang):
    result = extract_pdf(FIXTURES / f"lang-{lang}.pdf", extractors=["pypdf", "pdfium"])
    assert result.status == extraction.INGESTED
    assert result.pages[0].extractor == "pdfium"
    assert "\x00" not in result.pages[0].text


def test_cjk_mojibake_from_pypdf_is_replaced():
    garbled = extract_pdf(FIXTURES / "japanese-miyazawa-dvipdfm.pdf", extractors=["pypdf"])
    assert garbled.status == extraction.GARBLED
    result = extract_pdf(FIXTURES / "japanese-miyazawa-dvipdfm.pdf", extractors=["pypdf", "pdfium"])
    assert result.status == extraction.INGESTED
    assert result.extractors == {"pdfium": 1}
    assert "わたくしといふ現象は" in result.pages[0].text
    assert result.language == "ja"


@needs_poppler
def test_poppler_is_first_when_installed():
    result = extract_pdf(FIXTURES / "lang-th.pdf")
    assert result.extractor == "pdftotext"


def test_without_poppler_the_next_extractor_is_recorded():
    result = extract_pdf(FIXTURES / "pdflatex-4-pages.pdf", extractors=["pdfium", "pypdf"])
    assert result.status == extraction.INGESTED
    assert result.extractor == "pdfium"


def test_empty_user_password_opens_by_itself():
    result = extract_pdf(FIXTURES / "encrypted-rc4-128-r3-empty-user-pw.pdf")
    assert result.status == extraction.INGESTED
    assert result.encrypted
    assert "pdf encryption test" in result.pages[0].text


def test_password_protected_pdf_needs_a_password():
    result = extract_pdf(FIXTURES / "encrypted-aes256-r6-user-foo-owner-bar.pdf")
    assert result.status == extraction.NEEDS_PASSWORD
    assert "password" in result.message
    assert result.pages == []


def test_the_right_password_opens_it_without_poppler():
    result = extract_pdf(FIXTURES / "encrypted-aes256-r6-user-foo-owner-bar.pdf", password="foo")
    assert result.status == extraction.INGESTED
    assert "pdf encryption test" in result.pages[0].text
    # pdftotext only takes passwords on its command line, where other users could read them.
    assert result.extractor != "pdftotext"


def test_a_wrong_password_says_so():
    result = extract_pdf(FIXTURES / "encrypted-aes256-r6-user-foo-owner-bar.pdf", password="nope")
    assert result.status == extraction.NEEDS_PASSWORD
    assert "does not open" in result.message


def test_scanned_pages_are_counted():
    result = extract_pdf(FIXTURES / "scanned-xerox-jbig2-no-text.pdf")
    assert result.status == extraction.NO_TEXT_PAGES
    assert result.scanned_pages == 1
    assert "scanned" in result.message and "OCR" in result.message


def test_unmappable_font_is_garbled_not_ingested():
    result = extract_pdf(FIXTURES / "font-non-unicode-cmap-czech.pdf")
    assert result.status == extraction.GARBLED
    assert result.garbled_pages == 1
    assert "garbled" in result.message


def test_pdf_without_xref_is_still_read():
    result = extract_pdf(FIXTURES / "broken-no-xref-handwritten.pdf")
    assert result.status == extraction.INGESTED
    assert "Hello" in result.pages[0].text


def test_truncated_pdf_could_not_be_read():
    result = extract_pdf(FIXTURES / "truncated-derived-dmca-60pct.pdf")
    assert result.status == extraction.UNREADABLE
    assert result.message.startswith("Could not be read: the file is incomplete")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = extract_pdf(path)
    assert result.status == extraction.UNREADABLE
    assert result.message == "Could not be read: the file is empty (0 bytes)."


def test_not_a_pdf_renamed_pdf(tmp_path):
    path = tmp_path / "photo.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    result = extract_pdf(path)
    assert result.status == extraction.UNREADABLE
    assert "not a PDF" in result.message and "PNG" in result.message


def test_missing_file_does_not_raise(tmp_path):
    result = extract_pdf(tmp_path / "gone.pdf")
    assert result.status == extraction.UNREADABLE


def _running_with(path: Path) -> list[str]:
    """Processes (not zombies) whose command line names `path`, after giving killed ones a moment to go."""
    for _ in range(50):
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if str(path).encode() in (proc / "cmdline").read_bytes():
                    state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state not in ("Z", "X"):
                        found.append(proc.name)
            except OSError:
                continue
        if not found:
            return []
        time.sleep(0.1)
    return found


def _pages_pdf(path: Path, pages: int) -> None:
    """A valid PDF of `pages` pages of text, made with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for n in range(pages):
        page = writer.add_blank_page(500, 200)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td (page {n + 1} of the report on border cooperation) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    with path.open("wb") as fh:
        writer.write(fh)


def _bomb_pdf(path: Path, megabytes: int = 100) -> None:
    """One page whose 100 KB compressed content stream inflates to `megabytes` MB of drawing operators."""
    compressor = zlib.compressobj(9)
    chunk = b"q Q " * (1 << 18)
    data = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(out)


def test_a_file_that_takes_too_long_fails_alone_and_leaves_no_process(tmp_path):
    path = tmp_path / "bomb.pdf"
    _bomb_pdf(path)  # pdftotext needs more than ten seconds for it
    result = extract_pdf(path, timeout=1)
    assert result.status == extraction.UNREADABLE
    assert result.message == "Could not be read: took longer than 1 second."
    assert _running_with(path) == []
    # The next file is not affected.
    assert extract_pdf(FIXTURES / "latex-minimal-1p.pdf").status == extraction.INGESTED


def test_a_file_that_needs_too_much_memory_fails_alone():
    result = extract_pdf(FIXTURES / "pdflatex-4-pages.pdf", max_memory=30)
    assert result.status == extraction.UNREADABLE
    assert "30 MB" in result.message


def test_many_pages_are_streamed(tmp_path):
    path = tmp_path / "many.pdf"
    _pages_pdf(path, 300)
    result = extract_pdf(path)
    assert result.page_count == 300
    assert result.pages[299].text == "page 300 of the report on border cooperation"
    assert result.language == "en"
