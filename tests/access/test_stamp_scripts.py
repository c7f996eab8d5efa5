"""Stamps carry officials' names in the scripts of the region, shaped as HarfBuzz shapes them.

The glyphs are read back out of the stamped PDF by a small interpreter of its text operators (font, text matrix,
rise, TJ with /W widths and kerning numbers), each glyph's outline taken from the font embedded in the PDF, and
compared with HarfBuzz's shaping of the name in the font that covers its script: same outlines, in the same order,
at the same places. Unshaped text (one glyph per character at its nominal advance, or a font without the script)
fails that, and so does a missing mark offset. The text extracted from the page must also be the name as typed.
"""

import io
import shutil
import struct
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pypdfium2
import pytest
import uharfbuzz as hb
from django.core.files import File
from pypdf.generic import ContentStream
from wagtail.documents import get_document_model

from portal.access.tiers import Tier
from portal.documents.pdftools import STAMP_FONT_SIZE, stamp_pdf
from tests.access.helpers import sign_in

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@dataclass(frozen=True)
class Sample:
    name: str
    agency: str
    font: str  # the file HarfBuzz shapes the sample with
    family: str = ""  # the face, in a collection


SAMPLES = {
    # Thai: tone mark over a vowel sign (ยุทธ์ … ร์), sara am (สำ) that HarfBuzz splits, vowels written first (โ, เ).
    "thai": Sample("ประยุทธ์ จันทร์โอชา", "สำนักงานตรวจคนเข้าเมือง", f"{NOTO}/NotoSansThai-Regular.ttf"),
    # Lao: vowel above with tone mark, am (ຕຳ), subscript lo (ຫຼ).
    "lao": Sample("ສົມສັກ ພົມມະວົງ", "ກົມຕຳຫຼວດ", f"{NOTO}/NotoSansLao-Regular.ttf"),
    # Khmer: coeng subscripts (ស្រី, ក្រ, ផ្ទ) that reorder before the base, vowel sign written before (ៃ).
    "khmer": Sample("ស្រីមុំ ចាន់ថា", "ក្រសួងមហាផ្ទៃ", f"{NOTO}/NotoSansKhmer-Regular.ttf"),
    # Burmese: vowel sign e and medial ra drawn before their consonant (ေ, ြ), kinzi-free asat stacks.
    "burmese": Sample("အောင်ဆန်းစုကြည်", "ပြည်ထဲရေးဝန်ကြီးဌာန", f"{NOTO}/NotoSansMyanmar-Regular.ttf"),
    "chinese": Sample("王小明", "公安部出入境管理局", CJK, "Noto Sans CJK SC"),
    # Vietnamese as some keyboards type it: letters followed by combining accents, two on one letter (ễ, ấ, ậ).
    "vietnamese": Sample(
        unicodedata.normalize("NFD", "Nguyễn Thị Hoa"),
        unicodedata.normalize("NFD", "Cục Quản lý Xuất nhập cảnh"),
        f"{NOTO}/NotoSans-Regular.ttf",
    ),
}


def stamp_line(sample: Sample) -> str:
    return f"Provided to {sample.name} (official), {sample.agency}, Country"


def stamped(sample: Sample) -> bytes:
    return stamp_pdf(PDFS / "latex-minimal-1p.pdf", [stamp_line(sample), "on 2026-11-29 12:00:00 UTC · CAU-DOC-7"])


@pytest.fixture(scope="module", params=list(SAMPLES))
def case(request):
    sample = SAMPLES[request.param]
    return sample, stamped(sample)


# --- what HarfBuzz says ------------------------------------------------------------------------------------------


class OutlinePen:
    """Records a glyph's outline: two glyphs are the same glyph when their outlines are the same."""

    def __init__(self):
        self.ops = []

    def moveTo(self, p):  # noqa: N802 - the pen protocol's names
        self.ops.append(("M", p))

    def lineTo(self, p):  # noqa: N802
        self.ops.append(("L", p))

    def qCurveTo(self, *p):  # noqa: N802
        self.ops.append(("Q", p))

    def curveTo(self, *p):  # noqa: N802
        self.ops.append(("C", p))

    def closePath(self):  # noqa: N802
        self.ops.append(("Z",))


