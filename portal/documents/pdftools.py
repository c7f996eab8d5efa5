"""Thumbnails and stamped copies of PDFs, each made in an isolated process like text extraction.

`render_thumbnail()` draws the first page with PDFium. `stamp_pdf()` writes a copy of a PDF with lines of text
(who downloaded it, when, which document) at the foot of every page: the lines are shaped by HarfBuzz in fonts
that cover their scripts (`typesetting`), written once as a form XObject, and drawn by each page after its own
content. The stored original is never changed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from portal.documents.extraction import run_isolated

THUMBNAIL_WIDTH = 300
THUMBNAIL_TIMEOUT = 20
STAMP_TIMEOUT = 120
MAX_MEMORY = 1024
STAMP_FONT_SIZE = 7
STAMP_MARGIN = 18.0  # points from the left edge; the first line sits half that above the foot
STAMP_NAME = "/CAUStamp"  # the stamp's name among each page's XObjects (with a number if that is taken)


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

    from portal.documents.typesetting import NoStampFont

    reader = pypdf.PdfReader(request["path"], strict=False)
    if reader.is_encrypted and not reader.decrypt(request["password"]):
        send({"type": "error", "kind": "password", "detail": "the PDF is protected by a password"})
        return
    writer = pypdf.PdfWriter(clone_from=reader)
    try:
        stamp, reach = _stamp_form(writer, request["lines"])
    except NoStampFont as exc:
        send({"type": "error", "kind": "font", "detail": str(exc)})
        return
    # The page's own content runs first, inside q/Q so that nothing it leaves set changes the stamp; its streams
    # are referenced as they are, never decoded.
    opening = writer._add_object(_stream(b"q\n"))
    closings: dict[tuple, object] = {}
    for page in writer.pages:
        name = _free_name(page)
        key = (name, *_placement(page, reach))
        if key not in closings:
            matrix = " ".join(f"{value:g}" for value in key[1:])
            closings[key] = writer._add_object(_stream(f"Q q {matrix} cm {name} Do Q\n".encode()))
        _add_stamp(page, opening, closings[key], name, stamp)
    out = io.BytesIO()
    writer.write(out)
    send({"type": "end", "pdf": out.getvalue()})


def _stamp_form(writer, lines: list[str]):
    """One form XObject with the stamp, drawn by every page: the text and its fonts are written once."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    from portal.documents.typesetting import typeset

    operators, fonts, reach = typeset(lines, STAMP_FONT_SIZE, (STAMP_MARGIN, STAMP_MARGIN / 2), writer._add_object)
    form = _stream(("0.353 g\n" + operators).encode("ascii"))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 14400, 14400)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
        }
    )
    return writer._add_object(form), reach


def _placement(page, reach: float) -> tuple[float, ...]:
    """The matrix that puts the stamp's origin at the foot of the page as it is shown, upright when /Rotate turns
    the page (the page itself is left as it is, so its links and form fields stay where they were), and smaller
    when its longest line, reaching `reach` points from the left, would run off a narrow page."""
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    rotation = page.rotation % 360
    a, b, c, d, e, f = {
        90: (0, 1, -1, 0, right, bottom),
        180: (-1, 0, 0, -1, right, top),
        270: (0, -1, 1, 0, left, top),
    }.get(rotation, (1, 0, 0, 1, left, bottom))
    shown_width = top - bottom if rotation in (90, 270) else right - left
    scale = min(1.0, max(0.05, (shown_width - STAMP_MARGIN) / reach)) if reach > 0 else 1.0
    return (a * scale, b * scale, c * scale, d * scale, e, f)


def _free_name(page) -> str:
    """STAMP_NAME, or the first of STAMP_NAME1, 2… that the page does not use yet: a stamped copy uploaded again
    keeps its first stamp, and gets a second."""
    resources = page.get("/Resources")
    taken = set(resources.get_object().get("/XObject", {})) if resources is not None else set()
    return next(name for i in range(len(taken) + 1) if (name := STAMP_NAME + (str(i) if i else "")) not in taken)


def _add_stamp(page, opening, closing, name: str, stamp) -> None:
    from pypdf.generic import ArrayObject, NameObject

    contents = page.raw_get("/Contents") if "/Contents" in page else ArrayObject()
    streams = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
    page[NameObject("/Contents")] = ArrayObject([opening, *streams, closing])
    resources = _copy(page.get("/Resources"))
    xobjects = _copy(resources.get("/XObject"))
    xobjects[NameObject(name)] = stamp
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources


def _copy(dictionary):
    """A shallow copy that keeps references as references (the page's own dictionaries may be shared)."""
    from pypdf.generic import DictionaryObject

    dictionary = dictionary.get_object() if dictionary is not None else DictionaryObject()
    return DictionaryObject({key: dictionary.raw_get(key) for key in dictionary})


def _stream(data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream.flate_encode()
