"""Thumbnails and stamped copies of PDFs, each made in an isolated process like text extraction.

`render_thumbnail()` draws the first page with PDFium. `stamp_pdf()` writes a copy of a PDF with lines of text
(who downloaded it, when, which document) at the foot of every page: the stamp is typeset by PDFium with an
embedded Unicode font and laid over each page by pypdf. The stored original is never changed.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from portal.documents.extraction import run_isolated

THUMBNAIL_WIDTH = 300
THUMBNAIL_TIMEOUT = 20
STAMP_TIMEOUT = 120
MAX_MEMORY = 1024
STAMP_FONT_SIZE = 7
# Noto Sans covers Latin with every Vietnamese and Indonesian letter; Helvetica (no embedding) is the fallback.
STAMP_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


class StampError(Exception):
    """The stamped copy could not be made; nothing must be served."""


def render_thumbnail(path: str | os.PathLike, width: int = THUMBNAIL_WIDTH) -> bytes | None:
    """PNG bytes of the first page, `width` pixels wide; None when the file cannot be drawn."""
    request = {"path": str(path), "width": width}
    records, failure = run_isolated(_render_in_child, request, timeout=THUMBNAIL_TIMEOUT, max_memory=MAX_MEMORY)
    if failure or not records or records[-1].get("type") != "end":
        return None
    return records[-1]["png"]


def _render_in_child(request: dict, send) -> None:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(request["path"])
    except pypdfium2.PdfiumError as exc:
        send({"type": "error", "kind": "damaged", "detail": str(exc)})
        return
    page = doc[0]
    bitmap = page.render(scale=request["width"] / max(page.get_width(), 1))
    image = bitmap.to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    send({"type": "end", "png": out.getvalue()})


def stamp_pdf(src: str | os.PathLike, lines: list[str], *, password: str | None = None) -> bytes:
    """A copy of the PDF at `src` with `lines` printed at the foot of every page. Raises StampError."""
    if not Path(src).is_file():
        raise StampError(f"the file {src} does not exist")
    request = {"path": str(src), "lines": [str(line) for line in lines], "password": password or ""}
    records, failure = run_isolated(_stamp_in_child, request, timeout=STAMP_TIMEOUT, max_memory=MAX_MEMORY)
    if failure:
        raise StampError(failure)
    last = records[-1]
    if last.get("type") != "end":
        raise StampError(last.get("detail") or last.get("kind") or "the PDF could not be stamped")
    return last["pdf"]


def _stamp_in_child(request: dict, send) -> None:
    import pypdf

    reader = pypdf.PdfReader(request["path"], strict=False)
    if reader.is_encrypted and not reader.decrypt(request["password"]):
        send({"type": "error", "kind": "password", "detail": "the PDF is protected by a password"})
        return
    writer = pypdf.PdfWriter(clone_from=reader)
    overlays: dict[tuple[float, float], pypdf.PageObject] = {}
    for page in writer.pages:
        page.transfer_rotation_to_content()  # so that the stamp reads upright on rotated pages
        box = page.cropbox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        if size not in overlays:
            overlays[size] = _overlay_page(size, request["lines"])
        page.merge_transformed_page(
            overlays[size], pypdf.Transformation().translate(float(box.left), float(box.bottom))
        )
    out = io.BytesIO()
    writer.write(out)
    send({"type": "end", "pdf": out.getvalue()})


def _overlay_page(size: tuple[float, float], lines: list[str]):
    """One transparent page of the given size with the lines in grey at its foot, typeset by PDFium."""
    import pypdf
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    width, height = size
    doc = pypdfium2.PdfDocument.new()
    page = doc.new_page(width, height)
    font, unicode_font = _stamp_font(doc, pdfium_c)
    margin, leading = 18.0, STAMP_FONT_SIZE * 1.3
    for i, line in enumerate(reversed(lines)):
        text = line if unicode_font else line.encode("latin-1", "replace").decode("latin-1")
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, STAMP_FONT_SIZE)
        pdfium_c.FPDFText_SetText(obj, _widestring(text))
        pdfium_c.FPDFPageObj_SetFillColor(obj, 90, 90, 90, 255)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, margin, margin / 2 + i * leading)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    doc.save(buffer)
    page.close()
    doc.close()
    return pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def _stamp_font(doc, pdfium_c):
    import ctypes

    for path in STAMP_FONTS:
        with contextlib.suppress(OSError):
            data = Path(path).read_bytes()
            buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            font = pdfium_c.FPDFText_LoadFont(doc.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
            if font:
                doc._stamp_font_buffer = buffer  # PDFium reads the font data until the document is saved
                return font, True
    return pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Helvetica"), False


def _widestring(text: str):
    import ctypes

    encoded = (text + "\x00").encode("utf-16-le")
    return ctypes.cast(ctypes.create_string_buffer(encoded, len(encoded)), ctypes.POINTER(ctypes.c_ushort))