def outline(font: hb.Font, gid: int) -> tuple:
    pen = OutlinePen()
    font.draw_glyph_with_pen(gid, pen)
    return tuple(pen.ops)


def open_font(path: str, family: str = "") -> hb.Font:
    blob = hb.Blob.from_file_path(path)
    for index in range(hb.Face(blob).count):
        face = hb.Face(blob, index)
        if not family or face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) == family:
            return hb.Font(face)
    raise AssertionError(f"{family} is not in {path}")


@dataclass(frozen=True)
class Placed:
    outline: tuple
    x: float  # points, from the line's start
    y: float


def harfbuzz_glyphs(sample: Sample) -> list[Placed]:
    font = open_font(sample.font, sample.family)
    buffer = hb.Buffer()
    buffer.add_str(sample.name)
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    scale = STAMP_FONT_SIZE / font.face.upem
    placed, pen = [], 0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        assert info.codepoint != 0, f"{sample.font} lacks a glyph for {sample.name!r}"
        placed.append(Placed(outline(font, info.codepoint), (pen + pos.x_offset) * scale, pos.y_offset * scale))
        pen += pos.x_advance
    return placed


# --- what the PDF draws ------------------------------------------------------------------------------------------


class EmbeddedFont:
    """A Type0 font of the PDF: code -> glyph of its embedded program, and /W widths."""

    def __init__(self, type0):
        cid_font = type0["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"]
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        self.font = hb.Font(hb.Face(program.get_data()))
        cid_to_gid = cid_font.get("/CIDToGIDMap")
        data = cid_to_gid.get_data() if hasattr(cid_to_gid, "get_data") else None
        # CIDFontType2 maps codes to glyphs through /CIDToGIDMap; a CFF program's glyphs are its CIDs.
        self.gid = (lambda code: struct.unpack_from(">H", data, 2 * code)[0]) if data else (lambda code: code)
        self.widths = _widths(cid_font.get("/W", []))
        self.default_width = float(cid_font.get("/DW", 1000))

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)


def _widths(w) -> dict[int, float]:
    widths, i = {}, 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            widths.update({first + k: float(v) for k, v in enumerate(w[i + 1])})
            i += 2
        else:
            widths.update({code: float(w[i + 2]) for code in range(first, int(w[i + 1]) + 1)})
            i += 3
    return widths


def drawn_lines(pdf: bytes) -> list[list[Placed]]:
    """The glyphs drawn by the page's form XObjects, line by line (one line per text matrix)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    lines = []
    for xobject in page["/Resources"].get("/XObject", {}).values():
        form = xobject.get_object()
        if form.get("/Subtype") == "/Form":
            lines += _interpret(ContentStream(form, reader), form["/Resources"]["/Font"])
    return lines


def _interpret(content, fonts) -> list[list[Placed]]:
    lines, font, size, x, y, rise = [], None, 0.0, 0.0, 0.0, 0.0
    for operands, operator in content.operations:
        if operator == b"Tf":
            font, size = EmbeddedFont(fonts[operands[0]].get_object()), float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
            lines.append([])
        elif operator == b"Ts":
            rise = float(operands[0])
        elif operator in (b"TJ", b"Tj"):
            for item in operands[0] if operator == b"TJ" else operands:
                if isinstance(item, (int, float)):
                    x -= float(item) / 1000 * size
                    continue
                data = bytes(item.original_bytes)
                for code in struct.unpack(f">{len(data) // 2}H", data):
                    lines[-1].append(Placed(outline(font.font, font.gid(code)), x, y + rise))
                    x += font.width(code) / 1000 * size
    return [line for line in lines if line]


def find_run(line: list[Placed], expected: list[Placed]) -> list[Placed] | None:
    """The glyphs of `line` whose outlines are `expected`'s, in the same order, moved to start at x = 0."""
    wanted = [glyph.outline for glyph in expected]
    for start in range(len(line) - len(wanted) + 1):
        run = line[start : start + len(wanted)]
        if [glyph.outline for glyph in run] == wanted:
            return [Placed(g.outline, g.x - run[0].x, g.y - run[0].y) for g in run]
    return None


