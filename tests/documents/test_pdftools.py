"""Thumbnails and stamped copies."""

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from portal.documents.pdftools import StampError, render_thumbnail, stamp_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
LINES = ["Nguyễn Thị Hoa, Bộ Công an, Viet Nam", "2026-11-29 12:00 UTC, document 42"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_is_stamped_and_the_original_untouched():
    source = FIXTURES / "pdflatex-4-pages.pdf"
    before = sha256(source)
    stamped = stamp_pdf(source, LINES)
    texts = page_texts(stamped)
    assert len(texts) == 4
    for text in texts:
        assert "Nguyễn Thị Hoa" in text
        assert "document 42" in text
    assert "Nguyễn" not in "".join(page_texts(source.read_bytes()))
    assert sha256(source) == before


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_stamp_reads_upright_on_rotated_pages(tmp_path):
    out = tmp_path / "stamped.pdf"
    out.write_bytes(stamp_pdf(FIXTURES / "arabic-rotated-pages.pdf", LINES))
    # pdftotext reads text in its upright reading order: a sideways stamp would come out letter by letter.
    for page in range(1, 5):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "2026-11-29 12:00 UTC, document 42" in text


def test_empty_password_pdf_is_stamped():
    assert "document 42" in page_texts(stamp_pdf(FIXTURES / "encrypted-rc4-128-r3-empty-user-pw.pdf", LINES))[0]


@pytest.mark.parametrize(
    "name", ["encrypted-aes256-r6-user-foo-owner-bar.pdf", "truncated-derived-dmca-60pct.pdf", "missing.pdf"]
)
def test_stamp_failure_raises_a_clear_error(name):
    with pytest.raises(StampError):
        stamp_pdf(FIXTURES / name, LINES)


def test_thumbnail_is_a_png_of_the_first_page():
    png = render_thumbnail(FIXTURES / "pdflatex-4-pages.pdf")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width == 300
    assert image.height > image.width  # a portrait page


def test_thumbnail_of_a_broken_file_is_none():
    assert render_thumbnail(FIXTURES / "truncated-derived-dmca-60pct.pdf") is None
