"""Stamped copies of restricted and confidential PDFs: who downloaded it, for which agency and country, when.

The documents app's `portal.documents.pdftools.stamp_pdf` does the typesetting (HarfBuzz shaping in a font that
covers each script, so Thai, Lao, Khmer, Burmese, Chinese and Vietnamese names come out right; in an isolated
process); the minimal pypdf stamp below is used only if that module is missing. Either way the stored
original is never changed, and any failure raises `StampError` so that nothing is served.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import UTC

from django.utils import timezone

try:
    from portal.documents.pdftools import StampError, stamp_pdf
except ImportError:  # pragma: no cover - the documents app normally provides it

    class StampError(Exception):
        """The stamped copy could not be made; nothing must be served."""

    def stamp_pdf(src, lines, *, password=None) -> bytes:
        return _minimal_stamp(src, lines)


def stamp_lines(user, document, now=None) -> list[str]:
    """The text printed at the foot of every page."""
    now = now or timezone.now()
    profile = getattr(user, "access_profile", None)
    agency = (profile.agency if profile else "") or "no agency"
    country = profile.country.name if profile and profile.country_id else "no country"
    name = user.get_full_name() or user.get_username()
    return [
        f"Provided to {name} ({user.get_username()}), {agency}, {country}",
        f"on {now.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC · document CAU-DOC-{document.pk} · "
        "not for further distribution under the CAU dissemination guidelines",
    ]


def stamped_copy(document, lines: list[str]) -> bytes:
    """The stamped bytes of a document's file, wherever its storage keeps it."""
    with local_path(document.file) as path:
        return stamp_pdf(path, lines)


def is_pdf(document) -> bool:
    return document.file.name.lower().endswith(".pdf") or getattr(document, "content_type", "") == "application/pdf"


@contextlib.contextmanager
def local_path(field_file) -> Iterator[str]:
    """A local path of the stored file: its own on the file system, a temporary copy from object storage."""
    try:
        yield field_file.path
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, tmp)
        tmp.flush()
        yield tmp.name


def _minimal_stamp(src: str | os.PathLike, lines: list[str]) -> bytes:
    """Helvetica text over every page with pypdf alone (Latin letters only)."""
    import pypdf
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    try:
        reader = pypdf.PdfReader(src)
        if reader.is_encrypted and not reader.decrypt(""):
            raise StampError("the PDF is protected by a password")
        writer = pypdf.PdfWriter(clone_from=reader)
        for page in writer.pages:
            box = page.cropbox
            overlay = pypdf.PageObject.create_blank_page(width=box.width, height=box.height)
            font = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                }
            )
            overlay[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/FStamp"): font})}
            )
            overlay.replace_contents(ContentStream(None, None))
            overlay.get_contents().set_data(_text_ops(lines))
            page.merge_transformed_page(overlay, pypdf.Transformation().translate(box.left, box.bottom))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except StampError:
        raise
    except Exception as exc:
        raise StampError(str(exc)) from exc


def _text_ops(lines: list[str]) -> bytes:
    ops = ["BT /FStamp 7 Tf 0.35 g"]
    for i, line in enumerate(reversed(lines)):
        ascii_line = unicodedata.normalize("NFKD", line).encode("latin-1", "ignore").decode("latin-1")
        escaped = ascii_line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"1 0 0 1 18 {9 + i * 9} Tm ({escaped}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")