# --- the tests -----------------------------------------------------------------------------------------------------


def test_the_stamp_draws_harfbuzz_glyphs_for_the_name_at_harfbuzz_places(case):
    sample, pdf = case
    expected = harfbuzz_glyphs(sample)
    found = [run for line in drawn_lines(pdf) if (run := find_run(line, expected))]
    assert found, f"the glyphs HarfBuzz shapes for {sample.name!r} are not drawn in that order"
    for drawn, wanted in zip(found[0], expected, strict=True):
        assert drawn.x == pytest.approx(wanted.x, abs=0.01)
        assert drawn.y == pytest.approx(wanted.y, abs=0.01)


def test_the_name_extracted_from_the_stamp_is_the_name_as_typed(case):
    sample, pdf = case
    line = unicodedata.normalize("NFC", stamp_line(sample))
    page = pypdfium2.PdfDocument(pdf)[0]
    assert line in unicodedata.normalize("NFC", page.get_textpage().get_text_range())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_pdftotext_reads_the_stamp_line_as_typed(case, tmp_path):
    sample, pdf = case
    (tmp_path / "stamped.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", tmp_path / "stamped.pdf", "-"], capture_output=True, check=True).stdout
    assert stamp_line(sample) in text.decode()


def test_a_character_no_font_has_is_stamped_as_a_box_and_kept_in_the_text():
    line = "Provided to \U000f0001 Somchai"  # a private-use character: no stamp font draws it
    pdf = stamp_pdf(PDFS / "latex-minimal-1p.pdf", [line])
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Somchai" in text


@pytest.mark.django_db
def test_a_khmer_officials_download_carries_the_name_in_khmer(client, users, home_page):
    official = users["official_th"]
    official.first_name, official.last_name = "ស្រីមុំ", "ចាន់ថា"
    official.save()
    official.access_profile.agency = "ក្រសួងមហាផ្ទៃ"
    official.access_profile.save()
    with open(PDFS / "latex-minimal-1p.pdf", "rb") as fh:
        document = get_document_model()(
            title="Routes", file=File(fh, name="routes.pdf"), record_tier=Tier.PUBLIC, file_tier=Tier.RESTRICTED
        )
        document.save()
    sign_in(client, official)
    response = client.get(document.url)
    assert response.status_code == 200
    expected = harfbuzz_glyphs(Sample("ស្រីមុំ ចាន់ថា", "", f"{NOTO}/NotoSansKhmer-Regular.ttf"))
    assert any(find_run(line, expected) for line in drawn_lines(response.content))
    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "ស្រីមុំ ចាន់ថា" in text and "ក្រសួងមហាផ្ទៃ" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_a_long_stamp_is_made_smaller_to_fit_a_narrow_page_and_kept_as_is_on_a_wide_one(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 300)
    writer.add_blank_page(600, 300)
    writer.write(tmp_path / "pages.pdf")
    line = stamp_line(SAMPLES["burmese"])
    (tmp_path / "stamped.pdf").write_bytes(stamp_pdf(tmp_path / "pages.pdf", [line]))
    boxes = subprocess.run(["pdftotext", "-bbox", tmp_path / "stamped.pdf", "-"], capture_output=True, check=True)
    xhtml = ElementTree.fromstring(boxes.stdout)  # noqa: S314 - pdftotext's output for a file made here
    pages = xhtml.iter("{http://www.w3.org/1999/xhtml}page")
    (narrow, wide) = [[word for word in page if word.text == line] for page in pages]
    assert narrow and float(narrow[0].get("xMax")) <= 200
    assert wide and float(wide[0].get("xMin")) == pytest.approx(18) and float(wide[0].get("xMax")) > 200


def test_a_stamped_copy_stamped_again_keeps_the_first_readers_stamp(tmp_path):
    (tmp_path / "once.pdf").write_bytes(stamp_pdf(PDFS / "latex-minimal-1p.pdf", ["Provided to First Reader"]))
    twice = stamp_pdf(tmp_path / "once.pdf", ["Provided to Second Reader"])
    text = pypdfium2.PdfDocument(twice)[0].get_textpage().get_text_range()
    assert "First Reader" in text and "Second Reader" in text
