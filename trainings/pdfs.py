"""Small text PDFs (one page of Helvetica lines), for the demo's course materials and the tests."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import ContentStream, DictionaryObject, NameObject


def text_pdf(lines: list[str], *, width: float = 595, height: float = 842) -> bytes:
    """An A4 page with `lines` of Latin text, as PDF bytes (a few hundred bytes for a short page)."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    stream = ContentStream(None, writer)
    stream.set_data(_text_ops(lines, height))
    page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_ops(lines: list[str], height: float) -> bytes:
    ops = ["BT /F1 12 Tf 16 TL", f"56 {height - 72:.0f} Td"]
    for line in lines:
        text = line.encode("latin-1", "replace").decode("latin-1")
        ops.append("(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")
